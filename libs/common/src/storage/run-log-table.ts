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
}

/**
 * Layout of the run-record items in the quotes table (beside the items of `QuoteTable`):
 *
 * | item | pk                    | sk                  | notes                              |
 * |------|-----------------------|---------------------|------------------------------------|
 * | run  | `RUNS#<UTC date>`     | `<slot ISO>#<runId>` | one per run that called a provider |
 *
 * The partition is the UTC date of the slot, so one day's runs are one query (`sk BETWEEN`);
 * the run id in the sort key keeps a manual run and the cron run of the same slot apart.
 * Attributes: those of {@link RunRecord}. Items are not expired (a few hundred bytes, one a minute).
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

  item(record: RunRecord): Record<string, unknown> {
    return { ...RunLogTable.key(record.slot, record.runId), ...record };
  },

  /** Strips the key attributes from a stored run item. */
  toRunRecord(item: Record<string, unknown>): RunRecord {
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
    };
  },
} as const;
