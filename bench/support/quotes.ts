import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { encodeQuoteMessage, type Quote } from '@app/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { quoteFactory } from '../../test/support/factories';

const START = Date.parse('2024-09-16T04:00:00.000Z');

/** `count` distinct quotes over `symbols` symbols, oldest first; neighbours are different symbols, as in an upstream run. */
export function benchQuotes(count: number, symbols = 200): Quote[] {
  return Array.from({ length: count }, (_, i) =>
    quoteFactory({ symbol: `BENCH${i % symbols}`, quoteTime: new Date(START + Math.floor(i / symbols) * 1000).toISOString() }),
  );
}

/**
 * Puts the quotes on the queue as the ingestor would, 10 per SendMessageBatch, a few calls at a
 * time, each hidden for `delaySeconds`: consumers that are already up then start on a full queue
 * (several processes cannot be started at the same instant, and a full queue must not reward the
 * first one up).
 */
export async function fillQueue(sqs: SQSClient, queueUrl: string, quotes: Quote[], delaySeconds = 0): Promise<void> {
  const fetchedAt = new Date().toISOString();
  const bodies = quotes.map((q) => encodeQuoteMessage(q, 'bench', fetchedAt));
  const batches: string[][] = [];
  for (let i = 0; i < bodies.length; i += 10) batches.push(bodies.slice(i, i + 10));
  const send = async (): Promise<void> => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) {
      const entries = batch.map((MessageBody, i) => ({ Id: String(i), MessageBody, DelaySeconds: delaySeconds }));
      const { Failed = [] } = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if (Failed.length) throw new Error(`filling the queue: ${Failed.length} entries failed (${Failed[0].Message})`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, send));
}

/**
 * Times consumers draining `count` of the `total` messages on the queue, by watching its depth
 * the same way whoever consumes: from the first message taken to the moment `count` are gone
 * (received and deleted). Polls every 25 ms.
 */
export async function timeDrain(sqs: SQSClient, queueUrl: string, total: number, count: number, deadlineMs = 300_000): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  let started = 0;
  for (;;) {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
      }),
    );
    const now = performance.now();
    const visible = Number(Attributes.ApproximateNumberOfMessages ?? 0);
    const inFlight = Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    const delayed = Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    const left = visible + inFlight + delayed;
    if (!started && (inFlight > 0 || left < total)) started = now;
    if (started && left <= total - count) return now - started;
    if (Date.now() > deadline) throw new Error(`queue not drained in time: ${JSON.stringify(Attributes)}`);
    await sleep(25);
  }
}

/** How many history items the table holds (each stored quote is one). */
export async function countHistory(dynamo: DynamoDBDocumentClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        FilterExpression: 'begins_with(pk, :h)',
        ExpressionAttributeValues: { ':h': 'H#' },
        ExclusiveStartKey: start,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}
