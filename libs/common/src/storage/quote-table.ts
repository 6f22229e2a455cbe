import type { Quote, StoredQuote } from '../quote/quote';

/** One stored instrument: a symbol in one series, as the registry lists it. */
export interface Instrument {
  symbol: string;
  series: string | null;
  source: StoredQuote['source'];
}

/**
 * Layout of the quotes table (one DynamoDB table, string keys `pk`/`sk`, no secondary index;
 * ADR 0006 tells why):
 *
 * | item       | pk                      | sk                   | notes                                      |
 * |------------|-------------------------|----------------------|--------------------------------------------|
 * | history    | `H#<SYMBOL>#<series>`   | quoteTime            | one per (symbol, series, quoteTime)        |
 * | instrument | `I#<shard>`             | `<SYMBOL>#<series>`  | the registry: one per instrument, ever     |
 * | lease      | `LEASE#<name>`          | `LEASE`              | which instance may run a job (see below)   |
 *
 * (Run records and backfill watermarks/budgets share the table: `RunLogTable`, `BackfillTable`.)
 *
 * A stored quote is one history item, written by BatchWriteItem without a condition: its key
 * makes a repeat rewrite the same item and never add a second. The latest quote of an instrument
 * is the first item of a descending Query of its history partition (`Limit: 1`), so it can never
 * move back to an older quoteTime, whatever order the quotes arrive in. A backfilled bar
 * (`origin: 'backfill'`) is written with a condition (key empty, or another backfilled bar), so it
 * never replaces a live quote of the same instant; live quotes replace bars.
 *
 * The registry lists every instrument that has a stored quote, for `GET /quotes` and `/symbols`:
 * one item per instrument, put once (`attribute_not_exists`) by the first processor that stores
 * one of its quotes, under one of {@link QuoteTable.registryShards} partitions picked by a hash of
 * the symbol, so no key is shared by every instrument and every series of a symbol sits in one.
 *
 * A lease item says which instance holds a job (e.g. the scheduled ingest) until when:
 * `holder` (instance id), `token` (one per acquisition), `expiresAt` (epoch milliseconds; an
 * expired lease is free), `acquiredAt` (ISO-8601) and `lastSlot` (epoch milliseconds of the last
 * schedule slot that was run, so two instances never run the same cron tick).
 *
 * With a retention configured (`HISTORY_RETENTION_DAYS`), history items carry `retainUntil`: epoch
 * SECONDS of quoteTime + the retention, the table's TTL attribute. Registry and lease items never
 * have it, so they never expire; it is deliberately not the lease's `expiresAt`, which is in
 * milliseconds and would read to TTL as a date far in the future. A quote without a series uses `-`.
 */
export const QuoteTable = {
  noSeries: '-',
  /** The TTL attribute (epoch seconds), on history items only. */
  ttlAttribute: 'retainUntil',
  /** Partitions of the instrument registry. Changing it moves every registry item: it is part of the layout. */
  registryShards: 16,
  registryPrefix: 'I#',

  historyKey(symbol: string, series: string | null, quoteTime: string) {
    return { pk: `H#${symbol}#${series ?? QuoteTable.noSeries}`, sk: quoteTime };
  },

  historyPartition(symbol: string, series: string | null): string {
    return QuoteTable.historyKey(symbol, series, '').pk;
  },

  /** Registry partition of a symbol (every series of it): FNV-1a of the symbol, modulo the shard count. */
  registryPartition(symbol: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < symbol.length; i++) hash = Math.imul(hash ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
    return `${QuoteTable.registryPrefix}${hash % QuoteTable.registryShards}`;
  },

  /** Every registry partition, for listings. */
  registryPartitions(): string[] {
    return Array.from({ length: QuoteTable.registryShards }, (_, shard) => `${QuoteTable.registryPrefix}${shard}`);
  },

  /** Registry key of an instrument; `sk` orders instruments by symbol, then series, as listings answer them. */
  instrumentKey(symbol: string, series: string | null) {
    return { pk: QuoteTable.registryPartition(symbol), sk: `${symbol}#${series ?? QuoteTable.noSeries}` };
  },

  /** The registry item of a quote's instrument; `registeredAt`: ISO-8601, when the first processor stored one of its quotes. */
  instrumentItem(quote: Pick<Quote, 'symbol' | 'series' | 'source'>, registeredAt: string): Record<string, unknown> {
    return { ...QuoteTable.instrumentKey(quote.symbol, quote.series), symbol: quote.symbol, series: quote.series, source: quote.source, registeredAt };
  },

  toInstrument(item: Record<string, unknown>): Instrument {
    return { symbol: String(item.symbol), series: (item.series as string | null | undefined) ?? null, source: item.source as Instrument['source'] };
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

  /** Strips the key attributes from a stored item; `origin`/`interval` only where stored (a backfilled bar). */
  toStoredQuote(this: void, item: Record<string, unknown>): StoredQuote {
    const { symbol, series, price, high, low, quoteTime, insertedAt, source, origin, interval } = item as unknown as StoredQuote;
    const labels = { ...(origin ? { origin } : {}), ...(interval ? { interval } : {}) };
    return { symbol, series: series ?? null, price, high: high ?? null, low: low ?? null, quoteTime, insertedAt, source, ...labels };
  },

  /** CreateTable input shared by local provisioning, tests and the CDK stack: keys only, no index. */
  definition(tableName: string) {
    return {
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST' as const,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' as const },
        { AttributeName: 'sk', AttributeType: 'S' as const },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' as const },
        { AttributeName: 'sk', KeyType: 'RANGE' as const },
      ],
    };
  },
} as const;

/**
 * What the previous layout (up to ADR 0006) added beside the history items: a latest item per
 * instrument (`L#<SYMBOL>` / `<series>`) indexed under the constant `gsi1pk = "LATEST"` of the GSI
 * `latest`. Only the migration (`npm run migrate`) and the fallback read of a symbol not yet in
 * the registry use it.
 */
export const PreviousLayout = {
  latestIndex: 'latest',
  latestIndexPartition: 'LATEST',
  latestPrefix: 'L#',

  latestKey(symbol: string, series: string | null) {
    return { pk: `${PreviousLayout.latestPrefix}${symbol}`, sk: series ?? QuoteTable.noSeries };
  },
} as const;
