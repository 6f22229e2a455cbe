import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, writeIfConditionHolds, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { CLOCK, systemClock, type Clock } from '../clock/clock';
import { INSTANCE_ID } from '../state/instance';

/** A lease this instance holds. */
export interface HeldLease {
  token: string;
  expiresAt: number;
}

/** Who holds the lease, when another instance does (or which slot was run last). */
export interface LeaseState {
  holder: string | null;
  expiresAt: number;
  lastSlot: number | null;
}

/** Facts the holder leaves on the lease item with a write it makes anyway (the run id, the last good run, the last pass). */
export type LeaseFacts = Record<string, string | number>;

/**
 * Adapter for a job's lease item in the quotes table (layout in `QuoteTable`, `StateTable`): which
 * instance may run the job now. Every change is one conditional write, so two instances can never
 * both hold it; a failed condition means "held by someone else" and is an answer, not an error.
 * It is an update rather than a put so that `lastSlot` and the facts survive later leases.
 */
export class JobLease {
  /** This process, as other instances see it in the lease item (one more suffix: two leases of one process stay apart). */
  readonly holder = `${INSTANCE_ID}:${randomBytes(2).toString('hex')}`;
  private readonly table: string;

  constructor(
    private readonly job: 'ingest' | 'backfill',
    private readonly dynamo: DynamoDBDocumentClient,
    config: QuoteflowConfig,
    private readonly now: Clock,
  ) {
    this.table = config.table.name;
  }

  /**
   * Takes the lease for `ttlMs` if it is free (absent or expired) and, when `slot` is given, that
   * schedule slot has not been run yet. Returns what holds it otherwise.
   */
  async acquire(ttlMs: number, slot: number | null, facts: LeaseFacts = {}): Promise<{ lease: HeldLease } | { heldBy: LeaseState }> {
    const at = this.now();
    const now = at.getTime();
    const lease = { token: randomUUID(), expiresAt: now + ttlMs };
    const { sets, values } = factsUpdate(facts);
    const update: UpdateCommandInput = {
      TableName: this.table,
      Key: QuoteTable.leaseKey(this.job),
      UpdateExpression: `SET holder = :holder, #token = :token, expiresAt = :expiresAt, acquiredAt = :acquiredAt${slot === null ? '' : ', lastSlot = :slot'}${sets}`,
      ConditionExpression: `(attribute_not_exists(pk) OR expiresAt <= :now)${slot === null ? '' : ' AND (attribute_not_exists(lastSlot) OR lastSlot < :slot)'}`,
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: {
        ':holder': this.holder,
        ':token': lease.token,
        ':expiresAt': lease.expiresAt,
        ':acquiredAt': at.toISOString(),
        ':now': now,
        ...(slot === null ? {} : { ':slot': slot }),
        ...values,
      },
    };
    if (await this.updateIfHeld(update)) return { lease };
    return { heldBy: await this.state() };
  }

  /** Extends a lease this instance still holds; `false` when it was lost (expired and taken). */
  renew(lease: HeldLease, ttlMs: number): Promise<boolean> {
    lease.expiresAt = this.now().getTime() + ttlMs;
    return this.updateIfHeld(this.ownUpdate(lease, lease.expiresAt));
  }

  /**
   * Frees a lease this instance holds (keeping `lastSlot`), leaving `facts` on the item; `false`
   * when it had been lost already (the facts are written all the same, by a second update).
   */
  async release(lease: HeldLease, facts: LeaseFacts = {}): Promise<boolean> {
    const released = await this.updateIfHeld(this.ownUpdate(lease, 0, facts));
    if (!released && Object.keys(facts).length) {
      const { sets, values } = factsUpdate(facts);
      await this.dynamo.send(new UpdateCommand({ TableName: this.table, Key: QuoteTable.leaseKey(this.job), UpdateExpression: `SET ${sets.slice(2)}`, ExpressionAttributeValues: values }));
    }
    return released;
  }

  async state(): Promise<LeaseState> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: QuoteTable.leaseKey(this.job), ConsistentRead: true }));
    const item = Item as { holder?: string; expiresAt?: number; lastSlot?: number } | undefined;
    const expiresAt = item?.expiresAt ?? 0;
    return { holder: expiresAt > this.now().getTime() ? (item?.holder ?? null) : null, expiresAt, lastSlot: item?.lastSlot ?? null };
  }

  private ownUpdate(lease: HeldLease, expiresAt: number, facts: LeaseFacts = {}): UpdateCommandInput {
    const { sets, values } = factsUpdate(facts);
    return {
      TableName: this.table,
      Key: QuoteTable.leaseKey(this.job),
      UpdateExpression: `SET expiresAt = :expiresAt${sets}`,
      ConditionExpression: 'holder = :holder AND #token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':expiresAt': expiresAt, ':holder': this.holder, ':token': lease.token, ...values },
    };
  }

  /** `false` when the condition failed. */
  private updateIfHeld(input: UpdateCommandInput): Promise<boolean> {
    return writeIfConditionHolds(() => this.dynamo.send(new UpdateCommand(input)));
  }
}

/** `, a = :f_a, …` and its values; fact names are ours (plain words), never user input. */
function factsUpdate(facts: LeaseFacts): { sets: string; values: Record<string, string | number> } {
  const names = Object.keys(facts);
  return {
    sets: names.map((n) => `, ${n} = :f_${n}`).join(''),
    values: Object.fromEntries(names.map((n) => [`:f_${n}`, facts[n]])),
  };
}

/** The lease of the ingest runs: one run at a time across all instances, each schedule slot once. */
@Injectable()
export class IngestLease extends JobLease {
  constructor(@Inject(DynamoDBDocumentClient) dynamo: DynamoDBDocumentClient, @InjectConfig() config: QuoteflowConfig, @Inject(CLOCK) now: Clock = systemClock) {
    super('ingest', dynamo, config, now);
  }
}

/** The lease of the backfill passes: one pass at a time across all instances ("a pass is running" for every `/status`). */
@Injectable()
export class BackfillLease extends JobLease {
  constructor(@Inject(DynamoDBDocumentClient) dynamo: DynamoDBDocumentClient, @InjectConfig() config: QuoteflowConfig, @Inject(CLOCK) now: Clock = systemClock) {
    super('backfill', dynamo, config, now);
  }
}
