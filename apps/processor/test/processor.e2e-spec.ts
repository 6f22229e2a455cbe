import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { encodeQuoteMessage, QuoteTable, resolveQueueUrl, type Quote, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { eventually, queueDrained, storedHistory, testConfig } from '../../../test/support/test-stack';
import { QueuePollers } from '../src/batch/queue-pollers';
import { QuoteBatchService } from '../src/batch/quote-batch.service';
import { QuotesConsumer } from '../src/batch/quotes.consumer';
import { ReceiveGate } from '../src/batch/receive-gate';
import { startProcessor } from './processor-app';

const quote = (overrides: Partial<Quote> = {}): Quote => ({
  symbol: 'TCS',
  series: 'EQ',
  price: 4100.05,
  high: 4120.9,
  low: 4088.15,
  quoteTime: '2024-09-16T10:29:47.000Z',
  source: 'latest-stock-price',
  ...overrides,
});

/** The processor against the real SQS and DynamoDB emulators, fed by raw SQS messages. */
describe('processor', () => {
  let config: QuoteflowConfig;
  let processor: INestApplication;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;

  beforeAll(async () => {
    config = await testConfig();
    processor = await startProcessor(config);
    sqs = processor.get(SQSClient);
    dynamo = processor.get(DynamoDBDocumentClient);
  });

  afterAll(async () => {
    await processor?.close();
  });

  async function send(bodies: string[]): Promise<void> {
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((MessageBody, i) => ({ Id: `m${i}`, MessageBody })) }));
  }

  const historyOf = (symbol: string, series: string | null) => storedHistory(dynamo, config, symbol, series);

  it('stores the good messages of a batch and moves a poison message to the DLQ with its reason', async () => {
    const good = Array.from({ length: 9 }, (_, i) =>
      encodeQuoteMessage(quote({ symbol: `GOOD${i}`, price: 100 + i / 100, high: 110, low: 90 }), 'run-1', new Date().toISOString()),
    );
    await send([...good.slice(0, 4), '{"not":"a quote message"', ...good.slice(4)]);

    for (let i = 0; i < 9; i++) {
      const [stored] = await eventually(async () => {
        const items = await historyOf(`GOOD${i}`, 'EQ');
        return items.length ? items : undefined;
      }, 20_000, `GOOD${i} stored`);
      expect(stored.price).toBe(100 + i / 100);
    }
    const dlqUrl = await resolveQueueUrl(sqs, config.queue.dlqName);
    const dead = await eventually(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
      );
      return Messages?.length ? Messages : undefined;
    }, 20_000, 'dead letter');
    expect(dead).toHaveLength(1);
    expect(dead[0].Body).toBe('{"not":"a quote message"');
    expect(dead[0].MessageAttributes?.reason?.StringValue).toBe('body is not JSON');
    // nothing is left to be retried: all ten were acknowledged (nine stored, one dead-lettered)
    await queueDrained(sqs, config);
  });

  it('dead-letters a message that fails the quote schema, naming the field', async () => {
    const body = JSON.stringify({
      schemaVersion: 1,
      runId: 'r',
      fetchedAt: new Date().toISOString(),
      quote: { ...quote(), price: -1 },
    });
    await send([body]);
    const dlqUrl = await resolveQueueUrl(sqs, config.queue.dlqName);
    const dead = await eventually(async () => {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
      );
      return Messages?.find((m) => m.Body === body);
    }, 20_000, 'dead letter');
    expect(dead.MessageAttributes?.reason?.StringValue).toBe('quote.price: must be positive');
  });

  it('keeps one record per quote when a message is delivered twice', async () => {
    const body = encodeQuoteMessage(quote({ symbol: 'TWICE' }), 'run-2', new Date().toISOString());
    await send([body, body]);
    await eventually(async () => ((await historyOf('TWICE', 'EQ')).length ? true : undefined));
    await send([body]);
    await queueDrained(sqs, config);
    const items = await historyOf('TWICE', 'EQ');
    expect(items).toHaveLength(1);
  });

  it('never moves the latest quote back to an older quote time', async () => {
    const newer = quote({ symbol: 'ORDER', price: 11, high: 11, low: 10, quoteTime: '2024-09-16T10:30:00.000Z' });
    const older = quote({ symbol: 'ORDER', price: 10, high: 11, low: 10, quoteTime: '2024-09-16T10:29:00.000Z' });
    await send([encodeQuoteMessage(newer, 'run-3', new Date().toISOString())]);
    await eventually(async () => ((await historyOf('ORDER', 'EQ')).length === 1 ? true : undefined));

    await send([encodeQuoteMessage(older, 'run-3', new Date().toISOString())]);
    await eventually(async () => ((await historyOf('ORDER', 'EQ')).length === 2 ? true : undefined));

    // the latest is the newest history item (ADR 0006): the older quote, stored after, is not it
    const history = await historyOf('ORDER', 'EQ');
    expect(history[0]).toMatchObject({ price: 11, quoteTime: '2024-09-16T10:30:00.000Z' });
    expect(history.map((q) => q.quoteTime)).toEqual(['2024-09-16T10:30:00.000Z', '2024-09-16T10:29:00.000Z']);
  });
});

