import { createDocumentClient, parseConfig, type Quote, type QuoteflowConfig } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { InvalidCursorError, QuoteReader } from '../../apps/ingestor/src/quotes/quote-reader';
import { QuoteWriter } from '../../apps/processor/src/storage/quote-writer';
import { ensureTable } from '../../tools/local/provision';
import { quoteFactory } from '../support/factories';
import { batchWriteCases } from './quote-storage.batch-cases';
import { retentionCases } from './quote-storage.retention-cases';

const at = (minute: number) => `2024-09-16T10:${String(minute).padStart(2, '0')}:00.000Z`;
const INSERTED_AT = '2024-09-16T11:00:00.000Z';

/**
 * The storage contract, written once: the processor's writer and the ingestor's reader against a
 * real DynamoDB endpoint. Runs on the embedded emulator (e2e) and on the official DynamoDB Local
 * (conformance), so behaviour the emulator gets wrong shows up as a difference between the two.
 * `ensureTable` enables TTL where the endpoint has UpdateTimeToLive (DynamoDB Local, not the emulator).
 */
export function describeQuoteStorage(backend: string, endpoint: () => string): void {
  describe(`quote storage on ${backend}`, () => {
    let config: QuoteflowConfig;
    let dynamo: DynamoDBDocumentClient;
    let writer: QuoteWriter;
    let reader: QuoteReader;
    // each test stores its own symbols, so tests never see each other's items
    let n = 0;
    const symbol = () => `S${++n}${randomBytes(2).toString('hex').toUpperCase()}`;
    const store = (quote: Quote) => writer.store(quote, INSERTED_AT);

    beforeAll(async () => {
      config = parseConfig({ AWS_ENDPOINT_URL_DYNAMODB: endpoint(), TABLE_NAME: `quotes-${randomBytes(4).toString('hex')}` });
      dynamo = createDocumentClient(config.aws);
      await ensureTable(dynamo, config.table.name);
      writer = new QuoteWriter(dynamo, config);
      reader = new QuoteReader(dynamo, config);
    });

    afterAll(() => dynamo?.destroy());

    it('stores the same quote twice (two batches) as one history record', async () => {
      const quote = quoteFactory({ symbol: symbol() });

      const results = [await store(quote), await store(quote)];

      // a redelivery rewrites its own item: telling it apart would cost a conditional write per quote (ADR 0006)
      expect(results).toEqual(['stored', 'stored']);
      const history = await reader.history(quote.symbol, quote.series, { limit: 10 });
      expect(history.items).toEqual([{ ...quote, insertedAt: INSERTED_AT }]);
    });

    it('never lets a backfilled bar replace a live quote of the same instant, but rewrites its own repeat', async () => {
      const s = symbol();
      const live = quoteFactory({ symbol: s, price: 101.25, quoteTime: at(40) });
      const bar = (price: number, minute: number) => quoteFactory({ symbol: s, price, high: price, low: price, quoteTime: at(minute), origin: 'backfill', interval: '1m' });

      const results = [await store(live), await store(bar(99.5, 40)), await store(bar(100.75, 41)), await writer.store(bar(100.75, 41), '2024-09-16T11:05:00.000Z')];

      // the bar of the live quote's instant is turned away; the bar's own repeat rewrites it
      expect(results).toEqual(['stored', 'duplicate', 'stored', 'stored']);
      const { items } = await reader.history(s, live.series, { limit: 10 });
      expect(items.map((q) => [q.quoteTime, q.price, q.origin ?? 'live'])).toEqual([
        [at(41), 100.75, 'backfill'],
        [at(40), 101.25, 'live'],
      ]);
      expect(items[0].insertedAt).toBe('2024-09-16T11:05:00.000Z');
      await expect(reader.latestBySeries(s)).resolves.toEqual([expect.objectContaining({ quoteTime: at(41), origin: 'backfill' })]);
    });

    it('moves the latest quote only forward in quote time', async () => {
      const s = symbol();
      await store(quoteFactory({ symbol: s, price: 11, quoteTime: at(30) }));
      await store(quoteFactory({ symbol: s, price: 10, quoteTime: at(29) }));
      const afterOlder = await reader.latestBySeries(s);
      await store(quoteFactory({ symbol: s, price: 12, quoteTime: at(31) }));

      expect(afterOlder.map((q) => [q.price, q.quoteTime])).toEqual([[11, at(30)]]);
      await expect(reader.latestBySeries(s)).resolves.toEqual([expect.objectContaining({ price: 12, quoteTime: at(31) })]);
      await expect(reader.history(s, 'EQ', { limit: 10 })).resolves.toMatchObject({ items: { length: 3 } });
    });

    it('keeps one latest record per series of a symbol', async () => {
      const s = symbol();
      await store(quoteFactory({ symbol: s, series: 'EQ', price: 100 }));
      await store(quoteFactory({ symbol: s, series: 'BE', price: 99 }));

      const latest = await reader.latestBySeries(s);

      expect(latest.map((q) => [q.series, q.price]).sort()).toEqual([
        ['BE', 99],
        ['EQ', 100],
      ]);
    });

    it('answers the history newest first, within a time range', async () => {
      const s = symbol();
      for (const minute of [3, 1, 4, 0, 2]) await store(quoteFactory({ symbol: s, price: 100 + minute, quoteTime: at(minute) }));

      const all = await reader.history(s, 'EQ', { limit: 100 });
      const range = await reader.history(s, 'EQ', { limit: 100, from: at(1), to: at(3) });

      expect(all.items.map((q) => q.price)).toEqual([104, 103, 102, 101, 100]);
      expect(all.nextCursor).toBeNull();
      expect(range.items.map((q) => q.quoteTime)).toEqual([at(3), at(2), at(1)]);
    });

    it('pages through the history with a cursor, each record once', async () => {
      const s = symbol();
      for (let minute = 0; minute < 5; minute++) await store(quoteFactory({ symbol: s, price: 100 + minute, quoteTime: at(minute) }));

      const prices: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await reader.history(s, 'EQ', { limit: 2, cursor });
        prices.push(...page.items.map((q) => q.price));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);

      expect(prices).toEqual([104, 103, 102, 101, 100]);
      expect(pages).toBe(3);
    });

    it('refuses a cursor that belongs to another symbol', async () => {
      const [a, b] = [symbol(), symbol()];
      for (const s of [a, b]) for (const minute of [0, 1]) await store(quoteFactory({ symbol: s, quoteTime: at(minute) }));
      const page = await reader.history(a, 'EQ', { limit: 1 });

      await expect(reader.history(b, 'EQ', { limit: 1, cursor: page.nextCursor ?? '' })).rejects.toThrow(InvalidCursorError);
    });

    it('lists the latest quote of every instrument in symbol order, page by page', async () => {
      const prefix = `L${randomBytes(2).toString('hex').toUpperCase()}`;
      const symbols = [`${prefix}C`, `${prefix}A`, `${prefix}B`];
      for (const s of symbols) await store(quoteFactory({ symbol: s }));

      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await reader.listLatest({ limit: 2, cursor });
        listed.push(...page.items.map((q) => q.symbol));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);

      expect(listed.filter((s) => s.startsWith(prefix))).toEqual([...symbols].sort());
      expect(listed).toEqual([...listed].sort());
    });

    it('keeps decimal prices exactly as the upstream sent them', async () => {
      const quote = quoteFactory({ symbol: symbol(), price: 0.30000000000000004, high: 1234567.891, low: 0.000001 });
      await store(quote);

      const [latest] = await reader.latestBySeries(quote.symbol);

      expect([latest.price, latest.high, latest.low]).toEqual([0.30000000000000004, 1234567.891, 0.000001]);
    });

    it('lists every instrument exactly once after two processors store its first quotes at the same time', async () => {
      const prefix = `R${randomBytes(2).toString('hex').toUpperCase()}`;
      const symbols = Array.from({ length: 12 }, (_, i) => `${prefix}${String.fromCharCode(65 + i)}`);
      const [one, two] = [new QuoteWriter(dynamo, config), new QuoteWriter(dynamo, config)];
      const firstQuotes = (w: QuoteWriter, minute: number) => symbols.flatMap((s) => [w.store(quoteFactory({ symbol: s, quoteTime: at(minute) }), INSERTED_AT), w.store(quoteFactory({ symbol: s, series: 'BE', quoteTime: at(minute) }), INSERTED_AT)]);

      const results = await Promise.all([...firstQuotes(one, 1), ...firstQuotes(two, 2)]);

      expect(results.every((r) => r === 'stored')).toBe(true);
      const listed = (await reader.instruments()).filter((i) => i.symbol.startsWith(prefix));
      expect(listed.map((i) => `${i.symbol}#${i.series}`)).toEqual(symbols.flatMap((s) => [`${s}#BE`, `${s}#EQ`]));
      const page = await reader.listLatest({ limit: 1000 });
      expect(page.items.filter((q) => q.symbol.startsWith(prefix)).map((q) => q.quoteTime)).toEqual(Array(24).fill(at(2)));
    });

    batchWriteCases(() => ({ writer, reader }), symbol);
    retentionCases(() => ({ dynamo, config, writer, reader }), symbol);
  });
}
