import type { ProviderName } from '@app/common';
import { answer, FakeProvider } from '../../../../test/support/ingest-kit';
import { chainsOver, missOf, serveChain } from './failover';
import type { ProviderRun, SkippedProvider } from './run-summary';

const providerRun = (provider: ProviderName, overrides: Partial<ProviderRun> = {}): ProviderRun => ({
  provider,
  fetched: 1,
  fresh: 1,
  published: 1,
  unpublished: 0,
  unchanged: 0,
  rejectedByReason: {},
  rejections: [],
  ...overrides,
});
const http500 = (provider: ProviderName) => ({
  fetched: 0,
  fresh: 0,
  published: 0,
  upstreamError: { provider, failure: 'unavailable' as const, message: `${provider}: upstream answered HTTP 500: down` },
});
const yahoo = new FakeProvider('yahoo-finance', answer([]));
const alpha = new FakeProvider('alpha-vantage', answer([]));
const paused: SkippedProvider = { provider: 'yahoo-finance', cause: 'quota', reason: 'quota exhausted, paused until 2024-09-16T14:01:00.000Z' };

/** A `call` that answers each provider's run from the table and notes the order of the calls. */
const calls = (answers: Partial<Record<ProviderName, Partial<ProviderRun>>>) => {
  const called: ProviderName[] = [];
  const call = async (p: { name: ProviderName }) => {
    called.push(p.name);
    return providerRun(p.name, answers[p.name]);
  };
  return { called, call };
};

describe('chainsOver', () => {
  it('keeps the configured chains over the providers there are and adds the others as chains of one', () => {
    expect(chainsOver([['yahoo-finance', 'alpha-vantage'], ['coingecko']], ['alpha-vantage', 'coingecko', 'demo'])).toEqual([
      ['alpha-vantage'],
      ['coingecko'],
      ['demo'],
    ]);
  });
});

describe('missOf', () => {
  it.each([
    ['a quote published', {}, null],
    ['only unchanged quotes', { fresh: 0, published: 0, unchanged: 2 }, null],
    ['some quotes before the quota ran out', { upstreamError: { provider: 'alpha-vantage' as const, failure: 'quota' as const, message: 'quota' } }, null],
    ['a 500', http500('alpha-vantage'), { cause: 'unavailable', reason: 'alpha-vantage: upstream answered HTTP 500: down' }],
    ['an answer without a valid row', { fetched: 3, fresh: 0, published: 0, rejectedByReason: { invalid_price: 3 } }, { cause: 'no_quotes', reason: 'alpha-vantage: answered without a valid quote' }],
  ])('judges a run with %s', (_, overrides, miss) => {
    expect(missOf(providerRun('alpha-vantage', overrides))).toEqual(miss);
  });
});

describe('serveChain', () => {
  const order: ProviderName[] = ['yahoo-finance', 'alpha-vantage'];

  it('calls only the first provider when it serves; the next stays on standby', async () => {
    const { called, call } = calls({});

    const chain = await serveChain(order, { callable: [yahoo, alpha], skipped: [] }, call);

    expect(called).toEqual(['yahoo-finance']);
    expect(chain.outcome).toEqual({ chain: 'yahoo-finance>alpha-vantage', order, servedBy: 'yahoo-finance', failedOver: [] });
    expect(chain.standby).toEqual([{ provider: 'alpha-vantage', cause: 'standby', reason: 'standby: yahoo-finance served its chain' }]);
  });

  it('calls the next provider in the same run when the first fails', async () => {
    const { called, call } = calls({ 'yahoo-finance': http500('yahoo-finance') });

    const chain = await serveChain(order, { callable: [yahoo, alpha], skipped: [] }, call);

    expect(called).toEqual(['yahoo-finance', 'alpha-vantage']);
    expect(chain.runs.map((r) => r.provider)).toEqual(['yahoo-finance', 'alpha-vantage']);
    expect(chain.outcome.servedBy).toBe('alpha-vantage');
    expect(chain.outcome.failedOver).toEqual([
      { from: 'yahoo-finance', to: 'alpha-vantage', cause: 'unavailable', reason: 'yahoo-finance: upstream answered HTTP 500: down' },
    ]);
    expect(chain.standby).toEqual([]);
  });

  it('starts at the next provider while the first is paused', async () => {
    const { called, call } = calls({});

    const chain = await serveChain(order, { callable: [alpha], skipped: [paused] }, call);

    expect(called).toEqual(['alpha-vantage']);
    expect(chain.outcome).toMatchObject({ servedBy: 'alpha-vantage', failedOver: [{ from: 'yahoo-finance', to: 'alpha-vantage', cause: 'quota', reason: paused.reason }] });
  });

  it('reports no server and no failover past the last provider when all fail', async () => {
    const { called, call } = calls({ 'yahoo-finance': http500('yahoo-finance'), 'alpha-vantage': http500('alpha-vantage') });

    const chain = await serveChain(order, { callable: [yahoo, alpha], skipped: [] }, call);

    expect(called).toEqual(['yahoo-finance', 'alpha-vantage']);
    expect(chain.outcome.servedBy).toBeNull();
    expect(chain.outcome.failedOver.map((f) => `${f.from}>${f.to}`)).toEqual(['yahoo-finance>alpha-vantage']);
  });

  it('calls nobody while the market of the chain is closed', async () => {
    const { called, call } = calls({});
    const closed = (provider: ProviderName): SkippedProvider => ({ provider, cause: 'market_closed', reason: 'market closed' });

    const chain = await serveChain(order, { callable: [], skipped: [closed('yahoo-finance'), closed('alpha-vantage')] }, call);

    expect(called).toEqual([]);
    expect(chain.outcome).toMatchObject({ servedBy: null, failedOver: [] });
  });
});
