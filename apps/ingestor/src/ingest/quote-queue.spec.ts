import type { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { QueueUrls } from '@app/common';
import { setImmediate as tick } from 'node:timers/promises';
import { strictFake } from '../../../../test/support/strict-fake';
import { PUBLISH_CONCURRENCY, QuoteQueue } from './quote-queue';

const urls = strictFake<QueueUrls>({ queueUrl: async () => 'http://127.0.0.1:4566/000000000000/quotes' });

describe('QuoteQueue.publish', () => {
  it(`sends batches of 10, at most ${PUBLISH_CONCURRENCY} calls at a time, every entry once`, async () => {
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    const sqs = strictFake<SQSClient>({
      send: async (command: SendMessageBatchCommand) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        inFlight--;
        sent.push(...command.input.Entries!.map((e) => e.MessageBody!));
        return { Failed: [] };
      },
    });
    const bodies = Array.from({ length: 95 }, (_, i) => `quote ${i}`);

    const result = await new QuoteQueue(sqs, urls).publish(bodies);

    expect(result).toEqual({ published: 95, failed: 0 });
    expect(sent.sort()).toEqual([...bodies].sort());
    expect(most).toBe(PUBLISH_CONCURRENCY);
  });

  it('counts the entries SQS refuses, whichever batch they were in', async () => {
    const sqs = strictFake<SQSClient>({
      send: async (command: SendMessageBatchCommand) => ({
        Failed: command.input.Entries!.filter((e) => e.MessageBody === 'bad').map((e) => ({ Id: e.Id, SenderFault: true, Code: 'InvalidMessageContents' })),
      }),
    });
    const bodies = Array.from({ length: 30 }, (_, i) => (i % 7 ? `quote ${i}` : 'bad'));

    const result = await new QuoteQueue(sqs, urls).publish(bodies);

    expect(result).toEqual({ published: 25, failed: 5 });
  });
});

describe('QuoteQueue.publish without a queue URL', () => {
  it('counts every message as not published instead of throwing, and sends nothing', async () => {
    const sqs = strictFake<SQSClient>({}, 'sqs');
    const unknown = strictFake<QueueUrls>({
      queueUrl: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:4566');
      },
    });

    const result = await new QuoteQueue(sqs, unknown).publish(['a', 'b', 'c']);

    expect(result).toEqual({ published: 0, failed: 3 });
  });
});
