import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { encodeQuoteMessage, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { listenOnFreePort, startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { quoteFactory } from './support/factories';
import { SseClient } from './support/sse-client';
import { eventually, testConfig } from './support/test-stack';

describe('GET /quotes/stream (server-sent events)', () => {
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;
  let base: string;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    config = await testConfig();
    ingestor = await startIngestor(config);
    base = `http://127.0.0.1:${await listenOnFreePort(ingestor)}`;
    processor = await startProcessor(config);
  });

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await processor?.close();
    await ingestor?.close();
  });

  async function publish(...quotes: ReturnType<typeof quoteFactory>[]): Promise<void> {
    const sqs = processor.get(SQSClient);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: await resolveQueueUrl(sqs, config.queue.name),
        Entries: quotes.map((q, i) => ({ Id: String(i), MessageBody: encodeQuoteMessage(q, 'run', new Date().toISOString()) })),
      }),
    );
  }

  it('pushes each newly stored quote of the followed symbols to a connected client', async () => {
    const all = await SseClient.connect(`${base}/quotes/stream`);
    const onlyTcs = await SseClient.connect(`${base}/quotes/stream?symbols=tcs`);
    clients.push(all, onlyTcs);
    await new Promise((r) => setTimeout(r, 1_500)); // the stream's first read sets its baseline

    await publish(
      quoteFactory({ symbol: 'TCS', price: 4100.05, high: 4120.9, low: 4088.15 }),
      quoteFactory({ symbol: 'INFY', price: 1890.4, high: 1900, low: 1880 }),
    );

    const events = await eventually(async () => (all.events.length >= 2 ? all.events : undefined), 20_000, 'two stream events');
    expect(events.map((e) => e.type)).toEqual(['quote', 'quote']);
    expect(events.map((e) => JSON.parse(e.data)).map((q) => [q.symbol, q.price]).sort()).toEqual([
      ['INFY', 1890.4],
      ['TCS', 4100.05],
    ]);
    await eventually(async () => (onlyTcs.events.length ? true : undefined), 5_000, 'TCS event');
    expect(onlyTcs.events.map((e) => JSON.parse(e.data).symbol)).toEqual(['TCS']);
  });

  it('pushes a newer quote of a symbol again, and nothing for a duplicate', async () => {
    const client = await SseClient.connect(`${base}/quotes/stream?symbols=TCS`);
    clients.push(client);
    await new Promise((r) => setTimeout(r, 1_500));

    await publish(quoteFactory({ symbol: 'TCS', price: 4100.05, high: 4120.9, low: 4088.15 })); // already stored
    await publish(quoteFactory({ symbol: 'TCS', price: 4101, high: 4120.9, low: 4088.15, quoteTime: '2024-09-16T10:30:47.000Z' }));

    await eventually(async () => (client.events.length ? true : undefined), 20_000, 'newer TCS event');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(client.events.map((e) => JSON.parse(e.data).price)).toEqual([4101]);
  });
});
