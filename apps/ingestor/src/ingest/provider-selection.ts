import {
  describeMarketState,
  describeSchedule,
  InjectConfig,
  marketStateAt,
  type MarketState,
  type PauseItem,
  type ProviderName,
  type QuoteflowConfig,
} from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../clock/clock';
import { MARKET_DATA_PROVIDERS, MarketDataProvider } from '../market-data/market-data-provider';
import { providerSchedule } from '../market-data/provider-schedule';

export { providerSchedule } from '../market-data/provider-schedule';
import { pauseHolds, ProviderPauses } from '../state/provider-pauses';
import { pauseOf, type StateSnapshot } from '../state/shared-state.store';
import { SharedState } from '../state/shared-state';
import { chainsOver } from './failover';
import type { RunTrigger, SkippedProvider } from './run-summary';

export { DEFAULT_QUOTA_PAUSE_SECONDS } from '../state/provider-pauses';

/**
 * Why a provider must not be called for now (the shared pause item). Quota: no call before
 * `until`. Auth: `until` is `null`, until a manual run gets through.
 */
export type Gate = PauseItem;

/** The providers a run calls, those it leaves out, and the shared state it decided on. */
export interface Selected {
  callable: MarketDataProvider[];
  skipped: SkippedProvider[];
  snapshot: StateSnapshot;
}

/** A provider as `/status` shows it: its market schedule and state now, and whether it is paused. */
export interface ProviderView {
  name: ProviderName;
  /** What decides when its market is open, e.g. `NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)`. */
  marketHours: string;
  marketOpen: boolean;
  /** The state in one line: `closed: holiday (Christmas), next open …`, with the fallback note when weekdays are assumed. */
  market: string;
  marketState: MarketState;
  blocked: Gate | null;
}


/**
 * Which providers a run calls: a quota answer pauses a provider until the reset it announced, a
 * rejected key stops scheduled calls until a manual run gets through, and scheduled runs leave a
 * provider alone while its market is closed (`MARKET_HOURS`: by default its exchange's calendar,
 * weekends and holidays included).
 */
@Injectable()
export class ProviderSelection {
  private readonly order: ProviderName[][];

  constructor(
    @Inject(MARKET_DATA_PROVIDERS) private readonly providers: MarketDataProvider[],
    @InjectConfig() private readonly config: QuoteflowConfig,
    private readonly state: SharedState,
    private readonly pauses: ProviderPauses,
    @Inject(CLOCK) private readonly now: Clock,
  ) {
    this.order = chainsOver(config.ingest.chains, providers.map((p) => p.name));
  }

  /** The failover chains every run serves, each in the order its providers are tried. */
  chains(): ProviderName[][] {
    return this.order;
  }

  /**
   * Providers to call in a run of this kind now, and why the others are left out: decided on a
   * consistent read of the shared pauses, so a pause any process met holds for this run.
   */
  async select(trigger: RunTrigger): Promise<Selected> {
    const snapshot = await this.state.fresh();
    const now = this.now();
    const manual = trigger === 'manual';
    const callable: MarketDataProvider[] = [];
    const skipped: SkippedProvider[] = [];
    for (const provider of this.providers) {
      const gate = pauseHolds(pauseOf(snapshot, provider.name, 'ingest'), now, manual);
      if (gate) {
        skipped.push({
          provider: provider.name,
          cause: gate.reason === 'quota' ? 'quota' : 'stopped',
          reason: gate.reason === 'quota' ? `quota exhausted, paused until ${gate.until}` : `stopped after: ${gate.message}`,
        });
        continue;
      }
      const market = manual ? null : marketStateAt(providerSchedule(this.config, provider.name), now);
      if (market && !market.open) {
        skipped.push({ provider: provider.name, cause: 'market_closed', reason: `market ${describeMarketState(market)}` });
      } else {
        callable.push(provider);
      }
    }
    return { callable, skipped, snapshot };
  }

  /** Records what a call's answer means for the next calls of every process: `failure` is what it failed with, if it did. */
  async answered(provider: ProviderName, failure: unknown, snapshot: StateSnapshot): Promise<void> {
    await this.pauses.answered(provider, 'ingest', failure, pauseOf(snapshot, provider, 'ingest'));
  }

  /** The pause a scheduled call of the provider would meet in `snapshot` (quota or rejected key), `null` if none. */
  gateOf(provider: ProviderName, snapshot: StateSnapshot): Gate | null {
    return pauseHolds(pauseOf(snapshot, provider, 'ingest'), this.now(), false);
  }

  /** Seconds until the soonest quota pause of the configured providers ends, `null` if none is known. */
  async retryAfterSeconds(): Promise<number | null> {
    const snapshot = await this.state.fresh();
    const now = this.now().getTime();
    const waits = this.providers
      .map((p) => pauseOf(snapshot, p.name, 'ingest'))
      .filter((g): g is Gate => g?.reason === 'quota' && g.until !== null && Date.parse(g.until) > now)
      .map((g) => Math.max(1, Math.ceil((Date.parse(g.until!) - now) / 1000)));
    return waits.length ? Math.min(...waits) : null;
  }

  /** Every configured provider's market and pause, as `snapshot` has them. */
  describe(snapshot: StateSnapshot): ProviderView[] {
    const now = this.now();
    return this.providers.map((p) => {
      const schedule = providerSchedule(this.config, p.name);
      const state = marketStateAt(schedule, now);
      return {
        name: p.name,
        marketHours: describeSchedule(schedule),
        marketOpen: state.open,
        market: describeMarketState(state),
        marketState: state,
        blocked: pauseHolds(pauseOf(snapshot, p.name, 'ingest'), now, false),
      };
    });
  }
}
