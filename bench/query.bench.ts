import autocannon from 'autocannon';
import { LATEST_CACHE_MS } from '../apps/ingestor/src/quotes/quotes.service';
import { quoteFactory } from '../test/support/factories';
import { seedQuotes } from '../test/support/seed';
import { repeated, type Figure } from './figure';
import { BenchEnv, rssKiB, watchRss } from './support/bench-env';
import { Worker } from './support/worker';

export interface QueryBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  connections: number;
  /** Length of one load, per side and round. */
  seconds: number;
  /** Instead of `seconds`: this many requests per load (the harness's own test, which must not depend on time). */
  requests?: number;
  /** Rounds, each loading ours, the cached baseline and the uncached one once. */
  rounds: number;
  /** Requests per second (over all connections) of the p99 loads: a rate both servers carry, so p99 compares latency, not queueing. */
  fixedRate: number;
}

export const QUERY_BENCH: QueryBenchOptions = { connections: 100, seconds: 5, rounds: 3, fixedRate: 1_000 };

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  peakRssKiB: number;
}

interface Target {
  pid: number;
  url: string;
  idleRssKiB: number;
  stop(): Promise<void>;
}

/**
 * `GET /quotes/:symbol` on the built ingestor under autocannon, against a minimal node:http server
 * (`workers/query-server.ts`) that reads the same items with the raw SDK, keeps them as long as the
 * ingestor's latest-quote cache does (`LATEST_CACHE_MS`, same single-flight lru-cache) and sends the
 * same headers and body; and, for scale, against the same server without a cache. Throughput at
 * full load; p99 at `fixedRate` (a rate both carry) and, for reference, saturated. Also the
 * ingestor's memory. Loads interleave, `rounds` rounds.
 */
export async function queryBench(options: QueryBenchOptions = QUERY_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const res = await env.resources('query');
    const targets: Target[] = [];
    try {
      const quote = quoteFactory();
      await seedQuotes(res.dynamo, res.config, [quote]);
      const path = `/quotes/${quote.symbol}`;

      const ingestor = await env.startApp('ingestor', res.env);
      targets.push({ pid: ingestor.pid, url: `http://127.0.0.1:${ingestor.port}${path}`, idleRssKiB: rssKiB(ingestor.pid), stop: async () => void (await ingestor.stop()) });
      for (const cacheMs of [LATEST_CACHE_MS, 0]) {
        const server = Worker.start<{ port: number }, never>('query-server', { ...res.env, BENCH_CACHE_MS: String(cacheMs) });
        const { port } = await server.ready;
        targets.push({ pid: server.pid, url: `http://127.0.0.1:${port}${path}`, idleRssKiB: rssKiB(server.pid), stop: () => server.stop() });
      }
      const [ours, cached, uncached] = targets;

      const rounds: { ours: Load; cached: Load; uncached: Load; oursAtRate: Load; cachedAtRate: Load }[] = [];
      for (let r = 0; r < options.rounds; r++) {
        rounds.push({
          ours: await load(ours, options),
          cached: await load(cached, options),
          uncached: await load(uncached, options),
          oursAtRate: await load(ours, options, options.fixedRate),
          cachedAtRate: await load(cached, options, options.fixedRate),
        });
      }

      const mib = (kib: number) => kib / 1024;
      return [
        repeated('query-throughput', 'req/s', 'higher', rounds.map((r) => ({ value: r.ours.requestsPerSecond, baseline: r.cached.requestsPerSecond }))),
        repeated('query-latency-p99', 'ms', 'lower', rounds.map((r) => ({ value: r.oursAtRate.p99Ms, baseline: r.cachedAtRate.p99Ms }))),
        repeated('query-latency-p99-saturated', 'ms', 'lower', rounds.map((r) => ({ value: r.ours.p99Ms, baseline: r.cached.p99Ms }))),
        repeated('query-throughput-vs-uncached', 'req/s', 'higher', rounds.map((r) => ({ value: r.ours.requestsPerSecond, baseline: r.uncached.requestsPerSecond }))),
        repeated('ingestor-rss-idle', 'MiB', 'lower', [{ value: mib(ours.idleRssKiB), baseline: mib(cached.idleRssKiB) }]),
        repeated('ingestor-rss-under-load', 'MiB', 'lower', rounds.map((r) => ({ value: mib(r.ours.peakRssKiB), baseline: mib(r.cached.peakRssKiB) }))),
      ];
    } finally {
      for (const target of targets) await target.stop();
      await res.release();
    }
  }, options.buildDir);
}

async function load(target: Target, options: QueryBenchOptions, overallRate?: number): Promise<Load> {
  const rss = watchRss(target.pid);
  const length = options.requests ? { amount: options.requests } : { duration: options.seconds };
  const result = await autocannon({ url: target.url, connections: options.connections, ...length, ...(overallRate ? { overallRate } : {}) });
  const peakRssKiB = rss.stop();
  if (result.non2xx || !result.requests.total) throw new Error(`${target.url}: ${result.non2xx} non-2xx answers of ${result.requests.total}`);
  // timeouts (autocannon's 10 s) of a server that cannot keep up count against it in requests/s; say how many
  if (result.errors) process.stderr.write(`${target.url}: ${result.errors} requests failed (${result.timeouts} timeouts)\n`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, peakRssKiB };
}
