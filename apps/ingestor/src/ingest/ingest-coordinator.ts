import { QuoteflowError } from '@app/common';
import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IngestLease, type HeldLease, type LeaseFacts, type LeaseState } from './ingest-lease';
import { IngestService, RunInProgressError } from './ingest.service';
import { isGoodRun, type RunSummary, type RunTrigger } from './run-summary';

/** Long enough for any run (upstream timeout + publish); renewed while a run lasts, so it only matters when a holder dies. */
export const LEASE_TTL_MS = 30_000;
const RENEW_EVERY_MS = LEASE_TTL_MS / 3;

/** Another instance (or this one) is running an ingest, or has already run this schedule slot. */
export class IngestLeaseHeldError extends QuoteflowError {
  constructor(
    readonly heldBy: LeaseState,
    readonly slot: number | null,
  ) {
    super(
      slot !== null && heldBy.lastSlot !== null && heldBy.lastSlot >= slot
        ? `the ingest of the slot ${new Date(slot).toISOString()} has already run`
        : `an ingest run is in progress${heldBy.holder ? ` on ${heldBy.holder}` : ''}`,
    );
  }
}

/** The instance is shutting down and starts no further run. */
export class IngestShuttingDownError extends QuoteflowError {
  constructor() {
    super('the ingestor is shutting down');
  }
}

/** Whether a run was refused because one is going on (here or elsewhere), the slot has run, or the instance is closing. */
export function isRunRefused(err: unknown): err is Error {
  return err instanceof RunInProgressError || err instanceof IngestLeaseHeldError || err instanceof IngestShuttingDownError;
}

/**
 * Runs the ingest service under the lease in DynamoDB, so that across all instances one run at a
 * time goes on, and each schedule slot runs once: the cron tick, the start-up run and
 * `POST /ingest/trigger` all come through here. On shutdown it starts nothing new and lets the
 * run in progress finish (a run ends within the upstream timeout plus its publish), so a run is
 * either published and reported, or never started.
 */
@Injectable()
export class IngestCoordinator implements BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestCoordinator.name);
  private closing = false;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly ingest: IngestService,
    private readonly lease: IngestLease,
  ) {}

  /** `slot`: the schedule slot (epoch ms) of a cron or start-up run, which runs once across instances; `null` for a manual run. */
  async run(trigger: RunTrigger, slot: number | null = null): Promise<RunSummary> {
    if (this.closing) throw new IngestShuttingDownError();
    // the run id on the lease item: every process's /status names the run going on
    const runId = randomUUID();
    const taken = await this.lease.acquire(LEASE_TTL_MS, slot, { runId });
    // the schedule is served all the same: the run that holds it records its good end for everyone
    if ('heldBy' in taken) throw new IngestLeaseHeldError(taken.heldBy, slot);
    const running = this.runHolding(taken.lease, trigger, slot, runId);
    this.inFlight = running.catch(() => undefined);
    return running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.inFlight) {
      this.logger.log('waiting for the ingest run in progress to finish');
      await this.inFlight;
    }
  }

  private async runHolding(lease: HeldLease, trigger: RunTrigger, slot: number | null, runId: string): Promise<RunSummary> {
    const renewal = setInterval(() => {
      this.lease.renew(lease, LEASE_TTL_MS).then(
        (held) => held || this.logger.warn('the ingest lease was lost during a run (it had expired)'),
        (err: Error) => this.logger.warn(`could not renew the ingest lease: ${err.message}`),
      );
    }, RENEW_EVERY_MS);
    let facts: LeaseFacts = {};
    try {
      const summary = await this.ingest.run(trigger, slot, runId);
      // the last good run, for /status, readiness and the last-success metric of every process: on the write that frees the lease
      if (isGoodRun(summary)) facts = { lastGoodAt: summary.finishedAt, lastGoodHow: `run ${summary.runId} (${summary.outcome})` };
      return summary;
    } finally {
      clearInterval(renewal);
      await this.lease.release(lease, facts).catch((err: Error) => this.logger.warn(`could not release the ingest lease: ${err.message}`));
      this.inFlight = null;
    }
  }
}
