import { parseConfig, SOURCE_TIME_ZONES } from '@app/common';
import { isDeepStrictEqual } from 'node:util';
import { buildCandles } from '../apps/ingestor/src/quotes/candles';
import { DailyCandles } from '../apps/ingestor/src/quotes/daily-candles';
import { QuoteReader } from '../apps/ingestor/src/quotes/quote-reader';
import { lowerIsBetter, round, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { batchSeed, yearOfMinutes } from './support/year-of-minutes';

/** About a year of NSE minute quotes, as the export bench seeds them. */
export const CANDLES_BENCH = { rows: 94_000, rounds: 3 };

/**
 * `candles?interval=1d` over a year of minute quotes: the design before (one read of every stored
 * quote of the range, then the candles) against the day-by-day read with the closed-day cache,
 * cold (a fresh cache: every day read) and warm (the same request again: only the days that may
 * still change are read). Same reader, same emulator, same seeded data; the answers must be equal.
 * Each side's best of `rounds`.
 */
export async function candlesBench(options = CANDLES_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const res = await env.resources('candles');
    try {
      const quotes = yearOfMinutes(options.rows, 'BENCHCDL');
      await batchSeed(res.dynamo, res.config.table.name, quotes);
      const reader = new QuoteReader(res.dynamo, res.config);
      const zone = SOURCE_TIME_ZONES['latest-stock-price'];
      const [from, to] = [quotes[0].quoteTime, quotes[quotes.length - 1].quoteTime];
      // "now" an hour after the last quote: its last days are not settled yet and are read every time
      const now = new Date(Date.parse(to) + 3_600_000);
      const config = parseConfig({});
      const everyRow = async () => buildCandles(await reader.historyBetween('BENCHCDL', 'EQ', from, to, Infinity), '1d', zone);
      const timed = async <T>(work: () => Promise<T>) => {
        const started = performance.now();
        const value = await work();
        return { ms: performance.now() - started, value };
      };
      const baseline: number[] = [];
      const cold: number[] = [];
      const warm: number[] = [];
      for (let r = 0; r < options.rounds; r++) {
        const before = await timed(everyRow);
        const daily = new DailyCandles(reader, config, undefined, () => now);
        const first = await timed(() => daily.between('BENCHCDL', 'EQ', zone, from, to));
        const again = await timed(() => daily.between('BENCHCDL', 'EQ', zone, from, to));
        if (!isDeepStrictEqual(first.value, before.value) || !isDeepStrictEqual(again.value, before.value)) throw new Error('the day-by-day candles differ from one read of every row');
        baseline.push(before.ms);
        cold.push(first.ms);
        warm.push(again.ms);
      }
      const best = (ms: number[]) => round(Math.min(...ms));
      return [lowerIsBetter('candles-1d-year-cold-ms', best(cold), 'ms', best(baseline)), lowerIsBetter('candles-1d-year-warm-ms', best(warm), 'ms', best(baseline))];
    } finally {
      await res.release();
    }
  });
}
