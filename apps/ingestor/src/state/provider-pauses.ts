import type { PauseItem, PauseScope, ProviderName } from '@app/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { UpstreamError } from '../market-data/upstream.error';
import { INSTANCE_ID } from './instance';
import { SharedStateStore } from './shared-state.store';

/** How long to leave a provider alone after a quota answer that did not say when it resets. */
export const DEFAULT_QUOTA_PAUSE_SECONDS = 60;

/** The pause that holds at `now`: a quota pause until it ends, a stopped key for scheduled calls only (`manual` gets through). */
export function pauseHolds(pause: PauseItem | null, now: Date, manual = false): PauseItem | null {
  if (!pause) return null;
  if (pause.reason === 'quota') return pause.until && Date.parse(pause.until) > now.getTime() ? pause : null;
  return manual ? null : pause;
}

/**
 * The one store of provider pauses, for the live ingest and the backfill alike (each under its
 * own scope): what an upstream answer means for the next calls of every process.
 */
@Injectable()
export class ProviderPauses {
  private readonly logger = new Logger(ProviderPauses.name);

  constructor(
    private readonly store: SharedStateStore,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  /**
   * Records the answer of a call: a quota answer pauses the provider until its reset (never
   * shortening a longer pause another process wrote), a refused key stops it, and an answer that
   * got through lifts the pause `seen` at the start (a stopped key, or a quota pause that has ended).
   */
  async answered(provider: ProviderName, scope: PauseScope, failure: unknown, seen: PauseItem | null): Promise<PauseItem | null> {
    const now = this.now();
    if (!failure) {
      if (seen) await this.store.clearPause(provider, scope, now);
      return null;
    }
    if (!(failure instanceof UpstreamError) || (failure.failure !== 'quota' && failure.failure !== 'auth')) return null;
    const quota = failure.failure === 'quota';
    const until = quota ? new Date(now.getTime() + (failure.retryAfterSeconds ?? DEFAULT_QUOTA_PAUSE_SECONDS) * 1000).toISOString() : null;
    const pause: PauseItem = { reason: failure.failure, message: failure.message, since: now.toISOString(), until, by: INSTANCE_ID };
    const written = await this.store.pause(provider, scope, pause);
    if (!written) this.logger.log(`${provider} (${scope}): a longer pause stands already`);
    return pause;
  }
}
