import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { QuoteTable } from '@app/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { lowerIsBetter, round, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { benchQuotes, fillQueue } from './support/quotes';
import { benchUpstream, upstreamEnv } from './support/upstream';
import { Worker } from './support/worker';

export interface LagBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  runs: number;
  /** Quotes per run (one SQS batch at 10). */
  symbols: number;
}

export const LAG_BENCH: LagBenchOptions = { runs: 30, symbols: 10 };
const POLL_MS = 5;

/**
 * End-to-end lag, trigger → quote readable over HTTP (`GET /quotes/:symbol/history?limit=1`, which
 * reads the table; the latest route adds up to its 2 s cache): built ingestor and processor, a
 * local upstream. Baseline: the floor of the same path with the raw SDK — SendMessageBatch of the
 * same number of quotes, the raw consumer long-polling, a raw Query until the item is there.
 */
export async function lagBench(options: LagBenchOptions = LAG_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const ours = await pipelineLag(env, options);
    const floor = await rawLag(env, options);
    return [
      lowerIsBetter('e2e-lag-p50', round(percentile(ours, 50)), 'ms', round(percentile(floor, 50))),
      lowerIsBetter('e2e-lag-p99', round(percentile(ours, 99)), 'ms', round(percentile(floor, 99))),
    ];
  }, options.buildDir);
}

async function pipelineLag(env: BenchEnv, options: LagBenchOptions): Promise<number[]> {
  const upstream = await benchUpstream(options.symbols);
  const res = await env.resources('lag', upstreamEnv(upstream));
  const processor = await env.startApp('processor', res.env);
  const ingestor = await env.startApp('ingestor', res.env);
  try {
    const api = `http://127.0.0.1:${ingestor.port}`;
    const newest = async () => {
      const answer = await fetch(`${api}/quotes/SYM0/history?limit=1`);
      return answer.ok ? ((await answer.json()) as { items: { quoteTime: string }[] }).items[0]?.quoteTime : undefined;
    };
    const lags: number[] = [];
    let last = await newest();
    // run 0 warms up (connections, JIT) and is not counted, on both sides
    for (let i = 0; i <= options.runs; i++) {
      const started = performance.now();
      const trigger = await fetch(`${api}/ingest/trigger`, { method: 'POST' });
      if (!trigger.ok) throw new Error(`trigger: HTTP ${trigger.status} ${await trigger.text()}`);
      let seen = await newest();
      while (seen === last) {
        await sleep(POLL_MS);
        seen = await newest();
      }
      if (i) lags.push(performance.now() - started);
      last = seen;
    }
    return lags;
  } finally {
    await Promise.all([ingestor.stop(), processor.stop()]);
    await res.release();
    await upstream.stop();
  }
}

async function rawLag(env: BenchEnv, options: LagBenchOptions): Promise<number[]> {
  const res = await env.resources('lag-raw');
  const consumer = Worker.start('consume', { ...res.env, BENCH_MODE: 'raw', BENCH_COUNT: String((options.runs + 1) * options.symbols), BENCH_WAIT_SECONDS: '20' });
  await consumer.ready;
  try {
    const quotes = benchQuotes((options.runs + 1) * options.symbols, options.symbols);
    const pk = QuoteTable.historyPartition(quotes[0].symbol, quotes[0].series);
    const newest = async () => {
      const { Items = [] } = await res.dynamo.send(
        new QueryCommand({ TableName: res.urls.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false, Limit: 1 }),
      );
      return Items[0]?.quoteTime as string | undefined;
    };
    const lags: number[] = [];
    for (let i = 0; i <= options.runs; i++) {
      const run = quotes.slice(i * options.symbols, (i + 1) * options.symbols);
      const started = performance.now();
      await fillQueue(res.sqs, res.urls.queueUrl, run);
      while ((await newest()) !== run[0].quoteTime) await sleep(POLL_MS);
      if (i) lags.push(performance.now() - started);
    }
    return lags;
  } finally {
    await consumer.stop();
    await res.release();
  }
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
