import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, encodeQuoteMessage, QuoteTable, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2, SQSBatchResponse } from 'aws-lambda';
import { testBundle } from './support/build-apps';
import { quoteFactory } from './support/factories';
import { IsolatedBundle } from './support/lambda-bundle';
import { httpApiEventFactory, sqsEventFactory, sqsRecordFactory } from './support/lambda-events';
import { eventually, storedHistory, testStack } from './support/test-stack';

/**
 * The Lambda bundles as `npm run build` makes them (built by the e2e global set-up with the same
 * esbuild options, from its own tsc build), each alone in a folder and in a plain Node process, against
 * the emulators: what the Lambda runtime would load. The handlers' behaviour in detail is tested
 * from source in each app's lambda e2e suite.
 */
describe('Lambda bundles as built', () => {
  let env: Record<string, string>;
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;
  const processor = new IsolatedBundle(testBundle('processor'));
  const ingestor = new IsolatedBundle(testBundle('ingestor'));

  beforeAll(async () => {
    ({ env, config } = await testStack({ AWS_REGION: 'us-east-1' }));
    sqs = createSqsClient(config.aws);
    dynamo = createDocumentClient(config.aws);
  });

  afterAll(() => {
    sqs?.destroy();
    dynamo?.destroy();
    processor?.remove();
    ingestor?.remove();
  });

  // a schedule slot of its own (hours ahead), so the ingest lease lets the run go ahead after the other tests' runs
  const scheduledEvent = (hoursAhead: number) => ({ 'detail-type': 'Scheduled Event', time: new Date(Date.now() + hoursAhead * 3_600_000).toISOString() });

  const tenRecords = () =>
    Array.from({ length: 10 }, (_, i) =>
      sqsRecordFactory(
        i === 3 ? 'not json at all' : encodeQuoteMessage(quoteFactory({ symbol: `BUNDLE${i}` }), 'run-bundle', new Date().toISOString()),
        { messageId: `b${i}` },
      ),
    );

  it('processor: stores the 9 good records, dead-letters the poison one, reports no failure', async () => {
    const [answer] = await processor.invoke<SQSBatchResponse>('handler', [sqsEventFactory(tenRecords())], env);

    expect(answer).toEqual({ batchItemFailures: [] });
    for (const i of [0, 1, 2, 4, 5, 6, 7, 8, 9]) {
      await expect(storedHistory(dynamo, config, `BUNDLE${i}`, 'EQ')).resolves.toHaveLength(1);
    }
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.dlqName);
    const dead = await eventually(async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
      return Messages.length ? Messages : undefined;
    }, 10_000, 'dead letter');
    expect(dead.map((m) => [m.Body, m.MessageAttributes?.reason?.StringValue])).toEqual([['not json at all', 'body is not JSON']]);
  });

  it('processor: lists the records whose write failed, and only those, when the table cannot be written', async () => {
    const [answer] = await processor.invoke<SQSBatchResponse>('handler', [sqsEventFactory(tenRecords())], {
      ...env,
      TABLE_NAME: `${config.table.name}-missing`,
    });

    expect(answer.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['b0', 'b1', 'b2', 'b4', 'b5', 'b6', 'b7', 'b8', 'b9']);
  });

  it('ingestor: answers GET /quotes/:symbol from an HTTP API v2 event, and runs one ingest for a schedule event', async () => {
    const quote = quoteFactory({ symbol: 'NIFTY 50', series: null, price: 25383.75, high: 25445.7, low: 25336.2 });
    await dynamo.send(new PutCommand({ TableName: config.table.name, Item: QuoteTable.historyItem(quote, '2024-09-16T10:30:01.000Z') }));
    await dynamo.send(new PutCommand({ TableName: config.table.name, Item: QuoteTable.instrumentItem(quote, '2024-09-16T10:30:01.000Z') }));

    const [found, missing] = await ingestor.invoke<APIGatewayProxyStructuredResultV2>(
      'handler',
      [httpApiEventFactory('GET', '/quotes/nifty%2050'), httpApiEventFactory('GET', '/quotes/NOPE')],
      env,
    );
    const [summary] = await ingestor.invoke<{ outcome: string; published: number }>('ingest', [{ 'detail-type': 'Scheduled Event' }], env);

    expect([found.statusCode, JSON.parse(found.body ?? '')]).toEqual([
      200,
      { ...quote, insertedAt: '2024-09-16T10:30:01.000Z', ageSeconds: expect.any(Number), stale: expect.any(Boolean) },
    ]);
    expect([missing.statusCode, JSON.parse(missing.body ?? '').error]).toEqual([404, 'Not Found']);
    expect(summary).toMatchObject({ outcome: 'ok', published: 5 });
  });

  it('ingestor and processor: write their figures as embedded-metric-format records to the log, with the namespace they are given', async () => {
    // a table of its own: the earlier test's run left the shared 'last published' state of the demo
    // provider in the suite's table, which may rightly leave this run nothing new to publish
    const { env: own } = await testStack({ AWS_REGION: 'us-east-1' });
    const withFigures = { ...own, CLOUDWATCH_METRICS_NAMESPACE: 'QuoteflowTest' };

    const ingest = await ingestor.invokeWithOutput<{ outcome: string }>('ingest', [scheduledEvent(1)], withFigures);
    const batches = await processor.invokeWithOutput<SQSBatchResponse>('handler', [sqsEventFactory(tenRecords())], withFigures);

    const emf = (lines: string[]) => lines.filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, any>);
    const [run] = emf(ingest.stdout).filter((r) => 'IngestRuns' in r);
    expect(ingest.results[0].outcome).toBe('ok');
    expect(run._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'QuoteflowTest', Dimensions: [['service']] });
    expect(run).toMatchObject({ service: 'ingestor', IngestRuns: 1, IngestRunsGood: 1, IngestRunsFailed: 0, MarketOpen: 1, QuotesPublished: 5 });

    const batch = emf(batches.stdout).find((r) => 'Batches' in r);
    expect(batches.results[0]).toEqual({ batchItemFailures: [] });
    expect(batch).toMatchObject({ service: 'processor', Batches: 1, DeadLettersSent: 1 });
    expect(batch?.MessagesStored ?? batch?.MessagesDuplicate).toBeDefined();
  });

  it('writes no EMF record without CLOUDWATCH_METRICS_NAMESPACE', async () => {
    const { results, stdout } = await ingestor.invokeWithOutput<{ outcome: string }>('ingest', [scheduledEvent(2)], env);

    expect(results[0].outcome).toBe('ok');
    expect(stdout.filter((l) => l.includes('"_aws"'))).toEqual([]);
  });
});
