import type { ProviderName } from '../quote/quote';
import { ConfigError } from '../errors';
import { DEFAULT_BACKFILL_CALLS_PER_HOUR, parseEnv, type HistoryProviderName, type LogLevel } from './env.schema';
import type { MarketHours } from './market-hours';
import { SECRET_VARIABLES } from './secrets';

/** The validated configuration of both apps. Built once from the environment by {@link parseConfig}. */
export interface QuoteflowConfig {
  production: boolean;
  http: {
    port: number;
    processorPort: number;
    /** Requests per client address and minute; 0 = no limit. */
    rateLimitPerMinute: number;
    adminApiKey: string | null;
    /** Origins browsers may call the API from; `[]` = no CORS headers at all, `'*'` = any origin. */
    corsOrigins: string[] | '*';
    /** Express `trust proxy`: which proxies' `X-Forwarded-For` names the client; `false` = the socket's peer is the client. */
    trustProxy: false | number | string[];
  };
  aws: {
    region: string;
    sqsEndpoint: string | null;
    dynamodbEndpoint: string | null;
    /** Emulator endpoints and no credentials in the environment: sign with placeholder keys. */
    placeholderCredentials: boolean;
  };
  queue: {
    name: string;
    dlqName: string;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
    batchSize: number;
    /** Receive loops of one processor process: while one waits on SQS or DynamoDB, another works. */
    pollers: number;
  };
  table: {
    name: string;
    /** Days a history item is kept after its quoteTime (a DynamoDB TTL); `null` = forever. Latest items never expire. */
    historyRetentionDays: number | null;
  };
  logging: {
    level: LogLevel;
    /** `json`: one object per line (production, Lambda); `pretty`: coloured lines for people (default locally). */
    format: 'json' | 'pretty';
  };
  /** Where the apps' figures go besides `/metrics`. */
  metrics: {
    /** CloudWatch namespace of the embedded-metric-format figures; `null` = none are written. */
    cloudWatchNamespace: string | null;
  };
  health: {
    /** The ingestor is not ready when its last good run is older than this many schedule periods. */
    maxMissedRuns: number;
  };
  /** Cross-provider quality: when a quote is flagged as an outlier (it is never changed or dropped). */
  quality: {
    /** A source further than this from the other sources' median, in basis points of the mid. */
    divergenceBps: number;
    /** A move from the source's previous price larger than this many day ranges (high - low). */
    jumpDayRanges: number;
  };
  ingest: {
    /** Every configured provider once, in `MARKET_DATA_PROVIDER` order (the chains flattened). */
    providers: ProviderName[];
    /**
     * One entry per comma-separated item of `MARKET_DATA_PROVIDER`, each called every run: the
     * providers of a failover chain in the order they are tried (one provider = a chain of one).
     */
    chains: ProviderName[][];
    cron: string | null;
    onStart: boolean;
    /** Time one run may spend on the upstream, retries included. */
    budgetMs: number;
    /** `auto`: each provider's exchange hours; `always`: never skip; or one window for all providers. */
    marketHours: 'auto' | 'always' | MarketHours;
  };
  backfill: {
    /** Scheduled pass over older gaps; `null` = none (start-up, the admin route and the CLI still work). */
    cron: string | null;
    /** A pass at start-up, for the time the ingestor was down. */
    onStart: boolean;
    /** How far back an automatic pass looks when an instrument has no watermark yet (and at most). */
    maxDays: number;
    /** History calls per provider and hour, across restarts and instances; 0 = no backfill from it. */
    callsPerHour: Record<HistoryProviderName, number>;
  };
  upstream: {
    /** Secret: never log it, never return it. */
    rapidApiKey: string | null;
    rapidApiHost: string | null;
    baseUrl: string | null;
    symbols: string[] | null;
    indices: string[];
    /** coingecko: coin ids to fetch (lower case); `null` = the top 50 by market cap. */
    coingeckoIds: string[] | null;
    /** coingecko: the currency prices are quoted in, lower case (`usd`); stored symbols end in it (`BTC-USD`). */
    vsCurrency: string;
    /** Per attempt, connecting included. */
    timeoutMs: number;
    /** Attempts per call for timeouts, network errors and 5xx answers. */
    maxAttempts: number;
  };
}

