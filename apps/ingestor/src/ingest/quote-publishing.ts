import { checkQuote, encodeQuoteMessage, type Quote, type QuoteCandidate } from '@app/common';
import type { QuoteQueue } from './quote-queue';

/**
 * The valid quotes among a provider's candidates, in their order; `rejected` hears of every
 * other one (its symbol if it has one, and the reason). The one check of the live ingest and the
 * backfill alike.
 */
export function validQuotes(candidates: QuoteCandidate[], rejected: (symbol: string | null, reason: string) => void): Quote[] {
  const valid: Quote[] = [];
  for (const candidate of candidates) {
    const check = checkQuote(candidate);
    if (check.ok) valid.push(check.quote);
    else rejected(check.symbol, check.reason);
  }
  return valid;
}

/** Encodes the quotes as messages of the run (or backfill pass) `runId` and publishes them: the one publish path of ingest and backfill. */
export function publishQuotes(queue: QuoteQueue, quotes: Quote[], runId: string, fetchedAt: string): Promise<{ published: number; failed: number }> {
  return queue.publish(quotes.map((q) => encodeQuoteMessage(q, runId, fetchedAt)));
}
