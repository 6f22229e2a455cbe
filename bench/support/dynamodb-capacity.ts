import type { Call } from './call-counter';

/** An item as DynamoDB's JSON protocol carries it: `{ pk: { S: "…" }, price: { N: "…" } }`. */
export type WireItem = Record<string, WireValue>;
export type WireValue = { S?: string; N?: string; B?: string; BOOL?: boolean; NULL?: boolean; SS?: string[]; NS?: string[]; BS?: string[]; L?: WireValue[]; M?: WireItem };

const WRITE_UNIT_BYTES = 1024;
const READ_UNIT_BYTES = 4096;

/**
 * Size of an item as DynamoDB bills it (Developer Guide, "Item sizes and formats"): the UTF-8
 * bytes of every attribute name plus its value — a string its UTF-8 bytes, a number about one
 * byte per two significant digits plus one, binary its bytes, a boolean or null one byte, a list
 * or map 3 bytes plus one byte and the size of each element (a map's keys count as names).
 */
export function itemBytes(item: WireItem): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

function valueBytes(value: WireValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberBytes(value.N);
  if (value.B !== undefined) return Buffer.from(value.B, 'base64').length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((s, v) => s + Buffer.byteLength(v), 0);
  if (value.NS) return value.NS.reduce((s, v) => s + numberBytes(v), 0);
  if (value.BS) return value.BS.reduce((s, v) => s + Buffer.from(v, 'base64').length, 0);
  if (value.L) return 3 + value.L.reduce((s, v) => s + 1 + valueBytes(v), 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((s, [k, v]) => s + 1 + Buffer.byteLength(k) + valueBytes(v), 0);
  return 0;
}

function numberBytes(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** What the DynamoDB calls of a run would consume on an on-demand table. */
export interface CapacityTally {
  /** Write request units, table and global secondary indexes together. */
  writeUnits: number;
  /** Of those, the ones the index writes cost. */
  indexWriteUnits: number;
  readUnits: number;
  /** Items written (each put, update, delete, batch entry or transaction entry once). */
  itemWrites: number;
  /** Writes whose condition failed (they still consume the table's units). */
  conditionFailed: number;
  /** Marshalled size of the items put or updated, in bytes: smallest, largest, mean. */
  itemBytes: { min: number; max: number; mean: number };
}

/** Reads an item back from the table (not through the counter): what an UpdateItem left there. */
export type ReadBack = (table: string, key: WireItem) => Promise<WireItem | undefined>;

// the parts of the JSON protocol's requests and answers that decide the units
interface WriteEntry {
  PutRequest?: { Item: WireItem };
  DeleteRequest?: { Key: WireItem };
}
interface TransactEntry {
  Put?: { Item: WireItem };
  Update?: { TableName: string; Key: WireItem };
  Delete?: { Key: WireItem };
  ConditionCheck?: { Key: WireItem };
}
interface Wire {
  __type?: string;
  TableName?: string;
  Item?: WireItem;
  Key?: WireItem;
  Items?: WireItem[];
  ConsistentRead?: boolean;
  RequestItems?: Record<string, WriteEntry[] | { Keys: WireItem[]; ConsistentRead?: boolean }>;
  UnprocessedItems?: Record<string, WriteEntry[]>;
  UnprocessedKeys?: Record<string, { Keys: WireItem[] }>;
  Responses?: Record<string, WireItem[]> | { Item?: WireItem }[];
  TransactItems?: TransactEntry[];
}

interface Written {
  factor?: number;
  conditionFailed?: boolean;
  /** A put or an update: its size is an item's (a delete or a condition check only names the key). */
  sized?: boolean;
  /** Whether the write reaches the indexes the item is in. */
  indexed?: boolean;
}

/**
 * Adds up, from the request and response bodies of each call (a {@link CallCounter} inspector),
 * the capacity an on-demand table would bill: 1 write unit per started KB of each item written
 * (twice in a transaction), the same again for every global secondary index the item is in
 * (projection ALL: the index entry is about the item), 1 read unit per started 4 KB read
 * (half when eventually consistent, twice in a transaction; a key not found costs the minimum).
 * An UpdateItem's size is the item it leaves, read back afterwards. Not modelled, as the bench's
 * writes never do it: a write that moves an item to another index key (a delete and a put on the
 * index) and an item that shrinks (DynamoDB bills the larger of before and after).
 */
export class DynamoCapacity {
  private writes = 0;
  private indexWrites = 0;
  private reads = 0;
  private items = 0;
  private failed = 0;
  private sizes: number[] = [];

  /** `indexKeys`: the key attribute names of each global secondary index, e.g. `[['gsi1pk', 'gsi1sk']]`. */
  constructor(
    private readonly indexKeys: string[][],
    private readonly readBack?: ReadBack,
  ) {}

  readonly inspect = async (call: Call): Promise<void> => {
    if (!call.request.length) return;
    const input = JSON.parse(call.request.toString('utf8')) as Wire;
    const output = (call.response.length ? JSON.parse(call.response.toString('utf8')) : {}) as Wire;
    const conditionFailed = call.status === 400 && /ConditionalCheckFailed|TransactionCanceled/.test(String(output.__type));
    if (call.status !== 200 && !conditionFailed) return;
    const readFactor = input.ConsistentRead ? 1 : 0.5;
    switch (call.operation) {
      case 'PutItem':
        return this.written(input.Item!, { conditionFailed });
      case 'UpdateItem':
        return this.written((!conditionFailed && (await this.readBack?.(input.TableName!, input.Key!))) || input.Key!, { conditionFailed });
      case 'DeleteItem':
        return this.written(input.Key!, { conditionFailed, sized: false });
      case 'BatchWriteItem':
        return this.batchWritten(input.RequestItems as Record<string, WriteEntry[]>, output.UnprocessedItems ?? {});
      case 'TransactWriteItems':
        return this.transactWritten(input.TransactItems ?? [], conditionFailed);
      case 'GetItem':
        return this.read([output.Item ?? {}], readFactor, false);
      case 'BatchGetItem':
        return this.batchRead(input.RequestItems as Record<string, { Keys: WireItem[]; ConsistentRead?: boolean }>, output);
      case 'Query':
      case 'Scan':
        return this.read(output.Items ?? [], readFactor, true);
      case 'TransactGetItems':
        return this.read(((output.Responses ?? []) as { Item?: WireItem }[]).map((r) => r.Item ?? {}), 2, false);
    }
  };

  tally(): CapacityTally {
    const total = this.sizes.reduce((s, b) => s + b, 0);
    return {
      writeUnits: this.writes,
      indexWriteUnits: this.indexWrites,
      readUnits: this.reads,
      itemWrites: this.items,
      conditionFailed: this.failed,
      itemBytes: this.sizes.length ? { min: Math.min(...this.sizes), max: Math.max(...this.sizes), mean: Math.round(total / this.sizes.length) } : { min: 0, max: 0, mean: 0 },
    };
  }

  reset(): void {
    this.writes = this.indexWrites = this.reads = this.items = this.failed = 0;
    this.sizes = [];
  }

  private written(item: WireItem, { factor = 1, conditionFailed = false, sized = true, indexed = true }: Written): void {
    const bytes = itemBytes(item);
    const units = Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES)) * factor;
    this.items++;
    if (sized) this.sizes.push(bytes);
    this.writes += units;
    if (conditionFailed) this.failed++;
    if (conditionFailed || !indexed) return;
    const indexes = this.indexKeys.filter((keys) => keys.every((k) => k in item)).length;
    this.indexWrites += indexes * units;
    this.writes += indexes * units;
  }

  private batchWritten(requests: Record<string, WriteEntry[]>, unprocessed: Record<string, WriteEntry[]>): void {
    const left = new Set(Object.values(unprocessed).flat().map((r) => JSON.stringify(r)));
    for (const entry of Object.values(requests).flat()) {
      if (left.has(JSON.stringify(entry))) continue;
      if (entry.PutRequest) this.written(entry.PutRequest.Item, {});
      else if (entry.DeleteRequest) this.written(entry.DeleteRequest.Key, { sized: false });
    }
  }

  private async transactWritten(entries: TransactEntry[], cancelled: boolean): Promise<void> {
    for (const entry of entries) {
      const written = { factor: 2, conditionFailed: cancelled };
      if (entry.Put) this.written(entry.Put.Item, written);
      else if (entry.Update) this.written((!cancelled && (await this.readBack?.(entry.Update.TableName, entry.Update.Key))) || entry.Update.Key, written);
      else if (entry.Delete) this.written(entry.Delete.Key, { ...written, sized: false });
      else if (entry.ConditionCheck) this.written(entry.ConditionCheck.Key, { ...written, sized: false, indexed: false });
    }
  }

  private batchRead(requests: Record<string, { Keys: WireItem[]; ConsistentRead?: boolean }>, output: Wire): void {
    const responses = (output.Responses ?? {}) as Record<string, WireItem[]>;
    for (const [table, { Keys, ConsistentRead }] of Object.entries(requests)) {
      const found = responses[table] ?? [];
      const missing = Keys.length - found.length - (output.UnprocessedKeys?.[table]?.Keys.length ?? 0);
      this.read([...found, ...Array.from({ length: Math.max(0, missing) }, () => ({}))], ConsistentRead ? 1 : 0.5, false);
    }
  }

  private read(items: WireItem[], factor: number, summed: boolean): void {
    const sizes = items.map(itemBytes);
    const blocks = summed
      ? Math.max(1, Math.ceil(sizes.reduce((s, b) => s + b, 0) / READ_UNIT_BYTES))
      : sizes.reduce((s, b) => s + Math.max(1, Math.ceil(b / READ_UNIT_BYTES)), 0);
    this.reads += blocks * factor;
  }
}
