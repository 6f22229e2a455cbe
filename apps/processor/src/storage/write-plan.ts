import { QuoteTable, type Quote } from '@app/common';

/** One `store()` call: the quote and the time it is stored. */
export interface QuoteToStore {
  quote: Quote;
  insertedAt: string;
}

/** A history item to write, and which of the batch's entries (by index) it stands for. */
export interface HistoryWrite {
  key: string;
  item: Record<string, unknown>;
  entries: number[];
}

/** The one latest-item write of an instrument: its newest entry, and every entry of the instrument that waits on it. */
export interface LatestWrite {
  newest: number;
  entries: number[];
}

/** BatchWriteItem takes at most 25 items; BatchGetItem at most 100 keys. */
export const BATCH_WRITE_LIMIT = 25;
export const BATCH_GET_LIMIT = 100;

/** `pk` and `sk` of an item as one string, to find an item of an answer (UnprocessedItems) among the items sent. */
export function itemKey(item: Record<string, unknown>): string {
  return `${String(item.pk)}\u0000${String(item.sk)}`;
}

/**
 * One history item per (symbol, series, quoteTime), the first entry's: BatchWriteItem refuses two
 * writes to one key in a call, and the later entries of that key are exact repeats.
 */
export function planHistory(entries: QuoteToStore[], retentionDays: number | null): HistoryWrite[] {
  const byKey = new Map<string, HistoryWrite>();
  entries.forEach(({ quote, insertedAt }, index) => {
    const item = QuoteTable.historyItem(quote, insertedAt, retentionDays);
    const key = itemKey(item);
    const write = byKey.get(key);
    if (write) write.entries.push(index);
    else byKey.set(key, { key, item, entries: [index] });
  });
  return [...byKey.values()];
}

/**
 * One latest write per instrument (symbol, series), of its newest quote among `indexes`: an older
 * quote of the same batch could only lose to it, and one call per instrument is all the
 * condition needs.
 */
export function planLatest(entries: QuoteToStore[], indexes: number[]): LatestWrite[] {
  const byInstrument = new Map<string, LatestWrite>();
  for (const index of indexes) {
    const { symbol, series, quoteTime } = entries[index].quote;
    const instrument = itemKey(QuoteTable.latestKey(symbol, series));
    const write = byInstrument.get(instrument);
    if (!write) byInstrument.set(instrument, { newest: index, entries: [index] });
    else {
      write.entries.push(index);
      if (entries[write.newest].quote.quoteTime < quoteTime) write.newest = index;
    }
  }
  return [...byInstrument.values()];
}

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
