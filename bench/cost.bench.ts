import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { parseConfig } from '@app/common';
import { PreviousShapes } from '../test/support/previous-layout';
import { resolve } from 'node:path';
import { LAMBDA_BUNDLES } from '../tools/build/lambda-bundles';
import { lowerIsBetter, median, repeated, round, type Figure } from './figure';
import { BenchEnv, root, type BenchResources } from './support/bench-env';
import { CallCounter, type OperationTally } from './support/call-counter';
import { costPerMillionQuotes, lambdaDeployment, prices, type CostPerMillion, type UsagePerQuote } from './support/cost-model';
import { DynamoCapacity, type CapacityTally, type WireItem } from './support/dynamodb-capacity';
import { benchQuotes, countHistory, fillQueue, timeDrain } from './support/quotes';
import { benchUpstream, upstreamEnv } from './support/upstream';
import { Worker } from './support/worker';

export interface CostBenchOptions {
  /** Where the compiled apps are; default `dist/` of `npm run build`. */
  buildDir?: string;
  /** The processor's Lambda handler file to time; default the bundle `npm run build` makes. */
  lambdaHandler?: string;
  /** Quotes drained through the counting proxies, by the processor and by the old design each. */
  quotes: number;
  /** Symbols of the ingest run whose SendMessageBatch calls give the send share per quote. */
  ingestSymbols: number;
  /** Timed invocations of one batch each, per side and round. */
  lambdaBatches: number;
  rounds: number;
}

/** The old design long-polls as the processor does (its `WAIT_TIME_SECONDS`), so that idle receives cost both the same. */
const LONG_POLL_SECONDS = 20;

export const COST_BENCH: CostBenchOptions = { quotes: 2_000, ingestSymbols: 1_000, lambdaBatches: 50, rounds: 3 };

/** What one design did for a drain of distinct quotes, counted at the proxies. */
interface Counted {
  stored: number;
  sqs: Record<string, OperationTally>;
  dynamodb: Record<string, OperationTally>;
  capacity: CapacityTally;
}

interface Proxies {
  sqs: CallCounter;
  dynamodb: CallCounter;
  capacity: DynamoCapacity;
}

/**
 * What a million quotes cost on AWS, the processor against the old design (two conditional
 * PutItems per quote, `workers/old-design.ts`), measured in the same run:
 *
 * - calls per stored quote, counted by operation at pass-through proxies in front of SQS and
 *   DynamoDB while each design drains the same stream of distinct quotes (batches of 10; the old
 *   design with as many receive loops as the processor has pollers);
 * - DynamoDB write and read units from the marshalled items of those calls (`DynamoCapacity`);
 * - the ingestor's share of a SendMessageBatch per quote, from one ingest run through the proxy;
 * - the duration of a warm Lambda invocation of a batch (the built handler, and an old-design
 *   handler), with memory, architecture and batch size from infra/lib;
 * - priced with `bench/prices.json`.
 */
