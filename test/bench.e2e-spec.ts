import { resolve } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient, parseConfig, PreviousLayout } from '@app/common';
import { costBench } from '../bench/cost.bench';
import type { Figure } from '../bench/figure';
import { ingestBench } from '../bench/ingest.bench';
import { lagBench } from '../bench/lag.bench';
import { processorBench } from '../bench/processor.bench';
import { queryBench } from '../bench/query.bench';
import { stateBench } from '../bench/state.bench';
import { BenchEnv } from '../bench/support/bench-env';
import { CallCounter } from '../bench/support/call-counter';
import { DynamoCapacity } from '../bench/support/dynamodb-capacity';
import { benchQuotes, fillQueue } from '../bench/support/quotes';
import { storeBatchTheOldWay } from '../bench/workers/old-design';
import { TEST_BUILD_DIR } from './support/build-apps';

// The benchmarks at toy sizes: they run end to end and report well-formed figures with their
// baselines. Nothing here is timed: the numbers themselves are `npm run bench`'s business.
jest.setTimeout(180_000);

function expectWellFormed(figures: Figure[], names: string[]): void {
  expect(figures.map((f) => f.bench)).toEqual(names);
  for (const figure of figures) {
    const { spread, detail, ...line } = figure;
    expect(line).toEqual({ bench: expect.any(String), value: expect.any(Number), unit: expect.any(String), baseline: expect.any(Number), ratio: expect.any(Number) });
    expect(Number.isFinite(figure.value) && figure.value >= 0).toBe(true);
    expect(Number.isFinite(figure.ratio)).toBe(true);
    if (spread) expect(spread.value[0]).toBeLessThanOrEqual(spread.value[1]);
    if (detail) expect(typeof detail).toBe('object');
  }
}

describe('npm run bench, at toy sizes', () => {
  it('processor: throughput against the raw-SDK loops (as many loops as pollers, and one) and the naive loop, scaling, memory', async () => {
    const figures = await processorBench({ messages: 200, naiveMessages: 20, instances: [1, 2], scalingMessages: 100, rounds: 1, buildDir: TEST_BUILD_DIR });

    expectWellFormed(figures, [
      'processor-throughput-vs-raw-sdk',
      'processor-throughput-vs-raw-sdk-1-loop',
      'processor-throughput-vs-naive',
      'processor-throughput-vs-floor',
      'processor-batch-cost',
      'processor-scaling-2-instances',
      'processor-rss-idle',
      'processor-rss-under-load',
    ]);
  });

  it('state: the DynamoDB calls one run makes, the shared state\'s counted apart from the in-memory design\'s', async () => {
    const [figure] = await stateBench({ symbols: 5, runs: 1, buildDir: TEST_BUILD_DIR });

    expectWellFormed([figure], ['ingest-state-calls-per-run']);
    // lease acquire + release + run record; the shared state adds one BatchGetItem and the provider's item
    expect([figure.value, figure.baseline]).toEqual([5, 3]);
    expect(figure.detail).toMatchObject({ statusRead: { addedBySharedState: { calls: expect.any(Number) } } });
  });

  it('ingest: one upstream call and ⌈n/10⌉ SendMessageBatch calls per run, against SendMessage per quote, both counted at the proxy', async () => {
    const figures = await ingestBench({ symbols: 25, runs: 2, buildDir: TEST_BUILD_DIR });

    expectWellFormed(figures, ['ingest-upstream-calls', 'ingest-send-message-batch-calls', 'ingest-run-wall-time']);
    expect(figures.slice(0, 2).map((f) => [f.value, f.baseline])).toEqual([
      [1, 1],
      [3, 25],
    ]);
    expect(figures[2].spread?.rounds).toBe(2);
  });

  it('query (against the cached and the uncached raw server) and end-to-end lag', async () => {
    const query = await queryBench({ connections: 2, seconds: 1, requests: 40, rounds: 1, fixedRate: 100, buildDir: TEST_BUILD_DIR });
    const lag = await lagBench({ runs: 2, symbols: 3, rounds: 1, buildDir: TEST_BUILD_DIR });

    expectWellFormed(query, ['query-throughput', 'query-latency-p99', 'query-latency-p99-saturated', 'query-throughput-vs-uncached', 'ingestor-rss-idle', 'ingestor-rss-under-load']);
    expectWellFormed(lag, ['e2e-lag-p50', 'e2e-lag-p99']);
  });

  it('cost: calls and write units per quote against the old design, Lambda batch time, USD per million quotes', async () => {
    const figures = await costBench({
      quotes: 40,
      ingestSymbols: 25,
      lambdaBatches: 3,
      rounds: 1,
      buildDir: TEST_BUILD_DIR,
      lambdaHandler: resolve(TEST_BUILD_DIR, 'apps/processor/src/lambda.js'),
    });

    expectWellFormed(figures, [
      'processor-dynamodb-calls-per-quote',
      'processor-sqs-calls-per-quote',
      'processor-dynamodb-write-units-per-quote',
      'lambda-processor-batch-duration',
      'aws-cost-per-million-quotes',
      'aws-cost-per-million-quotes-sqs',
      'aws-cost-per-million-quotes-dynamodb',
      'aws-cost-per-million-quotes-lambda',
    ]);
    // the old design, by hand: two PutItems per quote; history 1 WRU, latest 1 WRU + 1 for the latest index
    expect(figures[0].baseline).toBe(2);
    expect(figures[2].baseline).toBe(3);
    const [, , , , total, sqs, dynamodb, lambda] = figures;
    expect(total.value).toBeCloseTo(sqs.value + dynamodb.value + lambda.value, 3);
  });

  it('the counting proxy in front of DynamoDB: 10 quotes the old way are 20 PutItems, 30 write units', async () => {
    await BenchEnv.with(async (env) => {
      const res = await env.resources('proxy');
      const capacity = new DynamoCapacity([['gsi1pk', 'gsi1sk']]);
      const dynamodb = await new CallCounter(env.dynamodbEndpoint, capacity.inspect).start();
      const sqs = await new CallCounter(env.sqsEndpoint).start();
      const config = parseConfig({ ...res.env, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.url, AWS_ENDPOINT_URL_SQS: sqs.url });
      const client = createDocumentClient(config.aws);
      const sqsClient = createSqsClient(config.aws);
      try {
        const quotes = benchQuotes(10);

        await storeBatchTheOldWay(client, res.urls.tableName, quotes);
        await fillQueue(sqsClient, res.urls.queueUrl, quotes);
        await dynamodb.settled();

        expect(dynamodb.snapshot()).toEqual({ PutItem: expect.objectContaining({ calls: 20 }) });
        expect(capacity.tally()).toMatchObject({ writeUnits: 30, indexWriteUnits: 10, itemWrites: 20, conditionFailed: 0 });
        expect(sqs.count('SendMessageBatch')).toBe(1);
        const stored = await res.dynamo.send(new GetCommand({ TableName: res.urls.tableName, Key: PreviousLayout.latestKey(quotes[0].symbol, quotes[0].series) }));
        expect(stored.Item?.quoteTime).toBe(quotes[0].quoteTime);
      } finally {
        client.destroy();
        sqsClient.destroy();
        await dynamodb.stop();
        await sqs.stop();
        await res.release();
      }
    });
  });
});