describe('processor with PROCESSOR_POLLERS=4', () => {
  it('runs four receive loops that each hold a batch at once, stores every quote once, and stops only when all have stopped', async () => {
    const config = await testConfig({ PROCESSOR_POLLERS: '4' });
    // the first batches are held until four are in flight together: only four loops receiving at once get there
    const inFlight = batchesHeldUntil(4);
    const processor = await startProcessor(config, (builder) =>
      builder.overrideProvider(QuotesConsumer).useFactory({
        inject: [QuoteBatchService, ReceiveGate],
        factory: (batch: QuoteBatchService, gate: ReceiveGate) => inFlight.hold(new QuotesConsumer(batch, gate)),
      }),
    );
    const sqs = processor.get(SQSClient);
    const dynamo = processor.get(DynamoDBDocumentClient);
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
    const quotes = Array.from({ length: 200 }, (_, i) => quote({ symbol: `P${i % 20}`, quoteTime: new Date(Date.parse('2024-09-16T10:00:00.000Z') + i * 1000).toISOString() }));

    for (let start = 0; start < quotes.length; start += 10) {
      const Entries = quotes.slice(start, start + 10).map((q, i) => ({ Id: `m${i}`, MessageBody: encodeQuoteMessage(q, 'run-p', new Date().toISOString()) }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    }
    await eventually(async () => inFlight.mostAtOnce() >= 4 || undefined, 20_000, 'four batches in flight at once');
    await queueDrained(sqs, config);

    expect(processor.get(QueuePollers).count).toBe(4);
    expect(inFlight.mostAtOnce()).toBe(4);
    const stored = (await Promise.all(Array.from({ length: 20 }, (_, s) => storedHistory(dynamo, config, `P${s}`, 'EQ')))).flat();
    expect(stored).toHaveLength(200);
    await expect(processor.close()).resolves.toBeUndefined();
  });
});

/**
 * Wraps the batch handler: each batch that arrives while fewer than `count` are in flight waits
 * until `count` are; from then on batches pass straight through. Counts the most in flight at once.
 */
function batchesHeldUntil(count: number) {
  let current = 0;
  let most = 0;
  let allIn!: () => void;
  const reached = new Promise<void>((resolve) => (allIn = resolve));
  return {
    mostAtOnce: () => most,
    hold: (consumer: QuotesConsumer): QuotesConsumer => {
      const held = Object.create(consumer) as QuotesConsumer;
      held.handle = async (messages: Message[]) => {
        most = Math.max(most, ++current);
        if (most >= count) allIn();
        try {
          await reached;
          return await consumer.handle(messages);
        } finally {
          current--;
        }
      };
      return held;
    },
  };
}
