/**
 * How long one warm Lambda invocation takes for a batch of 10 (what Lambda bills as duration): SQS
 * events of distinct quotes, one after the other as one container receives them, handed to
 *
 * - `app`: the processor's Lambda handler as built (`BENCH_HANDLER`, `dist/lambda/processor/index.js`);
 * - `old`: a handler that writes the old way (`old-design.ts`), raw SDK, no framework.
 *
 * The first BENCH_WARMUP invocations (the cold start among them) are not reported.
 * Env: the apps' variables, plus BENCH_MODE, BENCH_HANDLER, BENCH_BATCHES, BENCH_WARMUP.
 */
import { createDocumentClient, decodeQuoteMessage, encodeQuoteMessage, parseConfig } from '@app/common';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createRequire } from 'node:module';
import { sqsEventFactory, sqsRecordFactory } from '../../test/support/lambda-events';
import { benchQuotes } from '../support/quotes';
import { report } from '../support/worker';
import { storeBatchTheOldWay } from './old-design';

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

function oldHandler(): Handler {
  const config = parseConfig(process.env);
  const dynamo = createDocumentClient(config.aws);
  return async (event) => {
    await storeBatchTheOldWay(dynamo, config.table.name, event.Records.map((r) => decodeQuoteMessage(r.body).quote));
    return { batchItemFailures: [] };
  };
}

async function main(): Promise<void> {
  const batches = Number(process.env.BENCH_BATCHES);
  const warmup = Number(process.env.BENCH_WARMUP ?? 3);
  const handler: Handler =
    process.env.BENCH_MODE === 'old' ? oldHandler() : (createRequire(__filename)(process.env.BENCH_HANDLER!) as { handler: Handler }).handler;
  const quotes = benchQuotes((batches + warmup) * 10);
  const fetchedAt = new Date().toISOString();
  report('ready', {});

  const durations: number[] = [];
  for (let b = 0; b < batches + warmup; b++) {
    const event = sqsEventFactory(quotes.slice(b * 10, b * 10 + 10).map((q, i) => sqsRecordFactory(encodeQuoteMessage(q, 'bench', fetchedAt), { messageId: `m-${b}-${i}` })));
    const started = performance.now();
    const { batchItemFailures } = await handler(event);
    const ms = performance.now() - started;
    if (batchItemFailures.length) throw new Error(`batch ${b}: ${batchItemFailures.length} messages failed`);
    if (b >= warmup) durations.push(ms);
  }
  report('result', { durations });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
