import { z } from 'zod';
import { BAR_INTERVALS, QUOTE_ORIGINS } from './quote-origin';

/**
 * Symbols as users type them: upper case letters and digits plus the few punctuation marks real
 * tickers and index names use (`NIFTY 50`, `M&M`, `BAJAJ-AUTO`, `BRK.B`, `^GSPC`, `EURUSD=X`, `BTC-USD`).
 */
export const SYMBOL_PATTERN = /^[A-Z0-9^][A-Z0-9 .&_=^-]{0,39}$/;

/** Upper-cases and trims a symbol; `null` when the result is not a valid symbol. */
export function normaliseSymbol(raw: string): string | null {
  const symbol = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  return SYMBOL_PATTERN.test(symbol) ? symbol : null;
}

/** Series (NSE `EQ`, `BE`, ...; a CoinGecko coin id) that tells apart two instruments sharing a symbol. */
export const SERIES_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** ISO-8601 UTC with milliseconds, exactly as `Date.prototype.toISOString()` writes it (sorts as text). */
export const UTC_INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Names of the market-data providers; `demo` marks synthetic data. */
export const PROVIDER_NAMES = ['demo', 'latest-stock-price', 'alpha-vantage', 'yahoo-finance', 'coingecko'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Time zone of each source's exchange: daily candles start at its local midnight. */
export const SOURCE_TIME_ZONES: Record<ProviderName, string> = {
  demo: 'UTC',
  'latest-stock-price': 'Asia/Kolkata',
  'alpha-vantage': 'America/New_York',
  'yahoo-finance': 'America/New_York',
  coingecko: 'UTC',
};

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/**
 * The normalised quote: what a provider hands the pipeline, and what is stored. `origin` absent
 * means `live` (every quote stored before backfill existed); a `backfill` quote names the bar it
 * stands for in `interval` (its `quoteTime` is the bar's start, its price the bar's close), and
 * only a backfill quote has one.
 */
export const quoteSchema = z
  .object({
    symbol: z.string().regex(SYMBOL_PATTERN, 'must be an upper-case symbol'),
    series: z.string().regex(SERIES_PATTERN).nullable(),
    price: finite.refine((n) => n > 0, 'must be positive'),
    high: finite.nullable(),
    low: finite.nullable(),
    quoteTime: z.string().regex(UTC_INSTANT_PATTERN, 'must be an ISO-8601 UTC instant'),
    source: z.enum(PROVIDER_NAMES),
    origin: z.enum(QUOTE_ORIGINS).optional(),
    interval: z.enum(BAR_INTERVALS).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.origin === 'backfill' && q.interval === undefined) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'missing_interval' });
    } else if (q.origin !== 'backfill' && q.interval !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['interval'], message: 'interval_without_backfill' });
    }
    if (q.high !== null && q.low !== null && q.high < q.low) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'high_below_low' });
    } else if ((q.high !== null && q.price > q.high) || (q.low !== null && q.price < q.low)) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: 'price_outside_range' });
    }
  });

export type Quote = z.infer<typeof quoteSchema>;

/** A quote as stored by the processor. */
export interface StoredQuote extends Quote {
  /** When the processor stored it, ISO-8601 UTC. */
  insertedAt: string;
}

/**
 * What a provider produces from one upstream row before validation: any field may be missing or
 * unparsable (`null`), which is exactly what validation rejects and counts.
 */
export type QuoteCandidate = { [K in keyof Quote]: Quote[K] | null | undefined };

export type QuoteCheck = { ok: true; quote: Quote } | { ok: false; reason: string; symbol: string | null };

/**
 * Validates one candidate. The rejection `reason` is a short stable code (`invalid_price`,
 * `invalid_quote_time`, `high_below_low`, ...) suitable as a metric label.
 */
export function checkQuote(candidate: QuoteCandidate): QuoteCheck {
  const parsed = quoteSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, quote: parsed.data };
  const issue = parsed.error.issues[0];
  const reason =
    issue.code === 'custom' && /^[a-z_]+$/.test(issue.message)
      ? issue.message
      : `invalid_${snakeCase(String(issue.path[0] ?? 'row'))}`;
  return { ok: false, reason, symbol: typeof candidate.symbol === 'string' ? candidate.symbol : null };
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * Reads an upstream numeric field exactly as sent: JSON numbers pass through untouched (no rounding,
 * so the stored value is the upstream's decimal), numeric strings are parsed, and the placeholders
 * upstreams use for "no value" (`"-"`, `""`, `null`) become `null`.
 */
export function upstreamNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/,/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}
