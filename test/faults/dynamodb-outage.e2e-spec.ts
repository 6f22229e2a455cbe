import { createDocumentClient, createSqsClient, queueDepth, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess } from '../support/app-process';
import { DynamoDbProcess } from '../support/dynamodb-process';
import { audit, distinctQuotes, publishQuotes } from '../support/quote-stream';
import { metricValue, scrapeMetrics } from '../support/prometheus';
import { eventually, queueDrained, storedRecords, testStack } from '../support/test-stack';

// 6 s keeps `npm test` short; the 30 s: QUOTEFLOW_OUTAGE_SECONDS=30 npx jest test/faults/dynamodb-outage
const OUTAGE_MS = Number(process.env.QUOTEFLOW_OUTAGE_SECONDS ?? 6) * 1000;

/**
 * DynamoDB goes away while quotes keep arriving, and comes back on the same port with its data.
 * The visibility timeout (2 s) and maxReceiveCount (3) are low: were the processor to keep
 * receiving during the outage, good quotes would reach the DLQ within seconds.
 */
describe('DynamoDB unavailable during a stream', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'quoteflow-outage-'));
  let dynamodb: DynamoDbProcess;
  let env: Record<string, string>;
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let processor: AppProcess | undefined;
  // 1 while the processor receives nothing because the table does not answer
  const receivePaused = async () => metricValue(await scrapeMetrics(processor!.port), 'quoteflow_receive_paused');

  beforeAll(async () => {
    dynamodb = await DynamoDbProcess.start(0, dataDir);
    ({ env, config } = await testStack({ AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint }));
    sqs = createSqsClient(config.aws);
  });

  afterAll(async () => {
    await processor?.stop('SIGKILL');
    await dynamodb.kill();
    sqs.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'stores every quote once after DynamoDB returns, and sends none to the DLQ',
    async () => {
      const quotes = distinctQuotes(20, 30);
      const [before, during, after] = [quotes.slice(0, 200), quotes.slice(200, 400), quotes.slice(400)];
      processor = await AppProcess.start('processor', env);

      await publishQuotes(sqs, config, before, 5);
      const port = dynamodb.port;
      await dynamodb.kill();
      // the outage lasts OUTAGE_MS while quotes keep arriving, and until the processor has stopped receiving
      const [pausedWhileDown] = await Promise.all([
        eventually(async () => ((await receivePaused()) === 1 ? 1 : undefined), OUTAGE_MS + 30_000, 'the processor pausing its receives'),
        publishQuotes(sqs, config, during, OUTAGE_MS / (during.length / 10)),
      ]);
      dynamodb = await DynamoDbProcess.start(port, dataDir);
      await publishQuotes(sqs, config, after, 5);
      await queueDrained(sqs, config, 60_000);
      const pausedAfter = await receivePaused();

      const dynamo: DynamoDBDocumentClient = createDocumentClient(config.aws);
      const result = audit(quotes, await storedRecords(dynamo, config));
      dynamo.destroy();
      const dlq = await queueDepth(sqs, await resolveQueueUrl(sqs, config.queue.dlqName));
      console.log(JSON.stringify({ outageMs: OUTAGE_MS, pausedWhileDown, pausedAfter, ...result, dlq }));
      expect(pausedWhileDown).toBe(1);
      expect(pausedAfter).toBe(0);
      expect(result).toEqual({ published: 600, historyRecords: 600, lost: 0, duplicated: 0, unexpected: 0, latestNotNewest: [] });
      expect(dlq).toEqual({ visible: 0, inFlight: 0 });
    },
    OUTAGE_MS + 90_000,
  );
});
