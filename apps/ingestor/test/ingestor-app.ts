import { quoteflowConfig, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { configureIngestorApp } from '../src/app.setup';
import { IngestorModule } from '../src/ingestor.module';

/** The real ingestor app (HTTP API, ingest service) on the given configuration. */
export async function startIngestor(config: QuoteflowConfig): Promise<INestApplication> {
  const module = await Test.createTestingModule({ imports: [IngestorModule.withCron()] })
    .overrideProvider(quoteflowConfig.KEY)
    .useValue(config)
    .compile();
  const app = configureIngestorApp(module.createNestApplication({ bufferLogs: true }));
  await app.init();
  return app;
}
