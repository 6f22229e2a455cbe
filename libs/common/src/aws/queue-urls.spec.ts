import type { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strictFake } from '../../../../test/support/strict-fake';
import { QueueUrls } from './queue-urls';

/** An SQS client whose GetQueueUrl fails the first `failures` times, then answers; counts the calls per name. */
function sqsThatComesUp(failures: number) {
  const calls: string[] = [];
  const sqs = strictFake<SQSClient>({
    send: async (command: GetQueueUrlCommand) => {
      const name = command.input.QueueName!;
      calls.push(name);
      if (calls.filter((c) => c === name).length <= failures) throw new Error('connect ECONNREFUSED 127.0.0.1:4566');
      return { QueueUrl: `http://127.0.0.1:4566/000000000000/${name}` };
    },
  });
  return { sqs, calls };
}

describe('QueueUrls', () => {
  it('looks nothing up until a URL is asked for', () => {
    const { sqs, calls } = sqsThatComesUp(0);

    new QueueUrls(sqs, { name: 'quotes', dlqName: 'quotes-dlq' });

    expect(calls).toEqual([]);
  });

  it('looks each queue up once for all its callers, concurrent ones included', async () => {
    const { sqs, calls } = sqsThatComesUp(0);
    const urls = new QueueUrls(sqs, { name: 'quotes', dlqName: 'quotes-dlq' });

    const answers = await Promise.all([urls.queueUrl(), urls.queueUrl(), urls.dlqUrl()]);
    await urls.queueUrl();

    expect(answers).toEqual([
      'http://127.0.0.1:4566/000000000000/quotes',
      'http://127.0.0.1:4566/000000000000/quotes',
      'http://127.0.0.1:4566/000000000000/quotes-dlq',
    ]);
    expect(calls.sort()).toEqual(['quotes', 'quotes-dlq']);
  });

  it('tries again after a failed lookup, and keeps the first answer', async () => {
    const { sqs, calls } = sqsThatComesUp(1);
    const urls = new QueueUrls(sqs, { name: 'quotes', dlqName: 'quotes-dlq' });

    await expect(urls.queueUrl()).rejects.toThrow(/ECONNREFUSED/);
    await expect(urls.queueUrl()).resolves.toBe('http://127.0.0.1:4566/000000000000/quotes');
    await urls.queueUrl();

    expect(calls).toEqual(['quotes', 'quotes']);
  });
});
