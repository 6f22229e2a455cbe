import { RUN_RECORD_MAX_BYTES, RunLogTable, type Quote, type RunRecord } from '@app/common';

/** What one ingest run saw of each instrument, gathered while it runs, for its {@link RunRecord}. */
export class RunObservation {
  readonly unchanged = new Set<string>();
  readonly lagging = new Map<string, string>();

  /** `slot`: the run's schedule slot, epoch milliseconds. */
  constructor(readonly slot: number) {}

  /** The quote time of this instrument has not changed since it was last published. */
  sawUnchanged(quote: Quote): void {
    this.unchanged.add(RunLogTable.instrumentKey(quote.symbol, quote.series));
  }

  /** The quote was handed to the queue; a quote time before the slot is remembered with it. */
  published(quote: Quote): void {
    if (Date.parse(quote.quoteTime) < this.slot) this.lagging.set(RunLogTable.instrumentKey(quote.symbol, quote.series), quote.quoteTime);
  }

  /** The run's record; a feed too large for one item loses its lagging quotes first (those minutes may then show as gaps). */
  record(run: { runId: string; trigger: string; startedAt: string; answered: string[]; failed: string[] }): RunRecord {
    const record: RunRecord = { slot: new Date(this.slot).toISOString(), ...run, unchanged: [...this.unchanged].sort(), lagging: Object.fromEntries(this.lagging) };
    if (sizeOf(record) <= RUN_RECORD_MAX_BYTES) return record;
    const withoutLagging: RunRecord = { ...record, lagging: {}, truncated: 'lagging' };
    if (sizeOf(withoutLagging) <= RUN_RECORD_MAX_BYTES) return withoutLagging;
    const keep = Math.floor(record.unchanged.length * (RUN_RECORD_MAX_BYTES / sizeOf(withoutLagging)) * 0.9);
    return { ...withoutLagging, unchanged: record.unchanged.slice(0, keep), truncated: 'lagging and unchanged' };
  }
}

function sizeOf(record: RunRecord): number {
  return Buffer.byteLength(JSON.stringify(record));
}
