import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QuoteTable, type Quote } from '@app/common';
import { setTimeout as sleep } from 'node:timers/promises';

// A year of minute quotes in the emulator, for the benches that read long ranges (export, candles).

/** Minute quotes of one NSE symbol over weekday sessions (09:15-15:30 IST) from 2024-01-01, a random walk in paise. */
export function yearOfMinutes(count: number, symbol = 'BENCHEXP'): Quote[] {
  const quotes: Quote[] = [];
  let seed = 7;
  let cents = 250_000;
  for (let day = Date.parse('2024-01-01T03:45:00.000Z'); quotes.length < count; day += 86_400_000) {
    if ([0, 6].includes(new Date(day).getUTCDay())) continue;
    let [high, low] = [cents, cents];
    for (let minute = 0; minute < 375 && quotes.length < count; minute++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      cents = Math.max(100, cents + Math.round((seed / 2147483648 - 0.5) * 200));
      [high, low] = [Math.max(high, cents), Math.min(low, cents)];
      const quoteTime = new Date(day + minute * 60_000).toISOString();
      quotes.push({ symbol, series: 'EQ', price: cents / 100, high: high / 100, low: low / 100, quoteTime, source: 'latest-stock-price' });
    }
  }
  return quotes;
}

/** History items 25 per BatchWriteItem, 8 calls at a time, unprocessed items again after a pause; and the registry item. */
export async function batchSeed(dynamo: DynamoDBDocumentClient, table: string, quotes: Quote[]): Promise<void> {
  const insertedAt = new Date().toISOString();
  const items = quotes.map((q) => QuoteTable.historyItem(q, insertedAt));
  items.push(QuoteTable.instrumentItem(quotes[quotes.length - 1], insertedAt));
  let next = 0;
  const worker = async () => {
    for (let start = next; start < items.length; start = next) {
      next += 25;
      let requests = items.slice(start, start + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length; attempt++) {
        if (attempt) await sleep(Math.min(1000, 20 * 2 ** attempt));
        const { UnprocessedItems } = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

