import type { RunRecord } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CLOCK, type Clock } from '../clock/clock';
import { SharedStateStore, type StateSnapshot } from './shared-state.store';

/** How long a `/status`, readiness or metrics read may be served from memory: one table read per second at most, however many readers. */
export const STATE_CACHE_MS = 1_000;
/** Runs `/status` lists. */
export const RECENT_RUNS = 20;

type Entry = { snapshot: StateSnapshot } | { runs: RunRecord[] };

/**
 * The shared state for readers (`/status`, readiness, metrics, the dashboard): read from the table
 * at most once per {@link STATE_CACHE_MS}, concurrent misses sharing one read (lru-cache's
 * `fetch`). A run never reads through here: it reads the table itself ({@link fresh}), so a pause
 * met by any process is seen by the next run of every process.
 */
@Injectable()
export class SharedState {
  private readonly cache: LRUCache<string, Entry>;

  constructor(
    private readonly store: SharedStateStore,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.cache = new LRUCache<string, Entry>({
      max: 2,
      ttl: STATE_CACHE_MS,
      fetchMethod: async (key) => (key === 'snapshot' ? { snapshot: await this.store.snapshot(false) } : { runs: await this.store.recentRuns(this.now(), RECENT_RUNS) }),
    });
  }

  /** A consistent read of the table now, for a run or a backfill pass deciding what to call. */
  fresh(): Promise<StateSnapshot> {
    return this.store.snapshot(true);
  }

  async snapshot(): Promise<StateSnapshot> {
    const entry = await this.cache.fetch('snapshot');
    return (entry as { snapshot: StateSnapshot }).snapshot;
  }

  /** The newest runs (at most {@link RECENT_RUNS}), newest first. */
  async recentRuns(): Promise<RunRecord[]> {
    const entry = await this.cache.fetch('runs');
    return (entry as { runs: RunRecord[] }).runs;
  }

  /** What this process wrote is read back at once by its own next reader (`/status` right after a trigger). */
  invalidate(): void {
    this.cache.clear();
  }
}
