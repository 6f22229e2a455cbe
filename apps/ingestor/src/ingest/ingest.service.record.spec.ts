import type { RunRecord } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import { MemoryStateStore } from '../../../../test/support/memory-state-store';
import { UpstreamError } from '../market-data/upstream.error';

/** Monday 2026-11-23, 10:30:10 in Mumbai: NSE is open. */
const AT = new Date('2026-11-23T05:00:10.000Z');

function recordingLog(fail = false) {
  const store = new MemoryStateStore();
  store.failRuns = fail;
  // the records without the summary /status reads (the run history's tests look at that)
  return { store, records: () => store.runs.map(({ summary: _s, ...r }): RunRecord => r) };
}

const rows = [
  candidateFactory({ symbol: 'TCS', quoteTime: '2026-11-23T04:59:58.000Z' }), // stamped before the run's minute
  candidateFactory({ symbol: 'INFY', quoteTime: '2026-11-23T05:00:04.000Z' }),
];

describe('IngestService: run records', () => {
  it('records per run which instruments were unchanged and which quotes lagged behind the slot', async () => {
    const { store, records } = recordingLog();
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => AT, store });

    const first = await ingest.run('manual');
    const second = await ingest.run('cron', Date.parse('2026-11-23T05:01:00.000Z'));

    expect(records()).toEqual([
      {
        slot: '2026-11-23T05:00:00.000Z', // a manual run counts for the minute it started in
        runId: first.runId,
        trigger: 'manual',
        startedAt: AT.toISOString(),
        answered: ['latest-stock-price'],
        failed: [],
        unchanged: [],
        lagging: { 'TCS#EQ': '2026-11-23T04:59:58.000Z' },
      },
      expect.objectContaining({ slot: '2026-11-23T05:01:00.000Z', runId: second.runId, trigger: 'cron', unchanged: ['INFY#EQ', 'TCS#EQ'], lagging: {} }),
    ]);
  });

  it('names the providers that answered and those that failed', async () => {
    const { store, records } = recordingLog();
    const failing = new FakeProvider('coingecko', async () => Promise.reject(new UpstreamError('coingecko', 'unavailable', 'upstream answered HTTP 500', { status: 500 })));
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows)), failing], fakeQueue().queue, { now: () => AT, store });

    await ingest.run('cron', Date.parse('2026-11-23T05:00:00.000Z'));

    expect(records()[0]).toMatchObject({ answered: ['latest-stock-price'], failed: ['coingecko'] });
  });

  it('records a run that called no provider, with its summary and nothing answered', async () => {
    const { store } = recordingLog();
    const holiday = new Date('2026-11-24T06:00:00.000Z');
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => holiday, store });

    const summary = await ingest.run('cron');

    expect(summary).toMatchObject({ outcome: 'skipped' });
    expect(store.runs).toEqual([expect.objectContaining({ runId: summary.runId, answered: [], failed: [], unchanged: [], summary })]);
  });

  it('still answers with the run when the record cannot be written', async () => {
    const { store } = recordingLog(true);
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => AT, store });

    await expect(ingest.run('manual')).resolves.toMatchObject({ outcome: 'ok', published: 2 });
  });
});
