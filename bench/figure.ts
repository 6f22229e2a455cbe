/** One line of `npm run bench` output (CONTRACT.md, "Benchmarks"). */
export interface Figure {
  bench: string;
  value: number;
  unit: string;
  /** The same measure of the thing we compare against, taken in the same run; `null` when there is none. */
  baseline: number | null;
  /** ours ÷ baseline, higher is better (for times: baseline ÷ ours); `null` without a baseline. */
  ratio: number | null;
  /** For a figure taken in several rounds: how far the rounds were apart (results.json and the table, not the JSON line). */
  spread?: Spread;
  /** How the figure was made up (e.g. calls by operation), for results.json only. */
  detail?: Record<string, unknown>;
}

/** Smallest and largest of each part of a repeated figure. */
export interface Spread {
  rounds: number;
  value: [number, number];
  baseline: [number, number] | null;
  ratio: [number, number] | null;
}

/** One round's measure of ours and of the baseline. */
export interface Sample {
  value: number;
  baseline: number | null;
}

/** A figure for which a larger value is better (rates). */
export function higherIsBetter(bench: string, value: number, unit: string, baseline: number | null = null): Figure {
  return { bench, value, unit, baseline, ratio: ratioOf('higher', value, baseline) };
}

/** A figure for which a smaller value is better (times, sizes, calls, cost). */
export function lowerIsBetter(bench: string, value: number, unit: string, baseline: number | null = null): Figure {
  return { bench, value, unit, baseline, ratio: ratioOf('lower', value, baseline) };
}

/**
 * A figure measured in several rounds (ours and the baseline once each per round, close in time):
 * value and baseline are the medians of the rounds, the ratio the median of the rounds' own ratios
 * (so that a slow minute of the machine, which slows both sides of one round, does not decide it;
 * it can differ a little from value ÷ baseline), with the spread of all three.
 */
export function repeated(bench: string, unit: string, better: 'higher' | 'lower', samples: Sample[], digits = 1): Figure {
  if (!samples.length) throw new Error(`${bench}: no rounds`);
  const values = samples.map((s) => s.value);
  const baselines = samples.flatMap((s) => (s.baseline === null ? [] : [s.baseline]));
  const ratios = samples.flatMap((s) => {
    const r = ratioOf(better, s.value, s.baseline);
    return r === null ? [] : [r];
  });
  const figure: Figure = {
    bench,
    value: round(median(values), digits),
    unit,
    baseline: baselines.length ? round(median(baselines), digits) : null,
    ratio: ratios.length ? round(median(ratios), 3) : null,
  };
  if (samples.length > 1) {
    figure.spread = {
      rounds: samples.length,
      value: range(values, digits),
      baseline: baselines.length ? range(baselines, digits) : null,
      ratio: ratios.length ? range(ratios, 3) : null,
    };
  }
  return figure;
}

/** The figure as CONTRACT.md prints it: exactly these five fields. */
export function contractLine({ bench, value, unit, baseline, ratio }: Figure): string {
  return JSON.stringify({ bench, value, unit, baseline, ratio });
}

function ratioOf(better: 'higher' | 'lower', value: number, baseline: number | null): number | null {
  if (baseline === null) return null;
  if (better === 'higher') return baseline === 0 ? null : round(value / baseline, 3);
  return value === 0 ? null : round(baseline / value, 3);
}

function range(values: number[], digits: number): [number, number] {
  return [round(Math.min(...values), digits), round(Math.max(...values), digits)];
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
