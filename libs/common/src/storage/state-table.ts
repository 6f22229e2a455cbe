import type { ProviderName } from '../quote/quote';
import { QuoteTable } from './quote-table';

/** The two users of a provider's quota pause: the live ingest and the backfill (history endpoints). */
export type PauseScope = 'ingest' | 'backfill';

/**
 * A provider that must not be called for now, shared by every process. `quota`: no call before
 * `until`; `auth`: the key was refused, no scheduled call until a manual run gets through
 * (`until` is `null`).
 */
export interface PauseItem {
  reason: 'quota' | 'auth';
  message: string;
  /** When the answer that paused it came (ISO-8601 UTC). */
  since: string;
  until: string | null;
  /** The instance that met the answer (`host:pid:random`), for people reading `/status`. */
  by: string;
}

/** A provider's rate-limit headers, as its last answer carried them. */
export interface RateLimitItem {
  limit: number | null;
  remaining: number | null;
  resetSeconds: number | null;
  observedAt: string;
}

/**
 * One valid quote as a provider's last run saw it, compact: `[symbol, series, price, high, low,
 * quoteTime]`. Prices are the JSON numbers the upstream gave (never computed on).
 */
export type SeenQuote = [symbol: string, series: string | null, price: number, high: number | null, low: number | null, quoteTime: string];

/** A jump alert the provider's last run raised (its price moved further than the day range explains). */
export interface JumpItem {
  symbol: string;
  series: string | null;
  bps: number;
  message: string;
  since: string;
}

/**
 * What the last run that called a provider saw of it, in whichever process: when, its rate-limit
 * headers, every valid quote (which instruments it served, the quality monitor's last quote per
 * (instrument, source), and the unchanged-quote filter), and the jumps it raised.
 */
export interface ProviderLastItem {
  provider: ProviderName;
  observedAt: string;
  runId: string;
  rateLimit: RateLimitItem | null;
  quotes: SeenQuote[];
  /** Some of `quotes` were not taken by SQS: the next run offers all of them again (the filter holds none). */
  unpublished: boolean;
  jumps: JumpItem[];
  /** Quotes left out to stay within the item size (a feed of more than {@link PROVIDER_LAST_MAX_QUOTES} instruments). */
  truncated?: number;
}

/** Quotes kept in one provider item: about 80 bytes each, so the item stays far below DynamoDB's 400 KB. */
export const PROVIDER_LAST_MAX_QUOTES = 4_000;

/** Days a run record is kept when no history retention is configured (with one, as long as the history). */
export const RUN_RECORD_DEFAULT_RETENTION_DAYS = 35;

/**
 * Layout of the shared operational state in the quotes table: what one ingestor process learns
 * and every other one (replicas, the two Lambda functions) must know. Beside the items of
 * `QuoteTable`, `RunLogTable` and `BackfillTable`:
 *
 * | item          | pk                  | sk                 | written                                   | read                         |
 * |---------------|---------------------|--------------------|-------------------------------------------|------------------------------|
 * | run           | `RUNS#<UTC date>`   | `<slot>#<runId>`   | every run: one PutItem (`RunLogTable`), with `summary` and a TTL | `/status` (newest 20), coverage |
 * | provider last | `PROVIDER#<name>`   | `LAST`             | per called provider and run: one PutItem  | every run, `/status`         |
 * | ingest pause  | `PROVIDER#<name>`   | `PAUSE#ingest`     | on a quota / key answer; deleted by the next answer that gets through | every run, `/status`, backfill |
 * | backfill pause| `PROVIDER#<name>`   | `PAUSE#backfill`   | on a history endpoint's quota answer      | every backfill pass, `/status` |
 * | ingest lease  | `LEASE#ingest`      | `LEASE`            | acquire/renew/release (`QuoteTable`); release also sets `lastGoodAt`/`lastGoodHow` and `runId` | every run, `/status`, readiness |
 * | backfill lease| `LEASE#backfill`    | `LEASE`            | a pass holds it while it runs; release sets `lastPass` (JSON) | every pass, `/status`        |
 *
 * No partition is written by every instrument: a provider's quotes of a run go into its one item.
 * The run partition takes one write a run and changes with the UTC date; a provider partition one
 * or two writes a run. Pause writes are conditional: a quota pause never replaces one that ends
 * later (`until`), and the delete after a call that got through leaves a quota pause that another
 * process wrote meanwhile alone. Provider and pause items never expire (there are at most three per
 * provider); run records carry the table's TTL attribute (`retainUntil`, epoch seconds).
 *
 * A run reads the pause and last items of every provider in one consistent BatchGetItem, so a
 * pause met by any process is seen by the next run of all of them; `/status` reads the same keys
 * plus the two leases in one BatchGetItem and the newest runs in one Query.
 */
export const StateTable = {
  providerPrefix: 'PROVIDER#',
  lastSk: 'LAST',

  pauseKey(provider: ProviderName, scope: PauseScope) {
    return { pk: `${StateTable.providerPrefix}${provider}`, sk: `PAUSE#${scope}` };
  },

  lastKey(provider: ProviderName) {
    return { pk: `${StateTable.providerPrefix}${provider}`, sk: StateTable.lastSk };
  },

  /** The lease item of a job (`ingest`, `backfill`): the same item `QuoteTable.leaseKey` names. */
  leaseKey(job: 'ingest' | 'backfill') {
    return QuoteTable.leaseKey(job);
  },

  /** Epoch seconds at which a run record of `slot` may be deleted. */
  runExpiry(slot: string, historyRetentionDays: number | null): number {
    return Math.floor(Date.parse(slot) / 1000) + (historyRetentionDays ?? RUN_RECORD_DEFAULT_RETENTION_DAYS) * 86_400;
  },

  lastItem(last: ProviderLastItem): Record<string, unknown> {
    // the quotes as one JSON string: a third of the bytes of a list of maps, and bytes are write units
    return { ...StateTable.lastKey(last.provider), ...last, quotes: JSON.stringify(last.quotes), jumps: JSON.stringify(last.jumps) };
  },

  toLast(item: Record<string, unknown> | undefined): ProviderLastItem | null {
    if (!item || typeof item.provider !== 'string') return null;
    return {
      provider: item.provider as ProviderName,
      observedAt: text(item.observedAt),
      runId: text(item.runId),
      rateLimit: (item.rateLimit as RateLimitItem | undefined) ?? null,
      quotes: parseList<SeenQuote>(item.quotes),
      unpublished: item.unpublished === true,
      jumps: parseList<JumpItem>(item.jumps),
      ...(typeof item.truncated === 'number' ? { truncated: item.truncated } : {}),
    };
  },

  pauseItem(provider: ProviderName, scope: PauseScope, pause: PauseItem): Record<string, unknown> {
    return { ...StateTable.pauseKey(provider, scope), provider, scope, ...pause };
  },

  toPause(item: Record<string, unknown> | undefined): PauseItem | null {
    if (!item || (item.reason !== 'quota' && item.reason !== 'auth')) return null;
    return {
      reason: item.reason,
      message: text(item.message),
      since: text(item.since),
      until: typeof item.until === 'string' ? item.until : null,
      by: text(item.by),
    };
  },
} as const;

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function parseList<T>(value: unknown): T[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as T[]) : [];
  } catch {
    return [];
  }
}
