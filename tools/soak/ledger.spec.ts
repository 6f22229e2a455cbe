import { percentile, reconcile, type LedgerInput, type ProcessRuns, type StoredItem } from './ledger';
import { centsValue, PricePath, soakSymbol } from './price-path';
import type { ServedRequest } from './soak-upstream';

const TICK_S = 1;
const FIRST = 1_790_000_000;
const at = (tick: number, ms = 100) => tick * 1000 + ms;

function setUp(instruments = 3) {
  const path = new PricePath(9, instruments, FIRST);
  const a: ProcessRuns = { key: 'ka', name: 'ingestor-a#1', runsAt: [], killed: false };
  const b: ProcessRuns = { key: 'kb', name: 'ingestor-b#1', runsAt: [], killed: true };
  const requests: ServedRequest[] = [];
  const serve = (proc: ProcessRuns, tick: number, reported: boolean) => {
    path.at(tick);
    requests.push({ client: proc.key, at: at(tick), status: 200, mode: 'serve', tick });
    if (reported) proc.runsAt.push(at(tick, 300));
  };
  const item = (index: number, tick: number, change: Partial<StoredItem> = {}): StoredItem => {
    const q = path.quote(tick, index)!;
    return {
      symbol: soakSymbol(index),
      series: 'EQ',
      price: centsValue(q.priceCents),
      high: centsValue(q.highCents),
      low: centsValue(q.lowCents),
      quoteTime: new Date(tick * 1000).toISOString(),
      insertedAt: new Date(at(tick, 600)).toISOString(),
      ...change,
    };
  };
  const input = (history: StoredItem[], latest?: LedgerInput['latest']): LedgerInput => ({
    requests,
    ingestors: [a, b],
    path,
    tickSeconds: TICK_S,
    history,
    latest: latest ?? newestOf(history),
  });
  return { a, b, serve, item, input, requests };
}

function newestOf(history: StoredItem[]): LedgerInput['latest'] {
  const newest = new Map<string, StoredItem>();
  for (const h of history) if ((newest.get(h.symbol)?.quoteTime ?? '') < h.quoteTime) newest.set(h.symbol, h);
  return [...newest.values()].map(({ symbol, price, high, low, quoteTime }) => ({ symbol, quote: { price, high, low, quoteTime } }));
}

describe('reconcile', () => {
  it('finds nothing wrong when every served quote is stored once, exactly', () => {
    const { a, serve, item, input } = setUp();
    serve(a, FIRST, true);
    serve(a, FIRST + 1, true);
    const history = [0, 1, 2].flatMap((i) => [item(i, FIRST), item(i, FIRST + 1)]);

    const ledger = reconcile(input(history));

    expect(ledger).toMatchObject({ served: 6, published: 6, stored: 6, lost: 0, doubled: 0, invented: 0, mismatched: 0, lostToKilledRuns: 0, latestWrong: [] });
    expect(Array.from(ledger.lagsMs)).toEqual([500, 500, 500, 500, 500, 500]);
  });

  it('counts a missing quote of a run that reported as lost', () => {
    const { a, serve, item, input } = setUp();
    serve(a, FIRST, true);

    const ledger = reconcile(input([item(0, FIRST), item(1, FIRST)]));

    expect(ledger).toMatchObject({ served: 3, published: 3, lost: 1, lostToKilledRuns: 0 });
    expect(ledger.examples).toContain(`lost: SOAK0003 ${new Date(FIRST * 1000).toISOString()}`);
  });

  it('counts quotes served only to a killed run apart, naming the run', () => {
    const { b, serve, item, input } = setUp();
    serve(b, FIRST, false);

    const ledger = reconcile(input([item(0, FIRST)]));

    expect(ledger).toMatchObject({ served: 3, published: 0, lost: 0, lostToKilledRuns: 2 });
    expect(ledger.killedRuns).toEqual([{ process: 'ingestor-b#1', runId: null, answeredAt: new Date(at(FIRST)).toISOString(), missing: 2 }]);
  });

  it('names a killed run by the id its log lines gave before the kill', () => {
    const { b, serve, input } = setUp(1);
    b.runIds = [{ at: at(FIRST - 5), runId: 'earlier-run' }, { at: at(FIRST, 200), runId: 'killed-run' }];
    serve(b, FIRST, false);

    expect(reconcile(input([])).killedRuns.map((r) => r.runId)).toEqual(['killed-run']);
  });

  it('holds a run that did not report against a process that was not killed', () => {
    const { a, serve, input } = setUp(1);
    serve(a, FIRST, false);

    expect(reconcile(input([]))).toMatchObject({ lost: 1, lostToKilledRuns: 0 });
  });

  it('requires a quote served to a killed run and to one that reported', () => {
    const { a, b, serve, input } = setUp(1);
    serve(b, FIRST, false);
    serve(a, FIRST, true);

    expect(reconcile(input([]))).toMatchObject({ served: 1, published: 1, lost: 1, lostToKilledRuns: 0 });
  });

  it('finds invented, doubled and altered quotes', () => {
    const { a, serve, item, input } = setUp(2);
    serve(a, FIRST, true);
    const history = [
      item(0, FIRST),
      item(0, FIRST, { series: null }),
      item(1, FIRST, { price: item(1, FIRST).price + 0.01 }),
      { ...item(1, FIRST), quoteTime: new Date((FIRST + 5) * 1000).toISOString() },
      { ...item(0, FIRST), symbol: 'RELIANCE' },
    ];

    const ledger = reconcile(input(history, newestOf([history[0], history[2]])));

    expect(ledger).toMatchObject({ invented: 3, doubled: 1, mismatched: 1, lost: 0 });
  });

  it('finds an API latest that is not the newest stored quote', () => {
    const { a, serve, item, input } = setUp(1);
    serve(a, FIRST, true);
    serve(a, FIRST + 1, true);
    const history = [item(0, FIRST), item(0, FIRST + 1)];

    const ledger = reconcile(input(history, newestOf([history[0]])));

    expect(ledger.latestWrong).toEqual(['SOAK0001']);
  });

  it('ignores answers that held no quotes', () => {
    const { a, input, requests } = setUp();
    requests.push({ client: a.key, at: at(FIRST), status: 200, mode: 'html', tick: null }, { client: a.key, at: at(FIRST), status: 429, mode: 'quota', tick: null });

    expect(reconcile(input([]))).toMatchObject({ served: 0, published: 0, lost: 0 });
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect([percentile(values, 50), percentile(values, 99), percentile(values, 100)]).toEqual([5, 10, 10]);
    expect(percentile(new Float64Array(), 50)).toBeNull();
  });
});
