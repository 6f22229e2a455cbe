import { DynamoDBDocumentClient, paginateQuery, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, PreviousLayout, QuoteTable, type Instrument, type QuoteflowConfig, type StoredQuote } from '@app/common';
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
/** Latest reads (one Query each) in flight at once for a listing: enough to hide the round trip, few enough not to queue up. */
export const LATEST_READS_IN_FLIGHT = 64;

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

  /**
   * Every instrument of the registry, ordered by symbol then series (one Query per registry
   * partition, in parallel, all pages).
   */
  async instruments(): Promise<Instrument[]> {
    const shards = await Promise.all(
      QuoteTable.registryPartitions().map(async (pk) => {
        const items: Record<string, unknown>[] = [];
        const pages = paginateQuery({ client: this.dynamo, pageSize: 1000 }, { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
        for await (const page of pages) items.push(...(page.Items ?? []));
        return items;
      }),
    );
    return shards
      .flat()
      .sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0))
      .map(QuoteTable.toInstrument);
  }

  /**
   * The instruments (series) of one symbol. A symbol the registry does not know yet is looked up
   * among the latest items of the previous layout, so a table not yet migrated keeps answering
   * (`npm run migrate`, docs/upgrading.md); after the migration that second Query finds nothing.
   */
  async instrumentsOf(symbol: string): Promise<Instrument[]> {
    const { pk } = QuoteTable.instrumentKey(symbol, null);
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :symbol)', ExpressionAttributeValues: { ':pk': pk, ':symbol': `${symbol}#` } }),
    );
    if (Items.length) return Items.map(QuoteTable.toInstrument);
    const previous = await this.dynamo.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PreviousLayout.latestKey(symbol, null).pk } }),
    );
    return (previous.Items ?? []).map(QuoteTable.toInstrument);
  }

  /**
   * The latest quote of one instrument: its newest history item (one descending Query, `Limit: 1`),
   * `null` when none is stored or the newest is past its retention.
   */
  async latest(symbol: string, series: string | null): Promise<StoredQuote | null> {
    const { Items = [] } = await this.dynamo.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ...unexpired.filter,
        ExpressionAttributeValues: { ':pk': QuoteTable.historyPartition(symbol, series), ...unexpired.values() },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    return Items.length ? QuoteTable.toStoredQuote(Items[0]) : null;
  }

  /** Latest quote of every series of a symbol. */
  async latestBySeries(symbol: string): Promise<StoredQuote[]> {
    return this.latestOf(await this.instrumentsOf(symbol));
  }

  /** Latest quote of each instrument, in order, those with none left out; {@link LATEST_READS_IN_FLIGHT} Queries at a time. */
  async latestOf(instruments: Pick<Instrument, 'symbol' | 'series'>[]): Promise<StoredQuote[]> {
    const found: (StoredQuote | null)[] = [];
    for (let i = 0; i < instruments.length; i += LATEST_READS_IN_FLIGHT) {
      found.push(...(await Promise.all(instruments.slice(i, i + LATEST_READS_IN_FLIGHT).map((k) => this.latest(k.symbol, k.series)))));
    }
    return found.filter((q): q is StoredQuote => q !== null);
  }

  /**
   * Latest quote of a page of instruments (ordered by symbol, then series); the cursor names the
   * last instrument of the previous page. `instruments` is the registry as {@link instruments}
   * answers it and `latestOf` where their latest quotes come from (the caller may keep both).
   */
  async listLatest(
    range: Pick<HistoryRange, 'limit' | 'cursor'>,
    instruments?: Instrument[],
    latestOf: (page: Instrument[]) => StoredQuote[] | Promise<StoredQuote[]> = (page) => this.latestOf(page),
  ): Promise<Page<StoredQuote>> {
    const all = instruments ?? (await this.instruments());
    const after = range.cursor ? decodeCursor(range.cursor, { instrument: null }).instrument : null;
    const key = (i: Instrument) => QuoteTable.instrumentKey(i.symbol, i.series).sk;
    const start = after === null ? 0 : all.findIndex((i) => key(i) > after);
    const page = start < 0 ? [] : all.slice(start, start + range.limit);
    const more = start >= 0 && start + range.limit < all.length;
    return { items: await latestOf(page), nextCursor: more ? encodeCursor({ instrument: key(page[page.length - 1]) }) : null };
  }

  /** Every instrument's latest quote (for `GET /symbols` and the live stream). */
  async allLatest(): Promise<StoredQuote[]> {
    return this.latestOf(await this.instruments());
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
