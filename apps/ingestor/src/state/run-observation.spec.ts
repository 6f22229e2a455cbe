import { RUN_RECORD_MAX_BYTES } from '@app/common';
import { quoteFactory } from '../../../../test/support/factories';
import { RunObservation } from './run-observation';

const SLOT = Date.parse('2026-11-23T05:00:00.000Z');
const frame = { runId: 'r1', trigger: 'cron', startedAt: '2026-11-23T05:00:00.100Z', answered: ['latest-stock-price'], failed: [] };

describe('RunObservation', () => {
  it('keeps unchanged instruments and quotes stamped before the slot, nothing else', () => {
    const seen = new RunObservation(SLOT);
    seen.sawUnchanged(quoteFactory({ symbol: 'WIPRO' }));
    seen.sawUnchanged(quoteFactory({ symbol: 'NIFTY 50', series: null }));
    seen.published(quoteFactory({ symbol: 'TCS', quoteTime: '2026-11-23T04:59:59.000Z' }));
    seen.published(quoteFactory({ symbol: 'INFY', quoteTime: '2026-11-23T05:00:00.000Z' }));

    expect(seen.record(frame)).toEqual({
      slot: '2026-11-23T05:00:00.000Z',
      ...frame,
      unchanged: ['NIFTY 50#-', 'WIPRO#EQ'],
      lagging: { 'TCS#EQ': '2026-11-23T04:59:59.000Z' },
    });
  });

  it('stays within one DynamoDB item for a huge feed, leaving the lagging quotes out first', () => {
    const seen = new RunObservation(SLOT);
    for (let i = 0; i < 9_000; i++) seen.published(quoteFactory({ symbol: `S${i}`, quoteTime: '2026-11-23T04:59:58.000Z' }));
    for (let i = 0; i < 2_000; i++) seen.sawUnchanged(quoteFactory({ symbol: `U${i}` }));

    const record = seen.record(frame);

    expect(record).toMatchObject({ truncated: 'lagging', lagging: {} });
    expect(record.unchanged).toHaveLength(2_000);
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(RUN_RECORD_MAX_BYTES);
  });

  it('cuts the unchanged list too when it alone is too large', () => {
    const seen = new RunObservation(SLOT);
    for (let i = 0; i < 40_000; i++) seen.sawUnchanged(quoteFactory({ symbol: `UNCHANGED${i}` }));

    const record = seen.record(frame);

    expect(record.truncated).toBe('lagging and unchanged');
    expect(record.unchanged.length).toBeGreaterThan(10_000);
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(RUN_RECORD_MAX_BYTES);
  });
});
