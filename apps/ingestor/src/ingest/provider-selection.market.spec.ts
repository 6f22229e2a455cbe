import { parseConfig } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';

/** Tuesday 2026-11-24, 11:30 in Mumbai: an NSE holiday in the calendar data file. */
const NSE_HOLIDAY = new Date('2026-11-24T06:00:00.000Z');
const HOLIDAY_LINE = 'closed: holiday (Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev), next open 2026-11-25T03:45:00.000Z';
/** Sunday in Mumbai. */
const SUNDAY = new Date('2026-12-06T06:00:00.000Z');
/** Tuesday 2027-01-26, 10:30 in Mumbai: Republic Day, but no NSE calendar for 2027 yet. */
const UNKNOWN_YEAR = new Date('2027-01-26T05:00:00.000Z');

const nseAndDemo = () => [new FakeProvider('latest-stock-price', answer([candidateFactory()])), new FakeProvider('demo', answer([candidateFactory({ symbol: 'ACME', source: 'demo' })]))];

describe('ProviderSelection: market calendars', () => {
  it('skips an NSE provider on the schedule on an NSE holiday, naming it and the next opening, but not the demo feed', async () => {
    const { queue } = fakeQueue();
    const [nse, demo] = nseAndDemo();
    const { ingest, history } = ingestKit([nse, demo], queue, { now: () => NSE_HOLIDAY });

    const summary = await ingest.run('cron');

    expect(nse.calls).toBe(0);
    expect(demo.calls).toBe(1);
    expect(summary).toMatchObject({
      published: 1,
      skipped: [{ provider: 'latest-stock-price', cause: 'market_closed', reason: `market ${HOLIDAY_LINE}` }],
    });
    expect((await history.status()).providers[0]).toMatchObject({
      name: 'latest-stock-price',
      marketHours: 'NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)',
      marketOpen: false,
      market: HOLIDAY_LINE,
      marketState: { reason: 'holiday', holidayName: 'Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev', nextOpen: '2026-11-25T03:45:00.000Z', calendarKnown: true },
    });
  });

  it('skips the start-up run on a holiday as well: only a manual trigger calls', async () => {
    const { queue } = fakeQueue();
    const [nse] = nseAndDemo();
    const { ingest } = ingestKit([nse], queue, { now: () => NSE_HOLIDAY });

    const startup = await ingest.run('startup');
    const manual = await ingest.run('manual');

    expect(startup).toMatchObject({ outcome: 'skipped', skipped: [{ reason: `market ${HOLIDAY_LINE}` }] });
    expect(manual).toMatchObject({ outcome: 'ok', published: 1 });
    expect(nse.calls).toBe(1);
  });

  it('skips weekends until Monday\'s session', async () => {
    const { queue } = fakeQueue();
    const [nse] = nseAndDemo();
    const { ingest } = ingestKit([nse], queue, { now: () => SUNDAY });

    await expect(ingest.run('cron')).resolves.toMatchObject({
      outcome: 'skipped',
      skipped: [{ reason: 'market closed: weekend, next open 2026-12-07T03:45:00.000Z' }],
    });
  });

  it('falls back to weekdays outside the calendar\'s years and says so on the status', async () => {
    const { queue } = fakeQueue();
    const [nse] = nseAndDemo();
    const { ingest, selection, store } = ingestKit([nse], queue, { now: () => UNKNOWN_YEAR });

    await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'ok' });
    expect(selection.describe(await store.snapshot())[0]).toMatchObject({
      marketOpen: true,
      market: 'open until 2027-01-26T10:00:00.000Z; no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
      marketState: { calendarKnown: false, basis: 'weekday-fallback' },
    });
  });

  it('never skips with MARKET_HOURS=always', async () => {
    const { queue } = fakeQueue();
    const [nse] = nseAndDemo();
    const { ingest, selection, store } = ingestKit([nse], queue, { now: () => NSE_HOLIDAY, config: parseConfig({ MARKET_HOURS: 'always' }) });

    await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'ok' });
    expect(selection.describe(await store.snapshot())[0]).toMatchObject({ marketHours: 'always', marketOpen: true, market: 'open: no market hours apply' });
  });

  it('keeps a custom window weekly: no holidays', async () => {
    const { queue } = fakeQueue();
    const [nse] = nseAndDemo();
    const config = parseConfig({ MARKET_HOURS: 'Mon-Fri 09:00-17:00 Asia/Kolkata' });
    const { ingest, selection, store } = ingestKit([nse], queue, { now: () => NSE_HOLIDAY, config });

    await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'ok' });
    expect(selection.describe(await store.snapshot())[0]).toMatchObject({ marketHours: 'Mon-Fri 09:00-17:00 Asia/Kolkata', market: 'open until 2026-11-24T11:30:00.000Z' });
  });

  it('shows each provider\'s schedule and state, the demo feed always open', async () => {
    const { selection, store } = ingestKit(nseAndDemo(), fakeQueue().queue, { now: () => SUNDAY });

    expect(selection.describe(await store.snapshot()).map(({ name, marketHours, marketOpen, market, blocked }) => ({ name, marketHours, marketOpen, market, blocked }))).toEqual([
      {
        name: 'latest-stock-price',
        marketHours: 'NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)',
        marketOpen: false,
        market: 'closed: weekend, next open 2026-12-07T03:45:00.000Z',
        blocked: null,
      },
      { name: 'demo', marketHours: 'always', marketOpen: true, market: 'open: no market hours apply', blocked: null },
    ]);
  });
});
