import { ConfigError } from '../errors';
import { parseConfig } from './config';

// each variable's format, as parseConfig reports it (see env.schema.ts, env-values.ts)
describe('environment variables', () => {
  it('reads CORS_ORIGINS as a list of origins, or * alone', () => {
    expect(parseConfig({ CORS_ORIGINS: 'https://desk.example.com, http://localhost:5173' }).http.corsOrigins).toEqual([
      'https://desk.example.com',
      'http://localhost:5173',
    ]);
    expect(parseConfig({ CORS_ORIGINS: '*' }).http.corsOrigins).toBe('*');
  });

  it.each(['https://desk.example.com/', 'https://desk.example.com/app', 'desk.example.com', 'ftp://desk.example.com', 'https://a.example.com,*'])(
    'refuses CORS_ORIGINS=%s, naming the variable',
    (value) => {
      expect(() => parseConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS: .* is not an origin/);
    },
  );

  it.each([
    ['false', false],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 172.16.0.1 ,fd00::/8', ['10.0.0.0/8', '172.16.0.1', 'fd00::/8']],
  ])('reads TRUST_PROXY=%s', (value, expected) => {
    expect(parseConfig({ TRUST_PROXY: value }).http.trustProxy).toEqual(expected);
  });

  it.each(['true', '11', '10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/1'])('refuses TRUST_PROXY=%s, naming the variable', (value) => {
    expect(() => parseConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: must be false, a number of proxy hops/);
  });

  it('keeps history forever unless HISTORY_RETENTION_DAYS is set to a number of days', () => {
    expect(parseConfig({}).table.historyRetentionDays).toBeNull();
    expect(parseConfig({ HISTORY_RETENTION_DAYS: '' }).table.historyRetentionDays).toBeNull();
    expect(parseConfig({ HISTORY_RETENTION_DAYS: '90' }).table.historyRetentionDays).toBe(90);
  });

  it.each(['0', '-1', '1.5', 'forever', '36501'])('refuses HISTORY_RETENTION_DAYS=%s, naming the variable', (value) => {
    expect(() => parseConfig({ HISTORY_RETENTION_DAYS: value })).toThrow(/HISTORY_RETENTION_DAYS: must be an integer between 1 and 36500/);
  });

  it('reads the quality thresholds, decimals allowed, 50 bps and 1 day range unless set', () => {
    expect(parseConfig({}).quality).toEqual({ divergenceBps: 50, jumpDayRanges: 1 });
    expect(parseConfig({ QUALITY_DIVERGENCE_BPS: '12.5', QUALITY_JUMP_DAY_RANGES: '2.5' }).quality).toEqual({ divergenceBps: 12.5, jumpDayRanges: 2.5 });
  });

  it.each([
    ['QUALITY_DIVERGENCE_BPS', 'wide', 'must be a number between 0.1 and 20000'],
    ['QUALITY_DIVERGENCE_BPS', '0', 'must be a number between 0.1 and 20000'],
    ['QUALITY_DIVERGENCE_BPS', '20001', 'must be a number between 0.1 and 20000'],
    ['QUALITY_JUMP_DAY_RANGES', '-1', 'must be a number between 0.1 and 100'],
    ['QUALITY_JUMP_DAY_RANGES', 'Infinity', 'must be a number between 0.1 and 100'],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(expect.objectContaining({ problems: [`${name}: ${message}`] }));
  });

  it('treats empty variables as unset', () => {
    expect(parseConfig({ PORT: '', RAPIDAPI_KEY: ' ' }).http.port).toBe(3000);
  });

  it('accepts 6-field cron expressions with seconds', () => {
    expect(parseConfig({ INGEST_CRON: '*/5 * * * * *' }).ingest.cron).toBe('*/5 * * * * *');
  });

  it('names every invalid variable in one error', () => {
    const parse = () =>
      parseConfig({
        PORT: 'abc',
        BATCH_SIZE: '11',
        INGEST_CRON: 'every minute',
        MARKET_DATA_PROVIDER: 'bloomberg',
        RAPIDAPI_BASE_URL: 'ftp://x',
        TABLE_NAME: 'q',
      });

    expect(parse).toThrow(ConfigError);
    const problems = (() => {
      try {
        parse();
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    })();
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(
      ['BATCH_SIZE', 'INGEST_CRON', 'MARKET_DATA_PROVIDER', 'PORT', 'RAPIDAPI_BASE_URL', 'TABLE_NAME'].sort(),
    );
    expect(problems.find((p) => p.startsWith('BATCH_SIZE'))).toBe('BATCH_SIZE: must be an integer between 1 and 10');
  });

  it('refuses a coin id or currency CoinGecko cannot have, naming the variable', () => {
    expect(() => parseConfig({ COINGECKO_IDS: 'bitcoin,bit coin', VS_CURRENCY: 'us dollar' })).toThrow(
      expect.objectContaining({
        problems: [
          'COINGECKO_IDS: "bit coin" is not a CoinGecko coin id (letters, digits, . _ -)',
          'VS_CURRENCY: must be a currency code CoinGecko knows, e.g. usd, eur, btc',
        ],
      }),
    );
  });

  it('never puts the key in an error message', () => {
    expect(() => parseConfig({ RAPIDAPI_KEY: 'secret-key-value', PORT: '0' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-key-value') }),
    );
  });
});
