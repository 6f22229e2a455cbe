import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { encodeQuoteMessage, resolveQueueUrl, type QuoteflowConfig } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import { listenOnFreePort, startIngestor } from '../apps/ingestor/test/ingestor-app';
import { startProcessor } from '../apps/processor/test/processor-app';
import { quoteFactory } from './support/factories';
import { seedQuotes } from './support/seed';
import { SseClient, type SseEvent } from './support/sse-client';
import { eventually, queueDrained, testConfig } from './support/test-stack';

/** The series of the marker quotes: an instrument of its own, next to the quotes a test is about. */
const MARKER = 'MARKER';

describe('GET /quotes/stream (server-sent events)', () => {
  let config: QuoteflowConfig;
  let ingestor: INestApplication;
  let processor: INestApplication;
  let base: string;
  const clients: SseClient[] = [];
  let markers = 0;

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

  async function connect(query: string): Promise<SseClient> {
    const client = await SseClient.connect(`${base}/quotes/stream${query}`);
    clients.push(client);
    return client;
  }

  async function publish(...quotes: ReturnType<typeof quoteFactory>[]): Promise<void> {
    const sqs = processor.get(SQSClient);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: await resolveQueueUrl(sqs, config.queue.name),
        Entries: quotes.map((q, i) => ({ Id: String(i), MessageBody: encodeQuoteMessage(q, 'run', new Date().toISOString()) })),
      }),
    );
  }

  const isMarker = (e: SseEvent) => JSON.parse(e.data).series === MARKER;
  /** The quotes (not markers) pushed to `client` after its first `from` events. */
  const quotesPushed = (client: SseClient, from: number) => client.events.slice(from).filter((e) => !isMarker(e));

  /**
   * Stores marker quotes of `symbol` until each client has been pushed one stored after this call.
   * The stream pushes changes in the order it reads them, so once a client has the marker it has
   * been pushed every change stored before: the stream is live for it (its first read, the
   * baseline, is behind it), and whatever it was not pushed by then it is not going to be.
   * Resolves with how many events each client has had by then: what comes later, the test caused.
   */
  async function markerPushed(symbol: string, ...to: SseClient[]): Promise<number[]> {
    const since = markers;
    const isNew = (e: SseEvent) => isMarker(e) && JSON.parse(e.data).price > since;
    await eventually(
      async () => {
        // a marker stored before the stream's first read is part of its baseline: store another
        const n = ++markers;
        await seedQuotes(processor.get(DynamoDBDocumentClient), config, [
          quoteFactory({ symbol, series: MARKER, price: n, high: n, low: n, quoteTime: new Date(Date.UTC(2024, 8, 16, 12) + n * 1_000).toISOString() }),
        ]);
        return to.every((client) => client.events.some(isNew)) ? true : undefined;
      },
      20_000,
      `a marker quote of ${symbol} pushed to ${to.length} client(s)`,
    );
    return to.map((client) => client.events.length);
  }

  it('pushes each newly stored quote of the followed symbols to a connected client', async () => {
    const all = await connect('');
    const onlyTcs = await connect('?symbols=tcs');
    const [allFrom, tcsFrom] = await markerPushed('TCS', all, onlyTcs);

    await publish(
      quoteFactory({ symbol: 'TCS', price: 4100.05, high: 4120.9, low: 4088.15 }),
      quoteFactory({ symbol: 'INFY', price: 1890.4, high: 1900, low: 1880 }),
    );

    await queueDrained(processor.get(SQSClient), config);
    await markerPushed('TCS', all, onlyTcs);
    const events = quotesPushed(all, allFrom);
    expect(events.map((e) => e.type)).toEqual(['quote', 'quote']);
    expect(events.map((e) => JSON.parse(e.data)).map((q) => [q.symbol, q.price]).sort()).toEqual([
      ['INFY', 1890.4],
      ['TCS', 4100.05],
    ]);
    expect(quotesPushed(onlyTcs, tcsFrom).map((e) => JSON.parse(e.data).symbol)).toEqual(['TCS']);
  });

  it('pushes a newer quote of a symbol again, and nothing for a duplicate', async () => {
    const client = await connect('?symbols=WIPRO');
    const stored = quoteFactory({ symbol: 'WIPRO', price: 4100.05, high: 4120.9, low: 4088.15 });
    await publish(stored);
    await queueDrained(processor.get(SQSClient), config);
    const [from] = await markerPushed('WIPRO', client);

    await publish(stored); // already stored
    await publish({ ...stored, price: 4101, quoteTime: '2024-09-16T10:30:47.000Z' });

    await queueDrained(processor.get(SQSClient), config);
    await markerPushed('WIPRO', client);
    expect(quotesPushed(client, from).map((e) => JSON.parse(e.data).price)).toEqual([4101]);
  });
});
