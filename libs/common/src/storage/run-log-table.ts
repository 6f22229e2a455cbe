import { QuoteTable } from './quote-table';

/**
 * What one ingest run saw, kept so that completeness can tell a halted instrument from a gap.
 * Stored as one item of the quotes table per run that called at least one provider.
 */
export interface RunRecord {
  /** The schedule slot of the run (ISO-8601 UTC): its cron tick, or the minute a manual run started. */
  slot: string;
  runId: string;
  trigger: string;
  startedAt: string;
  /** Providers that answered (with quotes or without), and those whose call failed. */
  answered: string[];
  failed: string[];
  /** Instruments ({@link RunLogTable.instrumentKey}) whose quote time had not changed since last published. */
  unchanged: string[];
  /**
   * Instruments published with a quote time before the slot (the upstream stamps its own, lagging
   * time), with that time: the quote counts for the run's slot once it is stored.
   */
  lagging: Record<string, string>;
  /** Set when the record had to be cut to stay within DynamoDB's item size: what was left out. */
  truncated?: 'lagging' | 'lagging and unchanged';
  /**
   * The run's summary as `/status` shows it (the ingestor's `RunSummary`), so that every process
   * reads the same recent runs. Written on every run, also one that called no provider.
   */
  summary?: Record<string, unknown>;
}

/** A run record is kept below this size (DynamoDB's item limit is 400 KB): about 6,000 lagging instruments. */
export const RUN_RECORD_MAX_BYTES = 300_000;

/**
 * Layout of the run-record items in the quotes table (beside the items of `QuoteTable`):
 *
 * | item | pk                | sk                   | notes                              |
 * |------|-------------------|----------------------|------------------------------------|
 * | run  | `RUNS#<UTC date>` | `<slot ISO>#<runId>` | one per run that called a provider |
 *
 * The partition is the UTC date of the slot, so one day's runs are one query (`sk BETWEEN`);
 * the run id in the sort key keeps a manual run and the cron run of the same slot apart.
 * Attributes: those of {@link RunRecord}, at most {@link RUN_RECORD_MAX_BYTES}, and the table's TTL
 * attribute `retainUntil` (`StateTable.runExpiry`: as long as the history, else 35 days).
 * `/status` reads the newest runs of today's partition (and yesterday's when today has fewer).
 */
export const RunLogTable = {
  partitionPrefix: 'RUNS#',

  /** The partition holding the runs whose slot falls on a UTC date (YYYY-MM-DD). */
  partition(utcDate: string): string {
    return `${RunLogTable.partitionPrefix}${utcDate}`;
  },

  key(slot: string, runId: string) {
    return { pk: RunLogTable.partition(slot.slice(0, 10)), sk: `${slot}#${runId}` };
  },

  /** How a run record names an instrument: `RELIANCE#EQ`, `NIFTY 50#-` (symbols and series hold no `#`). */
  instrumentKey(symbol: string, series: string | null): string {
    return `${symbol}#${series ?? QuoteTable.noSeries}`;
  },

  /** `retainUntil`: epoch seconds, the table's TTL attribute. */
  item(record: RunRecord, retainUntil?: number): Record<string, unknown> {
    return { ...RunLogTable.key(record.slot, record.runId), ...record, ...(retainUntil === undefined ? {} : { [QuoteTable.ttlAttribute]: retainUntil }) };
  },

  /** Strips the key attributes from a stored run item. */
  toRunRecord(this: void, item: Record<string, unknown>): RunRecord {
    const r = item as Partial<RunRecord>;
    return {
      slot: r.slot ?? '',
      runId: r.runId ?? '',
      trigger: r.trigger ?? '',
      startedAt: r.startedAt ?? '',
      answered: r.answered ?? [],
      failed: r.failed ?? [],
      unchanged: r.unchanged ?? [],
      lagging: r.lagging ?? {},
      ...(r.truncated ? { truncated: r.truncated } : {}),
      ...(r.summary ? { summary: r.summary } : {}),
    };
  },
} as const;
