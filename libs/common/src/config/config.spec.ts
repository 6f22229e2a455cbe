import { ConfigError } from '../errors';
import { describeConfig, parseConfig } from './config';
import { loadConfig } from './config.module';

describe('parseConfig', () => {
  it('runs the demo provider locally when no RapidAPI key is set', () => {
    const config = parseConfig({});

    expect(config.ingest.providers).toEqual(['demo']);
    expect(config.ingest.cron).toBe('* * * * *');
    expect(config.http).toMatchObject({ port: 3000, processorPort: 3001, rateLimitPerMinute: 600, adminApiKey: null });
    expect(config.queue).toEqual({ name: 'quotes', dlqName: 'quotes-dlq', visibilityTimeoutSeconds: 60, maxReceiveCount: 5, batchSize: 10, pollers: 2 });
    expect(config.table.name).toBe('quotes');
    expect(config.aws).toEqual({ region: 'us-east-1', sqsEndpoint: null, dynamodbEndpoint: null, placeholderCredentials: false });
  });

  it('keeps CORS closed and trusts no proxy by default', () => {
    expect(parseConfig({}).http).toMatchObject({ corsOrigins: [], trustProxy: false });
  });

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

  it('switches to latest-stock-price when a key is set', () => {
    expect(parseConfig({ RAPIDAPI_KEY: 'k' }).ingest.providers).toEqual(['latest-stock-price']);
  });

  it('reads lists, symbols and the service endpoints', () => {
    const config = parseConfig({
      MARKET_DATA_PROVIDER: 'latest-stock-price, demo',
      RAPIDAPI_KEY: 'k',
      SYMBOLS: 'reliance, tcs ,NIFTY 50',
      INDICES: 'NIFTY 50,NIFTY BANK',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000',
      INGEST_CRON: 'off',
    });

    expect(config.ingest).toMatchObject({ providers: ['latest-stock-price', 'demo'], cron: null });
    expect(config.upstream).toMatchObject({ symbols: ['RELIANCE', 'TCS', 'NIFTY 50'], indices: ['NIFTY 50', 'NIFTY BANK'] });
    expect(config.aws).toMatchObject({
      sqsEndpoint: 'http://127.0.0.1:4566',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      placeholderCredentials: true,
    });
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

  it('reads the coingecko settings: coin ids, and the currency in lower case', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko', RAPIDAPI_KEY: 'k', COINGECKO_IDS: 'bitcoin, Pepe ,bitcoin', VS_CURRENCY: 'EUR' });

    expect(config.ingest.providers).toEqual(['latest-stock-price', 'coingecko']);
    expect(config.upstream).toMatchObject({ coingeckoIds: ['bitcoin', 'pepe'], vsCurrency: 'eur' });
  });

  it('fetches the top coins in usd by default', () => {
    expect(parseConfig({}).upstream).toMatchObject({ coingeckoIds: null, vsCurrency: 'usd' });
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

  it('refuses one RAPIDAPI_HOST for several RapidAPI providers', () => {
    expect(() => parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko', RAPIDAPI_KEY: 'k', RAPIDAPI_HOST: 'x.p.rapidapi.com' })).toThrow(
      /RAPIDAPI_HOST: one host cannot serve latest-stock-price, coingecko/,
    );
  });

  it('needs a key for a RapidAPI provider', () => {
    expect(() => parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price' })).toThrow(/RAPIDAPI_KEY: required/);
  });

  it('describes itself for the log with each secret as [set] or null, and everything else as it is', () => {
    const config = parseConfig({ RAPIDAPI_KEY: 'rapid-key-value-123', PORT: '3100' });

    const described = describeConfig(config);

    expect(described.upstream.rapidApiKey).toBe('[set]');
    expect(described.http.adminApiKey).toBeNull();
    expect(JSON.stringify(described)).not.toContain('rapid-key-value-123');
    expect({ ...described, upstream: { ...described.upstream, rapidApiKey: config.upstream.rapidApiKey } }).toEqual(JSON.parse(JSON.stringify(config)));
  });

  it('never puts the key in an error message', () => {
    expect(() => parseConfig({ RAPIDAPI_KEY: 'secret-key-value', PORT: '0' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-key-value') }),
    );
  });
});

describe('loadConfig with secret references', () => {
  const rapidApiArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/rapidapi-key-AbCdEf';
  const adminArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:quoteflow/admin-key-GhIjKl';
  const secrets: Record<string, string> = { [rapidApiArn]: 'rapidapi-secret-value\n', [adminArn]: 'admin-secret-value-0123456789' };
  const readSecret = async (arn: string) => {
    if (!(arn in secrets)) throw Object.assign(new Error(`no secret ${arn}`), { name: 'ResourceNotFoundException' });
    return secrets[arn];
  };

  it('reads each <NAME>_SECRET_ARN from the secret store into <NAME>', async () => {
    const config = await loadConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn, ADMIN_API_KEY_SECRET_ARN: adminArn, NODE_ENV: 'production' }, readSecret);

    expect(config.upstream.rapidApiKey).toBe('rapidapi-secret-value');
    expect(config.http.adminApiKey).toBe('admin-secret-value-0123456789');
    expect(config.ingest.providers).toEqual(['latest-stock-price']);
  });

  it('asks the secret store nothing when no reference is set', async () => {
    const config = await loadConfig({ RAPIDAPI_KEY: 'plain' }, async () => Promise.reject(new Error('must not be called')));

    expect(config.upstream.rapidApiKey).toBe('plain');
  });

  it('refuses a secret given both ways, naming the variable', async () => {
    await expect(loadConfig({ RAPIDAPI_KEY: 'plain', RAPIDAPI_KEY_SECRET_ARN: rapidApiArn }, readSecret)).rejects.toThrow(
      /RAPIDAPI_KEY_SECRET_ARN: set either RAPIDAPI_KEY_SECRET_ARN or RAPIDAPI_KEY, not both/,
    );
  });

  it('names the reference it could not read or that is no secret ARN, and never a secret value', async () => {
    const missing = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:gone-XyZ123';

    const error = await loadConfig({ RAPIDAPI_KEY_SECRET_ARN: missing, ADMIN_API_KEY_SECRET_ARN: 'admin-secret-value-0123456789' }, readSecret).catch(
      (err: unknown) => err,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'ADMIN_API_KEY_SECRET_ARN: must be the ARN of a Secrets Manager secret',
      'RAPIDAPI_KEY_SECRET_ARN: cannot read the secret (ResourceNotFoundException)',
    ]);
  });

  it('refuses an empty secret', async () => {
    await expect(loadConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn }, async () => '  ')).rejects.toThrow(/RAPIDAPI_KEY_SECRET_ARN: the secret is empty/);
  });

  it('does not let parseConfig pass over a reference nobody resolved', () => {
    expect(() => parseConfig({ RAPIDAPI_KEY_SECRET_ARN: rapidApiArn })).toThrow(/RAPIDAPI_KEY_SECRET_ARN: not resolved/);
  });
});
