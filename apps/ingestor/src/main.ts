import 'reflect-metadata';
import { exitOnStartupError, holdProcessWarnings, logStartup } from '@app/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureIngestorApp } from './app.setup';
import { loadIngestorConfig } from './ingestor.config';
import { IngestorModule } from './ingestor.module';

const warnings = holdProcessWarnings();

async function bootstrap(): Promise<void> {
  const config = await loadIngestorConfig(); // a bad variable stops the start here, with one message naming each
  const app = configureIngestorApp(
    await NestFactory.create(IngestorModule.withCron(config), { abortOnError: false, forceCloseConnections: true, bufferLogs: true }),
  );
  const logger = new Logger('Ingestor');
  logStartup(logger, config, warnings);
  await app.listen(config.http.port);
  logger.log(`HTTP API on http://localhost:${config.http.port} (providers: ${config.ingest.providers.join(', ')})`);
}

bootstrap().catch((err: unknown) => exitOnStartupError('ingestor', err));
