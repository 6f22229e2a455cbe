import type { Quote, StoredQuote } from '../quote/quote';

/**
 * Layout of the quotes table (one DynamoDB table, string keys `pk`/`sk`):
 *
 * | item    | pk                      | sk             | notes                                      |
 * |---------|-------------------------|----------------|--------------------------------------------|
 * | history | `H#<SYMBOL>#<series>`   | quoteTime      | one per (symbol, series, quoteTime)        |
 * | latest  | `L#<SYMBOL>`            | `<series>`     | moves only forward in quoteTime            |
 * | lease   | `LEASE#<name>`          | `LEASE`        | which instance may run a job (see below)   |
 *
 * (Run records and backfill watermarks/budgets share the table: `RunLogTable`, `BackfillTable`.)
 *
 * Live history items are written without a condition (BatchWriteItem): their key makes a repeat
 * rewrite the same item, `insertedAt` included. A backfilled bar (`origin: 'backfill'`) is written
 * only where its key holds nothing or another backfilled bar, so it never replaces a live quote. Latest items are written with a condition on `quoteTime`.
 *
 * A lease item says which instance holds a job (e.g. the scheduled ingest) until when:
 * `holder` (instance id), `token` (one per acquisition), `expiresAt` (epoch milliseconds; an
 * expired lease is free), `acquiredAt` (ISO-8601) and `lastSlot` (epoch milliseconds of the last
 * schedule slot that was run, so two instances never run the same cron tick).
 *
 * With a retention configured (`HISTORY_RETENTION_DAYS`), history items carry `retainUntil`: epoch
 * SECONDS of quoteTime + the retention, the table's TTL attribute. Latest and lease items never
 * have it, so they never expire; it is deliberately not the lease's `expiresAt`, which is in
 * milliseconds and would read to TTL as a date far in the future.
 *
 * Latest items also carry `gsi1pk = "LATEST"` / `gsi1sk = "<SYMBOL>#<series>"`, a sparse index
 * that lists every stored instrument without a table scan. A quote without a series uses `-`.
 */
export const QuoteTable = {
  latestIndex: 'latest',
  latestIndexPartition: 'LATEST',
  noSeries: '-',
  /** The TTL attribute (epoch seconds), on history items only. */
  ttlAttribute: 'retainUntil',

  historyKey(symbol: string, series: string | null, quoteTime: string) {
    return { pk: `H#${symbol}#${series ?? QuoteTable.noSeries}`, sk: quoteTime };
  },

  historyPartition(symbol: string, series: string | null): string {
    return QuoteTable.historyKey(symbol, series, '').pk;
  },

  latestKey(symbol: string, series: string | null) {
    return { pk: `L#${symbol}`, sk: series ?? QuoteTable.noSeries };
  },

  /** Key of the lease item of a job, e.g. `leaseKey('ingest')`. */
  leaseKey(job: string) {
    return { pk: `LEASE#${job}`, sk: 'LEASE' };
  },

  /** `retentionDays`: when set, the item gets its TTL attribute, quoteTime + that many days in epoch seconds. */
  historyItem(quote: Quote, insertedAt: string, retentionDays: number | null = null): Record<string, unknown> {
    const item: Record<string, unknown> = { ...QuoteTable.historyKey(quote.symbol, quote.series, quote.quoteTime), ...quote, insertedAt };
    if (retentionDays !== null) item[QuoteTable.ttlAttribute] = Math.floor(Date.parse(quote.quoteTime) / 1000) + retentionDays * 86_400;
    return item;
  },

  latestItem(quote: Quote, insertedAt: string): Record<string, unknown> {
    return {
      ...QuoteTable.latestKey(quote.symbol, quote.series),
      gsi1pk: QuoteTable.latestIndexPartition,
      gsi1sk: `${quote.symbol}#${quote.series ?? QuoteTable.noSeries}`,
      ...quote,
      insertedAt,
    };
  },

  /** Strips the key attributes from a stored item; `origin`/`interval` only where stored (a backfilled bar). */
  toStoredQuote(this: void, item: Record<string, unknown>): StoredQuote {
    const { symbol, series, price, high, low, quoteTime, insertedAt, source, origin, interval } = item as unknown as StoredQuote;
    const labels = { ...(origin ? { origin } : {}), ...(interval ? { interval } : {}) };
    return { symbol, series: series ?? null, price, high: high ?? null, low: low ?? null, quoteTime, insertedAt, source, ...labels };
  },

  /** CreateTable input shared by local provisioning, tests and the CDK stack. */
  definition(tableName: string) {
    return {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
        { AttributeName: 'gsi1pk', AttributeType: 'S' as const },
        { AttributeName: 'gsi1sk', AttributeType: 'S' as const },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: QuoteTable.latestIndex,
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' as const },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        },
      ],
    };
  },
} as const;
