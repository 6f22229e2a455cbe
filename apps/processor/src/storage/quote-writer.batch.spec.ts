import { parseConfig, type Quote } from '@app/common';
import { conditionFailed, countingDynamo, sdkError, type SentCommand } from '../../../../test/storage/fake-dynamo';
import { quoteFactory } from '../../../../test/support/factories';
import { QuoteWriter, StoreUnavailableError } from './quote-writer';
import { UNPROCESSED_RETRY } from './unprocessed-retry';

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

describe('QuoteWriter batches', () => {
  it('stores 10 quotes of distinct symbols with 11 DynamoDB calls: one BatchWriteItem and one conditional PutItem per symbol', async () => {
    const { sent, count, outcomes } = setup();

    await expect(outcomes(distinct(10))).resolves.toEqual(Array(10).fill('stored'));

    expect(sent).toHaveLength(11);
    expect(count('BatchWriteCommand')).toBe(1);
    expect(historyItems(sent[0]).map((item) => item.pk)).toEqual(distinct(10).map((q) => `H#${q.symbol}#EQ`));
    expect(sent.slice(1).every((c) => c.name === 'PutCommand' && c.input.ConditionExpression)).toBe(true);
  });

  it('counts a redelivered batch as duplicates, with no extra call when the failed conditions bring the stored items (AWS, DynamoDB Local)', async () => {
    const { sent, outcomes } = setup((c) => {
      if (c.name === 'PutCommand') throw conditionFailed(c.input.Item.quoteTime);
    });

    await expect(outcomes(distinct(10))).resolves.toEqual(Array(10).fill('duplicate'));
    expect(sent).toHaveLength(11);
  });

  it('reads the stored latest times in one BatchGetItem where the failed conditions bring no item (the embedded emulator)', async () => {
    const quotes = distinct(10);
    const stored = (i: number) => (i < 5 ? quotes[i].quoteTime : at(59)); // five repeats, five quotes older than what is stored
    const { sent, count, outcomes } = setup((c) => {
      if (c.name === 'PutCommand') throw conditionFailed();
      if (c.name === 'BatchGetCommand') {
        const keys = Object.values(c.input.RequestItems as Record<string, { Keys: { pk: string; sk: string }[] }>)[0].Keys;
        return { Responses: { quotes: keys.map((k) => ({ ...k, quoteTime: stored(Number(k.pk.slice('L#SYM'.length))) })) } };
      }
    });

    await expect(outcomes(quotes)).resolves.toEqual([...Array(5).fill('duplicate'), ...Array(5).fill('stored')]);
    expect(count('BatchGetCommand')).toBe(1);
    expect(sent).toHaveLength(12);
  });

  it('writes one latest item per instrument, of its newest quote in the batch', async () => {
    const quotes = [3, 7, 1, 9, 4, 0, 8, 2, 6, 5].map((minute) => quoteFactory({ price: 100 + minute, quoteTime: at(minute) }));
    const { sent, outcomes } = setup();

    await expect(outcomes(quotes)).resolves.toEqual(Array(10).fill('stored'));
    expect(sent.map((c) => c.name)).toEqual(['BatchWriteCommand', 'PutCommand']);
    expect(sent[1].input.Item).toMatchObject({ price: 109, quoteTime: at(9) });
  });

  it('sends the same quote twice in one batch as one history item, and counts the repeat as a duplicate', async () => {
    const { sent, outcomes } = setup();

    await expect(outcomes([quoteFactory(), quoteFactory({ symbol: 'TCS' }), quoteFactory()])).resolves.toEqual(['stored', 'stored', 'duplicate']);
    expect(historyItems(sent[0])).toHaveLength(2);
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
    expect(historyItems(sent[1]).map((item) => item.symbol)).toEqual(['SYM0', 'SYM1', 'SYM2']);
    expect(count('PutCommand')).toBe(10);
  });

  it('fails only the quotes whose history items stay unprocessed, and writes no latest item for them', async () => {
    const { sent, count, outcomes } = setup((c) => {
      if (c.name !== 'BatchWriteCommand') return;
      const stuck = historyItems(c).filter((item) => item.symbol === 'SYM3');
      return { UnprocessedItems: { quotes: stuck.map((Item) => ({ PutRequest: { Item } })) } };
    });

    const results = await outcomes(distinct(10));

    expect(results[3]).toBe(StoreUnavailableError.name);
    expect(results.filter((r) => r === 'stored')).toHaveLength(9);
    expect(count('BatchWriteCommand')).toBe(UNPROCESSED_RETRY.attempts);
    expect(sent.filter((c) => c.name === 'PutCommand').map((c) => c.input.Item.symbol)).not.toContain('SYM3');
  });

  it('fails every quote of an instrument whose latest write failed, its older ones too, and only those', async () => {
    const quotes = [quoteFactory({ symbol: 'TCS', quoteTime: at(1) }), quoteFactory(), quoteFactory({ symbol: 'TCS', quoteTime: at(2) })];
    const { outcomes } = setup((c) => {
      if (c.name === 'PutCommand' && c.input.Item.symbol === 'TCS') throw sdkError('ThrottlingException');
    });

    await expect(outcomes(quotes)).resolves.toEqual([StoreUnavailableError.name, 'stored', StoreUnavailableError.name]);
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
