import type { Quote } from '@app/common';
import type { QuoteReader } from '../../apps/ingestor/src/quotes/quote-reader';
import type { QuoteWriter } from '../../apps/processor/src/storage/quote-writer';
import { quoteFactory } from '../support/factories';

const at = (minute: number) => `2024-09-16T10:${String(minute).padStart(2, '0')}:00.000Z`;
const FIRST = '2024-09-16T11:00:00.000Z';
const REDELIVERED = '2024-09-16T11:05:00.000Z';

/**
 * The storage suite's cases about batches (part of `describeQuoteStorage`, so they run on the
 * embedded emulator and on DynamoDB Local): the `store()` calls of one turn are one batch, one
 * BatchWriteItem of history items; the latest is read back as the newest of them.
 */
export function batchWriteCases(parts: () => { writer: QuoteWriter; reader: QuoteReader }, symbol: () => string): void {
  const storeBatch = (quotes: Quote[], insertedAt = FIRST) => Promise.all(quotes.map((q) => parts().writer.store(q, insertedAt)));
  const latestOf = async (s: string) => (await parts().reader.latestBySeries(s)).map((q) => [q.price, q.quoteTime, q.insertedAt]);
  const historyOf = async (s: string) => (await parts().reader.history(s, 'EQ', { limit: 100 })).items;

  describe('in batches', () => {
    it.each([
      ['newer first', [31, 29]],
      ['older first', [29, 31]],
    ])('keeps the newest as latest when an older quote of the instrument comes in the same batch (%s)', async (_, minutes) => {
      const s = symbol();

      const results = await storeBatch(minutes.map((m) => quoteFactory({ symbol: s, price: 100 + m, quoteTime: at(m) })));

      expect(results).toEqual(['stored', 'stored']);
      await expect(latestOf(s)).resolves.toEqual([[131, at(31), FIRST]]);
      await expect(historyOf(s)).resolves.toHaveLength(2);
    });

    it('keeps the latest when an older quote of the instrument comes in a later batch, and stores that one in the history', async () => {
      const s = symbol();
      await storeBatch([quoteFactory({ symbol: s, price: 131, quoteTime: at(31) })]);

      const results = await storeBatch([quoteFactory({ symbol: s, price: 129, quoteTime: at(29) })], REDELIVERED);

      expect(results).toEqual(['stored']);
      await expect(latestOf(s)).resolves.toEqual([[131, at(31), FIRST]]);
      expect((await historyOf(s)).map((q) => q.price)).toEqual([131, 129]);
    });

    it('leaves one history record per quote when a batch is delivered again; the record (and so the latest) takes the redelivery time', async () => {
      const quotes = Array.from({ length: 10 }, (_, i) => quoteFactory({ symbol: symbol(), price: 100 + i }));
      const first = await storeBatch(quotes);

      const again = await storeBatch(quotes, REDELIVERED);

      expect(first).toEqual(Array(10).fill('stored'));
      expect(again).toEqual(Array(10).fill('stored'));
      for (const quote of quotes) {
        await expect(historyOf(quote.symbol)).resolves.toEqual([{ ...quote, insertedAt: REDELIVERED }]);
        await expect(latestOf(quote.symbol)).resolves.toEqual([[quote.price, quote.quoteTime, REDELIVERED]]);
      }
    });

    it('stores the same quote twice in one batch as one record, the second as a duplicate', async () => {
      const quote = quoteFactory({ symbol: symbol() });

      const results = await storeBatch([quote, quoteFactory({ symbol: symbol() }), quote]);

      expect(results).toEqual(['stored', 'stored', 'duplicate']);
      await expect(historyOf(quote.symbol)).resolves.toHaveLength(1);
    });

    it('keeps the newest as latest when an older batch is delivered again after it', async () => {
      const s = symbol();
      const older = [29, 30].map((m) => quoteFactory({ symbol: s, price: 100 + m, quoteTime: at(m) }));
      await storeBatch(older);
      await storeBatch([quoteFactory({ symbol: s, price: 131, quoteTime: at(31) })]);

      const results = await storeBatch(older, REDELIVERED);

      expect(results).toEqual(['stored', 'stored']);
      await expect(latestOf(s)).resolves.toEqual([[131, at(31), FIRST]]);
      await expect(historyOf(s)).resolves.toHaveLength(3);
    });

    it('writes a batch of more than 25 quotes (BatchWriteItem takes 25 at most)', async () => {
      const quotes = Array.from({ length: 30 }, (_, i) => quoteFactory({ symbol: symbol(), price: 100 + i }));

      await expect(storeBatch(quotes)).resolves.toEqual(Array(30).fill('stored'));
      const histories = await Promise.all(quotes.map((q) => historyOf(q.symbol)));
      expect(histories.map((h) => h.length)).toEqual(Array(30).fill(1));
    });
  });
}
