/**
 * Baseline consumers with the AWS SDK alone (no Nest, no sqs-consumer), writing the old way
 * (`old-design.ts`: two conditional PutItems per quote):
 *
 * - `raw`: receive 10, write them in parallel, delete the batch — the raw ceiling; BENCH_LOOPS
 *   such loops in the process (the bench gives it as many as the processor has pollers);
 * - `naive`: receive 1, write it, delete it, one at a time — how the pipeline is commonly written;
 * - `floor`: as `raw`, but one BatchWriteItem of the history items per batch: the floor of any design (ADR 0006).
 *
 * Env: the apps' variables, plus BENCH_MODE, BENCH_COUNT (stop after storing this many),
 * BENCH_LOOPS (default 1) and BENCH_WAIT_SECONDS (long-poll wait).
 */
import { DeleteMessageBatchCommand, DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createSqsClient, decodeQuoteMessage, parseConfig, QuoteTable, resolveQueueUrl, sendUntilProcessed, type Quote } from '@app/common';
import { report } from '../support/worker';
import { storeBatchTheOldWay } from './old-design';

/** The least any design that stores each quote can do: one BatchWriteItem of the history items, unprocessed ones re-sent. */
async function storeBatchAtTheFloor(dynamo: ReturnType<typeof createDocumentClient>, table: string, quotes: Quote[]): Promise<void> {
  const insertedAt = new Date().toISOString();
  const left = await sendUntilProcessed(
    quotes.map((q) => QuoteTable.historyItem(q, insertedAt)),
    async (items) => {
      const { UnprocessedItems } = await dynamo.send(new BatchWriteCommand({ RequestItems: { [table]: items.map((Item) => ({ PutRequest: { Item } })) } }));
      return (UnprocessedItems?.[table] ?? []).map((r) => r.PutRequest!.Item!);
    },
  );
  if (left.length) throw new Error(`${left.length} items unprocessed`);
}

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const mode = process.env.BENCH_MODE === 'naive' ? 'naive' : process.env.BENCH_MODE === 'floor' ? 'floor' : 'raw';
  const count = Number(process.env.BENCH_COUNT);
  const loops = mode === 'naive' ? 1 : Number(process.env.BENCH_LOOPS ?? 1);
  const waitSeconds = Number(process.env.BENCH_WAIT_SECONDS ?? 1);
  const sqs = createSqsClient(config.aws);
  const dynamo = createDocumentClient(config.aws);
  const queueUrl = await resolveQueueUrl(sqs, config.queue.name);
  report('ready', { rssKiB: Math.round(process.memoryUsage().rss / 1024) });

  let stored = 0;
  let peakRss = 0;
  const loop = async (): Promise<void> => {
    while (stored < count) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: mode === 'naive' ? 1 : 10, WaitTimeSeconds: waitSeconds }),
      );
      if (!Messages.length) continue;
      const quotes = Messages.map((m) => decodeQuoteMessage(m.Body).quote);
      if (mode === 'floor') await storeBatchAtTheFloor(dynamo, config.table.name, quotes);
      else await storeBatchTheOldWay(dynamo, config.table.name, quotes);
      if (mode !== 'naive') {
        await sqs.send(
          new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
        );
      } else {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
      }
      stored += Messages.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  };
  // the first loop to see the count reached ends the process; the others may be in a long poll
  await Promise.race(Array.from({ length: loops }, loop));
  report('result', { stored, peakRssKiB: Math.round(peakRss / 1024) });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
