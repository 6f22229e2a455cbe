import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, type Quote, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { SameTurnBatch } from './same-turn-batch';
import { asStoreError, StoreUnavailableError } from './store-errors';
import { sendUntilProcessed, UNPROCESSED_RETRY } from './unprocessed-retry';
import { BATCH_GET_LIMIT, BATCH_WRITE_LIMIT, chunk, itemKey, planHistory, planLatest, type QuoteToStore } from './write-plan';

export { StoreUnavailableError } from './store-errors';

/** `duplicate`: the instrument's latest item already held this very quote (a redelivery or re-publish of its newest quote). */
export type StoreResult = 'stored' | 'duplicate';

type Item = Record<string, unknown>;
type LatestAnswer = { written: true } | { written: false; storedQuoteTime: string | undefined };

/**
 * Adapter that writes quotes to DynamoDB. The `store()` calls of one event-loop turn (one batch of
 * messages) are written together:
 *
 * - the history items with `BatchWriteItem` (25 per call, `UnprocessedItems` re-sent with backoff).
 *   It takes no condition, and needs none: the key is (symbol, series, quoteTime), so a repeated
 *   quote rewrites its own item (with the repeat's `insertedAt`) and never adds a second one;
 * - then one conditional `PutItem` of the latest item per instrument, of its newest quote in the
 *   batch, only if the stored one is absent or older: the latest never moves back.
 *
 * A quote's promise settles when both items it needs are written, so a caller acknowledges a
 * message only then; a failure reaches only the quotes it concerns.
 */
