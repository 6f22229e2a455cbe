import { quoteflowConfig, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import { configureIngestorApp } from '../src/app.setup';
import { CLOCK, type Clock } from '../src/clock/clock';
import { IngestorModule } from '../src/ingestor.module';

/**
 * The real ingestor app (HTTP API, ingest service) on the given configuration; `clock` moves the
 * app's time (market state, run times, leases, coverage) where a test needs e.g. a holiday.
 */
export async function startIngestor(config: QuoteflowConfig, { clock }: { clock?: Clock } = {}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [IngestorModule.withCron()] }).overrideProvider(quoteflowConfig.KEY).useValue(config);
  if (clock) builder = builder.overrideProvider(CLOCK).useValue(clock);
  const module = await builder.compile();
  const app = configureIngestorApp(module.createNestApplication({ bufferLogs: true }));
  await app.init();
  return app;
}

/** Has the app listen on a free port of 127.0.0.1 (for clients other than supertest: a browser, raw HTTP, SSE) and returns it. */
export async function listenOnFreePort(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}
