import { PreviousShapes } from '../../test/support/previous-layout';
import { QuoteTable } from '@app/common';
import { quoteFactory } from '../../test/support/factories';
import type { Call } from './call-counter';
import { DynamoCapacity, itemBytes, type WireItem, type WireValue } from './dynamodb-capacity';

// the JSON protocol's form of a plain object (what the document client sends), for the few types used here
const wire = (value: unknown): WireValue =>
  value === null ? { NULL: true }
  : typeof value === 'string' ? { S: value }
  : typeof value === 'number' ? { N: String(value) }
  : typeof value === 'boolean' ? { BOOL: value }
  : Array.isArray(value) ? { L: value.map(wire) }
  : { M: marshall(value as Record<string, unknown>) };
const marshall = (item: Record<string, unknown>): WireItem =>
  Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined).map(([k, v]) => [k, wire(v)]));

const INDEX_KEYS = [['gsi1pk', 'gsi1sk']];
const call = (operation: string, request: unknown, response: unknown = {}, status = 200): Call => ({
  operation,
  status,
  request: Buffer.from(JSON.stringify(request)),
  response: Buffer.from(JSON.stringify(response)),
});

describe('itemBytes', () => {
  it('counts names and values the way DynamoDB sizes an item', () => {
    // "pk" 2 + "H#A" 3; "price" 5 + 12.5 (3 significant digits: 2 + 1); "ok" 2 + 1; "l" 1 + list 3 + (1 + "x" 1) + (1 + 7: 2)
    const item = marshall({ pk: 'H#A', price: 12.5, ok: true, l: ['x', 7] });

    expect(itemBytes(item)).toBe(5 + 8 + 3 + (1 + 3 + 2 + 3));
  });

  it('sizes a quote item in well under 1 KB', () => {
    const bytes = itemBytes(marshall(PreviousShapes.latestItem(quoteFactory(), '2024-09-16T10:30:00.000Z')));

    expect(bytes).toBeGreaterThan(100);
    expect(bytes).toBeLessThan(1024);
  });
});

describe('DynamoCapacity', () => {
  const quote = quoteFactory();
  const history = marshall(QuoteTable.historyItem(quote, quote.quoteTime));
  const latest = marshall(PreviousShapes.latestItem(quote, quote.quoteTime));

  it('bills a put per started KB, and once more for the index the item is in', async () => {
    const capacity = new DynamoCapacity(INDEX_KEYS);

    await capacity.inspect(call('PutItem', { TableName: 't', Item: history }));
    await capacity.inspect(call('PutItem', { TableName: 't', Item: latest }));
    await capacity.inspect(call('PutItem', { TableName: 't', Item: { ...history, big: { S: 'x'.repeat(1500) } } }));

    expect(capacity.tally()).toMatchObject({ writeUnits: 1 + 2 + 2, indexWriteUnits: 1, itemWrites: 3, conditionFailed: 0 });
  });

  it('bills a failed condition on the table only, and nothing for other errors', async () => {
    const capacity = new DynamoCapacity(INDEX_KEYS);

    await capacity.inspect(call('PutItem', { Item: latest }, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException' }, 400));
    await capacity.inspect(call('PutItem', { Item: latest }, { __type: 'com.amazonaws.dynamodb.v20120810#ValidationException' }, 400));

    expect(capacity.tally()).toMatchObject({ writeUnits: 1, indexWriteUnits: 0, conditionFailed: 1, itemWrites: 1 });
  });

  it('bills the entries of a batch write that were processed, and transactions twice', async () => {
    const capacity = new DynamoCapacity(INDEX_KEYS);
    const unprocessed = { PutRequest: { Item: { ...history, sk: { S: 'later' } } } };

    await capacity.inspect(call('BatchWriteItem', { RequestItems: { t: [{ PutRequest: { Item: history } }, unprocessed] } }, { UnprocessedItems: { t: [unprocessed] } }));
    await capacity.inspect(call('TransactWriteItems', { TransactItems: [{ Put: { TableName: 't', Item: latest } }] }));

    expect(capacity.tally()).toMatchObject({ writeUnits: 1 + 2 * 2, indexWriteUnits: 2, itemWrites: 2 });
  });

  it('sizes an update by the item it leaves, read back', async () => {
    const capacity = new DynamoCapacity(INDEX_KEYS, async () => ({ ...latest, big: { S: 'x'.repeat(1500) } }));

    await capacity.inspect(call('UpdateItem', { TableName: 't', Key: { pk: latest.pk, sk: latest.sk }, UpdateExpression: 'SET big = :b' }));

    expect(capacity.tally()).toMatchObject({ writeUnits: 2 + 2, indexWriteUnits: 2 });
  });

  it('bills reads per started 4 KB, half when eventually consistent, a query by its total', async () => {
    const capacity = new DynamoCapacity(INDEX_KEYS);

    await capacity.inspect(call('GetItem', { Key: {}, ConsistentRead: true }, { Item: latest }));
    await capacity.inspect(call('GetItem', { Key: {} }, {}));
    await capacity.inspect(call('BatchGetItem', { RequestItems: { t: { Keys: [{}, {}, {}] } } }, { Responses: { t: [latest, history] } }));
    await capacity.inspect(call('Query', {}, { Items: [latest, history, latest] }));

    expect(capacity.tally().readUnits).toBe(1 + 0.5 + 3 * 0.5 + 0.5);
  });
});
