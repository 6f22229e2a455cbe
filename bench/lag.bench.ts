import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { QuoteTable } from '@app/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { repeated, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { benchQuotes, fillQueue } from './support/quotes';
import { benchUpstream, upstreamEnv } from './support/upstream';
import { Worker } from './support/worker';

export interface LagBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  /** Triggers per side and round (after one warm-up per side). */
  runs: number;
  /** Quotes per run (one SQS batch at 10). */
  symbols: number;
  /** Rounds, each measuring ours then the floor. */
  rounds: number;
}

export const LAG_BENCH: LagBenchOptions = { runs: 30, symbols: 10, rounds: 3 };
const POLL_MS = 5;

/** Measures `runs` lags and answers them, ms. */
type Side = { measure(runs: number): Promise<number[]>; stop(): Promise<void> };

/**
 * End-to-end lag, trigger → quote readable over HTTP (`GET /quotes/:symbol/history?limit=1`, which
 * reads the table; the latest route adds up to its 2 s cache): built ingestor and processor, a
 * local upstream. Baseline: the floor of the same path with the raw SDK — SendMessageBatch of the
 * same number of quotes, the raw consumer long-polling, a raw Query until the item is there.
 * Percentiles per round of `runs`; the figures are the medians of `rounds` rounds.
 */
export async function lagBench(options: LagBenchOptions = LAG_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const ours = await pipeline(env, options);
    const floor = await rawPath(env, options).catch(async (err: unknown) => {
      await ours.stop();
      throw err;
    });
    try {
      const rounds: { ours: number[]; floor: number[] }[] = [];
      for (let r = 0; r < options.rounds; r++) rounds.push({ ours: await ours.measure(options.runs), floor: await floor.measure(options.runs) });
      return [50, 99].map((p) =>
        repeated(`e2e-lag-p${p}`, 'ms', 'lower', rounds.map((r) => ({ value: percentile(r.ours, p), baseline: percentile(r.floor, p) }))),
      );
    } finally {
      await ours.stop();
      await floor.stop();
    }
  }, options.buildDir);
}

async function pipeline(env: BenchEnv, options: LagBenchOptions): Promise<Side> {
  const upstream = await benchUpstream(options.symbols);
  const res = await env.resources('lag', upstreamEnv(upstream));
  const processor = await env.startApp('processor', res.env);
  const ingestor = await env.startApp('ingestor', res.env);
  const api = `http://127.0.0.1:${ingestor.port}`;
  const newest = async () => {
    const answer = await fetch(`${api}/quotes/SYM0/history?limit=1`);
    return answer.ok ? ((await answer.json()) as { items: { quoteTime: string }[] }).items[0]?.quoteTime : undefined;
  };
  let last = await newest();
  const once = async (): Promise<number> => {
    const started = performance.now();
    const trigger = await fetch(`${api}/ingest/trigger`, { method: 'POST' });
    if (!trigger.ok) throw new Error(`trigger: HTTP ${trigger.status} ${await trigger.text()}`);
    let seen = await newest();
    while (seen === last) {
      await sleep(POLL_MS);
      seen = await newest();
    }
    last = seen;
    return performance.now() - started;
  };
  return measuredSide(once, async () => {
    await Promise.all([ingestor.stop(), processor.stop()]);
    await res.release();
    await upstream.stop();
  });
}

async function rawPath(env: BenchEnv, options: LagBenchOptions): Promise<Side> {
  const res = await env.resources('lag-raw');
  const total = (options.rounds * options.runs + 1) * options.symbols;
  const consumer = Worker.start('consume', { ...res.env, BENCH_MODE: 'raw', BENCH_COUNT: String(total), BENCH_WAIT_SECONDS: '20' });
  await consumer.ready;
  const quotes = benchQuotes(total, options.symbols);
  const pk = QuoteTable.historyPartition(quotes[0].symbol, quotes[0].series);
  const newest = async () => {
    const { Items = [] } = await res.dynamo.send(
      new QueryCommand({ TableName: res.urls.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false, Limit: 1 }),
    );
    return Items[0]?.quoteTime as string | undefined;
  };
  let next = 0;
  const once = async (): Promise<number> => {
    const run = quotes.slice(next * options.symbols, ++next * options.symbols);
    const started = performance.now();
    await fillQueue(res.sqs, res.urls.queueUrl, run);
    while ((await newest()) !== run[0].quoteTime) await sleep(POLL_MS);
    return performance.now() - started;
  };
  return measuredSide(once, async () => {
    await consumer.stop();
    await res.release();
  });
}

/** A side whose `once` measures one lag: one warm-up (connections, JIT), not counted, on both sides. */
async function measuredSide(once: () => Promise<number>, stop: () => Promise<void>): Promise<Side> {
  await once();
  return {
    async measure(runs) {
      const lags: number[] = [];
      for (let i = 0; i < runs; i++) lags.push(await once());
      return lags;
    },
    stop,
  };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
