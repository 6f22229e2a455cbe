import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Quote, StoredQuote } from '@app/common';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { quoteFactory } from '../../../test/support/factories';
import { seedQuotes } from '../../../test/support/seed';
import { testConfig } from '../../../test/support/test-stack';
import { startIngestor } from './ingestor-app';

const START = Date.parse('2024-09-16T03:45:00.000Z');
/** Prices as the upstream wrote them: the export must give back these very digits. */
const DECIMALS = ['2945.35', '0.00001812', '123456.789012', '0.0000001', '2961.35', '7'];
const COUNT = 1_250; // more than one DynamoDB Query page of the export

function reliance(): Quote[] {
  return Array.from({ length: COUNT }, (_, i) => {
    const price = Number(DECIMALS[i % DECIMALS.length]);
    return quoteFactory({ price, high: i % 7 ? price : null, low: i % 7 ? price : null, quoteTime: new Date(START + i * 60_000).toISOString() });
  });
}

/** RFC 4180 records, parsed here without the code under test. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...fields, field]);
      fields = [];
      field = '';
      i++;
    } else field += c;
  }
  return records;
}

const COLUMNS = ['symbol', 'series', 'price', 'high', 'low', 'quoteTime', 'insertedAt', 'source'];

/** A CSV record as the JSON item it stands for (an empty field is null). */
const fromCsv = (record: string[]) =>
  Object.fromEntries(COLUMNS.map((name, i) => [name, record[i] === '' ? null : ['price', 'high', 'low'].includes(name) ? Number(record[i]) : record[i]]));

/** MSFT: a live quote and, a minute earlier, a 1-minute bar from the history endpoint. */
const BACKFILLED: Quote[] = [
  quoteFactory({ symbol: 'MSFT', series: null, price: 412.5, high: 415, low: 405, quoteTime: '2026-11-17T15:15:07.000Z', source: 'yahoo-finance' }),
  quoteFactory({ symbol: 'MSFT', series: null, price: 410.455, high: 410.705, low: 410.205, quoteTime: '2026-11-17T15:14:00.000Z', source: 'yahoo-finance', origin: 'backfill', interval: '1m' }),
];

