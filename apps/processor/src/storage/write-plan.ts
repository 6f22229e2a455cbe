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

/** BatchWriteItem takes at most 25 items. */
export const BATCH_WRITE_LIMIT = 25;

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

export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
