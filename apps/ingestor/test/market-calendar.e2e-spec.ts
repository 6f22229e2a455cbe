import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { FakeUpstream } from '../../../test/support/fake-upstream';
import { upstreamFixture } from '../../../test/support/fixtures';
import { TEST_RAPIDAPI_KEY } from '../../../test/support/secrets';
import { eventually, testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

/** Tuesday 2026-11-24, 11:30 in Mumbai: Guru Nanak Jayanti, an NSE holiday in `nse.json`. */
const NSE_HOLIDAY = new Date('2026-11-24T06:00:00.000Z');
const HOLIDAY = 'Guru Nanak Jayanti / Prakash Gurpurb Sri Guru Nanak Dev';
const NEXT_OPEN = '2026-11-25T03:45:00.000Z';

interface RecentRun {
  trigger: string;
  outcome: string;
  skipped: string[];
}

describe('ingestor on an exchange holiday (clock on an NSE holiday, the real app and its /status)', () => {
  const upstream = new FakeUpstream();
  let app: INestApplication;
  let now = NSE_HOLIDAY;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    await upstream.respond({ body: upstreamFixture('latest-stock-price/any.sample.json') }).start();
    const config = await testConfig({
      MARKET_DATA_PROVIDER: 'latest-stock-price',
      RAPIDAPI_KEY: TEST_RAPIDAPI_KEY,
      RAPIDAPI_BASE_URL: upstream.url,
      // the start-up run is a scheduled run: it must leave the closed market alone
      INGEST_ON_START: 'true',
    });
    app = await startIngestor(config, { clock: () => now });
  });

  afterAll(async () => {
    await app?.close();
    await upstream.stop();
  });

  it('skips the scheduled run on the holiday and says so in /status, naming the holiday and the next open', async () => {
    const runs = await eventually(async () => {
      const body = (await api().get('/status').expect(200)).body as { recentRuns: RecentRun[] };
      return body.recentRuns.length ? body.recentRuns : undefined;
    });
    const status = (await api().get('/status').expect(200)).body;

    expect(runs[0]).toMatchObject({
      trigger: 'startup',
      outcome: 'skipped',
      skipped: [`latest-stock-price: market closed: holiday (${HOLIDAY}), next open ${NEXT_OPEN}`],
    });
    expect(status.providers[0]).toMatchObject({
      name: 'latest-stock-price',
      marketHours: 'NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)',
      marketOpen: false,
      market: `closed: holiday (${HOLIDAY}), next open ${NEXT_OPEN}`,
      marketState: { exchange: 'NSE', reason: 'holiday', holidayName: HOLIDAY, nextOpen: NEXT_OPEN, calendarKnown: true },
      lastRun: { outcome: 'skipped', says: `skipped: market closed: holiday (${HOLIDAY}), next open ${NEXT_OPEN}` },
    });
    // a run with every market closed has done its job: readiness does not count it as missed
    expect(status.lastSuccessAt).toBe(NSE_HOLIDAY.toISOString());
    expect(upstream.requests).toHaveLength(0);
  });

  it('still calls the upstream on a manual trigger', async () => {
    const res = await api().post('/ingest/trigger').expect(200);

    expect(res.body).toMatchObject({ trigger: 'manual', outcome: 'ok', skipped: [] });
    expect(res.body.fetched).toBeGreaterThan(0);
    expect(upstream.requests).toHaveLength(1);
  });

  it('says in /status when a date lies outside the calendar\'s years and weekdays are assumed', async () => {
    now = new Date('2027-01-26T05:00:00.000Z'); // Republic Day 2027: NSE has not published 2027 yet

    const status = (await api().get('/status').expect(200)).body;

    expect(status.providers[0]).toMatchObject({
      marketOpen: true,
      market: 'open until 2027-01-26T10:00:00.000Z; no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)',
      marketState: { calendarKnown: false, basis: 'weekday-fallback', note: 'no NSE calendar for 2027: weekdays assumed (Mon-Fri 09:15-15:30 Asia/Kolkata)' },
    });
  });
});
