import type { PauseItem, PauseScope, ProviderLastItem, ProviderName, RunRecord } from '@app/common';
import type { SharedStateStore, StateSnapshot } from '../../apps/ingestor/src/state/shared-state.store';

/**
 * The shared state adapter in memory, with the table's rules (a quota pause never shortened, a
 * pause lifted only when it is a stopped key or has ended): for unit tests of the services on top
 * of it. Two services handed one store behave as two processes sharing one table. `failRuns`
 * makes the run-record write fail.
 */
export class MemoryStateStore implements Pick<SharedStateStore, keyof SharedStateStore> {
  readonly runs: RunRecord[] = [];
  readonly last = new Map<ProviderName, ProviderLastItem>();
  readonly pauses = new Map<string, PauseItem>();
  readonly leases: StateSnapshot['leases'] = { ingest: null, backfill: null };
  failRuns = false;

  async snapshot(): Promise<StateSnapshot> {
    return { pauses: new Map(this.pauses), last: new Map(this.last), leases: { ...this.leases } };
  }

  async pause(provider: ProviderName, scope: PauseScope, pause: PauseItem): Promise<boolean> {
    const key = `${provider}|${scope}`;
    const standing = this.pauses.get(key);
    if (pause.reason === 'quota' && standing && standing.reason === 'quota' && standing.until! >= pause.until!) return false;
    this.pauses.set(key, pause);
    return true;
  }

  async clearPause(provider: ProviderName, scope: PauseScope, now: Date): Promise<boolean> {
    const key = `${provider}|${scope}`;
    const standing = this.pauses.get(key);
    if (!standing || !(standing.reason === 'auth' || standing.until! <= now.toISOString())) return false;
    this.pauses.delete(key);
    return true;
  }

  async putLast(last: ProviderLastItem): Promise<void> {
    this.last.set(last.provider, structuredClone(last));
  }

  async putRun(record: RunRecord): Promise<void> {
    if (this.failRuns) throw Object.assign(new Error('connect ECONNREFUSED'), { name: 'TimeoutError' });
    this.runs.push(structuredClone(record));
  }

  async recentRuns(_now: Date, limit: number): Promise<RunRecord[]> {
    // newest slot first; within a slot the later run first, as the adapter orders them
    return [...this.runs].reverse().sort((a, b) => (a.slot === b.slot ? 0 : a.slot < b.slot ? 1 : -1)).slice(0, limit);
  }

  async runsBetween(from: number, to: number): Promise<RunRecord[]> {
    return this.runs.filter((r) => Date.parse(r.slot) >= from && Date.parse(r.slot) < to);
  }
}
