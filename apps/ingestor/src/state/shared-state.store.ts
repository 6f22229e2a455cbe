import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  InjectConfig,
  PROVIDER_NAMES,
  RunLogTable,
  sendUntilProcessed,
  StateTable,
  writeIfConditionHolds,
  type PauseItem,
  type PauseScope,
  type ProviderLastItem,
  type ProviderName,
  type QuoteflowConfig,
  type RunRecord,
} from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { DAY_MS, queryAll } from '@app/common';

const SCOPES: PauseScope[] = ['ingest', 'backfill'];

/** What the table holds of every provider, and the two job leases, read in one call. */
export interface StateSnapshot {
  /** Pauses by `<provider>|<scope>`. */
  pauses: Map<string, PauseItem>;
  last: Map<ProviderName, ProviderLastItem>;
  leases: { ingest: Record<string, unknown> | null; backfill: Record<string, unknown> | null };
}

export function pauseOf(snapshot: StateSnapshot, provider: ProviderName, scope: PauseScope): PauseItem | null {
  return snapshot.pauses.get(`${provider}|${scope}`) ?? null;
}

/**
 * Adapter for the shared state items of the quotes table (layout in `StateTable` and
 * `RunLogTable`): run records, each provider's last answer and pauses. It only reads and writes
 * items; what they mean is up to the services.
 */
@Injectable()
export class SharedStateStore {
  private readonly table: string;
  private readonly retentionDays: number | null;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
    this.retentionDays = config.table.historyRetentionDays;
  }

  /**
   * The pause and last items of every provider (not only this process's: another one may run
   * others) and both leases: one BatchGetItem of 17 keys. `consistent` for a run deciding whom to call.
   */
  async snapshot(consistent: boolean): Promise<StateSnapshot> {
    const keys = [
      ...PROVIDER_NAMES.flatMap((p) => [StateTable.lastKey(p), ...SCOPES.map((s) => StateTable.pauseKey(p, s))]),
      StateTable.leaseKey('ingest'),
      StateTable.leaseKey('backfill'),
    ];
    const items: Record<string, unknown>[] = [];
    // keys BatchGetItem leaves unprocessed (throttling) are asked again by the shared helper, never taken as missing
    const left = await sendUntilProcessed<Record<string, unknown>>(keys, async (pending) => {
      const out = await this.dynamo.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent } } }));
      items.push(...(out.Responses?.[this.table] ?? []));
      return out.UnprocessedKeys?.[this.table]?.Keys ?? [];
    });
    if (left.length) throw new Error(`shared state: ${left.length} key(s) left unprocessed by BatchGetItem`);
    const snapshot: StateSnapshot = { pauses: new Map(), last: new Map(), leases: { ingest: null, backfill: null } };
    for (const item of items) {
      const { pk, sk } = item as { pk: string; sk: string };
      if (pk === StateTable.leaseKey('ingest').pk) snapshot.leases.ingest = item;
      else if (pk === StateTable.leaseKey('backfill').pk) snapshot.leases.backfill = item;
      else if (sk === StateTable.lastSk) {
        const last = StateTable.toLast(item);
        if (last) snapshot.last.set(last.provider, last);
      } else {
        const pause = StateTable.toPause(item);
        if (pause) snapshot.pauses.set(`${String(item.provider)}|${String(item.scope)}`, pause);
      }
    }
    return snapshot;
  }

  /**
   * Writes a pause. A quota pause is written only where no quota pause ends later; `false` when one
   * does. It replaces a stopped key (a quota answer means the key was taken), and a stopped key
   * replaces anything.
   */
  pause(provider: ProviderName, scope: PauseScope, pause: PauseItem): Promise<boolean> {
    const Item = StateTable.pauseItem(provider, scope, pause);
    if (pause.reason === 'auth') return this.dynamo.send(new PutCommand({ TableName: this.table, Item })).then(() => true);
    return writeIfConditionHolds(() =>
      this.dynamo.send(
        new PutCommand({
          TableName: this.table,
          Item,
          ConditionExpression: 'attribute_not_exists(pk) OR reason = :auth OR #until < :until',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':auth': 'auth', ':until': pause.until },
        }),
      ),
    );
  }

  /**
   * Lifts a provider's pause after a call got through: a stopped key, or a quota pause that has
   * ended by `now`. A quota pause still running (written by another process since) stays.
   */
  clearPause(provider: ProviderName, scope: PauseScope, now: Date): Promise<boolean> {
    return writeIfConditionHolds(() =>
      this.dynamo.send(
        new DeleteCommand({
          TableName: this.table,
          Key: StateTable.pauseKey(provider, scope),
          ConditionExpression: 'reason = :auth OR #until <= :now',
          ExpressionAttributeNames: { '#until': 'until' },
          ExpressionAttributeValues: { ':auth': 'auth', ':now': now.toISOString() },
        }),
      ),
    );
  }

  async putLast(last: ProviderLastItem): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.table, Item: StateTable.lastItem(last) }));
  }

  /** One run's record, with its summary and TTL. */
  async putRun(record: RunRecord): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.table, Item: RunLogTable.item(record, StateTable.runExpiry(record.slot, this.retentionDays)) }));
  }

  /** The newest `limit` runs up to `now`, newest first: today's partition, and yesterday's when today holds fewer. */
  async recentRuns(now: Date, limit: number): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (let day = 0; day < 2 && runs.length < limit; day++) {
      const date = new Date(now.getTime() - day * DAY_MS).toISOString().slice(0, 10);
      const { Items = [] } = await this.dynamo.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': RunLogTable.partition(date) },
          ScanIndexForward: false,
          Limit: limit - runs.length,
          // the summary is what /status shows; the coverage lists stay in the table
          ProjectionExpression: 'slot, runId, #trigger, startedAt, answered, failed, summary',
          ExpressionAttributeNames: { '#trigger': 'trigger' },
        }),
      );
      runs.push(...Items.map(RunLogTable.toRunRecord));
    }
    // within one slot (a manual run beside the cron run) the sort key orders by run id: by start instead
    return runs.sort((a, b) => (a.slot === b.slot ? b.startedAt.localeCompare(a.startedAt) : b.slot.localeCompare(a.slot)));
  }

  /** The runs whose slot lies in [from, to) (epoch milliseconds), oldest first: one query per UTC date. */
  async runsBetween(from: number, to: number): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    const fromIso = new Date(from).toISOString();
    const toIso = new Date(to).toISOString();
    for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) {
      const items = await queryAll(this.dynamo, {
        TableName: this.table,
        // a sort key is `<slot>#<runId>`: `<to>#…` sorts after `<to>`, so the range stays half-open
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': RunLogTable.partition(new Date(day).toISOString().slice(0, 10)), ':from': fromIso, ':to': toIso },
      });
      runs.push(...items.map(RunLogTable.toRunRecord));
    }
    return runs;
  }
}
