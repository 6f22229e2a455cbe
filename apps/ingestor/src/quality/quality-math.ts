// The figures the cross-provider check reports. Prices come in as the upstreams wrote them; these
// results are only ever reported, never stored, so float arithmetic on them is fine here.

/** How far apart two prices are, in basis points of their mid: |a − b| / ((a + b) / 2) × 10,000 (at most 20,000). */
export function divergenceBps(a: number, b: number): number {
  return (Math.abs(a - b) / ((a + b) / 2)) * 10_000;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (!values.length) throw new RangeError('median of no values');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A move from `previous` to `price` in day ranges (high − low); `null` when the range is unknown or
 * zero, as a range of nothing (a day's first trade) would make any move infinitely large.
 */
export function moveInDayRanges(previous: number, price: number, high: number | null, low: number | null): number | null {
  if (high === null || low === null || high - low <= 0) return null;
  return Math.abs(price - previous) / (high - low);
}

/** Seconds between the earliest and the latest of some ISO-8601 instants. */
export function lagSeconds(quoteTimes: string[]): number {
  const times = quoteTimes.map((t) => Date.parse(t));
  return (Math.max(...times) - Math.min(...times)) / 1000;
}

/** A figure as `/status` and the alert show it: one decimal place (487.8048… → 487.8). */
export function oneDecimal(n: number): number {
  return Math.round(n * 10) / 10;
}
