import { QuoteTable } from './quote-table';

/** What backfill remembers of one instrument, so that no pass asks the upstream twice for the same minutes. */
export interface BackfillState {
  /** Every expected minute before it is stored, unchanged, or was asked of the history endpoint (ISO-8601 UTC). */
  watermark: string | null;
  /** Ranges after the watermark already asked of the endpoint (`[from, to)`, ISO-8601 UTC, oldest first). */
  asked: [string, string][];
  updatedAt: string | null;
}

/** The `asked` list is cut to this many ranges (oldest dropped): a few hundred bytes each way. */
export const BACKFILL_ASKED_MAX = 200;

/**
 * Layout of the backfill items in the quotes table (beside the items of `QuoteTable`):
 *
 * | item      | pk                                 | sk                   | notes                                  |
 * |-----------|------------------------------------|----------------------|----------------------------------------|
 * | watermark | `BACKFILL#<SYMBOL>#<series>`       | `STATE`              | one per instrument, never expires      |
 * | budget    | `BACKFILL_BUDGET#<provider>`       | UTC hour `YYYY-MM-DDTHH` | calls spent that hour; expires after 2 days |
 *
 * A watermark item holds {@link BackfillState}. A budget item holds `calls`, raised by one
 * conditional UpdateItem per history call (`calls < :limit`), so the budget holds across restarts
 * and instances; it carries the table's TTL attribute, it is only needed for its hour.
 */
export const BackfillTable = {
  statePrefix: 'BACKFILL#',
  budgetPrefix: 'BACKFILL_BUDGET#',

  stateKey(symbol: string, series: string | null) {
    return { pk: `${BackfillTable.statePrefix}${symbol}#${series ?? QuoteTable.noSeries}`, sk: 'STATE' };
  },

  budgetKey(provider: string, at: Date) {
    return { pk: `${BackfillTable.budgetPrefix}${provider}`, sk: at.toISOString().slice(0, 13) };
  },

  /** Epoch seconds at which a budget item of the hour `at` may be deleted. */
  budgetExpiry(at: Date): number {
    return Math.floor(at.getTime() / 1000) + 2 * 86_400;
  },

  toState(item: Record<string, unknown> | undefined): BackfillState {
    const asked = Array.isArray(item?.asked) ? (item.asked as unknown[]).filter(isRange) : [];
    return {
      watermark: typeof item?.watermark === 'string' ? item.watermark : null,
      asked,
      updatedAt: typeof item?.updatedAt === 'string' ? item.updatedAt : null,
    };
  },
} as const;

function isRange(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string');
}
