import type { ProviderName } from '@app/common';
import type { UpstreamError } from '../market-data/upstream.error';

/** How long to leave a provider alone after a quota answer that did not say when it resets. */
export const DEFAULT_QUOTA_PAUSE_SECONDS = 60;

export interface Gate {
  reason: 'quota' | 'auth';
  message: string;
  since: string;
  /** Quota: no call before this instant. Auth: `null`, until a manual run succeeds. */
  until: string | null;
}

/**
 * Which providers must not be called now, and why: a quota answer pauses a provider until the
 * reset it announced; a rejected key stops scheduled calls until a manual run gets through.
 */
export class ProviderGates {
  private readonly gates = new Map<ProviderName, Gate>();

  /** Why `provider` must not be called at `now` by a run of this kind, or `null` if it may. */
  blocked(provider: ProviderName, now: Date, manual: boolean): Gate | null {
    const gate = this.gates.get(provider);
    if (!gate) return null;
    if (gate.reason === 'quota') {
      if (gate.until && Date.parse(gate.until) > now.getTime()) return gate;
      this.gates.delete(provider);
      return null;
    }
    return manual ? null : gate;
  }

  /** Records what a call's failure means for the next calls. */
  failed(provider: ProviderName, err: UpstreamError, now: Date): void {
    if (err.failure === 'quota') {
      const seconds = err.retryAfterSeconds ?? DEFAULT_QUOTA_PAUSE_SECONDS;
      this.gates.set(provider, {
        reason: 'quota',
        message: err.message,
        since: now.toISOString(),
        until: new Date(now.getTime() + seconds * 1000).toISOString(),
      });
    } else if (err.failure === 'auth') {
      this.gates.set(provider, { reason: 'auth', message: err.message, since: now.toISOString(), until: null });
    }
  }

  succeeded(provider: ProviderName): void {
    this.gates.delete(provider);
  }

  snapshot(): Partial<Record<ProviderName, Gate>> {
    return Object.fromEntries(this.gates);
  }
}
