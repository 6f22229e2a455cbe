/**
 * Baseline consumers, with the AWS SDK alone (no Nest, no sqs-consumer), writing the same items
 * with the same conditional puts as the processor (its `QuoteWriter`, constructed by hand):
 *
 * - `raw`: receive 10, write them in parallel, delete the batch — the raw ceiling;
 * - `naive`: receive 1, write it, delete it, one at a time — how the pipeline is commonly written.
 *
 * Env: the apps' variables, plus BENCH_MODE, BENCH_COUNT (stop after storing this many) and
 * BENCH_WAIT_SECONDS (long-poll wait).
 */
import { DeleteMessageBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, decodeQuoteMessage, parseConfig, resolveQueueUrl } from '@app/common';
import { QuoteWriter } from '../../apps/processor/src/storage/quote-writer';
import { report } from '../support/worker';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const mode = process.env.BENCH_MODE === 'naive' ? 'naive' : 'raw';
  const count = Number(process.env.BENCH_COUNT);
  const waitSeconds = Number(process.env.BENCH_WAIT_SECONDS ?? 1);
  const sqs = createSqsClient(config.aws);
  const writer = new QuoteWriter(createDocumentClient(config.aws), config);
  const queueUrl = await resolveQueueUrl(sqs, config.queue.name);
  const store = (m: Message) => writer.store(decodeQuoteMessage(m.Body).quote, new Date().toISOString());
  report('ready', { rssKiB: Math.round(process.memoryUsage().rss / 1024) });

  let stored = 0;
  let peakRss = 0;
  while (stored < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: mode === 'raw' ? 10 : 1, WaitTimeSeconds: waitSeconds }),
    );
    if (!Messages.length) continue;
    if (mode === 'raw') {
      await Promise.all(Messages.map(store));
      await sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }),
      );
    } else {
      await store(Messages[0]);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
    }
    stored += Messages.length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  report('result', { stored, peakRssKiB: Math.round(peakRss / 1024) });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
