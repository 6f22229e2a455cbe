import type { StoredQuote } from '@app/common';
import { Presets, SingleBar } from 'cli-progress';

/** What the export reports as it goes: after each page, and once at the end. */
export interface ExportProgress {
  page(symbolIndex: number, symbol: string, items: StoredQuote[]): void;
  stop(): void;
  readonly rows: number;
}

/**
 * A bar on stderr. The total row count is unknown until the end (counting first would read the
 * range twice), so the bar shows how far the export has come through from..to: the pages come
 * newest first, so a page's oldest quote time says how much of the symbol's range is done.
 */
export function progressBar(symbols: string[], fromInstant: string, toInstant: string): ExportProgress {
  const [from, to] = [Date.parse(fromInstant), Date.parse(toInstant)];
  const perSymbol = 1000;
  const bar = new SingleBar(
    { stream: process.stderr, format: 'export |{bar}| {percentage}% | {rows} rows | {symbol}', hideCursor: true },
    Presets.shades_classic,
  );
  let rows = 0;
  bar.start(symbols.length * perSymbol, 0, { rows, symbol: symbols[0] });
  return {
    page(index, symbol, items) {
      rows += items.length;
      const oldest = Date.parse(items[items.length - 1].quoteTime);
      const done = to > from ? Math.min(1, Math.max(0, (to - oldest) / (to - from))) : 1;
      bar.update(index * perSymbol + Math.round(done * perSymbol), { rows, symbol });
    },
    stop() {
      bar.update(symbols.length * perSymbol, { rows, symbol: symbols.join(',') });
      bar.stop();
    },
    get rows() {
      return rows;
    },
  };
}

/** Counts rows only (stderr is not a terminal, or the rows themselves go to it). */
export function silentProgress(): ExportProgress {
  let rows = 0;
  return {
    page(_index, _symbol, items) {
      rows += items.length;
    },
    stop() {},
    get rows() {
      return rows;
    },
  };
}
