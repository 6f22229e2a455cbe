import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, encodeQuoteMessage, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { quoteFactory } from '../../../test/support/factories';
import { sqsEventFactory, sqsRecordFactory } from '../../../test/support/lambda-events';
import { eventually, storedHistory, testStack } from '../../../test/support/test-stack';
import { QueuePollers } from '../src/batch/queue-pollers';
import { handler } from '../src/lambda';
import { QuoteWriter } from '../src/storage/quote-writer';

const message = (symbol: string, price = 100) =>
  encodeQuoteMessage(quoteFactory({ symbol, price, high: price + 10, low: price - 10 }), 'run-lambda', new Date().toISOString());

/** The processor's Lambda entry point, from source, against the emulators; it reads its configuration from the environment. */
describe('processor Lambda handler', () => {
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;
  const createContext = jest.spyOn(NestFactory, 'createApplicationContext');

  beforeAll(async () => {
    const stack = await testStack();
    config = stack.config;
    Object.assign(process.env, stack.env);
    sqs = createSqsClient(config.aws);
    dynamo = createDocumentClient(config.aws);
  });

  afterAll(async () => {
    const app = (await createContext.mock.results[0]?.value) as INestApplicationContext | undefined;
    await app?.close();
    sqs?.destroy();
    dynamo?.destroy();
  });

  async function deadLetters() {
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.dlqName);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    return Messages;
  }

  it('stores the nine good records of ten, dead-letters the poison one with its reason, and reports no failure', async () => {
    const records = Array.from({ length: 10 }, (_, i) =>
      sqsRecordFactory(i === 6 ? '{"not":"a quote message"' : message(`LAMBDA${i}`, 100 + i), { messageId: `m${i}` }),
    );

    const response = await handler(sqsEventFactory(records));

    expect(response).toEqual({ batchItemFailures: [] });
    for (const i of [0, 1, 2, 3, 4, 5, 7, 8, 9]) {
      const history = await storedHistory(dynamo, config, `LAMBDA${i}`, 'EQ');
      expect(history.map((q) => q.price)).toEqual([100 + i]);
    }
    const dead = await eventually(async () => {
      const messages = await deadLetters();
      return messages.length ? messages : undefined;
    }, 10_000, 'dead letter');
    expect(dead.map((m) => [m.Body, m.MessageAttributes?.reason?.StringValue, m.MessageAttributes?.sourceMessageId?.StringValue])).toEqual([
      ['{"not":"a quote message"', 'body is not JSON', 'm6'],
    ]);
  });

  it('lists only the records whose write failed, for SQS to deliver again', async () => {
    const store = QuoteWriter.prototype.store;
    const spy = jest.spyOn(QuoteWriter.prototype, 'store').mockImplementation(function (this: QuoteWriter, quote, insertedAt) {
      if (quote.symbol === 'FLAKY') {
        return Promise.reject(Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' }));
      }
      return store.call(this, quote, insertedAt);
    });
    try {
      const response = await handler(
        sqsEventFactory([
          sqsRecordFactory(message('STEADY'), { messageId: 'ok' }),
          sqsRecordFactory(message('FLAKY'), { messageId: 'throttled' }),
          sqsRecordFactory('', { messageId: 'empty' }),
        ]),
      );

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'throttled' }] });
      await expect(storedHistory(dynamo, config, 'STEADY', 'EQ')).resolves.toHaveLength(1);
      await expect(storedHistory(dynamo, config, 'FLAKY', 'EQ')).resolves.toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('answers an empty batch with an empty list', async () => {
    await expect(handler(sqsEventFactory([]))).resolves.toEqual({ batchItemFailures: [] });
  });

  it('builds one application context for all invocations, and starts no SQS poller in it', async () => {
    await handler(sqsEventFactory([sqsRecordFactory(message('AGAIN'))]));

    expect(createContext).toHaveBeenCalledTimes(1);
    const app = (await createContext.mock.results[0].value) as INestApplicationContext;
    expect(() => app.get(QueuePollers, { strict: false })).toThrow(/QueuePollers/);
  });
});
