/**
 * Baseline of the ingest fan-out: one upstream call, then one `SendMessage` per quote, with
 * BENCH_CONCURRENCY calls in flight at a time (the bench gives it as many as it saw the ingestor
 * have in flight) — the same messages the ingestor publishes with `SendMessageBatch`.
 *
 * Env: the apps' variables (RAPIDAPI_BASE_URL, RAPIDAPI_KEY, QUEUE_NAME, AWS_ENDPOINT_URL_SQS), BENCH_CONCURRENCY.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { checkQuote, createSqsClient, encodeQuoteMessage, parseConfig, resolveQueueUrl } from '@app/common';
import { toCandidate } from '../../apps/ingestor/src/market-data/latest-stock-price.provider';
import { report } from '../support/worker';

async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 1);
  const sqs = createSqsClient(config.aws);
  const queueUrl = await resolveQueueUrl(sqs, config.queue.name);
  report('ready', {});

  const started = performance.now();
  const answer = await fetch(`${config.upstream.baseUrl}/any`, { headers: { 'x-rapidapi-key': config.upstream.rapidApiKey ?? '' } });
  const rows = (await answer.json()) as unknown[];
  const fetchedAt = new Date().toISOString();
  const bodies: string[] = [];
  for (const row of rows) {
    const check = checkQuote(toCandidate(row));
    if (check.ok) bodies.push(encodeQuoteMessage(check.quote, 'bench', fetchedAt));
  }
  let sent = 0;
  const sendNext = async (): Promise<void> => {
    for (let body = bodies.shift(); body !== undefined; body = bodies.shift()) {
      await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      sent++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sendNext));
  report('result', { ms: performance.now() - started, sent });
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
