import { parseConfig, type StoredQuote } from '@app/common';
import { quoteFactory } from '../../../../test/support/factories';
import type { QuoteReader } from './quote-reader';
import { QuotesService } from './quotes.service';

const stored = (): StoredQuote => ({ ...quoteFactory(), insertedAt: '2024-09-16T10:30:01.000Z' });

function serviceOver(latestBySeries: (symbol: string) => Promise<StoredQuote[]>) {
  const calls: string[] = [];
  const reader = {
    latestBySeries: (symbol: string) => {
      calls.push(symbol);
      return latestBySeries(symbol);
    },
  } as unknown as QuoteReader;
  return { service: new QuotesService(reader, parseConfig({}), {} as never), calls };
}

describe('QuotesService latest cache', () => {
  it('reads a symbol once for any number of concurrent requests (single flight)', async () => {
    const { service, calls } = serviceOver(async () => [stored()]);

    const answers = await Promise.all(Array.from({ length: 50 }, () => service.latestAnswer('RELIANCE')));

    expect(calls).toEqual(['RELIANCE']);
    expect(new Set(answers.map((a) => a?.etag)).size).toBe(1);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ symbol: 'RELIANCE', ageSeconds: expect.any(Number), stale: true }); // a quote of 2024
  });

  it('answers a failed read as an error, never as "nothing stored"', async () => {
    const { service } = serviceOver(async () => {
      throw new Error('socket hang up');
    });

    await expect(service.latestAnswer('RELIANCE')).rejects.toThrow('socket hang up');
  });
});