describe('history export (CSV, NDJSON)', () => {
  const quotes = reliance();
  let app: INestApplication;
  const api = () => request(app.getHttpServer());
  /** Collects the body as text whatever its media type (superagent buffers only a few types by itself). */
  const text = (res: request.Response, done: (err: Error | null, body: string) => void) => {
    const stream = res as unknown as NodeJS.ReadableStream;
    let body = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (body += chunk));
    stream.on('end', () => done(null, (res.text = body)));
  };

  /** The JSON history, every page. */
  async function jsonHistory(path: string): Promise<StoredQuote[]> {
    const items: StoredQuote[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await api().get(`${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    const config = await testConfig({ INGEST_CRON: '* * * * *' });
    app = await startIngestor(config);
    await seedQuotes(app.get(DynamoDBDocumentClient), config, [
      ...quotes,
      quoteFactory({ symbol: 'NIFTY 50', series: null, price: 25383.75, high: 25445.7, low: 25336.2 }),
      quoteFactory({ symbol: 'NIFTY 50', series: null, price: 25380.1, high: null, low: null, quoteTime: '2024-09-16T10:28:47.000Z' }),
      quoteFactory({ symbol: 'PEPE-USD', series: 'pepe', price: 0.00001812, high: 0.0000187, low: 0.0000176, source: 'coingecko' }),
      // a bar the backfill filled in beside a live quote: the exports must not pass it off as live
      ...BACKFILLED,
    ]);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('streams the whole range as CSV, row for row the JSON history, every digit as stored', async () => {
    const res = await api().get('/quotes/RELIANCE/history').set('Accept', 'text/csv').buffer(true).parse(text).expect(200);
    const [header, ...records] = parseCsv(res.text);
    const json = await jsonHistory('/quotes/RELIANCE/history');

    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers.vary).toMatch(/Accept/);
    expect(header).toEqual(COLUMNS);
    expect(records).toHaveLength(COUNT);
    expect(records.map(fromCsv)).toEqual(json);
    expect(records.map((r) => r[2])).toEqual([...quotes].reverse().map((_, i) => DECIMALS[(COUNT - 1 - i) % DECIMALS.length]));
    expect(records.every((r) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(r[5]) && r[6].endsWith('Z'))).toBe(true);
  });

  it('answers NDJSON for Accept: application/x-ndjson, one JSON history item per line', async () => {
    const res = await api().get('/quotes/RELIANCE/history').set('Accept', 'application/x-ndjson').buffer(true).parse(text).expect(200);
    const lines = res.text.split('\n');

    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(await jsonHistory('/quotes/RELIANCE/history'));
    expect(lines.map((l) => /"price":([^,]+)/.exec(l)![1])).toEqual(
      [...quotes].reverse().map((_, i) => DECIMALS[(COUNT - 1 - i) % DECIMALS.length]),
    );
  });

  it.each(['csv', 'ndjson'])('keeps from, to and limit as the JSON history does (?format=%s)', async (format) => {
    const range = 'from=2024-09-16T04:00:00Z&to=2024-09-16T05:30:00Z';
    const res = await api().get(`/quotes/RELIANCE/history?${range}&limit=7&format=${format}`).buffer(true).parse(text).expect(200);
    const json = (await api().get(`/quotes/RELIANCE/history?${range}&limit=7`).expect(200)).body.items;
    const rows = format === 'csv' ? parseCsv(res.text).slice(1).map(fromCsv) : res.text.trim().split('\n').map((l) => JSON.parse(l));

    expect(rows).toEqual(json);
    expect(rows).toHaveLength(7);
    expect((await api().get(`/quotes/RELIANCE/history?${range}&format=${format}`).buffer(true).parse(text)).text).toContain('2024-09-16T04:00:00.000Z');
  });

  it('quotes a symbol with a space and leaves a missing series, high and low empty', async () => {
    const res = await api().get('/quotes/NIFTY%2050/history?format=csv').buffer(true).parse(text).expect(200);

    expect(res.text).toBe(
      'symbol,series,price,high,low,quoteTime,insertedAt,source\r\n' +
        `"NIFTY 50",,25383.75,25445.7,25336.2,2024-09-16T10:29:47.000Z,${parseCsv(res.text)[1][6]},latest-stock-price\r\n` +
        `"NIFTY 50",,25380.1,,,2024-09-16T10:28:47.000Z,${parseCsv(res.text)[2][6]},latest-stock-price\r\n`,
    );
    expect(parseCsv(res.text).slice(1).map(fromCsv)).toEqual(await jsonHistory('/quotes/NIFTY%2050/history'));
  });

  it('labels the backfilled bar in the JSON history', async () => {
    const json = await jsonHistory('/quotes/MSFT/history');

    expect(json).toEqual([
      expect.not.objectContaining({ origin: expect.anything() }),
      expect.objectContaining({ quoteTime: '2026-11-17T15:14:00.000Z', origin: 'backfill', interval: '1m' }),
    ]);
  });

  // KNOWN DEFECT (issue 28, "exports drop the labels"): NDJSON and CSV leave out origin and interval.
  // `it.failing` keeps this run green while the defect is there and fails once it is fixed:
  // the change that makes the exports carry the labels turns it into `it`.
  it.failing('carries every field of the JSON history into the NDJSON export, the labels of a backfilled bar included', async () => {
    const json = await jsonHistory('/quotes/MSFT/history');
    const ndjson = await api().get('/quotes/MSFT/history?format=ndjson').buffer(true).parse(text).expect(200);

    expect(ndjson.text.trim().split('\n').map((l) => JSON.parse(l))).toEqual(json);
  });

  it('keeps the digits of a tiny coin price in both formats', async () => {
    const csv = await api().get('/quotes/PEPE-USD/history?format=csv').buffer(true).parse(text).expect(200);
    const ndjson = await api().get('/quotes/PEPE-USD/history?format=ndjson').buffer(true).parse(text).expect(200);

    expect(parseCsv(csv.text)[1].slice(0, 5)).toEqual(['PEPE-USD', 'pepe', '0.00001812', '0.0000187', '0.0000176']);
    expect(ndjson.text).toContain('"price":0.00001812,"high":0.0000187,"low":0.0000176,');
  });

  it.each([
    ['no Accept', undefined],
    ['Accept: */*', '*/*'],
    ['Accept: text/html', 'text/html'],
    ['JSON preferred', 'application/json, text/csv;q=0.5'],
  ])('answers JSON pages as before with %s', async (_, accept) => {
    const call = api().get('/quotes/RELIANCE/history?limit=2');
    const res = await (accept ? call.set('Accept', accept) : call).expect(200);

    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body)).toEqual(['items', 'nextCursor']);
    expect(res.body.items).toHaveLength(2);
  });

  it('lets ?format override Accept', async () => {
    const res = await api().get('/quotes/RELIANCE/history?format=json&limit=1').set('Accept', 'text/csv').expect(200);

    expect(res.body.items).toHaveLength(1);
  });

  it.each([
    ['/quotes/RELIANCE/history?format=xml', 400, /format must be one of json, csv, ndjson/],
    ['/quotes/RELIANCE/history?format=csv&limit=0', 400, /limit must be between 1 and 500/],
    ['/quotes/RELIANCE/history?format=csv&cursor=eyJ4Ijox', 400, /cursor is not valid/],
    ['/quotes/RELIANCE/history?format=ndjson&from=2024-09-17&to=2024-09-16', 400, /from must not be after to/],
    ['/quotes/NOPE/history?format=csv', 404, /no quote stored for NOPE/],
  ])('answers %s with a JSON error', async (path, status, message) => {
    const res = await api().get(path).expect(status);

    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('documents the formats in the OpenAPI document', async () => {
    const doc = (await api().get('/docs/openapi.json').expect(200)).body;
    const history = doc.paths['/quotes/{symbol}/history'].get;

    expect(Object.keys(history.responses['200'].content)).toEqual(['application/json', 'text/csv', 'application/x-ndjson']);
    expect(history.parameters.find((p: { name: string }) => p.name === 'format').schema.enum).toEqual(['json', 'csv', 'ndjson']);
    expect(history.description).toMatch(/Accept: text\/csv/);
  });
});
