import { quoteFactory } from '../../../../test/support/factories';
import { csvField, csvRecord, decimalText, exportChunks, firstPageRead, ndjsonLine } from './quote-export';

const stored = (overrides: Parameters<typeof quoteFactory>[0] = {}) => ({ ...quoteFactory(overrides), insertedAt: '2024-09-16T10:30:01.412Z' });

async function* pagesOf<T>(pages: T[][], read: number[] = []): AsyncGenerator<T[]> {
  for (const [i, page] of pages.entries()) {
    read.push(i);
    yield page;
  }
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

describe('quote export', () => {
  it.each([
    [2945.35, '2945.35'],
    [0.00001812, '0.00001812'],
    [123456.789012, '123456.789012'],
    [1e-7, '0.0000001'],
    [1.5e-9, '0.0000000015'],
    [-2.5e-7, '-0.00000025'],
    [1e21, '1000000000000000000000'],
    [1.234e22, '12340000000000000000000'],
    [42, '42'],
  ])('writes %p as the plain decimal %s', (value, text) => {
    expect(decimalText(value)).toBe(text);
    expect(Number(decimalText(value))).toBe(value);
  });

  it('quotes CSV fields holding a comma, quote, line break or space, as RFC 4180 says', () => {
    expect(['RELIANCE', 'NIFTY 50', 'A,B', 'say "hi"', 'two\nlines', ''].map(csvField)).toEqual([
      'RELIANCE',
      '"NIFTY 50"',
      '"A,B"',
      '"say ""hi"""',
      '"two\nlines"',
      '',
    ]);
  });

  it('writes a CSV record with empty fields for a missing series, high and low', () => {
    const q = stored({ symbol: 'NIFTY 50', series: null, price: 25383.75, high: null, low: null });

    expect(csvRecord(q)).toBe('"NIFTY 50",,25383.75,,,2024-09-16T10:29:47.000Z,2024-09-16T10:30:01.412Z,latest-stock-price,,\r\n');
  });

  it('writes an NDJSON line that parses to the JSON history item, digits as stored', () => {
    const q = stored({ symbol: 'PEPE-USD', series: 'pepe', price: 1e-7, high: 0.0000187, low: null, source: 'coingecko' });
    const line = ndjsonLine(q);

    expect(line).toBe(
      '{"symbol":"PEPE-USD","series":"pepe","price":0.0000001,"high":0.0000187,"low":null,' +
        '"quoteTime":"2024-09-16T10:29:47.000Z","insertedAt":"2024-09-16T10:30:01.412Z","source":"coingecko"}\n',
    );
    expect(JSON.parse(line)).toEqual(JSON.parse(JSON.stringify(q)));
  });

  it('sends the CSV header first, then one chunk per page', async () => {
    const chunks = await collect(exportChunks('csv', pagesOf([[stored()], [stored({ price: 2944.9 }), stored({ price: 2944 })]])));

    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toBe('symbol,series,price,high,low,quoteTime,insertedAt,source,origin,interval\r\n');
    expect(chunks.slice(1).map((c) => c.split('\r\n').length - 1)).toEqual([1, 2]);
    expect(await collect(exportChunks('ndjson', pagesOf([])))).toEqual([]);
  });

  it('reads the first page up front and the rest only when asked', async () => {
    const read: number[] = [];
    const pages = await firstPageRead(pagesOf([[1], [2], [3]], read));

    expect(read).toEqual([0]);
    const first = await pages.next();
    expect([first.value, read]).toEqual([[1], [0]]);
    await pages.next();
    expect(read).toEqual([0, 1]);
  });

  it('passes on a failure of the first page before anything is sent', async () => {
    async function* failing(): AsyncGenerator<number[]> {
      throw new Error('table unreachable');
    }

    await expect(firstPageRead(failing())).rejects.toThrow('table unreachable');
  });
});

describe('export labels', () => {
  it('carries origin and interval of a backfilled bar in CSV and NDJSON, as the JSON history item does', () => {
    const bar = { symbol: 'MSFT', series: null, price: 410.37, high: 411, low: 409.5, quoteTime: '2026-11-02T14:30:00.000Z', insertedAt: '2026-11-02T16:00:00.000Z', source: 'alpha-vantage' as const, origin: 'backfill' as const, interval: '1m' as const };

    expect(csvRecord(bar)).toBe('MSFT,,410.37,411,409.5,2026-11-02T14:30:00.000Z,2026-11-02T16:00:00.000Z,alpha-vantage,backfill,1m\r\n');
    expect(JSON.parse(ndjsonLine(bar))).toStrictEqual(bar);
  });
});
