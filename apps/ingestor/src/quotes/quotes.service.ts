import { QuoteTable, type StoredQuote } from '@app/common';
import { Injectable } from '@nestjs/common';
import { QuoteReader, type HistoryRange, type Page } from './quote-reader';

/** Series an unqualified symbol means when several are stored: the regular market, else none. */
const PREFERRED_SERIES = ['EQ', QuoteTable.noSeries];

/** Read side of the API: picks the series a caller means and turns range bounds into stored instants. */
@Injectable()
export class QuotesService {
  constructor(private readonly reader: QuoteReader) {}

  /** Latest quote of the symbol, in `series` if given, else its preferred or most recent series. */
  async latest(symbol: string, series?: string): Promise<StoredQuote | null> {
    const all = await this.reader.latestBySeries(symbol);
    if (series !== undefined) return all.find((q) => q.series === series) ?? null;
    return (
      all.find((q) => PREFERRED_SERIES.includes(q.series ?? QuoteTable.noSeries)) ??
      all.sort((a, b) => b.quoteTime.localeCompare(a.quoteTime))[0] ??
      null
    );
  }

  /** `null` when nothing is stored for the symbol. */
  async history(
    symbol: string,
    query: { series?: string; from?: string; to?: string } & Pick<HistoryRange, 'limit' | 'cursor'>,
  ): Promise<Page<StoredQuote> | null> {
    const latest = await this.latest(symbol, query.series);
    if (!latest) return null;
    return this.reader.history(symbol, latest.series, {
      limit: query.limit,
      cursor: query.cursor,
      from: query.from ? toInstant(query.from, 'start') : undefined,
      to: query.to ? toInstant(query.to, 'end') : undefined,
    });
  }

  listLatest(range: Pick<HistoryRange, 'limit' | 'cursor'>): Promise<Page<StoredQuote>> {
    return this.reader.listLatest(range);
  }
}

/** `2024-09-16` means the whole UTC day: its start for `from`, its last millisecond for `to`. */
export function toInstant(value: string, edge: 'start' | 'end'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z`;
  return new Date(value).toISOString();
}
