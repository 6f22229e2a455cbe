import type { QuoteCandidate } from '@app/common';
import { MarketDataProvider, type ProviderFetch } from './market-data-provider';

/** Fictional companies, so that demo prices can never be mistaken for a real market. */
const DEMO_BOOK: Record<string, number> = { ACME: 12_500, GLOBEX: 8_420, INITECH: 2_315, HOOLI: 45_760, WAYNE: 31_005 };

interface Walk {
  cents: number;
  highCents: number;
  lowCents: number;
  day: string;
}

export interface DemoOptions {
  symbols: string[] | null;
  now?: () => Date;
  random?: () => number;
}

/**
 * Synthetic quotes for a handful of fictional symbols: a random walk in whole cents (so prices are
 * exact two-decimal values), day high/low tracked per UTC day. Every quote says `source: "demo"`.
 */
export class DemoProvider extends MarketDataProvider {
  readonly name = 'demo' as const;
  /** Synthetic data has no past to fetch. */
  override readonly history = null;
  private readonly walks = new Map<string, Walk>();
  private readonly now: () => Date;
  private readonly random: () => number;

  constructor(private readonly options: DemoOptions) {
    super();
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  static get symbols(): string[] {
    return Object.keys(DEMO_BOOK);
  }

  async fetch(): Promise<ProviderFetch> {
    const now = this.now();
    now.setUTCMilliseconds(0);
    const quoteTime = now.toISOString();
    const day = quoteTime.slice(0, 10);
    const symbols = DemoProvider.symbols.filter((s) => !this.options.symbols || this.options.symbols.includes(s));
    const candidates = symbols.map((symbol): QuoteCandidate => {
      const walk = this.step(symbol, day);
      return {
        symbol,
        series: null,
        price: walk.cents / 100,
        high: walk.highCents / 100,
        low: walk.lowCents / 100,
        quoteTime,
        source: 'demo',
      };
    });
    return { candidates, rateLimit: null };
  }

  private step(symbol: string, day: string): Walk {
    const previous = this.walks.get(symbol);
    const start = previous?.cents ?? DEMO_BOOK[symbol];
    // up to ±0.5% a step, never below one cent
    const cents = Math.max(1, start + Math.round((start * (this.random() - 0.5)) / 100));
    const sameDay = previous?.day === day;
    const walk: Walk = {
      cents,
      highCents: sameDay ? Math.max(previous.highCents, cents) : cents,
      lowCents: sameDay ? Math.min(previous.lowCents, cents) : cents,
      day,
    };
    this.walks.set(symbol, walk);
    return walk;
  }
}
