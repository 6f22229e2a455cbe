import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { strictFake } from '../../../../test/support/strict-fake';
import { StoreUnavailableError, type QuoteWriter } from '../storage/quote-writer';
import { ReceiveGate, ReceivingStoppedError } from './receive-gate';

function gateWithTable(answers: ('up' | 'down')[]) {
  const probes: string[] = [];
  const writer = strictFake<QuoteWriter>({
    ping: async () => {
      const answer = answers[probes.length] ?? 'up';
      probes.push(answer);
      if (answer === 'down') throw new StoreUnavailableError('table unavailable: ECONNREFUSED');
    },
  });
  return { gate: new ReceiveGate(writer), probes };
}

describe('ReceiveGate', () => {
  it('lets every receive through while the table is fine, without probing it', async () => {
    const { gate, probes } = gateWithTable([]);

    await expect(gate.beforeReceive()).resolves.toBeUndefined();
    expect(probes).toEqual([]);
  });

  it('holds the next receive back until the table answers again', async () => {
    const { gate, probes } = gateWithTable(['down', 'down', 'up']);

    gate.storeUnavailable();
    await gate.beforeReceive();

    expect(probes).toEqual(['down', 'down', 'up']);
    await expect(gate.beforeReceive()).resolves.toBeUndefined();
  });

  it('refuses to receive once stopped, also while it waits for the table', async () => {
    const { gate } = gateWithTable(['down', 'down', 'down', 'down']);
    gate.storeUnavailable();
    const waiting = gate.beforeReceive();

    gate.stop();

    await expect(waiting).rejects.toThrow(ReceivingStoppedError);
    await expect(gate.beforeReceive()).rejects.toThrow(ReceivingStoppedError);
  });

  it('cancels only the receives of the consumer client on stop, never its deletes', async () => {
    const signals: { command: string; aborted: boolean | undefined }[] = [];
    const sqs = strictFake<SQSClient>({
      send: (async (command: object, options?: { abortSignal?: AbortSignal }) => {
        signals.push({ command: command.constructor.name, aborted: options?.abortSignal?.aborted });
        return {};
      }) as never,
    });
    const { gate } = gateWithTable([]);
    const client = gate.consumerClient(sqs);

    gate.stop();
    await client.send(new ReceiveMessageCommand({ QueueUrl: 'q' }), { abortSignal: new AbortController().signal });
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: 'q', Entries: [] }), { abortSignal: new AbortController().signal });

    expect(signals).toEqual([
      { command: 'ReceiveMessageCommand', aborted: true },
      { command: 'DeleteMessageBatchCommand', aborted: false },
    ]);
  });
});
