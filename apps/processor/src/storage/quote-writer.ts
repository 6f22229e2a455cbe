import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, sendUntilProcessed, UNPROCESSED_RETRY, type Quote, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { InstrumentRegistry } from './instrument-registry';
import { SameTurnBatch } from './same-turn-batch';
import { asStoreError, StoreUnavailableError } from './store-errors';
import { BATCH_WRITE_LIMIT, chunk, itemKey, planHistory, type QuoteToStore } from './write-plan';

export { StoreUnavailableError } from './store-errors';

/**
 * `duplicate`: the quote was already written in this very batch (the same quote twice), or it is a
 * backfilled bar whose instant holds a live quote. A redelivered quote rewrites its own history
 * item (same key, nothing doubled) and counts as `stored`: telling it apart would take a
 * conditional write per quote, the cost ADR 0006 removes.
 */
export type StoreResult = 'stored' | 'duplicate';

type Item = Record<string, unknown>;

/**
 * Adapter that writes quotes to DynamoDB (layout in `QuoteTable`, ADR 0006). The `store()` calls
 * of one event-loop turn (one batch of messages) are written together:
 *
 * - the history items of live quotes with `BatchWriteItem` (25 per call, `UnprocessedItems`
 *   re-sent with jittered backoff). It takes no condition, and needs none: the key is (symbol,
 *   series, quoteTime), so a repeated quote rewrites its own item (with the repeat's `insertedAt`)
 *   and never adds a second one. The latest is read as the newest history item, so no other item
 *   is written per quote and the latest cannot move back;
 * - backfilled bars with a conditional put each (rare, off the live path);
 * - beside them, the registry item of each instrument this process has not seen yet (once).
 *
 * A quote's promise settles when what it needs is written, so a caller acknowledges a message
 * only then; a failure reaches only the quotes it concerns.
 */
@Injectable()
export class QuoteWriter {
  private readonly table: string;
  private readonly retentionDays: number | null;
  private readonly registry: InstrumentRegistry;
  private readonly pending = new SameTurnBatch<QuoteToStore, StoreResult>((entries) => this.writeBatch(entries));

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
    this.retentionDays = config.table.historyRetentionDays;
    this.registry = new InstrumentRegistry(dynamo, this.table);
  }

  /** Throws {@link StoreUnavailableError} for throttling or an unreachable table; any other error as the SDK raised it. */
  store(quote: Quote, insertedAt: string): Promise<StoreResult> {
    return this.pending.add({ quote, insertedAt });
  }

  private async writeBatch(entries: QuoteToStore[]): Promise<(StoreResult | Error)[]> {
    const results: (StoreResult | Error | undefined)[] = entries.map(() => undefined);
    const isBackfill = (index: number) => entries[index].quote.origin === 'backfill';
    const indexes = entries.map((_, index) => index);
    // history and registry in parallel: a quote is done when both are, and each is idempotent
    const [registered] = await Promise.all([
      Promise.all(entries.map(({ quote, insertedAt }) => this.registry.ensure(quote, insertedAt).then(() => null, (err: Error) => err))),
      this.writeLiveHistory(entries, indexes.filter((i) => !isBackfill(i)), results),
      this.writeBackfilledHistory(entries, indexes.filter(isBackfill), results),
    ]);
    return results.map((result, index) => (result instanceof Error ? result : (registered[index] ?? result ?? 'stored')));
  }

  /** Live quotes: their history items in BatchWriteItem calls, repeats of one key written once. */
  private async writeLiveHistory(entries: QuoteToStore[], indexes: number[], results: (StoreResult | Error | undefined)[]): Promise<void> {
    const history = planHistory(indexes.map((i) => entries[i]), this.retentionDays);
    const historyErrors = await this.writeHistory(history.map((h) => h.item));
    history.forEach((h, k) =>
      h.entries.forEach((at, n) => {
        const index = indexes[at];
        if (historyErrors[k]) results[index] = historyErrors[k];
        // the same quote twice in one batch: the first is written, the others are its repeats
        else if (n > 0) results[index] = 'duplicate';
      }),
    );
  }

  /**
   * Backfilled bars: one conditional PutItem each, written only where the key holds nothing or
   * another backfilled bar, so a bar never replaces a live quote of the same instant (BatchWriteItem
   * takes no condition). Backfill is rare: the extra calls are not on the live path.
   */
  private async writeBackfilledHistory(entries: QuoteToStore[], indexes: number[], results: (StoreResult | Error | undefined)[]): Promise<void> {
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
}
