import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { strictFake } from '../../../../test/support/strict-fake';
import type { TableProbe } from '@app/common';
import { ReceiveGate, ReceivingStoppedError } from './receive-gate';
import { Registry } from 'prom-client';
import { BatchMetrics } from './batch.metrics';

function gateWithTable(answers: ('up' | 'down')[]) {
  const probes: string[] = [];
  const table = strictFake<TableProbe>({
    status: async () => {
      const answer = answers[probes.length] ?? 'up';
      probes.push(answer);
      if (answer === 'down') throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
      return 'ACTIVE';
    },
  });
  const registry = new Registry();
  return { gate: new ReceiveGate(table, new BatchMetrics(registry)), probes, registry };
}

describe('ReceiveGate', () => {
  it('lets every receive through while the table is fine, without probing it', async () => {
    const { gate, probes } = gateWithTable([]);

    await expect(gate.beforeReceive()).resolves.toBeUndefined();
    expect(probes).toEqual([]);
  });

  it('holds the next receive back until the table answers again, and says so in its metric', async () => {
    const { gate, probes, registry } = gateWithTable(['down', 'down', 'up']);
    const paused = async () => (await registry.getSingleMetric('quoteflow_receive_paused')!.get()).values[0].value;

    gate.storeUnavailable();
    await expect(paused()).resolves.toBe(1);
    await gate.beforeReceive();

    expect(probes).toEqual(['down', 'down', 'up']);
    await expect(paused()).resolves.toBe(0);
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