/**
 * Parses and checks the environment once. Empty strings count as unset. Throws a {@link ConfigError}
 * that lists every invalid variable by name. Checks that concern one app only (e.g. what a
 * market-data provider needs) are that app's: the processor has no use for `SYMBOLS`.
 */
export function parseConfig(env: Record<string, string | undefined>): QuoteflowConfig {
  const e = parseEnv(env);
  const unresolved = SECRET_VARIABLES.filter((name) => e[`${name}_SECRET_ARN`]).map(
    (name) => `${name}_SECRET_ARN: not resolved; load the configuration with loadConfig()`,
  );
  if (unresolved.length) throw new ConfigError(unresolved);

  const chains = e.MARKET_DATA_PROVIDER ?? [[e.RAPIDAPI_KEY ? 'latest-stock-price' : 'demo']];
  const sqsEndpoint = e.AWS_ENDPOINT_URL_SQS ?? e.AWS_ENDPOINT_URL ?? null;
  const dynamodbEndpoint = e.AWS_ENDPOINT_URL_DYNAMODB ?? e.AWS_ENDPOINT_URL ?? null;
  return {
    production: e.NODE_ENV === 'production',
    http: {
      port: e.PORT,
      processorPort: e.PROCESSOR_PORT,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      adminApiKey: e.ADMIN_API_KEY ?? null,
      corsOrigins: e.CORS_ORIGINS ?? [],
      trustProxy: e.TRUST_PROXY ?? false,
    },
    aws: {
      region: e.AWS_REGION,
      sqsEndpoint,
      dynamodbEndpoint,
      placeholderCredentials: !e.AWS_ACCESS_KEY_ID && Boolean(sqsEndpoint || dynamodbEndpoint),
    },
    queue: {
      name: e.QUEUE_NAME,
      dlqName: e.DLQ_NAME,
      visibilityTimeoutSeconds: e.VISIBILITY_TIMEOUT_SECONDS,
      maxReceiveCount: e.MAX_RECEIVE_COUNT,
      batchSize: e.BATCH_SIZE,
      pollers: e.PROCESSOR_POLLERS,
    },
    table: { name: e.TABLE_NAME, historyRetentionDays: e.HISTORY_RETENTION_DAYS ?? null },
    logging: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty') },
    metrics: { cloudWatchNamespace: e.CLOUDWATCH_METRICS_NAMESPACE ?? null },
    health: { maxMissedRuns: e.HEALTH_MAX_MISSED_RUNS },
    quality: { divergenceBps: e.QUALITY_DIVERGENCE_BPS, jumpDayRanges: e.QUALITY_JUMP_DAY_RANGES },
    ingest: {
      // the parser refuses a provider named twice, so the flat list has each once
      providers: chains.flat(),
      chains,
      cron: e.INGEST_CRON === 'off' ? null : e.INGEST_CRON,
      onStart: e.INGEST_ON_START,
      budgetMs: e.INGEST_BUDGET_MS,
      marketHours: e.MARKET_HOURS,
    },
    backfill: {
      cron: e.BACKFILL_CRON === 'off' ? null : e.BACKFILL_CRON,
      onStart: e.BACKFILL_ON_START,
      maxDays: e.BACKFILL_MAX_DAYS,
      callsPerHour: { ...DEFAULT_BACKFILL_CALLS_PER_HOUR, ...(e.BACKFILL_CALLS_PER_HOUR as Partial<Record<HistoryProviderName, number>>) },
    },
    upstream: {
      rapidApiKey: e.RAPIDAPI_KEY ?? null,
      rapidApiHost: e.RAPIDAPI_HOST ?? null,
      baseUrl: e.RAPIDAPI_BASE_URL ?? null,
      symbols: e.SYMBOLS ?? null,
      indices: e.INDICES ?? [],
      coingeckoIds: e.COINGECKO_IDS?.length ? [...new Set(e.COINGECKO_IDS)] : null,
      vsCurrency: e.VS_CURRENCY,
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      maxAttempts: e.UPSTREAM_MAX_ATTEMPTS,
    },
  };
}
