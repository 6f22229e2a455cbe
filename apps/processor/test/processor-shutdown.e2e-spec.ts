import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient, queueDepth, resolveQueueUrl, type Quote, type QuoteflowConfig } from '@app/common';
import { quoteFactory } from '../../../test/support/factories';
import { publishQuotes } from '../../../test/support/quote-stream';
import { storedHistory, testConfig } from '../../../test/support/test-stack';
import { QuoteWriter } from '../src/storage/quote-writer';
import { startProcessor } from './processor-app';

/**
 * Shutdown with a batch in flight: the consumer stops receiving, the batch is still written and
 * deleted, and only then does the app close (the same close that SIGTERM runs in `main.ts`).
 */
describe('processor shutdown', () => {
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;

  beforeAll(async () => {
    // a visibility timeout far longer than the test: a message not deleted would still be in flight at the end
    config = await testConfig({ VISIBILITY_TIMEOUT_SECONDS: '120' });
    sqs = createSqsClient(config.aws);
    dynamo = createDocumentClient(config.aws);
  });

  afterAll(() => {
    sqs.destroy();
    dynamo.destroy();
  });

  it('finishes and acknowledges the batch in flight before it closes', async () => {
    let batchArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (batchArrived = resolve));
    let releaseWrites!: () => void;
    const writesMayGoOn = new Promise<void>((resolve) => (releaseWrites = resolve));
    const processor = await startProcessor(config, (builder) =>
      builder.overrideProvider(QuoteWriter).useFactory({
        inject: [DynamoDBDocumentClient],
        factory: (client: DynamoDBDocumentClient) => {
          const real = new QuoteWriter(client, config);
          const held = Object.create(real) as QuoteWriter;
          held.store = async (quote: Quote, insertedAt: string) => {
            batchArrived();
            await writesMayGoOn;
            return real.store(quote, insertedAt);
          };
          return held;
        },
      }),
    );
    const quotes = Array.from({ length: 10 }, (_, i) => quoteFactory({ symbol: `STOP${i}` }));
    await publishQuotes(sqs, config, quotes);
    await arrived;

    const closing = processor.close();
    releaseWrites();
    await closing;

    // what was received is stored and deleted; what was not received yet waits in the queue
    const depth = await queueDepth(sqs, await resolveQueueUrl(sqs, config.queue.name));
    const stored = (await Promise.all(quotes.map((q) => storedHistory(dynamo, config, q.symbol, q.series)))).filter((h) => h.length === 1);
    expect(depth.inFlight).toBe(0);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length + depth.visible).toBe(quotes.length);
  });
});
