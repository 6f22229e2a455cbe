import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { QuoteTable, type Quote, type QuoteflowConfig } from '@app/common';
import { PreviousShapes } from './previous-layout';

/** Writes quotes as the processor stores them (history items + one registry item per instrument), for read-side tests. */
export async function seedQuotes(dynamo: DynamoDBDocumentClient, config: QuoteflowConfig, quotes: Quote[]): Promise<void> {
  const insertedAt = new Date().toISOString();
  const instruments = new Map(quotes.map((q) => [QuoteTable.instrumentKey(q.symbol, q.series).sk, QuoteTable.instrumentItem(q, insertedAt)]));
  await putAll(dynamo, config, [...quotes.map((q) => QuoteTable.historyItem(q, insertedAt)), ...instruments.values()]);
}

/** Writes quotes as the release before ADR 0006 stored them (history item + latest item in the GSI), for the upgrade tests. */
export async function seedPreviousLayout(dynamo: DynamoDBDocumentClient, config: QuoteflowConfig, quotes: Quote[]): Promise<void> {
  const latest = new Map<string, Quote>();
  for (const quote of quotes) {
    const key = `${quote.symbol}|${quote.series}`;
    if ((latest.get(key)?.quoteTime ?? '') < quote.quoteTime) latest.set(key, quote);
  }
  const insertedAt = new Date().toISOString();
  await putAll(dynamo, config, [...quotes.map((q) => QuoteTable.historyItem(q, insertedAt)), ...[...latest.values()].map((q) => PreviousShapes.latestItem(q, insertedAt))]);
}

async function putAll(dynamo: DynamoDBDocumentClient, config: QuoteflowConfig, items: Record<string, unknown>[]): Promise<void> {
  // a few writes at a time: the emulator is one process
  for (let i = 0; i < items.length; i += 25) {
    await Promise.all(items.slice(i, i + 25).map((Item) => dynamo.send(new PutCommand({ TableName: config.table.name, Item }))));
  }
}
