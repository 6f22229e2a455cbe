import 'reflect-metadata';
import { exitOnStartupError, HttpErrorsFilter, quoteflowConfig, type QuoteflowConfig } from '@app/common';
import { Logger } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { ProcessorModule } from './processor.module';
import { securityHeaders } from '@app/common';

async function bootstrap(): Promise<void> {
  await quoteflowConfig(); // a bad variable stops the start here, with one message naming each
  const app = await NestFactory.create(ProcessorModule, { abortOnError: false });
  app.use(securityHeaders()); // helmet's headers on /health and /metrics too
  app.useGlobalFilters(new HttpErrorsFilter(app.get(HttpAdapterHost).httpAdapter));
  // SIGTERM/SIGINT: stop receiving, finish the batch in flight, close, then exit 0 (without
  // useProcessExit Nest re-raises the signal once closed, and the process ends with 143)
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const config = app.get<QuoteflowConfig>(quoteflowConfig.KEY);
  await app.listen(config.http.processorPort);
  new Logger('Processor').log(
    `consuming ${config.queue.name} in batches of up to ${config.queue.batchSize}; health on http://localhost:${config.http.processorPort}/health`,
  );
}

bootstrap().catch((err: unknown) => exitOnStartupError('processor', err));
