import autocannon from 'autocannon';
import { quoteFactory } from '../test/support/factories';
import { seedQuotes } from '../test/support/seed';
import { higherIsBetter, lowerIsBetter, round, type Figure } from './figure';
import { BenchEnv, rssKiB, watchRss } from './support/bench-env';
import { Worker } from './support/worker';

export interface QueryBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  connections: number;
  seconds: number;
}

export const QUERY_BENCH: QueryBenchOptions = { connections: 100, seconds: 10 };

interface Load {
  requestsPerSecond: number;
  p99Ms: number;
  idleRssKiB: number;
  peakRssKiB: number;
}

/**
 * `GET /quotes/:symbol` on the built ingestor under autocannon, against a minimal node:http server
 * that reads the same item with the raw SDK on every request; also the ingestor's memory.
 */
export async function queryBench(options: QueryBenchOptions = QUERY_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const res = await env.resources('query');
    try {
      const quote = quoteFactory();
      await seedQuotes(res.dynamo, res.config, [quote]);
      const path = `/quotes/${quote.symbol}`;

      const ingestor = await env.startApp('ingestor', res.env);
      const ours = await load(ingestor.pid, `http://127.0.0.1:${ingestor.port}${path}`, options).finally(() => ingestor.stop());

      const server = Worker.start<{ port: number }, never>('query-server', res.env);
      const { port } = await server.ready;
      const baseline = await load(server.pid, `http://127.0.0.1:${port}${path}`, options).finally(() => server.stop());

      return [
        higherIsBetter('query-throughput', round(ours.requestsPerSecond), 'req/s', round(baseline.requestsPerSecond)),
        lowerIsBetter('query-latency-p99', ours.p99Ms, 'ms', baseline.p99Ms),
        lowerIsBetter('ingestor-rss-idle', round(ours.idleRssKiB / 1024), 'MiB', round(baseline.idleRssKiB / 1024)),
        lowerIsBetter('ingestor-rss-under-load', round(ours.peakRssKiB / 1024), 'MiB', round(baseline.peakRssKiB / 1024)),
      ];
    } finally {
      await res.release();
    }
  }, options.buildDir);
}

async function load(pid: number, url: string, options: QueryBenchOptions): Promise<Load> {
  const idleRssKiB = rssKiB(pid);
  const rss = watchRss(pid);
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds });
  const peakRssKiB = rss.stop();
  if (result.non2xx || !result.requests.total) throw new Error(`${url}: ${result.non2xx} non-2xx answers of ${result.requests.total}`);
  // timeouts (autocannon's 10 s) of a server that cannot keep up count against it in requests/s; say how many
  if (result.errors) process.stderr.write(`${url}: ${result.errors} requests failed (${result.timeouts} timeouts)\n`);
  return { requestsPerSecond: result.requests.average, p99Ms: result.latency.p99, idleRssKiB, peakRssKiB };
}
