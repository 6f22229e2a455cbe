import type { Figure } from '../bench/figure';
import { ingestBench } from '../bench/ingest.bench';
import { lagBench } from '../bench/lag.bench';
import { processorBench } from '../bench/processor.bench';
import { queryBench } from '../bench/query.bench';
import { TEST_BUILD_DIR } from './support/build-apps';

// The benchmarks at toy sizes: they run end to end and report well-formed figures with their
// baselines. Nothing here is timed: the numbers themselves are `npm run bench`'s business.
jest.setTimeout(180_000);

function expectWellFormed(figures: Figure[], names: string[]): void {
  expect(figures.map((f) => f.bench)).toEqual(names);
  for (const figure of figures) {
    expect(figure).toEqual({ bench: expect.any(String), value: expect.any(Number), unit: expect.any(String), baseline: expect.any(Number), ratio: expect.any(Number) });
    expect(Number.isFinite(figure.value) && figure.value >= 0).toBe(true);
    expect(Number.isFinite(figure.ratio)).toBe(true);
  }
}

describe('npm run bench, at toy sizes', () => {
  it('processor: throughput against the raw-SDK and naive loops, scaling, memory', async () => {
    const figures = await processorBench({ messages: 200, naiveMessages: 20, instances: [1, 2], scalingMessages: 100, buildDir: TEST_BUILD_DIR });

    expectWellFormed(figures, [
      'processor-throughput-vs-raw-sdk',
      'processor-throughput-vs-naive',
      'processor-batch-cost',
      'processor-scaling-2-instances',
      'processor-rss-idle',
      'processor-rss-under-load',
    ]);
  });

  it('ingest: one upstream call and ⌈n/10⌉ SendMessageBatch calls per run, against SendMessage per quote', async () => {
    const figures = await ingestBench({ symbols: 25, runs: 1, buildDir: TEST_BUILD_DIR });

    expectWellFormed(figures, ['ingest-upstream-calls', 'ingest-send-message-batch-calls', 'ingest-run-wall-time']);
    expect(figures.slice(0, 2).map((f) => [f.value, f.baseline])).toEqual([
      [1, 1],
      [3, 25],
    ]);
  });

  it('query and end-to-end lag', async () => {
    const query = await queryBench({ connections: 2, seconds: 1, buildDir: TEST_BUILD_DIR });
    const lag = await lagBench({ runs: 2, symbols: 3, buildDir: TEST_BUILD_DIR });

    expectWellFormed(query, ['query-throughput', 'query-latency-p99', 'ingestor-rss-idle', 'ingestor-rss-under-load']);
    expectWellFormed(lag, ['e2e-lag-p50', 'e2e-lag-p99']);
  });
});
