import type { SQSClient } from '@aws-sdk/client-sqs';
import { parseConfig, queueDepth, QuoteTable, resolveQueueUrl, StateTable, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { DeleteCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { provision } from '../../tools/local/provision';

/**
 * Configuration for one e2e suite: the shared emulators (started by the global setup) with a queue,
 * DLQ and table of the suite's own, no schedule, no rate limit, and whatever the suite adds.
 */
export async function testConfig(env: Record<string, string> = {}): Promise<QuoteflowConfig> {
  return (await testStack(env)).config;
}

/**
 * {@link testConfig}, with the environment it was parsed from: for apps run as child processes and
 * entry points that read their configuration from `process.env` themselves (the Lambda handlers).
 */
export async function testStack(overrides: Record<string, string> = {}): Promise<{ env: Record<string, string>; config: QuoteflowConfig }> {
  const id = randomBytes(4).toString('hex');
  const env: Record<string, string> = {
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SQS: process.env.QUOTEFLOW_TEST_SQS_ENDPOINT ?? '',
    AWS_ENDPOINT_URL_DYNAMODB: process.env.QUOTEFLOW_TEST_DYNAMODB_ENDPOINT ?? '',
    QUEUE_NAME: `q-${id}`,
    DLQ_NAME: `q-${id}-dlq`,
    TABLE_NAME: `quotes-${id}`,
    INGEST_CRON: 'off',
    INGEST_ON_START: 'false',
    // backfill only where a suite asks for it: it calls the fake upstreams' history endpoints
    BACKFILL_ON_START: 'false',
    BACKFILL_CRON: 'off',
    VISIBILITY_TIMEOUT_SECONDS: '2',
    MAX_RECEIVE_COUNT: '3',
    // the apps a suite runs in-process write into the test output: only what needs attention
    LOG_LEVEL: 'warn',
    // suites poll the API far faster than a client would; the rate limit's own suite sets one
    RATE_LIMIT_PER_MINUTE: '0',
    ...overrides,
  };
  const config = parseConfig(env);
  if (!config.aws.sqsEndpoint) throw new Error('e2e suites need the emulators of the jest global setup');
  await provision(config);
  return { env, config };
}

/** How often {@link eventually} asks its probe again: the pace of a poll, never a wait for an outcome. */
const PROBE_INTERVAL_MS = 100;

/**
 * Polls `probe` until it returns a value other than `undefined`; fails after `timeoutMs`. The
 * project's one way of waiting for something without an event to listen to: the deadline only
 * ever fails a test, it never lets one pass.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${last instanceof Error ? String(last) : inspect(last)}` : ''}`);
}

/** Every stored history record of one instrument, read straight from the table, newest first. */
export async function storedHistory(
  dynamo: DynamoDBDocumentClient,
  config: QuoteflowConfig,
  symbol: string,
  series: string | null,
  read: { limit?: number; consistent?: boolean } = {},
): Promise<StoredQuote[]> {
  const { Items = [] } = await dynamo.send(
    new QueryCommand({
      TableName: config.table.name,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(symbol, series) },
      ScanIndexForward: false,
      Limit: read.limit,
      ConsistentRead: read.consistent,
    }),
  );
  return Items.map(QuoteTable.toStoredQuote);
}

/** Resolves once the suite's queue holds no message, visible or in flight. */
export async function queueDrained(sqs: SQSClient, config: QuoteflowConfig, timeoutMs = 20_000): Promise<void> {
  const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
  await eventually(async () => {
    const { visible, inFlight } = await queueDepth(sqs, QueueUrl);
    return visible + inFlight === 0 ? true : undefined;
  }, timeoutMs, 'queue drained');
}

/**
 * Every history record in the suite's table, read with a full scan (for counting), and the latest
 * of every instrument in the registry, read as the ingestor reads it (the newest history item: a
 * descending Query, Limit 1). An instrument missing from the registry has no latest here.
 */
export async function storedRecords(
  dynamo: DynamoDBDocumentClient,
  config: QuoteflowConfig,
): Promise<{ history: StoredQuote[]; latest: StoredQuote[] }> {
  const history: StoredQuote[] = [];
  const instruments: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: config.table.name, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of page.Items ?? []) {
      if (String(item.pk).startsWith('H#')) history.push(QuoteTable.toStoredQuote(item));
      else if (String(item.pk).startsWith(QuoteTable.registryPrefix)) instruments.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const latest = await Promise.all(
    instruments.map((item) => {
      const { symbol, series } = QuoteTable.toInstrument(item);
      return storedHistory(dynamo, config, symbol, series, { limit: 1, consistent: true });
    }),
  );
  return { history, latest: latest.flat() };
}

/**
 * Forgets what the ingestors share through the table (pauses, each provider's last answer): the
 * state a fresh process used to start with when it lived in memory. For suites whose cases must
 * not see each other's quota pauses.
 */
export async function forgetSharedState(dynamo: DynamoDBDocumentClient, config: QuoteflowConfig): Promise<void> {
  const { Items = [] } = await dynamo.send(
    new ScanCommand({ TableName: config.table.name, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': StateTable.providerPrefix }, ProjectionExpression: 'pk, sk' }),
  );
  await Promise.all(Items.map((key) => dynamo.send(new DeleteCommand({ TableName: config.table.name, Key: key }))));
}
