import type { ProviderName, Quote } from '@app/common';
import { divergenceBps, lagSeconds, median } from './quality-math';

/** The last valid quotes of one instrument, one per source. */
export interface Instrument {
  symbol: string;
  series: string | null;
  quotes: Quote[];
}

/**
 * Which of the last quotes of one symbol (any source, any series) quote the same instrument: the
 * symbol must match and the series too where both quotes have one. A quote without a series
 * (yahoo-finance, alpha-vantage) joins the one instrument of the symbol that has a series, but
 * where two series exist (NSE `EQ` and `BE`) it could be either, so it is compared with neither.
 * Per source the latest quote counts.
 */
export function sameInstrument(quotes: Quote[]): Instrument[] {
  const symbol = quotes[0]?.symbol;
  const series = [...new Set(quotes.flatMap((q) => (q.series === null ? [] : [q.series])))];
  const groups = series.length <= 1 ? [{ series: series[0] ?? null, members: quotes }] : series.map((s) => ({ series: s, members: quotes.filter((q) => q.series === s) }));
  return groups.map(({ series: s, members }) => {
    const latest = new Map<ProviderName, Quote>();
    for (const q of members) {
      const seen = latest.get(q.source);
      if (!seen || seen.quoteTime < q.quoteTime) latest.set(q.source, q);
    }
    return { symbol, series: s, quotes: [...latest.values()] };
  });
}

/** One source of an instrument against the others. */
export interface SourceComparison {
  source: ProviderName;
  price: number;
  quoteTime: string;
  /** From the reference price (see {@link compareSources}), in basis points of the mid. */
  divergenceBps: number;
}

export interface Comparison {
  sources: SourceComparison[];
  /** The largest source divergence: with two sources, simply theirs. */
  divergenceBps: number;
  /** Between the earliest and the latest quote time of the sources. */
  lagSeconds: number;
  /** The sources further than the threshold from the others: with two, both (which one is wrong cannot be told). */
  outliers: ProviderName[];
}

/**
 * Each source of an instrument against a reference price: with two sources the other one (the
 * pair's distance), with three or more the median of all of them, which one wrong source cannot
 * move, so that it alone stands out (against the median of the *others*, two of three, the wrong
 * one would pull the reference of the good ones halfway to itself). `null` with fewer than two sources.
 */
export function compareSources(quotes: Quote[], thresholdBps: number): Comparison | null {
  if (quotes.length < 2) return null;
  const all = median(quotes.map((q) => q.price));
  const reference = (q: Quote) => (quotes.length === 2 ? quotes.find((o) => o !== q)!.price : all);
  const sources = quotes.map((q) => ({
    source: q.source,
    price: q.price,
    quoteTime: q.quoteTime,
    divergenceBps: divergenceBps(q.price, reference(q)),
  }));
  return {
    sources,
    divergenceBps: Math.max(...sources.map((s) => s.divergenceBps)),
    lagSeconds: lagSeconds(quotes.map((q) => q.quoteTime)),
    outliers: sources.filter((s) => s.divergenceBps > thresholdBps).map((s) => s.source),
  };
}
