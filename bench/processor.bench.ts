import { parseConfig } from '@app/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { repeated, type Figure, type Sample } from './figure';
import { BenchEnv, rssKiB, watchRss, type BenchResources } from './support/bench-env';
import { benchQuotes, countHistory, fillQueue, timeDrain } from './support/quotes';
import { Worker } from './support/worker';

export interface ProcessorBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  /** Quotes on the queue for every run but the naive and the scaling ones. */
  messages: number;
  /** The naive loop stores one message at a time: its rate is measured on fewer. */
  naiveMessages: number;
  /** Processor instances on one queue, for the scaling figures (the first is the throughput run). */
  instances: number[];
  /** Quotes on the queue for the scaling runs beyond the first (to keep `npm run bench` short). */
  scalingMessages: number;
  /** Each figure is the median of this many rounds, each round measuring every side once. */
  rounds: number;
}

export const PROCESSOR_BENCH: ProcessorBenchOptions = { messages: 6_000, naiveMessages: 1_000, instances: [1, 2, 4], scalingMessages: 3_000, rounds: 3 };

interface Run {
  /** Messages stored per second. */
  rate: number;
  idleRssKiB: number;
  peakRssKiB: number;
}

interface Round {
  ours: Run;
  raw: Run;
  rawOneLoop: Run;
  naive: Run;
  floor: Run;
  scaling: Map<number, Run>;
}

/**
 * Processor throughput on a pre-filled queue, against baselines that write the old way (two
 * conditional PutItems per quote, `workers/old-design.ts`) with the raw SDK: the raw loop
 * (receive 10, write, delete the batch) with as many loops as the processor has pollers
 * (`PROCESSOR_POLLERS`), the same with one loop, and the naive per-message loop; then 2 and 4
 * processors on one queue. All on the same emulators in their own processes, in `rounds` rounds.
 */
export async function processorBench(options: ProcessorBenchOptions = PROCESSOR_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const pollers = parseConfig(env.env('pollers')).queue.pollers;
    process.stderr.write(`processor: ${pollers} pollers per instance (PROCESSOR_POLLERS), so the raw loop gets ${pollers} loops\n`);
    const quotes = benchQuotes(options.messages);
    // a fill delay long enough for the queue to be full before any message is visible
    const delaySeconds = Math.max(1, Math.ceil(options.messages / 4_000));

    const consume = (mode: 'raw' | 'naive' | 'floor', count: number, loops = 1) =>
      run(env, 'consume', quotes, count, delaySeconds, async (res) => {
        const worker = Worker.start<{ rssKiB: number }, { stored: number; peakRssKiB: number }>('consume', {
          ...res.env,
          BENCH_MODE: mode,
          BENCH_COUNT: String(count),
          BENCH_LOOPS: String(loops),
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

    const rounds: Round[] = [];
    for (let r = 0; r < options.rounds; r++) {
      process.stderr.write(`processor: round ${r + 1} of ${options.rounds}\n`);
      const scaling = new Map<number, Run>();
      for (const [i, n] of options.instances.entries()) scaling.set(n, await processors(n, i ? quotes.slice(0, options.scalingMessages) : quotes));
      const raw = await consume('raw', quotes.length, pollers);
      const rawOneLoop = await consume('raw', quotes.length, 1);
      const naive = await consume('naive', options.naiveMessages);
      const floor = await consume('floor', quotes.length, pollers);
      rounds.push({ ours: scaling.get(options.instances[0])!, raw, rawOneLoop, naive, floor, scaling });
    }

    const rate = (r: Run) => r.rate;
    const perBatchMs = (r: Run) => 10_000 / r.rate;
    const mib = (kib: number) => kib / 1024;
    const samples = (ours: (r: Round) => number, baseline: (r: Round) => number): Sample[] => rounds.map((r) => ({ value: ours(r), baseline: baseline(r) }));
    return [
      repeated('processor-throughput-vs-raw-sdk', 'msg/s', 'higher', samples((r) => rate(r.ours), (r) => rate(r.raw))),
      repeated('processor-throughput-vs-raw-sdk-1-loop', 'msg/s', 'higher', samples((r) => rate(r.ours), (r) => rate(r.rawOneLoop))),
      repeated('processor-throughput-vs-naive', 'msg/s', 'higher', samples((r) => rate(r.ours), (r) => rate(r.naive))),
      repeated('processor-throughput-vs-floor', 'msg/s', 'higher', samples((r) => rate(r.ours), (r) => rate(r.floor))),
      repeated('processor-batch-cost', 'ms/batch of 10', 'lower', samples((r) => perBatchMs(r.ours), (r) => perBatchMs(r.raw)), 2),
      ...options.instances
        .slice(1)
        .map((n) => repeated(`processor-scaling-${n}-instances`, 'msg/s', 'higher', samples((r) => rate(r.scaling.get(n)!), (r) => rate(r.ours)))),
      repeated('processor-rss-idle', 'MiB', 'lower', samples((r) => mib(r.ours.idleRssKiB), (r) => mib(r.raw.idleRssKiB))),
      repeated('processor-rss-under-load', 'MiB', 'lower', samples((r) => mib(r.ours.peakRssKiB), (r) => mib(r.raw.peakRssKiB))),
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
  startConsumers: (res: BenchResources) => Promise<{ pids: number[]; idleRssKiB: number; stop(): Promise<void> }>,
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
