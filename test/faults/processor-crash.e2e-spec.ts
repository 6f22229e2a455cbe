import { createDocumentClient, createSqsClient, queueDepth, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppProcess } from '../support/app-process';
import { metricValue, scrapeMetrics } from '../support/prometheus';
import { audit, distinctQuotes, publishQuotes } from '../support/quote-stream';
import { eventually, queueDrained, storedRecords, testStack } from '../support/test-stack';

const SYMBOLS = 40;
const PER_SYMBOL = 55; // 2,200 distinct quotes

/** A counter of the processor's `/metrics` (0 before its first increment). */
const counter = async (app: AppProcess, name: string, labels: Record<string, string> = {}) => metricValue(await scrapeMetrics(app.port), name, labels) ?? 0;

/**
 * kill -9 of the processor in the middle of a stream, then a restart: SQS hands the messages of
 * the killed batch out again after the visibility timeout, and the conditional writes keep one
 * record per quote.
 */
describe('processor killed with SIGKILL mid-stream', () => {
  let env: Record<string, string>;
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let dynamo: DynamoDBDocumentClient;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    ({ env, config } = await testStack({ VISIBILITY_TIMEOUT_SECONDS: '3', MAX_RECEIVE_COUNT: '5' }));
    sqs = createSqsClient(config.aws);
    dynamo = createDocumentClient(config.aws);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop('SIGKILL')));
    sqs.destroy();
    dynamo.destroy();
  });

  it('stores every quote exactly once after a restart, and the latest of each symbol is its newest', async () => {
    const quotes = distinctQuotes(SYMBOLS, PER_SYMBOL);
    const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
    const streaming = publishQuotes(sqs, config, quotes, 5);

    // Kill a processor well into the stream, at a moment it holds a received batch. A batch can be
    // written and deleted between the depth read that saw it and the kill; when the kill found
    // nothing in flight, a new processor takes over and a later batch is killed instead.
    let crashed: { crash: Awaited<AppProcess['exited']>; atKill: { inFlight: number }; storedBeforeKill: number } | null = null;
    let stored = 0;
    for (let attempt = 1; !crashed && attempt <= 5; attempt++) {
      const victim = await AppProcess.start('processor', env);
      apps.push(victim);
      const enough = (quotes.length / 4) * (attempt === 1 ? 1 : 1.2);
      await eventually(
        async () => (stored + (await counter(victim, 'quoteflow_messages_processed_total', { outcome: 'stored' })) >= enough ? true : undefined),
        60_000,
        `${enough} quotes stored`,
      );
      const atKill = await eventually(async () => {
        if ((await queueDepth(sqs, QueueUrl)).inFlight === 0) return undefined;
        await victim.stop('SIGKILL');
        return queueDepth(sqs, QueueUrl);
      }, 20_000, 'a batch in flight');
      const crash = await victim.exited;
      // what the killed processors stored, as the table holds it (nothing else writes to it meanwhile)
      stored = (await storedRecords(dynamo, config)).history.length;
      if (atKill.inFlight > 0) crashed = { crash, atKill, storedBeforeKill: stored };
    }
    if (!crashed) throw new Error('no kill in 5 attempts found a batch in flight');
    const { crash, atKill, storedBeforeKill } = crashed;
    const second = await AppProcess.start('processor', env);
    apps.push(second);
    await streaming;
    await queueDrained(sqs, config, 60_000);

    const result = audit(quotes, await storedRecords(dynamo, config));
    const duplicatesSeen = await counter(second, 'quoteflow_duplicates_skipped_total');
    const dlq = await queueDepth(sqs, await resolveQueueUrl(sqs, config.queue.dlqName));
    console.log(JSON.stringify({ crash, storedBeforeKill, inFlightAtKill: atKill.inFlight, redeliveredAlreadyStored: duplicatesSeen, ...result, dlq }));
    expect(crash.signal).toBe('SIGKILL');
    expect(atKill.inFlight).toBeGreaterThan(0);
    expect(storedBeforeKill).toBeLessThan(quotes.length);
    expect(result).toEqual({
      published: 2200,
      historyRecords: 2200,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      latestNotNewest: [],
    });
    expect(dlq).toEqual({ visible: 0, inFlight: 0 });
    await expect(second.stop('SIGTERM')).resolves.toEqual({ code: 0, signal: null });
  }, 120_000);
});
