import { GetCommand, PutCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BackfillTable, InjectConfig, QuoteTable, type BackfillState, type QuoteflowConfig, isConditionFailed } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';

/**
 * Adapter for the backfill items of the quotes table (layout in `BackfillTable`): each
 * instrument's watermark, and the history calls spent per provider and hour.
 */
@Injectable()
export class BackfillLedger {
  private readonly table: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
  }

  async state(symbol: string, series: string | null): Promise<BackfillState> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: BackfillTable.stateKey(symbol, series), ConsistentRead: true }));
    return BackfillTable.toState(Item);
  }

  async save(symbol: string, series: string | null, state: BackfillState): Promise<void> {
    await this.dynamo.send(new PutCommand({ TableName: this.table, Item: { ...BackfillTable.stateKey(symbol, series), ...state } }));
  }

  /**
   * Takes one call of the provider's budget for the hour of `at`; `false` when `limit` calls have
   * been spent already, by this instance or another one, before or since a restart.
   */
  async spend(provider: string, limit: number, at: Date): Promise<boolean> {
    if (limit <= 0) return false;
    try {
      await this.dynamo.send(
        new UpdateCommand({
          TableName: this.table,
          Key: BackfillTable.budgetKey(provider, at),
          UpdateExpression: 'ADD calls :one SET #ttl = :expiry',
          ConditionExpression: 'attribute_not_exists(calls) OR calls < :limit',
          ExpressionAttributeNames: { '#ttl': QuoteTable.ttlAttribute },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiry': BackfillTable.budgetExpiry(at) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Calls spent in the hour of `at`. */
  async spent(provider: string, at: Date): Promise<number> {
    const { Item } = await this.dynamo.send(new GetCommand({ TableName: this.table, Key: BackfillTable.budgetKey(provider, at) }));
    return typeof Item?.calls === 'number' ? Item.calls : 0;
  }
}
