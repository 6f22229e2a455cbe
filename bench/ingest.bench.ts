import { lowerIsBetter, median, round, type Figure } from './figure';
import { BenchEnv } from './support/bench-env';
import { SqsCallCounter } from './support/sqs-call-counter';
import { benchUpstream, upstreamEnv } from './support/upstream';
import { Worker } from './support/worker';

export interface IngestBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  symbols: number;
  runs: number;
}

export const INGEST_BENCH: IngestBenchOptions = { symbols: 1_000, runs: 3 };

/**
 * One ingest run of `symbols` quotes from a local upstream (POST /ingest/trigger on the built
 * ingestor): upstream calls, SendMessageBatch calls (counted by a proxy in front of SQS) and wall
 * time, against one `SendMessage` per quote. Medians of `runs` runs each.
 */
export async function ingestBench(options: IngestBenchOptions = INGEST_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const upstream = await benchUpstream(options.symbols);
    const counter = await new SqsCallCounter(env.sqsEndpoint).start();
    const res = await env.resources('ingest', { ...upstreamEnv(upstream), AWS_ENDPOINT_URL_SQS: counter.url });
    try {
      const ours: { ms: number; upstreamCalls: number; batchCalls: number }[] = [];
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
          ours.push({ ms, upstreamCalls: upstream.requests.length - calls, batchCalls: counter.count('SendMessageBatch') });
        }
      } finally {
        await ingestor.stop();
      }

      const baseline: number[] = [];
      let baselineUpstreamCalls = 0;
      for (let i = 0; i < options.runs; i++) {
        counter.reset();
        const calls = upstream.requests.length;
        const worker = Worker.start<unknown, { ms: number; sent: number }>('send-each', res.env);
        const { ms, sent } = await worker.result;
        if (sent !== options.symbols || counter.count('SendMessage') !== sent) throw new Error(`send-each baseline sent ${sent}`);
        baseline.push(ms);
        baselineUpstreamCalls = upstream.requests.length - calls;
      }

      const last = ours[ours.length - 1];
      return [
        lowerIsBetter('ingest-upstream-calls', last.upstreamCalls, 'calls/run', baselineUpstreamCalls),
        lowerIsBetter('ingest-send-message-batch-calls', last.batchCalls, 'calls/run', options.symbols),
        lowerIsBetter('ingest-run-wall-time', round(median(ours.map((r) => r.ms))), 'ms', round(median(baseline))),
      ];
    } finally {
      await res.release();
      await counter.stop();
      await upstream.stop();
    }
  }, options.buildDir);
}
