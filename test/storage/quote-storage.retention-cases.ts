import { QuoteTable, type Quote, type QuoteflowConfig } from '@app/common';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { QuoteReader } from '../../apps/ingestor/src/quotes/quote-reader';
import { QuoteWriter } from '../../apps/processor/src/storage/quote-writer';
import { quoteFactory } from '../support/factories';

const at = (minute: number) => `2024-09-16T10:${String(minute).padStart(2, '0')}:00.000Z`;
const INSERTED_AT = '2024-09-16T11:00:00.000Z';
const DAY_SECONDS = 86_400;

interface Parts {
  dynamo: DynamoDBDocumentClient;
  config: QuoteflowConfig;
  writer: QuoteWriter;
  reader: QuoteReader;
}

/**
 * The storage suite's cases about `HISTORY_RETENTION_DAYS` (part of `describeQuoteStorage`, so they
 * run on the embedded emulator and on DynamoDB Local): the TTL attribute is written on history
 * items only, and only with a retention; reads leave out what is past it before DynamoDB deletes it.
 */
export function retentionCases(parts: () => Parts, symbol: () => string): void {
  const retaining = (days: number) => {
    const { dynamo, config } = parts();
    return new QuoteWriter(dynamo, { ...config, table: { ...config.table, historyRetentionDays: days } });
  };
  const storeBatch = (writer: QuoteWriter, quotes: Quote[]) => Promise.all(quotes.map((q) => writer.store(q, INSERTED_AT)));
  const rawItem = async (key: Record<string, string>) => {
    const { dynamo, config } = parts();
    const { Item } = await dynamo.send(new GetCommand({ TableName: config.table.name, Key: key, ConsistentRead: true }));
    if (!Item) throw new Error(`no item ${JSON.stringify(key)}`);
    return Item;
  };
  const ttlOf = (item: Record<string, unknown>) => item[QuoteTable.ttlAttribute];

  describe('with a history retention', () => {
    it('gives history items the TTL attribute, quoteTime + the retention in epoch seconds, and the registry item none', async () => {
      const s = symbol();
      const quotes = [quoteFactory({ symbol: s, quoteTime: at(1) }), quoteFactory({ symbol: s, quoteTime: at(2) })];

      await storeBatch(retaining(36_500), quotes);

      for (const q of quotes) {
        const item = await rawItem(QuoteTable.historyKey(s, 'EQ', q.quoteTime));
        expect(ttlOf(item)).toBe(Date.parse(q.quoteTime) / 1000 + 36_500 * DAY_SECONDS);
      }
      expect(ttlOf(await rawItem(QuoteTable.instrumentKey(s, 'EQ')))).toBeUndefined();
      await expect(parts().reader.history(s, 'EQ', { limit: 10 })).resolves.toMatchObject({ items: [{ quoteTime: at(2) }, { quoteTime: at(1) }] });
    });

    it('writes no TTL attribute at all without a retention', async () => {
      const s = symbol();

      await storeBatch(parts().writer, [quoteFactory({ symbol: s, quoteTime: at(1) })]);

      expect(ttlOf(await rawItem(QuoteTable.historyKey(s, 'EQ', at(1))))).toBeUndefined();
      expect(ttlOf(await rawItem(QuoteTable.instrumentKey(s, 'EQ')))).toBeUndefined();
    });

    it('leaves history past its TTL out of reads before DynamoDB deletes it, the latest too, and keeps the instrument registered', async () => {
      const s = symbol();
      // quoteTime in 2024 + 1 day: long expired, but DynamoDB deletes lazily and the emulator never
      await storeBatch(retaining(1), [quoteFactory({ symbol: s, quoteTime: at(1) })]);
      const { reader } = parts();

      await expect(reader.history(s, 'EQ', { limit: 10 })).resolves.toEqual({ items: [], nextCursor: null });
      await expect(reader.latestBefore(s, 'EQ', at(5))).resolves.toBeNull();
      // the latest is the newest history item: past the retention there is none (ADR 0006)
      await expect(reader.latestBySeries(s)).resolves.toEqual([]);
      await expect(reader.instrumentsOf(s)).resolves.toEqual([{ symbol: s, series: 'EQ', source: 'latest-stock-price' }]);
    });
  });
}
