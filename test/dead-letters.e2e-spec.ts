import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, encodeQuoteMessage, MAX_RECEIVES_REASON, queueDepth, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { quoteFactory } from './support/factories';
import { eventually, queueDrained, storedHistory, testStack } from './support/test-stack';
import { TEST_ADMIN_API_KEY } from './support/secrets';
import { step } from './support/scenario';

const ADMIN_KEY = TEST_ADMIN_API_KEY;
const POISON = '{"not":"a quote message"';

/** `npm run dlq -- <args>` against the suite's queues. */
async function dlqCli(env: Record<string, string>, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'tools/dlq/dlq-cli.ts', ...args], {
    cwd: resolve(__dirname, '..'),
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env },
  });
  return stdout;
}

/**
 * The way into the DLQ (a poison message at once, a message that fails on every receive after
 * maxReceiveCount receives) and the way back out (`npm run dlq` and the admin routes).
 */
describe('dead letters: into the DLQ and back', () => {
  let env: Record<string, string>;
  let config: QuoteflowConfig;
  let sqs: SQSClient;
  let ingestor: INestApplication;
  const processors: INestApplication[] = [];
  const good = quoteFactory({ symbol: 'COMEBACK' });
  const dlqDepth = async () => queueDepth(sqs, await resolveQueueUrl(sqs, config.queue.dlqName));
  const api = () => request(ingestor.getHttpServer());

  beforeAll(async () => {
    ({ env, config } = await testStack({ MAX_RECEIVE_COUNT: '2', VISIBILITY_TIMEOUT_SECONDS: '1', ADMIN_API_KEY: ADMIN_KEY }));
    sqs = createSqsClient(config.aws);
    ingestor = await startIngestor(config);
  });

  afterAll(async () => {
    await Promise.all(processors.map((p) => p.close()));
    await ingestor?.close();
    sqs.destroy();
  });

  it('dead-letters a poison message at once and a failing one after maxReceiveCount, lists them with reasons and redrives them (npm run dlq, then POST /admin/dlq/redrive)', async () => {
    await step('takes a poison message at once, and a message that fails on every receive after maxReceiveCount receives', async () => {
      // every write fails: the table does not exist (a failure that is not the message's fault)
      const broken = await startProcessor({ ...config, table: { ...config.table, name: 'no-such-table' } });
      processors.push(broken);
      const QueueUrl = await resolveQueueUrl(sqs, config.queue.name);
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'good', MessageBody: encodeQuoteMessage(good, 'run-dlq', new Date().toISOString()) },
            { Id: 'poison', MessageBody: POISON },
          ],
        }),
      );

      await eventually(async () => ((await dlqDepth()).visible === 2 ? true : undefined), 30_000, 'two dead letters');
      await broken.close();

      await queueDrained(sqs, config);
    });

    await step('lists the dead letters with their reasons on GET /admin/dlq, behind the admin key', async () => {
      await api().get('/admin/dlq').expect(401);

      const res = await api().get('/admin/dlq').set('x-api-key', ADMIN_KEY).expect(200);

      expect(res.body.depth).toEqual({ visible: 2, inFlight: 0 });
      const reasons = Object.fromEntries(res.body.items.map((i: { body: string; reason: string }) => [i.body === POISON ? 'poison' : 'good', i.reason]));
      expect(reasons).toEqual({ poison: 'body is not JSON', good: MAX_RECEIVES_REASON });
      await expect(dlqDepth()).resolves.toEqual({ visible: 2, inFlight: 0 });
    });

    await step('lists and redrives them with npm run dlq; the good quote is then stored, the poison one comes back', async () => {
      const listed = JSON.parse(await dlqCli(env, 'list', '--json')) as { items: { reason: string }[] };
      expect(listed.items.map((i) => i.reason).sort()).toEqual([MAX_RECEIVES_REASON, 'body is not JSON'].sort());

      await expect(dlqCli(env, 'redrive')).resolves.toMatch(/moved 2 message\(s\) from q-\w+-dlq back to q-\w+/);
      processors.push(await startProcessor(config));

      const dynamo = createDocumentClient(config.aws);
      await eventually(async () => ((await storedHistory(dynamo, config, good.symbol, good.series)).length === 1 ? true : undefined));
      dynamo.destroy();
      await eventually(async () => ((await dlqDepth()).visible === 1 ? true : undefined), 20_000, 'poison dead-lettered again');
      await queueDrained(sqs, config);
    });

    await step('redrives on POST /admin/dlq/redrive, behind the admin key', async () => {
      await api().post('/admin/dlq/redrive').expect(401);

      const res = await api().post('/admin/dlq/redrive').set('x-api-key', ADMIN_KEY).expect(200);

      // fauxqs has no StartMessageMoveTask: the adapter fell back to receive/send/delete
      expect(res.body).toEqual({ method: 'receive-send-delete', moved: 1, failed: 0 });
      await eventually(async () => ((await dlqDepth()).visible === 1 ? true : undefined), 20_000, 'poison dead-lettered again');
    });
  }, 120_000);
});
