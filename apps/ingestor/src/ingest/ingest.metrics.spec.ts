import { CloudWatchMetrics, parseConfig } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit, OPEN } from '../../../../test/support/ingest-kit';
import { emfRecords as emf } from '../../../../test/support/emf';
import { metricValue } from '../../../../test/support/prometheus';
import { UpstreamError } from '../market-data/upstream.error';

/** Tuesday 2026-11-24, 11:30 in Mumbai: an NSE holiday in the calendar data file. */
const NSE_HOLIDAY = new Date('2026-11-24T06:00:00.000Z');

/** The ingest path with its metrics and CloudWatch figures, on one clock. */
function kit(providers: FakeProvider[], now: () => Date) {
  const cloudWatch = new CloudWatchMetrics('Quoteflow', 'ingestor', { flushEveryMs: null });
  const { ingest, selection, registry, store } = ingestKit(providers, fakeQueue().queue, { now, config: parseConfig({}), cloudWatch });
  return { ingest, selection, registry, store };
}

describe('IngestMetrics: what the alert rules read', () => {
  const nse = () => new FakeProvider('latest-stock-price', answer([candidateFactory()]));
  const coins = () => new FakeProvider('coingecko', answer([candidateFactory({ symbol: 'BTC-USD', source: 'coingecko', series: null })]));

  it('shows each provider\'s market: 0 for NSE on its holiday, 1 for crypto, labelled by the calendar that decides', async () => {
    const { registry } = kit([nse(), coins()], () => NSE_HOLIDAY);

    const page = await registry.metrics();

    expect(metricValue(page, 'quoteflow_market_open', { provider: 'latest-stock-price', market: 'NSE' })).toBe(0);
    expect(metricValue(page, 'quoteflow_market_open', { provider: 'coingecko', market: 'always' })).toBe(1);
  });

  it('shows NSE open on a trading morning', async () => {
    const { registry } = kit([nse()], () => OPEN);

    expect(metricValue(await registry.metrics(), 'quoteflow_market_open', { provider: 'latest-stock-price', market: 'NSE' })).toBe(1);
  });

  it('shows a provider paused by a quota answer, and 0 for the other reason, so both series exist', async () => {
    const { selection, registry, store } = kit([nse()], () => OPEN);

    await selection.answered('latest-stock-price', new UpstreamError('latest-stock-price', 'quota', 'quota exhausted', { status: 429, retryAfterSeconds: 600 }), await store.snapshot());
    const page = await registry.metrics();

    expect(metricValue(page, 'quoteflow_provider_paused', { provider: 'latest-stock-price', reason: 'quota' })).toBe(1);
    expect(metricValue(page, 'quoteflow_provider_paused', { provider: 'latest-stock-price', reason: 'auth' })).toBe(0);
  });

  it('writes one CloudWatch record per run: a closed-market run is good with MarketOpen 0, a failed run while open is not', async () => {
    const failing = new FakeProvider('latest-stock-price', async () => {
      throw new UpstreamError('latest-stock-price', 'unavailable', 'upstream answered HTTP 500', { status: 500 });
    });
    const closed = kit([nse()], () => NSE_HOLIDAY);
    const open = kit([failing], () => OPEN);

    const [holiday] = await emf(() => closed.ingest.run('cron'));
    const [down] = await emf(() => open.ingest.run('cron'));

    expect(holiday).toMatchObject({ service: 'ingestor', IngestRuns: 1, IngestRunsGood: 1, IngestRunsFailed: 0, MarketOpen: 0, QuotesPublished: 0 });
    expect(down).toMatchObject({ IngestRuns: 1, IngestRunsGood: 0, IngestRunsFailed: 1, MarketOpen: 1, ProvidersPaused: 0 });
  });
});
