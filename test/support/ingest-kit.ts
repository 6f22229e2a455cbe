import { parseConfig, type CloudWatchMetrics, type ProviderName, type QuoteflowConfig } from '@app/common';
import { Registry } from 'prom-client';
import { IngestMetrics } from '../../apps/ingestor/src/ingest/ingest.metrics';
import { IngestService } from '../../apps/ingestor/src/ingest/ingest.service';
import { ProviderSelection } from '../../apps/ingestor/src/ingest/provider-selection';
import type { QuoteQueue } from '../../apps/ingestor/src/ingest/quote-queue';
import { RunHistory } from '../../apps/ingestor/src/ingest/run-history';
import { MarketDataProvider, type ProviderFetch } from '../../apps/ingestor/src/market-data/market-data-provider';
import { QualityMonitor } from '../../apps/ingestor/src/quality/quality-monitor';
import { ProviderPauses } from '../../apps/ingestor/src/state/provider-pauses';
import { SharedState } from '../../apps/ingestor/src/state/shared-state';
import type { SharedStateStore } from '../../apps/ingestor/src/state/shared-state.store';
import { MemoryStateStore } from './memory-state-store';
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

/**
 * The ingest service with its real selection, history, quality monitor and metrics, on one clock,
 * over a shared state kept in memory (`store`; hand two kits one store for two processes).
 */
export function ingestKit(
  providers: MarketDataProvider[],
  queue: QuoteQueue,
  {
    now = () => OPEN,
    registry = new Registry(),
    config = parseConfig({}),
    store = new MemoryStateStore(),
    cloudWatch,
  }: { now?: () => Date; registry?: Registry; config?: QuoteflowConfig; store?: MemoryStateStore; cloudWatch?: CloudWatchMetrics } = {},
) {
  const adapter = store as unknown as SharedStateStore;
  // every read goes to the store: a unit test sees what the last write left, as a run does
  const state = new SharedState(adapter, now);
  state.snapshot = () => adapter.snapshot(true);
  state.recentRuns = () => adapter.recentRuns(now(), 20);
  const selection = new ProviderSelection(providers, config, state, new ProviderPauses(adapter, now), now);
  const history = new RunHistory(selection, state, now);
  const quality = new QualityMonitor(config, state, now);
  const ingest = new IngestService(selection, queue, new IngestMetrics(registry, history, cloudWatch), adapter, state, quality, config, now);
  return { ingest, selection, history, registry, store, quality };
}
