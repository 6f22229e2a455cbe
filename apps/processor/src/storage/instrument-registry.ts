import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { QuoteTable, writeIfConditionHolds, type Quote } from '@app/common';
import { asStoreError } from './store-errors';

/**
 * The processor's side of the instrument registry (layout in `QuoteTable`): the first quote of an
 * instrument this process stores puts its registry item once, on condition that none exists, and
 * from then on the instrument is known here and costs nothing. Two processors meeting a new
 * instrument at once both try; one writes, the other's condition fails, which is the same answer
 * ("registered"), so the registry holds each instrument once.
 *
 * The set of known instruments grows with the instruments a process has seen (a few bytes each);
 * a restart (or a cold Lambda) learns them again at one conditional put per instrument.
 */
export class InstrumentRegistry {
  private readonly known = new Set<string>();
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(
    private readonly dynamo: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Resolves when the quote's instrument is in the registry; rejects (as a store error) if it could not be put. */
  ensure(quote: Pick<Quote, 'symbol' | 'series' | 'source'>, at: string): Promise<void> {
    const key = QuoteTable.instrumentKey(quote.symbol, quote.series).sk;
    if (this.known.has(key)) return Promise.resolve();
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = writeIfConditionHolds(() =>
        this.dynamo.send(new PutCommand({ TableName: this.table, Item: QuoteTable.instrumentItem(quote, at), ConditionExpression: 'attribute_not_exists(pk)' })),
      )
        .then(() => void this.known.add(key))
        .catch((err: unknown) => {
          throw asStoreError(err);
        })
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }
}
