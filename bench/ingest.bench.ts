import { lowerIsBetter, median, repeated, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { CallCounter } from './support/call-counter';
import { benchUpstream, upstreamEnv } from './support/upstream';
import { Worker } from './support/worker';

export interface IngestBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  symbols: number;
  /** Rounds, each one ingest run of ours and one of the baseline. */
  runs: number;
}

export const INGEST_BENCH: IngestBenchOptions = { symbols: 1_000, runs: 3 };

interface RunCalls {
  ms: number;
  upstreamCalls: number;
  sendCalls: number;
}

/**
 * One ingest run of `symbols` quotes from a local upstream (POST /ingest/trigger on the built
 * ingestor) against a script that sends one `SendMessage` per quote with as many calls in flight
 * as the ingestor had (seen at the proxy): upstream calls, send calls (both sides counted by a
 * pass-through proxy in front of SQS) and wall time, in `runs` rounds of one run each.
 */
export async function ingestBench(options: IngestBenchOptions = INGEST_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const upstream = await benchUpstream(options.symbols);
    const counter = await new CallCounter(env.sqsEndpoint).start();
    const res = await env.resources('ingest', { ...upstreamEnv(upstream), AWS_ENDPOINT_URL_SQS: counter.url });
    try {
      const ours: RunCalls[] = [];
      const baseline: RunCalls[] = [];
      let concurrency = 1;
      const ingestor = await env.startApp('ingestor', res.env);
      try {
        for (let i = 0; i < options.runs; i++) {
          const calls = upstream.requests.length;
          counter.reset();
          const started = performance.now();
          const answer = await fetch(`http://127.0.0.1:${ingestor.port}/ingest/trigger`, { method: 'POST' });
          const ms = performance.now() - started;
          const run = (await answer.json()) as { published?: number };
          if (!answer.ok || run.published !== options.symbols) throw new Error(`ingest run: HTTP ${answer.status} ${JSON.stringify(run)}`);
          const batches = counter.tally('SendMessageBatch');
          ours.push({ ms, upstreamCalls: upstream.requests.length - calls, sendCalls: batches.calls });
          concurrency = Math.max(concurrency, batches.peakInFlight);

          counter.reset();
          const before = upstream.requests.length;
          const worker = Worker.start<unknown, { ms: number; sent: number }>('send-each', { ...res.env, BENCH_CONCURRENCY: String(concurrency) });
          const each = await worker.result;
          if (each.sent !== options.symbols) throw new Error(`send-each baseline sent ${each.sent} of ${options.symbols}`);
          baseline.push({ ms: each.ms, upstreamCalls: upstream.requests.length - before, sendCalls: counter.count('SendMessage') });
        }
      } finally {
        await ingestor.stop();
      }
      process.stderr.write(`ingest: ${concurrency} SendMessageBatch calls in flight at most, so the SendMessage baseline sends ${concurrency} at a time\n`);

      const med = (runs: RunCalls[], pick: (r: RunCalls) => number) => median(runs.map(pick));
      return [
        lowerIsBetter('ingest-upstream-calls', med(ours, (r) => r.upstreamCalls), 'calls/run', med(baseline, (r) => r.upstreamCalls)),
        lowerIsBetter('ingest-send-message-batch-calls', med(ours, (r) => r.sendCalls), 'calls/run', med(baseline, (r) => r.sendCalls)),
        repeated('ingest-run-wall-time', 'ms', 'lower', ours.map((r, i) => ({ value: r.ms, baseline: baseline[i].ms }))),
      ];
    } finally {
      await res.release();
      await counter.stop();
      await upstream.stop();
    }
  }, options.buildDir);
}
