import type { StoredQuote } from '@app/common';
import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { quoteFactory } from '../../../../test/support/factories';
import { QuoteStream } from './quote-stream';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

const stored = (quoteTime: string): StoredQuote => ({ ...quoteFactory({ quoteTime }), insertedAt: quoteTime });

/** The history route over a service whose export pages are whatever the test hands in. */
async function appWith(pages: () => AsyncGenerator<StoredQuote[]>): Promise<INestApplication> {
  const module = await Test.createTestingModule({
    controllers: [QuotesController],
    // plain objects, not strict fakes: Nest probes every provider for its lifecycle hooks
    providers: [
      { provide: QuotesService, useValue: { historyPages: async () => pages() } },
      { provide: QuoteStream, useValue: {} },
    ],
  }).compile();
  const app = module.createNestApplication({ logger: false });
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  await app.init();
  return app;
}

describe('history export over HTTP', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    await app?.close();
  });

  it('cuts the response off when the table fails after the first rows, so it never looks complete', async () => {
    app = await appWith(async function* () {
      yield [stored('2024-09-16T10:29:47.000Z')];
      throw new Error('table stopped answering');
    });

    const answer = request(app.getHttpServer()).get('/quotes/RELIANCE/history?format=csv');

    await expect(answer).rejects.toThrow(/aborted|socket hang up|ECONNRESET/);
  });

  it('answers a failure of the first page as an error, before any row', async () => {
    app = await appWith(async function* () {
      throw new Error('table unreachable');
    });

    await request(app.getHttpServer()).get('/quotes/RELIANCE/history?format=ndjson').expect(500);
  });

  it('sends only the CSV header for an empty range', async () => {
    app = await appWith(async function* () {});

    const res = await request(app.getHttpServer()).get('/quotes/RELIANCE/history?format=csv').expect(200);

    expect(res.text).toBe('symbol,series,price,high,low,quoteTime,insertedAt,source,origin,interval\r\n');
    expect(res.headers['content-disposition']).toBe('attachment; filename="RELIANCE.csv"');
  });
});
