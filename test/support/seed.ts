import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { QuoteTable, type Quote, type QuoteflowConfig } from '@app/common';

/** Writes quotes as the processor stores them (history item + latest item), for read-side tests. */
export async function seedQuotes(dynamo: DynamoDBDocumentClient, config: QuoteflowConfig, quotes: Quote[]): Promise<void> {
  const latest = new Map<string, Quote>();
  for (const quote of quotes) {
    const key = `${quote.symbol}|${quote.series}`;
    if ((latest.get(key)?.quoteTime ?? '') < quote.quoteTime) latest.set(key, quote);
  }
  const insertedAt = new Date().toISOString();
  const items = [...quotes.map((q) => QuoteTable.historyItem(q, insertedAt)), ...[...latest.values()].map((q) => QuoteTable.latestItem(q, insertedAt))];
  // a few writes at a time: the emulator is one process
  for (let i = 0; i < items.length; i += 25) {
    await Promise.all(items.slice(i, i + 25).map((Item) => dynamo.send(new PutCommand({ TableName: config.table.name, Item }))));
  }
}
