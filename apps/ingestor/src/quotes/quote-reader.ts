import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand, type BatchGetCommandOutput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, type QuoteflowConfig, type StoredQuote } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';

export { InvalidCursorError } from './cursor';

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next page. `null` on the last page. */
  nextCursor: string | null;
}

export interface HistoryRange {
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/**
 * DynamoDB deletes an item past its TTL only some time later (up to days): history reads leave such
 * items out themselves. The filter runs after `Limit`, so a page may hold fewer items than asked
 * for; its cursor still leads on.
 */
const unexpired = {
  filter: { FilterExpression: 'attribute_not_exists(#ttl) OR #ttl > :now', ExpressionAttributeNames: { '#ttl': QuoteTable.ttlAttribute } },
  values: () => ({ ':now': Math.floor(Date.now() / 1000) }),
};

/** Adapter that reads stored quotes from DynamoDB (layout in {@link QuoteTable}). */
@Injectable()
export class QuoteReader {
  private readonly table: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
  }

  /** Latest quote of every series of a symbol. */
  async latestBySeries(symbol: string): Promise<StoredQuote[]> {
    const { pk } = QuoteTable.latestKey(symbol, null);
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
    );
    return Items.map(QuoteTable.toStoredQuote);
  }

  /**
   * Latest items by exact key, 100 keys per BatchGetItem; keys the service left unprocessed are
   * asked again (a few times, with a short pause), the rest are reported missing.
   */
  async latestByKeys(keys: { symbol: string; series: string | null }[]): Promise<StoredQuote[]> {
    const found: StoredQuote[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100).map((k) => QuoteTable.latestKey(k.symbol, k.series));
      for (let attempt = 0; pending?.length && attempt < 4; attempt++) {
        if (attempt) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const answer: BatchGetCommandOutput = await this.dynamo.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending } } }));
        found.push(...(answer.Responses?.[this.table] ?? []).map(QuoteTable.toStoredQuote));
        pending = answer.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  /** Stored quotes of one instrument, newest first. */
  async history(symbol: string, series: string | null, range: HistoryRange): Promise<Page<StoredQuote>> {
    const pk = QuoteTable.historyPartition(symbol, series);
    const values: Record<string, string | number> = { ':pk': pk, ...unexpired.values() };
    let condition = 'pk = :pk';
    if (range.from && range.to) {
      condition += ' AND sk BETWEEN :from AND :to';
      Object.assign(values, { ':from': range.from, ':to': range.to });
    } else if (range.from) {
      condition += ' AND sk >= :from';
      values[':from'] = range.from;
    } else if (range.to) {
      condition += ' AND sk <= :to';
      values[':to'] = range.to;
    }
    return this.page(
      { TableName: this.table, KeyConditionExpression: condition, ...unexpired.filter, ExpressionAttributeValues: values, ScanIndexForward: false },
      range,
      { pk, sk: null },
    );
  }

  /** Latest quote of every stored instrument, ordered by symbol. */
  async listLatest(range: Pick<HistoryRange, 'limit' | 'cursor'>): Promise<Page<StoredQuote>> {
    return this.page(
      {
        TableName: this.table,
        IndexName: QuoteTable.latestIndex,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': QuoteTable.latestIndexPartition },
      },
      range,
      { gsi1pk: QuoteTable.latestIndexPartition, gsi1sk: null, pk: null, sk: null },
    );
  }

  /** Every latest item, all pages (for `GET /symbols` and the live stream). */
  async allLatest(): Promise<StoredQuote[]> {
    const all: StoredQuote[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listLatest({ limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }

  /** Every stored quote of one instrument in [from, to], newest first, at most `max`. */
  async historyBetween(symbol: string, series: string | null, from: string, to: string, max: number): Promise<StoredQuote[]> {
    const all: StoredQuote[] = [];
    for await (const items of this.historyPages(symbol, series, { from, to, limit: max })) all.push(...items);
    return all;
  }

  /**
   * The history as {@link history} answers it, one DynamoDB Query page (up to `pageSize` items) at a
   * time, read only when the caller asks for the next: an export holds one page, never the range.
   * Without `limit`, every stored quote in the range.
   */
  async *historyPages(
    symbol: string,
    series: string | null,
    range: Omit<HistoryRange, 'limit'> & { limit?: number },
    pageSize = 1000,
  ): AsyncGenerator<StoredQuote[]> {
    let cursor = range.cursor;
    let left = range.limit ?? Infinity;
    do {
      const page = await this.history(symbol, series, { ...range, cursor, limit: Math.min(pageSize, left) });
      left -= page.items.length;
      if (page.items.length) yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor && left > 0);
  }

  /** The last stored quote of one instrument before `instant`, if any. */
  async latestBefore(symbol: string, series: string | null, instant: string): Promise<StoredQuote | null> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk < :t',
        ...unexpired.filter,
        ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(symbol, series), ':t': instant, ...unexpired.values() },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items.length ? QuoteTable.toStoredQuote(Items[0]) : null;
  }

  /** `cursorKey`: the attributes of this listing's cursor; a value pins that attribute (its partition). */
  private async page(
    input: QueryCommandInput,
    range: Pick<HistoryRange, 'limit' | 'cursor'>,
    cursorKey: Record<string, string | null>,
  ): Promise<Page<StoredQuote>> {
    const start = range.cursor ? decodeCursor(range.cursor, cursorKey) : undefined;
    const { Items = [], LastEvaluatedKey } = await this.dynamo
      .send(new QueryCommand({ ...input, Limit: range.limit, ExclusiveStartKey: start }))
      .catch((err: unknown) => {
        // a well-formed key the query cannot start from (e.g. outside from..to) is the cursor's fault
        throw start && (err as Error).name === 'ValidationException' ? new InvalidCursorError({ cause: err }) : err;
      });
    return { items: Items.map(QuoteTable.toStoredQuote), nextCursor: LastEvaluatedKey ? encodeCursor(LastEvaluatedKey) : null };
  }
}