@Injectable()
export class QuoteWriter {
  private readonly table: string;
  private readonly retentionDays: number | null;
  private readonly pending = new SameTurnBatch<QuoteToStore, StoreResult>((entries) => this.writeBatch(entries));

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
    this.retentionDays = config.table.historyRetentionDays;
  }

  /** Throws {@link StoreUnavailableError} for throttling or an unreachable table; any other error as the SDK raised it. */
  store(quote: Quote, insertedAt: string): Promise<StoreResult> {
    return this.pending.add({ quote, insertedAt });
  }

  private async writeBatch(entries: QuoteToStore[]): Promise<(StoreResult | Error)[]> {
    const results: (StoreResult | Error | undefined)[] = entries.map(() => undefined);
    const written: number[] = [];
    const isBackfill = (index: number) => entries[index].quote.origin === 'backfill';
    const indexes = entries.map((_, index) => index);
    await Promise.all([
      this.writeLiveHistory(entries, indexes.filter((i) => !isBackfill(i)), results, written),
      this.writeBackfilledHistory(entries, indexes.filter(isBackfill), results, written),
    ]);

    // the latest only after the history, so a latest item always has its history item
    const latest = planLatest(entries, written);
    const answers = await Promise.all(latest.map((l) => this.writeLatest(entries[l.newest]).catch(asStoreError)));
    const lost = (a: LatestAnswer | Error): a is Extract<LatestAnswer, { written: false }> => !(a instanceof Error) && !a.written;
    const unlabelled = latest.filter((_, i) => lost(answers[i]) && answers[i].storedQuoteTime === undefined);
    const storedTimes = await this.latestQuoteTimes(unlabelled.map((l) => entries[l.newest].quote));
    latest.forEach((l, i) => {
      const answer = answers[i];
      const { symbol, series, quoteTime } = entries[l.newest].quote;
      const stored = lost(answer) ? (answer.storedQuoteTime ?? storedTimes.get(itemKey(QuoteTable.latestKey(symbol, series)))) : undefined;
      const holdsIt = stored === quoteTime;
      for (const index of l.entries) {
        // the instrument's older quotes wait on this write too: without it the latest may be older than they are
        if (answer instanceof Error) results[index] = answer;
        else if (index === l.newest && holdsIt) results[index] = 'duplicate';
        else results[index] ??= 'stored';
      }
    });
    return results as (StoreResult | Error)[];
  }

  /** Live quotes: their history items in BatchWriteItem calls, repeats of one key written once. */
  private async writeLiveHistory(entries: QuoteToStore[], indexes: number[], results: (StoreResult | Error | undefined)[], written: number[]): Promise<void> {
    const history = planHistory(indexes.map((i) => entries[i]), this.retentionDays);
    const historyErrors = await this.writeHistory(history.map((h) => h.item));
    history.forEach((h, k) =>
      h.entries.forEach((at, n) => {
        const index = indexes[at];
        if (historyErrors[k]) results[index] = historyErrors[k];
        else {
          written.push(index);
          // the same quote twice in one batch: the first is written, the others are its repeats
          if (n > 0) results[index] = 'duplicate';
        }
      }),
    );
  }

  /**
   * Backfilled bars: one conditional PutItem each, written only where the key holds nothing or
   * another backfilled bar, so a bar never replaces a live quote of the same instant (BatchWriteItem
   * takes no condition). Backfill is rare: the extra calls are not on the live path.
   */
  private async writeBackfilledHistory(entries: QuoteToStore[], indexes: number[], results: (StoreResult | Error | undefined)[], written: number[]): Promise<void> {
    await Promise.all(
      indexes.map(async (index) => {
        const { quote, insertedAt } = entries[index];
        try {
          await this.dynamo.send(
            new PutCommand({
              TableName: this.table,
              Item: QuoteTable.historyItem(quote, insertedAt, this.retentionDays),
              ConditionExpression: 'attribute_not_exists(pk) OR origin = :backfill',
              ExpressionAttributeValues: { ':backfill': 'backfill' },
            }),
          );
          written.push(index);
        } catch (err) {
          // a live quote holds the key: it stays, and the bar is done with
          if ((err as Error).name === 'ConditionalCheckFailedException') results[index] = 'duplicate';
          else results[index] = asStoreError(err);
        }
      }),
    );
  }

  /** One error (or `null` for written) per item, in order. */
  private async writeHistory(items: Item[]): Promise<(Error | null)[]> {
    const errors = new Map<string, Error>();
    const fail = (item: Item, err: Error) => errors.set(itemKey(item), err);
    await Promise.all(
      chunk(items, BATCH_WRITE_LIMIT).map(async (part) => {
        try {
          const left = await sendUntilProcessed(part, (pending) => this.batchWrite(pending));
          const err = new StoreUnavailableError(`table unavailable: ${left.length} history item(s) unprocessed after ${UNPROCESSED_RETRY.attempts} attempts`);
          for (const item of left) fail(item, err);
        } catch (caught) {
          const err = asStoreError(caught);
          if (err instanceof StoreUnavailableError || part.length === 1) return part.forEach((item) => fail(item, err));
          // refused, not unavailable: perhaps because of one item, so one put each and only that quote fails
          await Promise.all(part.map((Item) => this.dynamo.send(new PutCommand({ TableName: this.table, Item })).catch((e) => fail(Item, asStoreError(e)))));
        }
      }),
    );
    return items.map((item) => errors.get(itemKey(item)) ?? null);
  }

  /** Resolves with the items left unprocessed. */
  private async batchWrite(items: Item[]): Promise<Item[]> {
    const { UnprocessedItems } = await this.dynamo.send(
      new BatchWriteCommand({ RequestItems: { [this.table]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    return (UnprocessedItems?.[this.table] ?? []).flatMap((request) => (request.PutRequest?.Item ? [request.PutRequest.Item] : []));
  }

  private async writeLatest({ quote, insertedAt }: QuoteToStore): Promise<LatestAnswer> {
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.table,
          Item: QuoteTable.latestItem(quote, insertedAt),
          ConditionExpression: 'attribute_not_exists(pk) OR quoteTime < :quoteTime',
          ExpressionAttributeValues: { ':quoteTime': quote.quoteTime },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { written: true };
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      // the item that kept its place, as DynamoDB sent it (lib-dynamodb leaves errors marshalled)
      const item = (err as { Item?: { quoteTime?: { S?: string } } }).Item;
      return { written: false, storedQuoteTime: item?.quoteTime?.S };
    }
  }

  /**
   * The stored latest quoteTime of instruments whose write lost, where the failed condition did not
   * bring the item along (the embedded emulator ignores `ReturnValuesOnConditionCheckFailure`; AWS
   * and DynamoDB Local send it). It only labels outcomes, the writes are done: if it fails, they
   * count as stored.
   */
  private async latestQuoteTimes(quotes: Quote[]): Promise<Map<string, string>> {
    const times = new Map<string, string>();
    const keys = quotes.map((q) => QuoteTable.latestKey(q.symbol, q.series) as Item);
    try {
      for (const part of chunk(keys, BATCH_GET_LIMIT)) {
        await sendUntilProcessed(part, async (Keys) => {
          const { Responses, UnprocessedKeys } = await this.dynamo.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys, ConsistentRead: true, ProjectionExpression: 'pk, sk, quoteTime' } } }),
          );
          for (const item of Responses?.[this.table] ?? []) times.set(itemKey(item), String(item.quoteTime));
          return (UnprocessedKeys?.[this.table]?.Keys ?? []) as Item[];
        });
      }
    } catch {
      // labels only: an unknown label is "stored", the quote itself is safe either way
    }
    return times;
  }
}
