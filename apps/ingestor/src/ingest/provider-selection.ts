import {
  describeMarketState,
  describeSchedule,
  exchangeOfProvider,
  InjectConfig,
  marketStateAt,
  resolveMarketSchedule,
  type MarketSchedule,
  type MarketState,
  type ProviderName,
  type QuoteflowConfig,
} from '@app/common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { MARKET_DATA_PROVIDERS, MarketDataProvider } from '../market-data/market-data-provider';
import { UpstreamError } from '../market-data/upstream.error';
import { CLOCK, systemClock, type Clock } from './clock';
import { chainsOver } from './failover';
import type { RunTrigger, SkippedProvider } from './run-summary';

/** How long to leave a provider alone after a quota answer that did not say when it resets. */
export const DEFAULT_QUOTA_PAUSE_SECONDS = 60;

/** Why a provider must not be called for now. */
export interface Gate {
  reason: 'quota' | 'auth';
  message: string;
  since: string;
  /** Quota: no call before this instant. Auth: `null`, until a manual run succeeds. */
  until: string | null;
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

/** The schedule a provider's market follows under `MARKET_HOURS` (its exchange's calendar with `auto`). */
export function providerSchedule(config: QuoteflowConfig, provider: ProviderName): MarketSchedule {
  return resolveMarketSchedule(config.ingest.marketHours, exchangeOfProvider(provider));
}

/**
 * Which providers a run calls: a quota answer pauses a provider until the reset it announced, a
 * rejected key stops scheduled calls until a manual run gets through, and scheduled runs leave a
 * provider alone while its market is closed (`MARKET_HOURS`: by default its exchange's calendar,
 * weekends and holidays included).
 */
@Injectable()
export class ProviderSelection {
  private readonly gates = new Map<ProviderName, Gate>();
  private readonly now: Clock;
  private readonly order: ProviderName[][];

  constructor(
    @Inject(MARKET_DATA_PROVIDERS) private readonly providers: MarketDataProvider[],
    @InjectConfig() private readonly config: QuoteflowConfig,
    @Optional() @Inject(CLOCK) now?: Clock,
  ) {
    this.now = now ?? systemClock;
    this.order = chainsOver(config.ingest.chains, providers.map((p) => p.name));
  }

  /** The failover chains every run serves, each in the order its providers are tried. */
  chains(): ProviderName[][] {
    return this.order;
  }

  /** Providers to call in a run of this kind now, and why the others are left out. */
  select(trigger: RunTrigger): { callable: MarketDataProvider[]; skipped: SkippedProvider[] } {
    const now = this.now();
    const manual = trigger === 'manual';
    const callable: MarketDataProvider[] = [];
    const skipped: SkippedProvider[] = [];
    for (const provider of this.providers) {
      const gate = this.blocked(provider.name, now, manual);
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
    return { callable, skipped };
  }

  /** Records what a call's answer means for the next calls: `failure` is what it failed with, if it did. */
  answered(provider: ProviderName, failure: unknown): void {
    if (!failure) this.gates.delete(provider);
    else if (failure instanceof UpstreamError) this.failed(provider, failure, this.now());
  }

  /** The pause a scheduled call of the provider would meet now (quota or rejected key), `null` if none. */
  gateOf(provider: ProviderName): Gate | null {
    return this.blocked(provider, this.now(), false);
  }

  /** Seconds until the soonest quota pause of the configured providers ends, `null` if none is known. */
  retryAfterSeconds(): number | null {
    const now = this.now().getTime();
    const waits = [...this.gates.values()]
      .filter((g) => g.reason === 'quota' && g.until)
      .map((g) => Math.max(1, Math.ceil((Date.parse(g.until!) - now) / 1000)));
    return waits.length ? Math.min(...waits) : null;
  }

  describe(): ProviderView[] {
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
        blocked: this.gates.get(p.name) ?? null,
      };
    });
  }

  private blocked(provider: ProviderName, now: Date, manual: boolean): Gate | null {
    const gate = this.gates.get(provider);
    if (!gate) return null;
    if (gate.reason === 'quota') {
      if (gate.until && Date.parse(gate.until) > now.getTime()) return gate;
      this.gates.delete(provider);
      return null;
    }
    return manual ? null : gate;
  }

  private failed(provider: ProviderName, err: UpstreamError, now: Date): void {
    if (err.failure === 'quota') {
      const seconds = err.retryAfterSeconds ?? DEFAULT_QUOTA_PAUSE_SECONDS;
      const until = new Date(now.getTime() + seconds * 1000).toISOString();
      this.gates.set(provider, { reason: 'quota', message: err.message, since: now.toISOString(), until });
    } else if (err.failure === 'auth') {
      this.gates.set(provider, { reason: 'auth', message: err.message, since: now.toISOString(), until: null });
    }
  }
}
