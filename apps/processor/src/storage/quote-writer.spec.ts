import { parseConfig } from '@app/common';
import { conditionFailed, countingDynamo, sdkError } from '../../../../test/storage/fake-dynamo';
import { quoteFactory } from '../../../../test/support/factories';
import { QuoteWriter, StoreUnavailableError } from './quote-writer';

const INSERTED_AT = '2024-09-16T10:30:00.000Z';

function writerFailingWith(error: Error) {
  const { dynamo } = countingDynamo(() => {
    throw error;
  });
  return new QuoteWriter(dynamo, parseConfig({}));
}

describe('QuoteWriter', () => {
  it.each([
    ['throttling', sdkError('ProvisionedThroughputExceededException')],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
    ['a 5xx answer', sdkError('InternalFailure', { $metadata: { httpStatusCode: 500 } })],
  ])('reports %s as the table being unavailable', async (_, error) => {
    const writer = writerFailingWith(error);

    await expect(writer.store(quoteFactory(), INSERTED_AT)).rejects.toThrow(StoreUnavailableError);
  });

  it('passes any other error on as the SDK raised it', async () => {
    const error = sdkError('ResourceNotFoundException');

    await expect(writerFailingWith(error).store(quoteFactory(), INSERTED_AT)).rejects.toBe(error);
  });

  it('writes a backfilled bar only where no live quote holds its instant, and counts one turned away as a duplicate', async () => {
    const bar = quoteFactory({ origin: 'backfill', interval: '1m' });
    const { dynamo, sent } = countingDynamo((c) => {
      if (c.name === 'PutCommand' && c.input.Item.pk.startsWith('H#')) throw conditionFailed();
    });

    await expect(new QuoteWriter(dynamo, parseConfig({})).store(bar, INSERTED_AT)).resolves.toBe('duplicate');
    expect(sent.find((c) => c.input.Item?.pk?.startsWith('H#'))?.input.ConditionExpression).toBe('attribute_not_exists(pk) OR origin = :backfill');
  });
});
