import { decodeQuoteMessage, parseConfig, type ProviderName } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import type { ProviderFetch } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';

/** Monday 2024-09-16 10:00 in New York: NYSE is open. */
const NYSE_OPEN = new Date('2024-09-16T14:00:00.000Z');
const config = parseConfig({ MARKET_DATA_PROVIDER: 'yahoo-finance>alpha-vantage,coingecko' });

const stock = (source: ProviderName, symbol: string, quoteTime = '2024-09-16T13:59:00.000Z') =>
  candidateFactory({ source, symbol, series: null, price: 216.32, high: 217.22, low: 213.92, quoteTime });
const down = (failure: 'unavailable' | 'quota' = 'unavailable') => async (): Promise<ProviderFetch> => {
  throw new UpstreamError('yahoo-finance', failure, failure === 'quota' ? 'upstream answered HTTP 429: Too many requests' : 'upstream answered HTTP 500: down', {
    retryAfterSeconds: failure === 'quota' ? 60 : null,
  });
};

/** yahoo-finance then alpha-vantage for US stocks, coingecko beside them; yahoo answers what `yahooAnswer` says. */
function kit() {
  let now = NYSE_OPEN;
  let yahooAnswer: () => Promise<ProviderFetch> = answer([stock('yahoo-finance', 'AAPL'), stock('yahoo-finance', 'MSFT')]);
  const yahoo = new FakeProvider('yahoo-finance', () => yahooAnswer());
  const alpha = new FakeProvider('alpha-vantage', answer([stock('alpha-vantage', 'AAPL'), stock('alpha-vantage', 'MSFT')]));
  const coins = new FakeProvider('coingecko', answer([candidateFactory({ source: 'coingecko', symbol: 'BTC-USD', series: 'bitcoin' })]));
  const { queue, published } = fakeQueue();
  const parts = ingestKit([yahoo, alpha, coins], queue, { config, now: () => now });
  const sources = () => published.splice(0).flat().map((b) => `${decodeQuoteMessage(b).quote.source}:${decodeQuoteMessage(b).quote.symbol}`);
  return {
    ...parts,
    yahoo,
    alpha,
    sources,
    yahooAnswers: (next: () => Promise<ProviderFetch>) => (yahooAnswer = next),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

describe('IngestService with a failover chain', () => {
  it('serves the run from the second provider when the first fails, and the quotes keep their source', async () => {
    const { ingest, yahooAnswers, sources, registry, history } = kit();
    yahooAnswers(down());

    const summary = await ingest.run('cron');

    expect(sources().sort()).toEqual(['alpha-vantage:AAPL', 'alpha-vantage:MSFT', 'coingecko:BTC-USD']);
    expect(summary.chains).toEqual([
      {
        chain: 'yahoo-finance>alpha-vantage',
        order: ['yahoo-finance', 'alpha-vantage'],
        servedBy: 'alpha-vantage',
        failedOver: [{ from: 'yahoo-finance', to: 'alpha-vantage', cause: 'unavailable', reason: 'yahoo-finance: upstream answered HTTP 500: down' }],
      },
      { chain: 'coingecko', order: ['coingecko'], servedBy: 'coingecko', failedOver: [] },
    ]);
    expect(summary).toMatchObject({ outcome: 'partial', published: 3, providers: { 'yahoo-finance': { outcome: 'failed' }, 'alpha-vantage': { outcome: 'ok', published: 2 } } });
    const failovers = (await registry.getSingleMetric('quoteflow_ingest_failovers_total')!.get()).values;
    expect(failovers).toEqual([{ labels: { from: 'yahoo-finance', to: 'alpha-vantage' }, value: 1 }]);
    expect((await history.status()).chains[0]).toMatchObject({
      chain: 'yahoo-finance>alpha-vantage',
      servedBy: 'alpha-vantage',
      instruments: [expect.objectContaining({ symbol: 'AAPL', servedBy: 'alpha-vantage' }), expect.objectContaining({ symbol: 'MSFT', servedBy: 'alpha-vantage' })],
    });
  });

  it('goes back to the first provider on the next run once it answers again', async () => {
    const { ingest, yahoo, alpha, yahooAnswers, sources, history } = kit();
    yahooAnswers(down());
    await ingest.run('cron');
    sources();
    yahooAnswers(answer([stock('yahoo-finance', 'AAPL')]));

    const summary = await ingest.run('cron');

    expect([yahoo.calls, alpha.calls]).toEqual([2, 1]);
    // the coin's quote time has not moved: unchanged, not published again
    expect(sources()).toEqual(['yahoo-finance:AAPL']);
    expect(summary.outcome).toBe('ok');
    expect(summary.chains[0]).toMatchObject({ servedBy: 'yahoo-finance', failedOver: [] });
    expect(summary.providers['alpha-vantage']).toMatchObject({ outcome: 'skipped', reason: 'standby: yahoo-finance served its chain' });
    const [stocks] = (await history.status()).chains;
    expect(stocks.servedBy).toBe('yahoo-finance');
    // MSFT came from alpha-vantage last; yahoo-finance did not have it this time
    expect(stocks.instruments.map((i) => `${i.symbol}:${i.servedBy}`)).toEqual(['AAPL:yahoo-finance', 'MSFT:alpha-vantage']);
  });

  it('starts at the second provider while the first is paused for its quota, and back at the first after the pause', async () => {
    const { ingest, yahoo, alpha, yahooAnswers, advance } = kit();
    yahooAnswers(down('quota'));
    const first = await ingest.run('cron');
    yahooAnswers(answer([stock('yahoo-finance', 'AAPL', '2024-09-16T14:00:30.000Z')]));
    advance(30_000);

    const paused = await ingest.run('cron');
    advance(31_000);
    const after = await ingest.run('cron');

    expect(first.chains[0]).toMatchObject({ servedBy: 'alpha-vantage', failedOver: [{ from: 'yahoo-finance', cause: 'quota' }] });
    expect(paused.chains[0]).toMatchObject({
      servedBy: 'alpha-vantage',
      failedOver: [{ from: 'yahoo-finance', to: 'alpha-vantage', cause: 'quota', reason: 'quota exhausted, paused until 2024-09-16T14:01:00.000Z' }],
    });
    expect(after.chains[0]).toMatchObject({ servedBy: 'yahoo-finance', failedOver: [] });
    expect([yahoo.calls, alpha.calls]).toEqual([2, 2]);
  });

  it('hands over when the first answers without a valid quote', async () => {
    const { ingest, yahooAnswers, sources } = kit();
    yahooAnswers(answer([candidateFactory({ source: 'yahoo-finance', symbol: 'AAPL', price: null })]));

    const summary = await ingest.run('cron');

    expect(summary.chains[0].failedOver).toEqual([{ from: 'yahoo-finance', to: 'alpha-vantage', cause: 'no_quotes', reason: 'yahoo-finance: answered without a valid quote' }]);
    expect(sources().filter((s) => s.startsWith('alpha-vantage'))).toHaveLength(2);
  });

  it('hands the same run budget to the next provider', async () => {
    const { ingest, yahoo, alpha, yahooAnswers } = kit();
    yahooAnswers(down());
    const signals: (AbortSignal | undefined)[] = [];
    for (const p of [yahoo, alpha]) {
      const fetch = p.fetch.bind(p);
      p.fetch = (signal?: AbortSignal) => (signals.push(signal), fetch());
    }

    await ingest.run('cron');

    expect(signals).toHaveLength(2);
    expect(signals[0]).toBeInstanceOf(AbortSignal);
    expect(signals[1]).toBe(signals[0]);
  });
});
