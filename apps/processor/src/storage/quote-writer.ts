import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { InjectConfig, QuoteflowError, QuoteTable, writeIfConditionHolds, type Quote, type QuoteflowConfig } from '@app/common';
import { Inject, Injectable } from '@nestjs/common';

export type StoreResult = 'stored' | 'duplicate';

/** DynamoDB cannot take writes right now (unreachable, throttling, 5xx): retry later, the quote is fine. */
export class StoreUnavailableError extends QuoteflowError {}

// throttling and server-side faults: the same write succeeds later
const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
]);
// the endpoint is down or the network between us failed
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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

  /** Throws {@link StoreUnavailableError} for throttling or an unreachable table; any other error as the SDK raised it. */
  async store(quote: Quote, insertedAt: string): Promise<StoreResult> {
    try {
      return await this.write(quote, insertedAt);
    } catch (err) {
      throw asUnavailable(err) ?? err;
    }
  }

  /** Resolves when the table answers; throws {@link StoreUnavailableError} (or the SDK's error) otherwise. */
  async ping(): Promise<void> {
    try {
      await this.dynamo.send(new DescribeTableCommand({ TableName: this.table }));
    } catch (err) {
      throw asUnavailable(err) ?? err;
    }
  }

  private async write(quote: Quote, insertedAt: string): Promise<StoreResult> {
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
  private putUnlessConditionFails(input: ConstructorParameters<typeof PutCommand>[0]): Promise<boolean> {
    return writeIfConditionHolds(() => this.dynamo.send(new PutCommand(input)));
  }
}

function asUnavailable(err: unknown): StoreUnavailableError | null {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (UNAVAILABLE_NAMES.has(e.name ?? '') || NETWORK_CODES.has(e.code ?? '') || status >= 500) {
    return new StoreUnavailableError(`table unavailable: ${e.name}${e.code ? ` (${e.code})` : ''}`, { cause: err });
  }
  return null;
}
