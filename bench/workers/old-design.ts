/**
 * How the processor wrote a quote before the write path was reworked (issue 16), kept here as the
 * baseline that the cost and throughput figures compare with, with the raw SDK: two conditional
 * PutItems per quote, history first (`attribute_not_exists(pk)`: a redelivery leaves it alone),
 * then latest (`attribute_not_exists(pk) OR quoteTime < :q`: never moves back). A failed
 * condition is the answer to a duplicate, not an error.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { QuoteTable, type Quote } from '@app/common';
import { PreviousShapes } from '../../test/support/previous-layout';

export async function storeTheOldWay(dynamo: DynamoDBDocumentClient, table: string, quote: Quote, insertedAt: string): Promise<void> {
  await unlessConditionFails(dynamo.send(new PutCommand({ TableName: table, Item: QuoteTable.historyItem(quote, insertedAt), ConditionExpression: 'attribute_not_exists(pk)' })));
  await unlessConditionFails(
    dynamo.send(
      new PutCommand({
        TableName: table,
        Item: PreviousShapes.latestItem(quote, insertedAt),
        ConditionExpression: 'attribute_not_exists(pk) OR quoteTime < :quoteTime',
        ExpressionAttributeValues: { ':quoteTime': quote.quoteTime },
      }),
    ),
  );
}

/** One batch the old way: every quote of it in parallel, as the raw loop and the old Lambda did. */
export async function storeBatchTheOldWay(dynamo: DynamoDBDocumentClient, table: string, quotes: Quote[]): Promise<void> {
  const insertedAt = new Date().toISOString();
  await Promise.all(quotes.map((q) => storeTheOldWay(dynamo, table, q, insertedAt)));
}

async function unlessConditionFails(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
  }
}
