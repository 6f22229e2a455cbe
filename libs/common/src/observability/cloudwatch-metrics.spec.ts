import { emfRecords } from '../../../../test/support/emf';
import { CloudWatchMetrics } from './cloudwatch-metrics';

describe('CloudWatchMetrics', () => {
  it('writes one EMF record per flush, in the namespace, with the service dimension, counts summed by CloudWatch', async () => {
    const cw = new CloudWatchMetrics('Quoteflow', 'ingestor', { flushEveryMs: null });

    const [record, ...more] = await emfRecords(() => {
      cw.add('IngestRuns', 1);
      cw.add('IngestRuns', 1);
      cw.add('IngestRunDuration', 0.5, 'Seconds');
      cw.gauge('MarketOpen', 1);
      cw.flush();
    });

    expect(more).toEqual([]);
    expect(record._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'Quoteflow',
        Dimensions: [['service']],
        Metrics: expect.arrayContaining([
          { Name: 'IngestRuns', Unit: 'Count' },
          { Name: 'IngestRunDuration', Unit: 'Seconds' },
          { Name: 'MarketOpen', Unit: 'None' },
        ]),
      },
    ]);
    expect(record).toMatchObject({ service: 'ingestor', IngestRuns: [1, 1], IngestRunDuration: 0.5, MarketOpen: 1 });
  });

  it('writes the gauges again with each flush until they change, and nothing for an empty buffer without gauges', async () => {
    const cw = new CloudWatchMetrics('Quoteflow', 'processor', { flushEveryMs: null });
    const empty = new CloudWatchMetrics('Quoteflow', 'processor', { flushEveryMs: null });

    const records = await emfRecords(() => {
      cw.gauge('ReceivePaused', 1);
      cw.flush();
      cw.flush();
      cw.gauge('ReceivePaused', 0);
      cw.flush();
      empty.flush();
    });

    expect(records.map((r) => r.ReceivePaused)).toEqual([1, 1, 0]);
  });

  it('writes a figure with an extra dimension as its own record', async () => {
    const cw = new CloudWatchMetrics('Quoteflow', 'ingestor', { flushEveryMs: null });

    const [record] = await emfRecords(() => cw.addWithDimension('QuotaRemaining', 42, 'Count', { name: 'provider', value: 'coingecko' }));

    expect(record._aws.CloudWatchMetrics[0].Dimensions).toEqual([expect.arrayContaining(['service', 'provider'])]);
    expect(record).toMatchObject({ provider: 'coingecko', QuotaRemaining: 42 });
  });

  it('runs the collectors before a timed flush, and flushes even when one of them fails', async () => {
    const cw = new CloudWatchMetrics('Quoteflow', 'ingestor', { flushEveryMs: null });
    cw.onTimedFlush(async () => cw.gauge('CoverageMin', 0.75));
    cw.onTimedFlush(async () => {
      throw new Error('table unavailable');
    });

    const written: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await cw.timedFlush();
    } finally {
      spy.mockRestore();
    }

    expect(JSON.parse(written.join(''))).toMatchObject({ CoverageMin: 0.75 });
  });

  it('writes nothing at all without a namespace', async () => {
    const cw = new CloudWatchMetrics(null, 'ingestor');

    const records = await emfRecords(() => {
      cw.add('IngestRuns', 1);
      cw.gauge('MarketOpen', 1);
      cw.addWithDimension('QuotaRemaining', 1, 'Count', { name: 'provider', value: 'demo' });
      cw.flush();
    });

    expect([cw.enabled, records]).toEqual([false, []]);
  });
});
