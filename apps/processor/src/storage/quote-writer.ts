import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteTable, type Quote, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';

export type StoreResult = 'stored' | 'duplicate';

/**
 * Adapter that writes quotes to DynamoDB, idempotently: the history item is put only if absent,
 * and the latest item only if it is absent or older. A failed condition is the expected answer to a
 * redelivered or re-published quote, so it counts as success.
 */
@Injectable()
export class QuoteWriter {
  private readonly table: string;

  constructor(
    @Inject(DynamoDBDocumentClient) private readonly dynamo: DynamoDBDocumentClient,
    @InjectConfig() config: QuoteflowConfig,
  ) {
    this.table = config.table.name;
  }

  async store(quote: Quote, insertedAt: string): Promise<StoreResult> {
    const stored = await this.putUnlessConditionFails({
      TableName: this.table,
      Item: QuoteTable.historyItem(quote, insertedAt),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    // written even for a duplicate: the first delivery may have died between the two puts
    await this.putUnlessConditionFails({
      TableName: this.table,
      Item: QuoteTable.latestItem(quote, insertedAt),
      ConditionExpression: 'attribute_not_exists(pk) OR quoteTime < :quoteTime',
      ExpressionAttributeValues: { ':quoteTime': quote.quoteTime },
    });
    return stored ? 'stored' : 'duplicate';
  }

  /** `false` when the condition failed (the item already says what we would write, or newer). */
  private async putUnlessConditionFails(input: ConstructorParameters<typeof PutCommand>[0]): Promise<boolean> {
    try {
      await this.dynamo.send(new PutCommand(input));
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
