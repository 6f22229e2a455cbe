import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { encodeQuoteMessage, resolveQueueUrl, type Quote, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { quoteFactory } from './factories';

/**
 * `symbols` × `perSymbol` distinct quotes (one a minute per symbol), shuffled so that arrival order
 * says nothing about which quote of a symbol is the newest.
 */
export function distinctQuotes(symbols: number, perSymbol: number): Quote[] {
  const quotes: Quote[] = [];
  for (let s = 0; s < symbols; s++) {
    for (let m = 0; m < perSymbol; m++) {
      const price = 100 + s + m / 100;
      quotes.push(
        quoteFactory({
          symbol: `SYM${String(s).padStart(3, '0')}`,
          price,
          high: price + 1,
          low: price - 1,
          quoteTime: new Date(Date.UTC(2024, 8, 16, 4, 0) + m * 60_000).toISOString(),
        }),
      );
    }
  }
  // deterministic shuffle (a fixed LCG): the same order on every run
  let seed = 42;
  for (let i = quotes.length - 1; i > 0; i--) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = seed % (i + 1);
    [quotes[i], quotes[j]] = [quotes[j], quotes[i]];
  }
  return quotes;
}

/**
 * Publishes quotes as the ingestor does (SendMessageBatch of 10), with `pauseMs` between batches: a
 * stream, not a burst. The pause paces what the test sends (and so how long an outage lasts while
 * quotes keep arriving); no test waits on it for an outcome.
 */
export async function publishQuotes(sqs: SQSClient, config: QuoteflowConfig, quotes: Quote[], pauseMs = 0): Promise<void> {
  const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
  for (let start = 0; start < quotes.length; start += 10) {
    const Entries = quotes
      .slice(start, start + 10)
      .map((q, i) => ({ Id: String(i), MessageBody: encodeQuoteMessage(q, 'stream', new Date().toISOString()) }));
    const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    if (Failed.length) throw new Error(`SQS refused ${Failed.length} message(s): ${Failed[0].Message}`);
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
}

/** Compares what is stored with what was published: counts of lost and doubled quotes, and latest records that are not the newest. */
export function audit(published: Quote[], stored: { history: StoredQuote[]; latest: StoredQuote[] }) {
  const key = (q: { symbol: string; series: string | null; quoteTime: string }) => `${q.symbol}|${q.series}|${q.quoteTime}`;
  const storedKeys = stored.history.map(key);
  const distinct = new Set(storedKeys);
  const publishedKeys = new Set(published.map(key));
  const newest = new Map<string, Quote>();
  for (const q of published) {
    const current = newest.get(q.symbol);
    if (!current || current.quoteTime < q.quoteTime) newest.set(q.symbol, q);
  }
  const latestWrong = [...newest.values()].filter((q) => {
    const latest = stored.latest.find((l) => l.symbol === q.symbol && l.series === q.series);
    return !latest || latest.quoteTime !== q.quoteTime || latest.price !== q.price;
  });
  return {
    published: published.length,
    historyRecords: stored.history.length,
    lost: published.filter((q) => !distinct.has(key(q))).length,
    duplicated: storedKeys.length - distinct.size,
    unexpected: [...distinct].filter((k) => !publishedKeys.has(k)).length,
    latestNotNewest: latestWrong.map((q) => q.symbol),
  };
}
