import prand, { type RandomGenerator } from 'pure-rand';
import { DateTime } from 'luxon';

/** One instrument's quote at one tick, prices in paise (integers): the upstream's decimals without float arithmetic. */
export interface PathQuote {
  symbol: string;
  /** Index in the instrument list. */
  index: number;
  priceCents: number;
  highCents: number;
  lowCents: number;
}

/** The symbol of instrument `index`: `SOAK0001`, ... (series EQ, identifier `SOAK0001EQN`). */
export function soakSymbol(index: number): string {
  return `SOAK${String(index + 1).padStart(4, '0')}`;
}

/** `SOAK0001` → 0; `null` for any other symbol. */
export function soakIndex(symbol: string): number | null {
  const match = /^SOAK(\d{4})$/.exec(symbol);
  return match ? Number(match[1]) - 1 : null;
}

/** Paise as the decimal text the upstream writes (`294535` → `2945.35`), by integer arithmetic only. */
export function centsText(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** The JSON number a decimal text stands for (what JSON.parse makes of it in the ingestor). */
export function centsValue(cents: number): number {
  return Number(centsText(cents));
}

/**
 * A deterministic, seeded random walk of `instruments` prices, one step per tick (pure-rand's
 * xoroshiro128+, so a seed reproduces the same path on any machine). Ticks are generated in order
 * from `firstTick`, so the path of a tick does not depend on which ticks were asked for before it.
 * The day's high and low are the path's running extremes, so every quote has low <= price <= high.
 */
export class PricePath {
  private rng: RandomGenerator;
  private readonly price: Int32Array;
  private readonly high: Int32Array;
  private readonly low: Int32Array;
  private readonly ticks = new Map<number, Int32Array>();
  private next: number;

  constructor(
    seed: number,
    readonly instruments: number,
    readonly firstTick: number,
  ) {
    this.rng = prand.xoroshiro128plus(seed);
    this.price = new Int32Array(instruments);
    this.high = new Int32Array(instruments);
    this.low = new Int32Array(instruments);
    for (let i = 0; i < instruments; i++) {
      // 100.00 .. 5000.00 rupees, as NSE equities run
      const start = this.int(10_000, 500_000);
      this.price[i] = this.high[i] = this.low[i] = start;
    }
    this.next = firstTick;
  }

  /** Every instrument's quote at `tick` (>= firstTick); kept, so the ledger can read any served tick back. */
  at(tick: number): PathQuote[] {
    if (tick < this.firstTick) throw new Error(`tick ${tick} is before the path's first tick ${this.firstTick}`);
    const packed = this.packed(tick);
    return Array.from({ length: this.instruments }, (_, index) => ({
      symbol: soakSymbol(index),
      index,
      priceCents: packed[index * 3],
      highCents: packed[index * 3 + 1],
      lowCents: packed[index * 3 + 2],
    }));
  }

  /** One instrument's quote at a tick already generated; `null` when the tick never was. */
  quote(tick: number, index: number): PathQuote | null {
    const packed = this.ticks.get(tick);
    if (!packed || index < 0 || index >= this.instruments) return null;
    return { symbol: soakSymbol(index), index, priceCents: packed[index * 3], highCents: packed[index * 3 + 1], lowCents: packed[index * 3 + 2] };
  }

  private packed(tick: number): Int32Array {
    while (this.next <= tick) {
      for (let i = 0; i < this.instruments; i++) {
        // steps of up to ±0.5 % in whole paise, never below 1.00
        const step = this.int(-Math.max(1, Math.floor(this.price[i] / 200)), Math.max(1, Math.floor(this.price[i] / 200)));
        this.price[i] = Math.max(100, this.price[i] + step);
        this.high[i] = Math.max(this.high[i], this.price[i]);
        this.low[i] = Math.min(this.low[i], this.price[i]);
      }
      const packed = new Int32Array(this.instruments * 3);
      for (let i = 0; i < this.instruments; i++) packed.set([this.price[i], this.high[i], this.low[i]], i * 3);
      this.ticks.set(this.next, packed);
      this.next++;
    }
    return this.ticks.get(tick)!;
  }

  private int(min: number, max: number): number {
    const [value, rng] = prand.uniformIntDistribution(min, max, this.rng);
    this.rng = rng;
    return value;
  }
}

/** `lastUpdateTime` as latest-stock-price writes it: NSE local time (IST), no zone. */
export function nseTime(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: 'Asia/Kolkata' }).setLocale('en-US').toFormat('d-LLL-yyyy HH:mm:ss');
}

/** One latest-stock-price row (`GET /any` answers an array of them). */
export function upstreamRow(q: PathQuote, quoteTimeMs: number): Record<string, unknown> {
  return {
    symbol: q.symbol,
    identifier: `${q.symbol}EQN`,
    open: centsValue(q.lowCents),
    dayHigh: centsValue(q.highCents),
    dayLow: centsValue(q.lowCents),
    lastPrice: centsValue(q.priceCents),
    previousClose: centsValue(q.lowCents),
    change: 0,
    pChange: 0,
    totalTradedVolume: 1000,
    totalTradedValue: 12.34,
    lastUpdateTime: nseTime(quoteTimeMs),
    yearHigh: centsValue(q.highCents),
    yearLow: centsValue(q.lowCents),
    perChange365d: 0,
    perChange30d: 0,
    meta: { companyName: `Soak ${q.symbol}`, industry: 'Testing', isin: null },
  };
}
