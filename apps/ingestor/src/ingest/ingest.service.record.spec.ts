import type { RunRecord } from '@app/common';
import { candidateFactory } from '../../../../test/support/factories';
import { answer, fakeQueue, FakeProvider, ingestKit } from '../../../../test/support/ingest-kit';
import { strictFake } from '../../../../test/support/strict-fake';
import type { RunLog } from '../coverage/run-log';
import { UpstreamError } from '../market-data/upstream.error';

/** Monday 2026-11-23, 10:30:10 in Mumbai: NSE is open. */
const AT = new Date('2026-11-23T05:00:10.000Z');

function recordingLog(fail = false) {
  const records: RunRecord[] = [];
  const runLog = strictFake<RunLog>({
    put: async (record: RunRecord) => {
      if (fail) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
      records.push(record);
    },
  });
  return { runLog, records };
}

const rows = [
  candidateFactory({ symbol: 'TCS', quoteTime: '2026-11-23T04:59:58.000Z' }), // stamped before the run's minute
  candidateFactory({ symbol: 'INFY', quoteTime: '2026-11-23T05:00:04.000Z' }),
];

describe('IngestService: run records', () => {
  it('records per run which instruments were unchanged and which quotes lagged behind the slot', async () => {
    const { runLog, records } = recordingLog();
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => AT, runLog });

    const first = await ingest.run('manual');
    const second = await ingest.run('cron', Date.parse('2026-11-23T05:01:00.000Z'));

    expect(records).toEqual([
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
    const { runLog, records } = recordingLog();
    const failing = new FakeProvider('coingecko', async () => Promise.reject(new UpstreamError('coingecko', 'unavailable', 'upstream answered HTTP 500', { status: 500 })));
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows)), failing], fakeQueue().queue, { now: () => AT, runLog });

    await ingest.run('cron', Date.parse('2026-11-23T05:00:00.000Z'));

    expect(records[0]).toMatchObject({ answered: ['latest-stock-price'], failed: ['coingecko'] });
  });

  it('writes no record for a run that called no provider', async () => {
    const { runLog, records } = recordingLog();
    const holiday = new Date('2026-11-24T06:00:00.000Z');
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => holiday, runLog });

    await expect(ingest.run('cron')).resolves.toMatchObject({ outcome: 'skipped' });
    expect(records).toEqual([]);
  });

  it('still answers with the run when the record cannot be written', async () => {
    const { runLog } = recordingLog(true);
    const { ingest } = ingestKit([new FakeProvider('latest-stock-price', answer(rows))], fakeQueue().queue, { now: () => AT, runLog });

    await expect(ingest.run('manual')).resolves.toMatchObject({ outcome: 'ok', published: 2 });
  });
});
