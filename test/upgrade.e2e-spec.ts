import { createDocumentClient, parseConfig, type Quote, type QuoteflowConfig } from '@app/common';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import { QuoteReader } from '../apps/ingestor/src/quotes/quote-reader';
import { QuotesService } from '../apps/ingestor/src/quotes/quotes.service';
import { QuoteWriter } from '../apps/processor/src/storage/quote-writer';
import { migrate } from '../tools/migrate/migrate';
import { quoteFactory } from './support/factories';
import { PreviousShapes } from './support/previous-layout';
import { seedPreviousLayout } from './support/seed';

const at = (minute: number) => `2024-09-16T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** Quotes of 30 instruments as the previous release stored them: a symbol in two series, one without a series, several quotes each. */
function previousQuotes(): Quote[] {
  const quotes: Quote[] = [];
  for (let i = 0; i < 28; i++) for (const minute of [1, 3, 2]) quotes.push(quoteFactory({ symbol: `UP${String(i).padStart(2, '0')}`, price: 100 + i + minute / 100, quoteTime: at(minute) }));
  quotes.push(quoteFactory({ symbol: 'UP00', series: 'BE', price: 99.5, quoteTime: at(4) }));
  quotes.push(quoteFactory({ symbol: 'NIFTY 50', series: null, price: 25383.75, quoteTime: at(5) }));
  return quotes;
}

/** The latest of each instrument as the previous layout's latest items held it. */
function expectedLatest(quotes: Quote[]): Map<string, Quote> {
  const latest = new Map<string, Quote>();
  for (const q of quotes) {
    const key = `${q.symbol}#${q.series ?? '-'}`;
    if ((latest.get(key)?.quoteTime ?? '') < q.quoteTime) latest.set(key, q);
  }
  return latest;
}

describe('upgrade from the layout before ADR 0006', () => {
  let config: QuoteflowConfig;
  let dynamo: DynamoDBDocumentClient;
  let reader: QuoteReader;
  const quotes = previousQuotes();
  const latest = expectedLatest(quotes);

  beforeAll(async () => {
    config = parseConfig({ AWS_ENDPOINT_URL_DYNAMODB: process.env.QUOTEFLOW_TEST_DYNAMODB_ENDPOINT ?? '', TABLE_NAME: `upgrade-${randomBytes(4).toString('hex')}` });
    dynamo = createDocumentClient(config.aws);
    // the table as the previous release created it (with the GSI `latest`), filled through its item shapes
    await dynamo.send(new CreateTableCommand(PreviousShapes.definition(config.table.name)));
    await seedPreviousLayout(dynamo, config, quotes);
    reader = new QuoteReader(dynamo, config);
  });

  afterAll(() => dynamo?.destroy());

  it('serves the latest quote of every symbol before the migration has run (the previous latest items name its series)', async () => {
    const service = new QuotesService(reader, config);

    const answers = await Promise.all([...new Set(quotes.map((q) => q.symbol))].map((s) => service.latest(s)));

    expect(answers.every((a) => a !== null)).toBe(true);
    await expect(reader.latestBySeries('UP00')).resolves.toHaveLength(2);
    expect((await service.latest('NIFTY 50'))?.price).toBe(25383.75);
  });

  it('migrates resumably and idempotently, then lists every instrument once with its latest quote and keeps every quote', async () => {
    await expect(migrate(dynamo, config.table.name, { dryRun: true })).resolves.toMatchObject({ previousLatest: latest.size, registered: 0, complete: true });
    await expect(reader.instruments()).resolves.toEqual([]);

    const interrupted = await migrate(dynamo, config.table.name, { pageSize: 20, maxPages: 2 });
    const resumed = await migrate(dynamo, config.table.name, { pageSize: 20 });
    const again = await migrate(dynamo, config.table.name);

    expect(interrupted.complete).toBe(false);
    expect(resumed.complete).toBe(true);
    expect(interrupted.registered + resumed.registered).toBe(latest.size);
    expect(again).toMatchObject({ previousLatest: latest.size, registered: 0, complete: true });
    const listed = await reader.allLatest();
    expect(listed.map((q) => `${q.symbol}#${q.series ?? '-'}`)).toEqual([...latest.keys()].sort());
    for (const q of listed) expect(q).toMatchObject(latest.get(`${q.symbol}#${q.series ?? '-'}`)!);
    for (const [key, q] of latest) {
      const history = await reader.history(q.symbol, q.series, { limit: 100 });
      expect(history.items.length).toBe(quotes.filter((x) => `${x.symbol}#${x.series ?? '-'}` === key).length);
    }
  });

  it('stores new quotes the new way beside the migrated ones, and removes the previous latest items only when asked', async () => {
    const writer = new QuoteWriter(dynamo, config);
    await writer.store(quoteFactory({ symbol: 'UP01', price: 120, quoteTime: at(9) }), at(10));

    const removal = await migrate(dynamo, config.table.name, { removePrevious: true });

    expect(removal).toMatchObject({ previousLatest: latest.size, registered: 0, removed: latest.size });
    const { Items = [] } = await dynamo.send(new QueryCommand({ TableName: config.table.name, IndexName: 'latest', KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': 'LATEST' } }));
    expect(Items).toEqual([]);
    const listed = await reader.allLatest();
    expect(listed).toHaveLength(latest.size);
    expect(listed.find((q) => q.symbol === 'UP01')).toMatchObject({ price: 120, quoteTime: at(9) });
  });
});
