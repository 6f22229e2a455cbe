import { parseConfig, type ProviderName, type QuoteflowConfig } from '@app/common';
import { Registry } from 'prom-client';
import { IngestMetrics } from '../../apps/ingestor/src/ingest/ingest.metrics';
import { IngestService } from '../../apps/ingestor/src/ingest/ingest.service';
import { ProviderSelection } from '../../apps/ingestor/src/ingest/provider-selection';
import type { QuoteQueue } from '../../apps/ingestor/src/ingest/quote-queue';
import { RunHistory } from '../../apps/ingestor/src/ingest/run-history';
import type { RunLog } from '../../apps/ingestor/src/coverage/run-log';
import { MarketDataProvider, type ProviderFetch } from '../../apps/ingestor/src/market-data/market-data-provider';
import { strictFake } from './strict-fake';

/** A provider answering what the test says, counting its calls; its market follows the calendar of its name. */
export class FakeProvider extends MarketDataProvider {
  calls = 0;
  constructor(
    readonly name: ProviderName,
    private readonly answer: () => Promise<ProviderFetch>,
  ) {
    super();
  }
  fetch() {
    this.calls++;
    return this.answer();
  }
}

/** A queue that takes every message but the last `failed` of each batch, keeping what it was given. */
export function fakeQueue(failed = 0) {
  const published: string[][] = [];
  const queue = strictFake<QuoteQueue>({
    publish: async (bodies: string[]) => {
      published.push(bodies);
      return { published: bodies.length - failed, failed };
    },
  });
  return { queue, published };
}

/** Monday 2024-09-16 10:00 in Mumbai: NSE is open. */
export const OPEN = new Date('2024-09-16T04:30:00.000Z');

export const answer = (candidates: ProviderFetch['candidates']) => async (): Promise<ProviderFetch> => ({ candidates, rateLimit: null });

/** The ingest service with its real selection, history and metrics, on one clock. */
export function ingestKit(
  providers: MarketDataProvider[],
  queue: QuoteQueue,
  {
    now = () => OPEN,
    registry = new Registry(),
    config = parseConfig({}),
    runLog,
  }: { now?: () => Date; registry?: Registry; config?: QuoteflowConfig; runLog?: RunLog } = {},
) {
  const selection = new ProviderSelection(providers, config, now);
  const history = new RunHistory(selection, now);
  const ingest = new IngestService(selection, history, queue, new IngestMetrics(registry, history), config, now, runLog);
  return { ingest, selection, history, registry };
}
