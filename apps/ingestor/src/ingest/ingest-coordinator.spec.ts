import { strictFake } from '../../../../test/support/strict-fake';
import { IngestCoordinator, IngestLeaseHeldError, IngestShuttingDownError, LEASE_TTL_MS } from './ingest-coordinator';
import type { HeldLease, IngestLease, LeaseState } from './ingest-lease';
import type { IngestService } from './ingest.service';
import type { RunSummary } from './run-summary';

const summary = { runId: 'run-1', outcome: 'ok', finishedAt: '2024-09-16T10:00:01.000Z' } as RunSummary;
const free = { token: 't-1', expiresAt: 0 };

function setup(answer: { lease: HeldLease } | { heldBy: LeaseState } = { lease: free }, run: () => Promise<RunSummary> = async () => summary) {
  const calls: string[] = [];
  const lease = strictFake<IngestLease>({
    acquire: async (ttlMs: number, slot: number | null, facts?: Record<string, string | number>) => {
      calls.push(`acquire ${ttlMs} ${slot}${facts?.runId ? ' runId' : ''}`);
      return answer;
    },
    release: async (held: HeldLease, facts?: Record<string, string | number>) => {
      calls.push(`release ${held.token}${facts?.lastGoodAt ? ` good ${facts.lastGoodAt}` : ''}`);
      return true;
    },
  });
  const ingest = strictFake<IngestService>({
    run: async (trigger, _slot, runId) => {
      calls.push(`run ${trigger}${runId ? ' runId' : ''}`);
      return run();
    },
  });
  return { coordinator: new IngestCoordinator(ingest, lease), calls };
}

describe('IngestCoordinator', () => {
  it('runs under the lease, for the schedule slot of the tick, and frees the lease afterwards', async () => {
    const { coordinator, calls } = setup();

    await expect(coordinator.run('cron', 1_726_480_800_000)).resolves.toBe(summary);

    // the run id announced on the lease is the run's; the good run is recorded on the release, for every instance
    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} 1726480800000 runId`, 'run cron runId', 'release t-1 good 2024-09-16T10:00:01.000Z']);
  });

  it('frees the lease when the run fails', async () => {
    const { coordinator, calls } = setup({ lease: free }, async () => Promise.reject(new Error('SQS down')));

    await expect(coordinator.run('manual')).rejects.toThrow('SQS down');

    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} null runId`, 'run manual runId', 'release t-1']);
  });

  it('refuses a run while another instance holds the lease, naming it', async () => {
    const { coordinator, calls } = setup({ heldBy: { holder: 'host-b:42:abc', expiresAt: Date.now() + 1000, lastSlot: null } });

    await expect(coordinator.run('manual')).rejects.toThrow(new IngestLeaseHeldError({ holder: 'host-b:42:abc', expiresAt: 0, lastSlot: null }, null));

    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} null runId`]);
  });

  it('says so when the slot of a tick has already been run', async () => {
    const { coordinator, calls } = setup({ heldBy: { holder: null, expiresAt: 0, lastSlot: 1_726_480_800_000 } });

    await expect(coordinator.run('cron', 1_726_480_800_000)).rejects.toThrow(/slot 2024-09-16T10:00:00.000Z has already run/);
    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} 1726480800000 runId`]);
  });

  it('lets the run in progress finish on shutdown and starts none afterwards', async () => {
    let finish!: () => void;
    const { coordinator, calls } = setup({ lease: free }, () => new Promise((resolve) => (finish = () => resolve(summary))));
    const running = coordinator.run('cron', 1);
    await new Promise(setImmediate);

    const closed = coordinator.beforeApplicationShutdown().then(() => void calls.push('shutdown done'));
    // every callback queued so far has run: a shutdown that does not wait for the run has finished by now
    await new Promise(setImmediate);
    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} 1 runId`, 'run cron runId']);
    finish();
    await closed;

    await expect(running).resolves.toBe(summary);
    expect(calls).toEqual([`acquire ${LEASE_TTL_MS} 1 runId`, 'run cron runId', 'release t-1 good 2024-09-16T10:00:01.000Z', 'shutdown done']);
    await expect(coordinator.run('manual')).rejects.toThrow(IngestShuttingDownError);
  });
});