export async function costBench(options: CostBenchOptions = COST_BENCH): Promise<Figure[]> {
  return BenchEnv.with(async (env) => {
    const direct = new DynamoDBClient({ region: 'us-east-1', endpoint: env.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const readBack = async (table: string, key: WireItem) => (await direct.send(new GetItemCommand({ TableName: table, Key: key as never }))).Item as WireItem | undefined;
    // the old design's items are billed with the index its table had (the GSI `latest`); ours carry no index key
    const indexKeys = PreviousShapes.definition('bench').GlobalSecondaryIndexes.map((index) => index.KeySchema.map((k) => k.AttributeName));
    const capacity = new DynamoCapacity(indexKeys, readBack);
    const proxies: Proxies = { sqs: await new CallCounter(env.sqsEndpoint).start(), dynamodb: await new CallCounter(env.dynamodbEndpoint, capacity.inspect).start(), capacity };
    try {
      const sendShare = await sendRequestsPerQuote(env, proxies.sqs, options.ingestSymbols);
      const pollers = parseConfig(env.env('pollers')).queue.pollers;
      const quotes = benchQuotes(options.quotes);
      const instrumentsSeen = [...new Map(quotes.map((q) => [q.symbol, { ...q, quoteTime: new Date(Date.parse(q.quoteTime) - 3_600_000).toISOString() }])).values()];
      const ours = await countedDrain(
        env,
        proxies,
        quotes,
        async (consumerEnv) => {
          const app = await env.startApp('processor', consumerEnv);
          return async () => void (await app.stop());
        },
        instrumentsSeen,
      );
      const old = await countedDrain(env, proxies, quotes, async (consumerEnv) => {
        const worker = Worker.start('consume', { ...consumerEnv, BENCH_MODE: 'raw', BENCH_COUNT: String(quotes.length), BENCH_LOOPS: String(pollers), BENCH_WAIT_SECONDS: String(LONG_POLL_SECONDS) });
        await worker.ready;
        return () => worker.stop();
      });

      const handler = options.lambdaHandler ?? resolve(root, LAMBDA_BUNDLES.processor.outfile);
      const durations: { app: number; old: number }[] = [];
      for (let r = 0; r < options.rounds; r++) {
        durations.push({ app: await batchMs(env, 'app', handler, options.lambdaBatches), old: await batchMs(env, 'old', handler, options.lambdaBatches) });
      }

      const deployment = lambdaDeployment();
      const perQuote = (c: Counted, ms: number): UsagePerQuote => ({
        sqsRequests: sendShare + sum(c.sqs, (t) => t.chunks64KiB) / c.stored,
        writeUnits: c.capacity.writeUnits / c.stored,
        readUnits: c.capacity.readUnits / c.stored,
        lambdaBatchMs: ms,
      });
      const costs = durations.map((d) => ({ ours: costPerMillionQuotes(perQuote(ours, d.app), deployment), old: costPerMillionQuotes(perQuote(old, d.old), deployment) }));
      const usd = (part: keyof CostPerMillion) => repeated(part === 'total' ? 'aws-cost-per-million-quotes' : `aws-cost-per-million-quotes-${part}`, 'USD', 'lower', costs.map((c) => ({ value: c.ours[part], baseline: c.old[part] })), 4);
      const calls = (c: Counted, side: 'sqs' | 'dynamodb') => round(sum(c[side], (t) => t.calls) / c.stored, 3);

      const total = usd('total');
      total.detail = {
        region: prices.region,
        pricesCheckedOn: prices.checkedOn,
        lambda: deployment,
        sendRequestsPerQuote: round(sendShare, 4),
        ours: describe(ours, perQuote(ours, median(durations.map((d) => d.app)))),
        oldDesign: describe(old, perQuote(old, median(durations.map((d) => d.old)))),
      };
      process.stderr.write(`cost: ${JSON.stringify(total.detail)}\n`);
      return [
        lowerIsBetter('processor-dynamodb-calls-per-quote', calls(ours, 'dynamodb'), 'calls/quote', calls(old, 'dynamodb')),
        lowerIsBetter('processor-sqs-calls-per-quote', calls(ours, 'sqs'), 'calls/quote', calls(old, 'sqs')),
        lowerIsBetter('processor-dynamodb-write-units-per-quote', round(ours.capacity.writeUnits / ours.stored, 3), 'WRU/quote', round(old.capacity.writeUnits / old.stored, 3)),
        repeated('lambda-processor-batch-duration', 'ms/batch of 10', 'lower', durations.map((d) => ({ value: d.app, baseline: d.old })), 2),
        total,
        usd('sqs'),
        usd('dynamodb'),
        usd('lambda'),
      ];
    } finally {
      await proxies.sqs.stop();
      await proxies.dynamodb.stop();
      direct.destroy();
    }
  }, options.buildDir);
}

/** Billed SQS requests of the ingestor's SendMessageBatch calls per published quote, from one run through the proxy. */
async function sendRequestsPerQuote(env: BenchEnv, sqs: CallCounter, symbols: number): Promise<number> {
  const upstream = await benchUpstream(symbols);
  const res = await env.resources('cost-ingest', { ...upstreamEnv(upstream), AWS_ENDPOINT_URL_SQS: sqs.url });
  try {
    const ingestor = await env.startApp('ingestor', res.env);
    try {
      sqs.reset();
      const answer = await fetch(`http://127.0.0.1:${ingestor.port}/ingest/trigger`, { method: 'POST' });
      const run = (await answer.json()) as { published?: number };
      if (!answer.ok || !run.published) throw new Error(`ingest run: HTTP ${answer.status} ${JSON.stringify(run)}`);
      return sqs.tally('SendMessageBatch').chunks64KiB / run.published;
    } finally {
      await ingestor.stop();
    }
  } finally {
    await res.release();
    await upstream.stop();
  }
}

/**
 * One drain of `quotes` by a consumer whose SQS and DynamoDB endpoints are the proxies: started
 * (and idle, long-polling) first, counters reset, queue filled directly, drained; counted until
 * the consumer has stopped (a long poll it had open then is cancelled, never answered, never
 * counted). A call is counted once answered, so an idle long poll that brings the first messages counts.
 */
async function countedDrain(
  env: BenchEnv,
  proxies: Proxies,
  quotes: ReturnType<typeof benchQuotes>,
  start: (consumerEnv: Record<string, string>) => Promise<() => Promise<void>>,
  warmUp: ReturnType<typeof benchQuotes> = [],
): Promise<Counted> {
  const res: BenchResources = await env.resources('cost');
  try {
    const stop = await start({ ...res.env, AWS_ENDPOINT_URL_SQS: proxies.sqs.url, AWS_ENDPOINT_URL_DYNAMODB: proxies.dynamodb.url });
    try {
      // the consumer's start-up calls are not per quote; the fill goes to SQS directly, not through the proxy
      // ours in steady state: one earlier quote of each instrument first, uncounted, so that the
      // once-per-instrument registry put (ADR 0006) is not billed to a stream of 10 quotes per instrument
      if (warmUp.length) {
        await fillQueue(res.sqs, res.urls.queueUrl, warmUp, 0);
        await timeDrain(res.sqs, res.urls.queueUrl, warmUp.length, warmUp.length);
      }
      await proxies.dynamodb.settled();
      proxies.sqs.reset();
      proxies.dynamodb.reset();
      proxies.capacity.reset();
      await fillQueue(res.sqs, res.urls.queueUrl, quotes, 1);
      await timeDrain(res.sqs, res.urls.queueUrl, quotes.length, quotes.length);
    } finally {
      await stop();
    }
    await proxies.dynamodb.settled();
    const stored = (await countHistory(res.dynamo, res.urls.tableName)) - warmUp.length;
    if (stored < quotes.length) throw new Error(`cost: ${stored} of ${quotes.length} quotes stored`);
    return { stored, sqs: proxies.sqs.snapshot(), dynamodb: proxies.dynamodb.snapshot(), capacity: proxies.capacity.tally() };
  } finally {
    await res.release();
  }
}

/** Median duration of one warm invocation for a batch of 10, in a fresh process on a fresh table. */
async function batchMs(env: BenchEnv, mode: 'app' | 'old', handler: string, batches: number): Promise<number> {
  const res = await env.resources(`cost-lambda-${mode}`);
  try {
    const worker = Worker.start<unknown, { durations: number[] }>('lambda-batches', { ...res.env, BENCH_MODE: mode, BENCH_HANDLER: handler, BENCH_BATCHES: String(batches) });
    const { durations } = await worker.result;
    return median(durations);
  } finally {
    await res.release();
  }
}

function sum(tallies: Record<string, OperationTally>, pick: (t: OperationTally) => number): number {
  return Object.values(tallies).reduce((s, t) => s + pick(t), 0);
}

function describe(c: Counted, perQuote: UsagePerQuote) {
  const byOperation = (tallies: Record<string, OperationTally>) => Object.fromEntries(Object.entries(tallies).map(([op, t]) => [op, round(t.calls / c.stored, 3)]));
  return {
    stored: c.stored,
    sqsCallsPerQuote: byOperation(c.sqs),
    dynamodbCallsPerQuote: byOperation(c.dynamodb),
    capacity: c.capacity,
    perQuote: Object.fromEntries(Object.entries(perQuote).map(([k, v]) => [k, round(v, 4)])),
  };
}
