import { parseConfig, type Quote } from '@app/common';
import { firstValueFrom, take, toArray } from 'rxjs';
import { quoteFactory } from '../../../../test/support/factories';
import { MAX_SYMBOLS, QualityBook, type QualityAlert } from './quality-book';

const NOW = new Date('2024-09-13T20:00:05.000Z');
const msft = (source: Quote['source'], price: number, quoteTime: string, over: Partial<Quote> = {}): Quote =>
  Object.freeze(quoteFactory({ symbol: 'MSFT', series: null, price, high: 431.88, low: 300, quoteTime, source, ...over }));

function monitor(env: Record<string, string> = {}): { quality: QualityBook; raised: QualityAlert[] } {
  const quality = new QualityBook(parseConfig(env), () => NOW);
  const raised: QualityAlert[] = [];
  quality.raised().subscribe((a) => raised.push(a));
  return { quality, raised };
}

describe('QualityBook', () => {
  it('reports two providers quoting one instrument far apart, and raises one divergence alert', () => {
    const { quality, raised } = monitor();

    quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));
    quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z'));

    const alert: QualityAlert = {
      kind: 'divergence',
      symbol: 'MSFT',
      series: null,
      sources: ['yahoo-finance', 'alpha-vantage'],
      bps: 487.8,
      message: 'yahoo-finance 400 vs alpha-vantage 420: 487.8 bps apart (lag 1 s)',
      since: NOW.toISOString(),
    };
    expect(raised).toEqual([alert]);
    expect(quality.report()).toEqual({
      thresholds: { divergenceBps: 50, jumpDayRanges: 1 },
      instruments: [
        {
          symbol: 'MSFT',
          series: null,
          sources: [
            { source: 'yahoo-finance', price: 400, quoteTime: '2024-09-13T20:00:01.000Z', divergenceBps: 487.8 },
            { source: 'alpha-vantage', price: 420, quoteTime: '2024-09-13T20:00:00.000Z', divergenceBps: 487.8 },
          ],
          divergenceBps: 487.8,
          lagSeconds: 1,
          alerts: [alert],
        },
      ],
      alerts: [alert],
    });
  });

  it('keeps one alert while the divergence lasts, and clears it when the sources agree', () => {
    const { quality, raised } = monitor();
    quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));
    quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z'));

    quality.observe(msft('yahoo-finance', 401, '2024-09-13T20:01:01.000Z'));

    expect(raised).toHaveLength(1);
    expect(quality.report().alerts).toEqual([expect.objectContaining({ kind: 'divergence', bps: 462.9 })]);

    quality.observe(msft('yahoo-finance', 419.5, '2024-09-13T20:02:01.000Z'));

    expect(quality.report().alerts).toEqual([]);
    expect(quality.report().instruments[0]).toMatchObject({ divergenceBps: 11.9, lagSeconds: 121, alerts: [] });
  });

  it('flags a divergence only beyond QUALITY_DIVERGENCE_BPS', () => {
    // 400 vs 420 is 487.8 bps apart
    const under = monitor({ QUALITY_DIVERGENCE_BPS: '487.9' });
    const over = monitor({ QUALITY_DIVERGENCE_BPS: '487.7' });

    for (const { quality } of [under, over]) {
      quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));
      quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z'));
    }

    expect(under.raised).toEqual([]);
    expect(over.raised.map((a) => a.kind)).toEqual(['divergence']);
  });

  it('flags a source whose price moves further than QUALITY_JUMP_DAY_RANGES day ranges, until its next quote', () => {
    const { quality, raised } = monitor();
    const day = { high: 104, low: 102 };
    quality.observe(msft('yahoo-finance', 100, '2024-09-13T19:00:00.000Z', day));

    // 2 of a 2-wide range: exactly one day range is not beyond it
    quality.observe(msft('yahoo-finance', 102, '2024-09-13T19:01:00.000Z', day));
    expect(raised).toEqual([]);

    quality.observe(msft('yahoo-finance', 104, '2024-09-13T19:02:00.000Z', { high: 104, low: 103 }));
    expect(raised).toEqual([
      {
        kind: 'jump',
        symbol: 'MSFT',
        series: null,
        sources: ['yahoo-finance'],
        bps: 194.2,
        message: 'yahoo-finance moved 102 → 104: 2 day ranges (103–104)',
        since: NOW.toISOString(),
      },
    ]);
    expect(quality.report()).toMatchObject({ instruments: [], alerts: [expect.objectContaining({ kind: 'jump' })] });

    quality.observe(msft('yahoo-finance', 103.5, '2024-09-13T19:03:00.000Z', { high: 104, low: 103 }));
    expect(quality.report().alerts).toEqual([]);
  });

  it('reads QUALITY_JUMP_DAY_RANGES', () => {
    const { quality, raised } = monitor({ QUALITY_JUMP_DAY_RANGES: '2.5' });
    quality.observe(msft('yahoo-finance', 102, '2024-09-13T19:01:00.000Z', { high: 104, low: 103 }));

    // 2 ranges, then exactly 2.5: neither is beyond 2.5
    quality.observe(msft('yahoo-finance', 104, '2024-09-13T19:02:00.000Z', { high: 104, low: 103 }));
    quality.observe(msft('yahoo-finance', 114, '2024-09-13T19:03:00.000Z', { high: 114, low: 110 }));
    expect(raised).toEqual([]);

    quality.observe(msft('yahoo-finance', 125, '2024-09-13T19:04:00.000Z', { high: 125, low: 121 }));
    expect(raised.map((a) => a.message)).toEqual(['yahoo-finance moved 114 → 125: 2.8 day ranges (121–125)']);
  });

  it('ignores a quote no newer than the source\'s last one, and backfilled bars', () => {
    const { quality, raised } = monitor();
    quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));

    quality.observe(msft('yahoo-finance', 300, '2024-09-13T20:00:01.000Z'));
    quality.observe(msft('yahoo-finance', 300, '2024-09-13T19:00:00.000Z'));
    quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z', { origin: 'backfill', interval: '1m' }));

    expect(raised).toEqual([]);
    expect(quality.report().instruments).toEqual([]);
    quality.observe(msft('alpha-vantage', 400.1, '2024-09-13T20:00:00.000Z'));
    expect(quality.report().instruments[0].sources.map((s) => s.price)).toEqual([400, 400.1]);
  });

  it('streams the active alerts first, then new ones, of the symbols asked for', async () => {
    const { quality } = monitor();
    quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));
    quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z'));
    const msftAlerts = firstValueFrom(quality.alerts(['MSFT']).pipe(take(2), toArray()));
    const otherAlerts: QualityAlert[] = [];
    quality.alerts(['AAPL']).subscribe((a) => otherAlerts.push(a));

    quality.observe(msft('yahoo-finance', 440, '2024-09-13T20:01:01.000Z', { high: 440, low: 430 }));

    expect((await msftAlerts).map((a) => a.kind)).toEqual(['divergence', 'jump']);
    expect(otherAlerts).toEqual([]);
  });

  it(`forgets the symbol seen least recently past ${MAX_SYMBOLS} symbols, its alerts with it`, () => {
    const { quality } = monitor();
    quality.observe(msft('yahoo-finance', 400, '2024-09-13T20:00:01.000Z'));
    quality.observe(msft('alpha-vantage', 420, '2024-09-13T20:00:00.000Z'));

    for (let i = 0; i < MAX_SYMBOLS - 1; i++) quality.observe(quoteFactory({ symbol: `S${i}` }));
    expect(quality.report().alerts).toHaveLength(1);
    quality.observe(quoteFactory({ symbol: 'ONE-TOO-MANY' }));

    expect(quality.report()).toMatchObject({ instruments: [], alerts: [] });
  });
});
