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
