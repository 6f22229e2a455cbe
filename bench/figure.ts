/** One line of `npm run bench` output (CONTRACT.md, "Benchmarks"). */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  /** The same measure of the thing we compare against, taken in the same run; `null` when there is none. */
  baseline: number | null;
  /** ours ÷ baseline, higher is better (for times: baseline ÷ ours); `null` without a baseline. */
  ratio: number | null;
}

/** A figure for which a larger value is better (rates). */
export function higherIsBetter(bench: string, value: number, unit: string, baseline: number | null = null): Figure {
  return { bench, value, unit, baseline, ratio: baseline === null || baseline === 0 ? null : round(value / baseline, 3) };
}

/** A figure for which a smaller value is better (times, sizes). */
export function lowerIsBetter(bench: string, value: number, unit: string, baseline: number | null = null): Figure {
  return { bench, value, unit, baseline, ratio: baseline === null || value === 0 ? null : round(baseline / value, 3) };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
