import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { once } from 'node:events';
import { strictFake } from '../../../../test/support/strict-fake';
import { QueuePollers } from './queue-pollers';

/** A queue of one-message batches; once empty, a receive waits until the test stops receiving. */
function fakeQueue(bodies: string[]) {
  const waiting: Message[] = bodies.map((Body, i) => ({ MessageId: `m${i}`, ReceiptHandle: `r${i}`, Body }));
  const deleted: string[] = [];
  const stopReceiving = new AbortController();
  const sqs = strictFake<SQSClient>({
    send: async (command: unknown) => {
      if (command instanceof ReceiveMessageCommand) {
        const message = waiting.shift();
        if (message) return { Messages: [message] };
        if (!stopReceiving.signal.aborted) await once(stopReceiving.signal, 'abort');
        throw new Error('receive cancelled');
      }
      if (command instanceof DeleteMessageBatchCommand) {
        deleted.push(...command.input.Entries!.map((e) => e.Id!));
        return { Successful: command.input.Entries!.map((e) => ({ Id: e.Id })), Failed: [] };
      }
      throw new Error(`unexpected ${(command as object).constructor.name}`);
    },
  });
  return { sqs, deleted, stopReceiving };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('QueuePollers', () => {
  it('runs its loops side by side, deletes exactly what the handler answers, and on shutdown waits for the batches in flight', async () => {
    const queue = fakeQueue(['store me', 'keep me']);
    const bothArrived = deferred();
    const release = deferred();
    const arrivals: string[] = [];
    const pollers = new QueuePollers({
      sqs: queue.sqs,
      queueUrl: 'http://127.0.0.1:4566/000000000000/quotes',
      pollers: 2,
      batchSize: 10,
      stopWaitMs: 30_000,
      // a loop holds its batch until the other loop has received one too: one loop alone never gets there
      handleBatch: async (messages) => {
        arrivals.push(...messages.map((m) => m.Body!));
        if (arrivals.length === 2) bothArrived.resolve();
        await release.promise;
        return messages.filter((m) => m.Body === 'store me');
      },
      beforeReceive: async () => undefined,
      stopReceiving: () => queue.stopReceiving.abort(),
    });

    pollers.onApplicationBootstrap();
    await bothArrived.promise;
    const stopping = pollers.beforeApplicationShutdown();
    release.resolve();
    await stopping;

    expect(pollers.count).toBe(2);
    expect(arrivals.sort()).toEqual(['keep me', 'store me']);
    expect(queue.deleted).toEqual(['m0']);
  });

  it('shuts down at once when it never started', async () => {
    const queue = fakeQueue([]);
    const pollers = new QueuePollers({
      sqs: queue.sqs,
      queueUrl: 'http://127.0.0.1:4566/000000000000/quotes',
      pollers: 3,
      batchSize: 10,
      stopWaitMs: 30_000,
      handleBatch: async () => [],
      beforeReceive: async () => undefined,
      stopReceiving: () => queue.stopReceiving.abort(),
    });

    await expect(pollers.beforeApplicationShutdown()).resolves.toBeUndefined();
    expect(queue.deleted).toEqual([]);
  });
});
