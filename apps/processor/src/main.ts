import 'reflect-metadata';
import { exitOnStartupError, holdProcessWarnings, loadProcessConfig, logStartup, QuoteflowConfigModule } from '@app/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureProcessorApp } from './app.setup';
import { ProcessorModule } from './processor.module';

const warnings = holdProcessWarnings();

async function bootstrap(): Promise<void> {
  const config = await loadProcessConfig(); // a bad variable stops the start here, with one message naming each
  const root = { module: ProcessorModule, imports: [QuoteflowConfigModule.forRoot(config)] };
  const app = configureProcessorApp(await NestFactory.create(root, { abortOnError: false, bufferLogs: true }));
  const logger = new Logger('Processor');
  logStartup(logger, config, warnings);
  await app.listen(config.http.processorPort);
  logger.log(
    `consuming ${config.queue.name} in batches of up to ${config.queue.batchSize}; health and metrics on http://localhost:${config.http.processorPort}/health, /metrics`,
  );
}

bootstrap().catch((err: unknown) => exitOnStartupError('processor', err));
