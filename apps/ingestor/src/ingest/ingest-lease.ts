import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, writeIfConditionHolds, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { CLOCK, systemClock, type Clock } from './clock';

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

const JOB = 'ingest';

/**
 * Adapter for the ingest lease item in the quotes table (layout in `QuoteTable`): which instance
 * may run an ingest now. Every change is one conditional write, so two instances can never both
 * hold it; a failed condition means "held by someone else" and is an answer, not an error.
 * It is an update rather than a put so that `lastSlot` survives the leases of manual runs.
 */
@Injectable()
export class IngestLease {
  /** This process, as other instances see it in the lease item. */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly table: string;
  private readonly now: Clock;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
    @Optional() @Inject(CLOCK) now?: Clock,
  ) {
    this.table = config.table.name;
    this.now = now ?? systemClock;
  }

  /**
   * Takes the lease for `ttlMs` if it is free (absent or expired) and, when `slot` is given, that
   * schedule slot has not been run yet. Returns what holds it otherwise.
   */
  async acquire(ttlMs: number, slot: number | null): Promise<{ lease: HeldLease } | { heldBy: LeaseState }> {
    const at = this.now();
    const now = at.getTime();
    const lease = { token: randomUUID(), expiresAt: now + ttlMs };
    const update: UpdateCommandInput = {
      TableName: this.table,
      Key: QuoteTable.leaseKey(JOB),
      UpdateExpression: `SET holder = :holder, #token = :token, expiresAt = :expiresAt, acquiredAt = :acquiredAt${slot === null ? '' : ', lastSlot = :slot'}`,
      ConditionExpression: `(attribute_not_exists(pk) OR expiresAt <= :now)${slot === null ? '' : ' AND (attribute_not_exists(lastSlot) OR lastSlot < :slot)'}`,
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: {
        ':holder': this.holder,
        ':token': lease.token,
        ':expiresAt': lease.expiresAt,
        ':acquiredAt': at.toISOString(),
        ':now': now,
        ...(slot === null ? {} : { ':slot': slot }),
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

  /** Frees a lease this instance holds (keeping `lastSlot`); `false` when it had been lost already. */
  release(lease: HeldLease): Promise<boolean> {
    return this.updateIfHeld(this.ownUpdate(lease, 0));
  }

  async state(): Promise<LeaseState> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: QuoteTable.leaseKey(JOB), ConsistentRead: true }));
    const item = Item as { holder?: string; expiresAt?: number; lastSlot?: number } | undefined;
    const expiresAt = item?.expiresAt ?? 0;
    return { holder: expiresAt > this.now().getTime() ? (item?.holder ?? null) : null, expiresAt, lastSlot: item?.lastSlot ?? null };
  }

  private ownUpdate(lease: HeldLease, expiresAt: number): UpdateCommandInput {
    return {
      TableName: this.table,
      Key: QuoteTable.leaseKey(JOB),
      UpdateExpression: 'SET expiresAt = :expiresAt',
      ConditionExpression: 'holder = :holder AND #token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':expiresAt': expiresAt, ':holder': this.holder, ':token': lease.token },
    };
  }

  /** `false` when the condition failed. */
  private updateIfHeld(input: UpdateCommandInput): Promise<boolean> {
    return writeIfConditionHolds(() => this.dynamo.send(new UpdateCommand(input)));
  }
}
