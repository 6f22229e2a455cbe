import { parseConfig } from './config';

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

  it('reads the coingecko settings: coin ids, and the currency in lower case', () => {
    const config = parseConfig({ MARKET_DATA_PROVIDER: 'latest-stock-price,coingecko', RAPIDAPI_KEY: 'k', COINGECKO_IDS: 'bitcoin, Pepe ,bitcoin', VS_CURRENCY: 'EUR' });

    expect(config.ingest.providers).toEqual(['latest-stock-price', 'coingecko']);
    expect(config.upstream).toMatchObject({ coingeckoIds: ['bitcoin', 'pepe'], vsCurrency: 'eur' });
  });

  it('fetches the top coins in usd by default', () => {
    expect(parseConfig({}).upstream).toMatchObject({ coingeckoIds: null, vsCurrency: 'usd' });
  });
});
