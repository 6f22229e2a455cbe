import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '@app/common';
import { quoteFactory } from '../../../../test/support/factories';
import { strictFake } from '../../../../test/support/strict-fake';
import { QuoteWriter, StoreUnavailableError } from './quote-writer';

const sdkError = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

function writerFailingWith(error: Error) {
  const dynamo = strictFake<DynamoDBDocumentClient>({
    send: (async () => {
      throw error;
    }) as never,
  });
  return new QuoteWriter(dynamo, parseConfig({}));
}

describe('QuoteWriter', () => {
  it.each([
    ['throttling', sdkError('ProvisionedThroughputExceededException', { $metadata: { httpStatusCode: 400 } })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['a 5xx answer', sdkError('InternalFailure', { $metadata: { httpStatusCode: 500 } })],
  ])('reports %s as the table being unavailable', async (_, error) => {
    const writer = writerFailingWith(error);

    await expect(writer.store(quoteFactory(), '2024-09-16T10:30:00.000Z')).rejects.toThrow(StoreUnavailableError);
    await expect(writer.ping()).rejects.toThrow(StoreUnavailableError);
  });

  it('passes any other error on as the SDK raised it', async () => {
    const error = sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } });

    await expect(writerFailingWith(error).store(quoteFactory(), '2024-09-16T10:30:00.000Z')).rejects.toBe(error);
  });

  it('counts a failed condition on the history item as a duplicate', async () => {
    const calls: string[] = [];
    const dynamo = strictFake<DynamoDBDocumentClient>({
      send: (async (command: { input: { ConditionExpression: string } }) => {
        calls.push(command.input.ConditionExpression);
        throw sdkError('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } });
      }) as never,
    });

    await expect(new QuoteWriter(dynamo, parseConfig({})).store(quoteFactory(), '2024-09-16T10:30:00.000Z')).resolves.toBe('duplicate');
    expect(calls).toHaveLength(2);
  });
});
