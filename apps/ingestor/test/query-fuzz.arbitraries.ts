import fc from 'fast-check';

// ---- what an attacker or a broken client sends -----------------------------------------------

const INJECTIONS = [
  "' OR '1'='1",
  "TCS'; DROP TABLE quotes; --",
  '{"$gt":""}',
  '{"$ne":null}',
  '[$ne]=1',
  'attribute_exists(pk)',
  'pk = :pk OR begins_with(pk, :p)',
  '#pk',
  ':pk',
  'H#TCS#EQ',
  'L#TCS',
  'LEASE#ingest',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'toString',
  '\u0000',
  'TCS\r\nSet-Cookie: a=b',
  '\ud83d\ude80',
  'ＴＣＳ',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  ' ',
  '',
];

// already percent-encoded fragments, sent as they are: bad escapes, NUL, CRLF, encoded traversal, overlong UTF-8
const RAW = ['%', '%zz', '%00', '%0d%0a', '%2e%2e%2f%2e%2e%2f', '..%2f..%2f', '%c0%af', '%ff%fe', '%u0041', '%252e', '%E2%80%AE'];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 3, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  // huge: up to 12 kB as sent (Node refuses a request head over 16 kB with 431 before any app code)
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 12_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 800 }).map((n) => '\u00e9\u20ac'.repeat(n)) },
);

const symbol = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('TCS', 'tcs', 'RELIANCE', 'NIFTY 50', 'BTC-USD', 'NOPE', 'M&M', 'A', 'BAJAJ-AUTO') },
  { weight: 4, arbitrary: text },
);

const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2024-02-30', '2024-13-01', '2024-09-16T24:00:00Z', '2024-09-16T10:29:47+25:00', '-000001-01-01', '+275760-09-13T00:00:00.000Z', '0000-01-01', '9999-12-31T23:59:59.999Z'),
  text,
);

const number = fc.oneof(fc.integer({ min: -5, max: 600 }), fc.integer(), fc.double()).map(String);

export const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const cursor = (real: string[]) =>
  fc.oneof(
    fc.constantFrom(...real),
    fc.json().map(base64url),
    fc.record({ pk: fc.constantFrom('H#TCS#EQ', 'H#TCS#-', 'L#TCS', 'LEASE#ingest'), sk: fc.oneof(date, text) }).map(base64url),
    fc.record({ pk: fc.constant('L#TCS'), sk: fc.constant('EQ'), gsi1pk: fc.oneof(fc.constant('LATEST'), text), gsi1sk: text }).map(base64url),
    fc.record({ pk: fc.constant('H#TCS#EQ'), sk: date, extra: fc.oneof(text, fc.object()) }).map(base64url),
    text,
  );

const queryValue = (real: string[]) => ({
  from: date,
  to: date,
  limit: number,
  cursor: cursor(real),
  series: fc.oneof(fc.constantFrom('EQ', 'BE', 'pepe', '-', '.'), text),
  interval: fc.oneof(fc.constantFrom('1m', '5m', '15m', '1h', '1d', '1w', '0m', '1M'), text),
  symbols: fc.oneof(fc.array(symbol, { maxLength: 60 }).map((s) => s.join(',')), text),
  // unknown or odd keys: refused by the validation pipe
  odd: text,
});

type Param = keyof ReturnType<typeof queryValue>;
const ODD_KEYS = ['colour', '$where', '__proto__', 'from[$gt]', 'limit[]', 'TableName', 'constructor', 'symbols[]'];

/** A query string of some of `params` (each maybe repeated, maybe raw-encoded garbage), in random order. */
const queryOf = (params: Param[], real: string[]) => {
  const values = queryValue(real);
  const entry = fc.oneof(
    ...params.map((name) =>
      name === 'odd'
        ? fc.tuple(fc.constantFrom(...ODD_KEYS), values.odd).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
        : fc.tuple(fc.constant(name), values[name]).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
    ),
    fc.constantFrom(...RAW).map((raw) => `${params[0]}=${raw}`),
  );
  return fc.array(entry, { maxLength: 5 }).map((entries) => (entries.length ? `?${entries.join('&')}` : ''));
};

/** A path segment: usually a URL-encoded string, sometimes raw escape garbage around it. */
const segment = fc.oneof(
  { weight: 5, arbitrary: symbol.map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.tuple(symbol, fc.constantFrom(...RAW)).map(([s, raw]) => `${encodeURIComponent(s)}${raw}`) },
);

/** GET paths of every query route, with `real` (cursors the app handed out) among the cursors. */
export const requests = (real: string[]) =>
  fc.oneof(
    segment.map((s) => `/quotes/${s}${''}`),
    fc.tuple(segment, queryOf(['series', 'odd'], real)).map(([s, q]) => `/quotes/${s}${q}`),
    fc.tuple(segment, queryOf(['from', 'to', 'limit', 'cursor', 'series', 'odd'], real)).map(([s, q]) => `/quotes/${s}/history${q}`),
    fc.tuple(segment, queryOf(['interval', 'from', 'to', 'series', 'odd'], real)).map(([s, q]) => `/quotes/${s}/candles${q}`),
    queryOf(['symbols', 'limit', 'cursor', 'odd'], real).map((q) => `/quotes${q}`),
    queryOf(['odd'], real).map((q) => `/symbols${q}`),
    queryOf(['symbols', 'odd'], real).map((q) => `/quotes/stream${q}`),
    fc.tuple(segment, segment).map(([a, b]) => `/quotes/${a}/${b}`),
  );
