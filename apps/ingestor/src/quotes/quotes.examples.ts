/** Examples shown in the OpenAPI document at /docs. */
export const LATEST_EXAMPLE = {
  symbol: 'RELIANCE',
  series: 'EQ',
  price: 2945.35,
  high: 2961.35,
  low: 2931.1,
  quoteTime: '2024-09-16T10:29:47.000Z',
  insertedAt: '2024-09-16T10:30:01.412Z',
  source: 'latest-stock-price',
  ageSeconds: 14,
  stale: false,
};

export const HISTORY_EXAMPLE = {
  items: [
    { ...LATEST_EXAMPLE, ageSeconds: undefined, stale: undefined },
    { ...LATEST_EXAMPLE, price: 2944.9, quoteTime: '2024-09-16T10:28:47.000Z', insertedAt: '2024-09-16T10:29:01.120Z', ageSeconds: undefined, stale: undefined },
  ],
  nextCursor: 'eyJwayI6IkgjUkVMSUFOQ0UjRVEiLCJzayI6IjIwMjQtMDktMTZUMTA6Mjg6NDcuMDAwWiJ9',
};

export const CANDLES_EXAMPLE = {
  symbol: 'RELIANCE',
  series: 'EQ',
  source: 'latest-stock-price',
  interval: '5m',
  timeZone: 'Asia/Kolkata',
  candles: [{ time: '2024-09-16T10:25:00.000Z', open: 2944.1, high: 2961.35, low: 2931.1, close: 2945.35, count: 5 }],
};

/** The history route's answers by media type (JSON pages; the CSV and NDJSON exports). */
export const HISTORY_CONTENT = {
  'application/json': { schema: { example: HISTORY_EXAMPLE } },
  'text/csv': {
    schema: {
      type: 'string',
      example:
        'symbol,series,price,high,low,quoteTime,insertedAt,source,origin,interval\r\n' +
        '"NIFTY 50",,25383.75,25445.7,25336.2,2024-09-16T10:29:47.000Z,2024-09-16T10:30:01.412Z,latest-stock-price,,\r\n' +
        '"NIFTY 50",,25380.1,25380.1,25380.1,2024-09-16T10:28:00.000Z,2024-09-16T11:02:00.120Z,latest-stock-price,backfill,1m\r\n',
    },
  },
  'application/x-ndjson': {
    schema: {
      type: 'string',
      example:
        '{"symbol":"PEPE-USD","series":"pepe","price":0.00001812,"high":0.0000187,"low":0.0000176,' +
        '"quoteTime":"2024-09-16T10:29:47.000Z","insertedAt":"2024-09-16T10:30:01.412Z","source":"coingecko"}\n',
    },
  },
};
