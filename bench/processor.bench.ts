import { setTimeout as sleep } from 'node:timers/promises';
import { higherIsBetter, lowerIsBetter, round, type Figure } from './figure';
import { BenchEnv, rssKiB, watchRss } from './support/bench-env';
import { benchQuotes, countHistory, fillQueue, timeDrain } from './support/quotes';
import { Worker } from './support/worker';

export interface ProcessorBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  /** Quotes on the queue for every run but the naive one. */
  messages: number;
  /** The naive loop stores one message at a time: its rate is measured on fewer. */
  naiveMessages: number;
  /** Processor instances on one queue, for the scaling figures (the first is the throughput run). */
  instances: number[];
  /** Quotes on the queue for the scaling runs beyond the first (to keep `npm run bench` within 10 minutes). */
  scalingMessages: number;
}

export const PROCESSOR_BENCH: ProcessorBenchOptions = { messages: 20_000, naiveMessages: 1_000, instances: [1, 2, 4], scalingMessages: 5_000 };

interface Run {
  /** Messages stored per second. */
  rate: number;
  idleRssKiB: number;
  peakRssKiB: number;
}

/**
 * Processor throughput on a pre-filled queue, against the raw-SDK loop (receive 10, write, delete
 * the batch) and the naive per-message loop, all on the same emulators in their own processes,
 * writing the same items with the same conditional puts; then 2 and 4 processors on one queue.
 */
export async function processorBench(options: ProcessorBenchOptions = PROCESSOR_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const quotes = benchQuotes(options.messages);
    // a fill delay long enough for the queue to be full before any message is visible
    const delaySeconds = Math.max(1, Math.ceil(options.messages / 4_000));

    const consume = (mode: 'raw' | 'naive', count: number) =>
      run(env, 'consume', quotes, count, delaySeconds, async (res) => {
        const worker = Worker.start<{ rssKiB: number }, { stored: number; peakRssKiB: number }>('consume', {
          ...res.env,
          BENCH_MODE: mode,
          BENCH_COUNT: String(count),
        });
        const { rssKiB: idle } = await worker.ready;
        return { pids: [worker.pid], idleRssKiB: idle, stop: () => worker.stop() };
      });
    const processors = (instances: number, load: typeof quotes) =>
      run(env, 'processor', load, load.length, delaySeconds, async (res) => {
        const apps = await Promise.all(Array.from({ length: instances }, () => env.startApp('processor', res.env)));
        await sleep(500); // past start-up work
        return { pids: apps.map((a) => a.pid), idleRssKiB: rssKiB(apps[0].pid), stop: async () => void (await Promise.all(apps.map((a) => a.stop()))) };
      });

    const raw = await consume('raw', quotes.length);
    const naive = await consume('naive', options.naiveMessages);
    const scaling = new Map<number, Run>();
    for (const [i, n] of options.instances.entries()) scaling.set(n, await processors(n, i ? quotes.slice(0, options.scalingMessages) : quotes));
    const ours = scaling.get(options.instances[0])!;

    const perBatchMs = (r: Run) => round(10_000 / r.rate, 2);
    return [
      higherIsBetter('processor-throughput-vs-raw-sdk', round(ours.rate), 'msg/s', round(raw.rate)),
      higherIsBetter('processor-throughput-vs-naive', round(ours.rate), 'msg/s', round(naive.rate)),
      lowerIsBetter('processor-batch-cost', perBatchMs(ours), 'ms/batch of 10', perBatchMs(raw)),
      ...options.instances
        .slice(1)
        .map((n) => higherIsBetter(`processor-scaling-${n}-instances`, round(scaling.get(n)!.rate), 'msg/s', round(ours.rate))),
      lowerIsBetter('processor-rss-idle', round(ours.idleRssKiB / 1024), 'MiB', round(raw.idleRssKiB / 1024)),
      lowerIsBetter('processor-rss-under-load', round(ours.peakRssKiB / 1024), 'MiB', round(raw.peakRssKiB / 1024)),
    ];
  }, options.buildDir);
}

/**
 * One drain: fresh queue and table, consumers started (and idle) first, then the queue filled with
 * messages that turn visible together; timed until `count` are gone, checked in the table.
 */
async function run(
  env: BenchEnv,
  prefix: string,
  quotes: ReturnType<typeof benchQuotes>,
  count: number,
  delaySeconds: number,
  startConsumers: (res: Awaited<ReturnType<BenchEnv['resources']>>) => Promise<{ pids: number[]; idleRssKiB: number; stop(): Promise<void> }>,
): Promise<Run> {
  const res = await env.resources(prefix);
  try {
    const consumers = await startConsumers(res);
    const rss = consumers.pids.map(watchRss);
    try {
      await fillQueue(res.sqs, res.urls.queueUrl, quotes, delaySeconds);
      const ms = await timeDrain(res.sqs, res.urls.queueUrl, quotes.length, count);
      const stored = await countHistory(res.dynamo, res.urls.tableName);
      if (stored < count) throw new Error(`${prefix}: ${stored} of ${count} quotes stored`);
      return { rate: (count * 1000) / ms, idleRssKiB: consumers.idleRssKiB, peakRssKiB: rss[0].stop() };
    } finally {
      rss.forEach((r) => r.stop());
      await consumers.stop();
    }
  } finally {
    await res.release();
  }
}
