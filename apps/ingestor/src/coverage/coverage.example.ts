/** The OpenAPI example of `GET /quotes/:symbol/coverage`. */
export const COVERAGE_EXAMPLE = {
  symbol: 'TCS',
  series: 'EQ',
  source: 'latest-stock-price',
  date: '2026-11-23',
  exchange: 'NSE',
  timeZone: 'Asia/Kolkata',
  schedule: 'NSE calendar v1 (2026; Mon-Fri 09:15-15:30 Asia/Kolkata)',
  sessions: [{ open: '2026-11-23T03:45:00.000Z', close: '2026-11-23T10:00:00.000Z' }],
  expected: 375,
  stored: 372,
  unchanged: 1,
  covered: 373,
  ratio: 0.9947,
  gaps: [
    { from: '2026-11-23T05:00:00.000Z', to: '2026-11-23T05:01:00.000Z', minutes: 1 },
    { from: '2026-11-23T07:15:00.000Z', to: '2026-11-23T07:16:00.000Z', minutes: 1 },
  ],
  complete: true,
  holiday: null,
};
