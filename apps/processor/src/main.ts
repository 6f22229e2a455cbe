import 'reflect-metadata';
import { exitOnStartupError, holdProcessWarnings, logStartup, quoteflowConfig, type QuoteflowConfig } from '@app/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureProcessorApp } from './app.setup';
import { ProcessorModule } from './processor.module';

const warnings = holdProcessWarnings();

async function bootstrap(): Promise<void> {
  await quoteflowConfig(); // a bad variable stops the start here, with one message naming each
  const app = configureProcessorApp(await NestFactory.create(ProcessorModule, { abortOnError: false, bufferLogs: true }));
  const config = app.get<QuoteflowConfig>(quoteflowConfig.KEY);
  const logger = new Logger('Processor');
  logStartup(logger, config, warnings);
  await app.listen(config.http.processorPort);
  logger.log(
    `consuming ${config.queue.name} in batches of up to ${config.queue.batchSize}; health and metrics on http://localhost:${config.http.processorPort}/health, /metrics`,
  );
}

bootstrap().catch((err: unknown) => exitOnStartupError('processor', err));
