import { encodeQuoteMessage, type Quote } from '@app/common';
import { quoteFactory } from '../../../../test/support/factories';
import { strictFake } from '../../../../test/support/strict-fake';
import type { DeadLetterQueue } from '../dead-letters/dead-letter-queue';
import { StoreUnavailableError, type QuoteWriter, type StoreResult } from '../storage/quote-writer';
import { Registry } from 'prom-client';
import { BatchMetrics } from './batch.metrics';
import { QuoteBatchService } from './quote-batch.service';

const record = (messageId: string, quote: Quote | string) => ({
  messageId,
  body: typeof quote === 'string' ? quote : encodeQuoteMessage(quote, 'run', '2024-09-16T10:30:00.000Z'),
});

function setup(store: (quote: Quote) => Promise<StoreResult>, deadLetter = async () => {}) {
  const stored: { quote: Quote; insertedAt: string }[] = [];
  const dead: { body: string | undefined; reason: string; id: string }[] = [];
  const writer = strictFake<QuoteWriter>({
    store: async (quote: Quote, insertedAt: string) => {
      const result = await store(quote);
      stored.push({ quote, insertedAt });
      return result;
    },
  });
  const deadLetters = strictFake<DeadLetterQueue>({
    send: async (body: string | undefined, reason: string, id: string) => {
      await deadLetter();
      dead.push({ body, reason, id });
    },
  });
  const registry = new Registry();
  return { service: new QuoteBatchService(writer, deadLetters, new BatchMetrics(registry)), stored, dead, registry };
}

describe('QuoteBatchService', () => {
  it('stores every quote of a batch with the time it was stored', async () => {
    const { service, stored } = setup(async () => 'stored');
    const before = new Date().toISOString();

    const outcome = await service.process([record('a', quoteFactory()), record('b', quoteFactory({ symbol: 'TCS' }))]);

    expect(outcome).toEqual({ done: ['a', 'b'], failed: [], stored: 2, duplicates: 0, deadLettered: 0, storeUnavailable: 0 });
    expect(stored.map((s) => s.quote)).toEqual([quoteFactory(), quoteFactory({ symbol: 'TCS' })]);
    expect(stored.every((s) => s.insertedAt >= before)).toBe(true);
  });

  it('hands the writer every quote of a batch in one turn, so that it writes them together', async () => {
    let calls = 0;
    const { service } = setup(async () => (calls++, 'stored'));
    const quotes = Array.from({ length: 10 }, (_, i) => quoteFactory({ symbol: `SYM${i}` }));

    const processing = service.process(quotes.map((q, i) => record(`m${i}`, q)));
    const inFirstTurn = calls;
    await processing;

    expect(inFirstTurn).toBe(10);
  });

  it('acknowledges a duplicate like a stored quote', async () => {
    const { service } = setup(async () => 'duplicate');

    await expect(service.process([record('a', quoteFactory())])).resolves.toMatchObject({ done: ['a'], duplicates: 1 });
  });

  it('moves a poison message to the DLQ with its reason and keeps going', async () => {
    const { service, dead } = setup(async () => 'stored');

    const outcome = await service.process([record('a', quoteFactory()), record('bad', 'not json'), record('c', quoteFactory())]);

    expect(outcome).toEqual({ done: ['a', 'bad', 'c'], failed: [], stored: 2, duplicates: 0, deadLettered: 1, storeUnavailable: 0 });
    expect(dead).toEqual([{ body: 'not json', reason: 'body is not JSON', id: 'bad' }]);
  });

  it('leaves a message whose write failed on the queue, and only that one', async () => {
    const { service } = setup(async (quote) => {
      if (quote.symbol === 'TCS') throw Object.assign(new Error('item too odd'), { name: 'ValidationException' });
      return 'stored';
    });

    const outcome = await service.process([record('a', quoteFactory()), record('b', quoteFactory({ symbol: 'TCS' }))]);

    expect(outcome).toMatchObject({ done: ['a'], failed: ['b'], stored: 1, storeUnavailable: 0 });
  });

  it('counts the messages that failed because the table was unavailable', async () => {
    const { service } = setup(async () => {
      throw new StoreUnavailableError('table unavailable: ProvisionedThroughputExceededException');
    });

    const outcome = await service.process([record('a', quoteFactory()), record('b', quoteFactory({ symbol: 'TCS' }))]);

    expect(outcome).toEqual({ done: [], failed: ['a', 'b'], stored: 0, duplicates: 0, deadLettered: 0, storeUnavailable: 2 });
  });

  it('counts every message by outcome, the DLQ sends by kind and the lag of stored quotes in its metrics', async () => {
    const { service, registry } = setup(async (quote) => (quote.symbol === 'TCS' ? 'duplicate' : 'stored'));

    await service.process([record('a', quoteFactory()), record('b', quoteFactory({ symbol: 'TCS' })), record('bad', 'not json')]);

    const values = async (name: string) => (await registry.getSingleMetric(name)!.get()).values;
    const byOutcome = Object.fromEntries((await values('quoteflow_messages_processed_total')).map((v) => [v.labels.outcome, v.value]));
    expect(byOutcome).toEqual({ stored: 1, duplicate: 1, dead_lettered: 1 });
    expect(await values('quoteflow_duplicates_skipped_total')).toMatchObject([{ value: 1 }]);
    expect(await values('quoteflow_batches_processed_total')).toMatchObject([{ value: 1 }]);
    expect(await values('quoteflow_dlq_sends_total')).toMatchObject([{ labels: { reason: 'not_json' }, value: 1 }]);
    const lagCount = (await values('quoteflow_pipeline_lag_seconds')).find((v) => (v as { metricName?: string }).metricName === 'quoteflow_pipeline_lag_seconds_count');
    expect(lagCount?.value).toBe(1);
  });

  it('leaves a poison message on the queue when the DLQ cannot take it', async () => {
    const { service } = setup(
      async () => 'stored',
      async () => {
        throw new Error('DLQ unreachable');
      },
    );

    await expect(service.process([record('bad', '{')])).resolves.toMatchObject({ done: [], failed: ['bad'] });
  });
});
