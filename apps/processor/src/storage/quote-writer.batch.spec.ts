import { parseConfig, UNPROCESSED_RETRY, type Quote } from '@app/common';
import { conditionFailed, countingDynamo, sdkError, type SentCommand } from '../../../../test/storage/fake-dynamo';
import { quoteFactory } from '../../../../test/support/factories';
import { QuoteWriter, StoreUnavailableError } from './quote-writer';

const INSERTED_AT = '2024-09-16T10:30:00.000Z';
const at = (minute: number) => `2024-09-16T10:${String(minute).padStart(2, '0')}:00.000Z`;
const distinct = (n: number) => Array.from({ length: n }, (_, i) => quoteFactory({ symbol: `SYM${i}`, price: 100 + i }));

function setup(answer?: (command: SentCommand) => unknown) {
  const fake = countingDynamo(answer);
  const writer = new QuoteWriter(fake.dynamo, parseConfig({}));
  // one batch: every store() in the same turn, as the batch service calls it
  const storeAll = (quotes: Quote[]) => Promise.allSettled(quotes.map((q) => writer.store(q, INSERTED_AT)));
  const outcomes = async (quotes: Quote[]) => (await storeAll(quotes)).map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).name));
  return { ...fake, writer, outcomes };
}

const historyItems = (c: SentCommand) => (Object.values(c.input.RequestItems)[0] as { PutRequest: { Item: Record<string, unknown> } }[]).map((r) => r.PutRequest.Item);
const batchWrites = (sent: SentCommand[]) => sent.filter((c) => c.name === 'BatchWriteCommand');

describe('QuoteWriter batches', () => {
  it('stores 10 quotes of new instruments with one BatchWriteItem and one conditional registry put each, and the next batch of them with the BatchWriteItem alone', async () => {
    const { sent, count, writer, outcomes } = setup();
    await expect(outcomes(distinct(10))).resolves.toEqual(Array(10).fill('stored'));
    expect(count('BatchWriteCommand')).toBe(1);
    expect(historyItems(sent.find((c) => c.name === 'BatchWriteCommand')!).map((item) => item.pk)).toEqual(distinct(10).map((q) => `H#${q.symbol}#EQ`));
    expect(sent.filter((c) => c.name === 'PutCommand').map((c) => [c.input.Item.pk.slice(0, 2), c.input.ConditionExpression])).toEqual(Array(10).fill(['I#', 'attribute_not_exists(pk)']));

    sent.length = 0;
    await Promise.all(distinct(10).map((q) => writer.store({ ...q, quoteTime: at(31) }, INSERTED_AT)));
    expect(sent.map((c) => c.name)).toEqual(['BatchWriteCommand']);
  });

  it('takes a failed registry condition (another processor registered it first) as registered', async () => {
    const { sent, writer, outcomes } = setup((c) => {
      if (c.name === 'PutCommand') throw conditionFailed();
    });
    await expect(outcomes(distinct(3))).resolves.toEqual(Array(3).fill('stored'));

    sent.length = 0;
    await writer.store(distinct(1)[0], INSERTED_AT);
    expect(sent.map((c) => c.name)).toEqual(['BatchWriteCommand']);
  });

  it('fails the quotes of an instrument whose registry put failed, and puts it again with the next batch', async () => {
    let failing = true;
    const { count, outcomes } = setup((c) => {
      if (c.name === 'PutCommand' && c.input.Item.symbol === 'SYM1' && failing) throw sdkError('ThrottlingException');
    });
    await expect(outcomes(distinct(3))).resolves.toEqual(['stored', StoreUnavailableError.name, 'stored']);

    failing = false;
    await expect(outcomes(distinct(3))).resolves.toEqual(Array(3).fill('stored'));
    expect(count('PutCommand')).toBe(4);
  });

  it('sends the same quote twice in one batch as one history item, and counts the repeat as a duplicate', async () => {
    const { sent, outcomes } = setup();

    await expect(outcomes([quoteFactory(), quoteFactory({ symbol: 'TCS' }), quoteFactory()])).resolves.toEqual(['stored', 'stored', 'duplicate']);
    expect(historyItems(batchWrites(sent)[0])).toHaveLength(2);
  });

  it('re-sends the UnprocessedItems of a BatchWriteItem until they are written', async () => {
    const quotes = distinct(10);
    let first = true;
    const { sent, count, outcomes } = setup((c) => {
      if (c.name !== 'BatchWriteCommand' || !first) return;
      first = false;
      return { UnprocessedItems: { quotes: historyItems(c).slice(0, 3).map((Item) => ({ PutRequest: { Item } })) } };
    });

    await expect(outcomes(quotes)).resolves.toEqual(Array(10).fill('stored'));
    expect(count('BatchWriteCommand')).toBe(2);
    expect(historyItems(batchWrites(sent)[1]).map((item) => item.symbol)).toEqual(['SYM0', 'SYM1', 'SYM2']);
    expect(count('PutCommand')).toBe(10); // the registry puts
  });

  it('fails only the quotes whose history items stay unprocessed', async () => {
    const { sent, count, outcomes } = setup((c) => {
      if (c.name !== 'BatchWriteCommand') return;
      const stuck = historyItems(c).filter((item) => item.symbol === 'SYM3');
      return { UnprocessedItems: { quotes: stuck.map((Item) => ({ PutRequest: { Item } })) } };
    });

    const results = await outcomes(distinct(10));

    expect(results[3]).toBe(StoreUnavailableError.name);
    expect(results.filter((r) => r === 'stored')).toHaveLength(9);
    expect(count('BatchWriteCommand')).toBe(UNPROCESSED_RETRY.attempts);
  });

  it('writes more than 25 history items in calls of at most 25', async () => {
    const { sent, outcomes } = setup();

    await expect(outcomes(distinct(30))).resolves.toEqual(Array(30).fill('stored'));
    expect(sent.filter((c) => c.name === 'BatchWriteCommand').map((c) => historyItems(c).length)).toEqual([25, 5]);
  });

  it('writes the items one by one when DynamoDB refuses a BatchWriteItem, so only the faulty quote fails', async () => {
    const refused = sdkError('ValidationException');
    const { outcomes } = setup((c) => {
      if (c.name === 'BatchWriteCommand') throw refused;
      if (c.name === 'PutCommand' && !c.input.ConditionExpression && c.input.Item.symbol === 'SYM1') throw refused;
    });

    await expect(outcomes(distinct(3))).resolves.toEqual(['stored', 'ValidationException', 'stored']);
  });

  it('writes the calls of separate turns as separate batches', async () => {
    const { writer, count } = setup();

    await writer.store(quoteFactory(), INSERTED_AT);
    await writer.store(quoteFactory({ symbol: 'TCS' }), INSERTED_AT);

    expect(count('BatchWriteCommand')).toBe(2);
  });
});
