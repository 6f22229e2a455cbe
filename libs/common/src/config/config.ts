import { validateCronExpression } from 'cron';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { PROVIDER_NAMES, SERIES_PATTERN, normaliseSymbol, type ProviderName } from '../quote/quote';
import { parseMarketHours, type MarketHours } from './market-hours';

/** Default RapidAPI host of each provider that is reached through RapidAPI. */
export const RAPIDAPI_HOSTS: Record<Exclude<ProviderName, 'demo'>, string> = {
  'latest-stock-price': 'latest-stock-price.p.rapidapi.com',
  'alpha-vantage': 'alpha-vantage.p.rapidapi.com',
  'yahoo-finance': 'apidojo-yahoo-finance-v1.p.rapidapi.com',
  coingecko: 'coingecko.p.rapidapi.com',
};

const int = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: `must be an integer between ${min} and ${max}` })
    .int(`must be an integer between ${min} and ${max}`)
    .min(min, `must be an integer between ${min} and ${max}`)
    .max(max, `must be an integer between ${min} and ${max}`)
    .default(fallback);

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .default(fallback);

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

// SQS queue names: 1-80 of [A-Za-z0-9_-]; DynamoDB table names: 3-255 of [A-Za-z0-9_.-].
const queueName = (fallback: string) =>
  z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, - or _').default(fallback);

const secretArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be the ARN of a Secrets Manager secret');

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

// a browser origin: scheme, host and optional port, nothing else (what the Origin header carries)
const isOrigin = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
  } catch {
    return false;
  }
};

const corsOrigins = list.transform((items, ctx) => {
  if (items.length === 1 && items[0] === '*') return '*' as const;
  for (const item of items) {
    if (!isOrigin(item)) {
      ctx.addIssue({ code: 'custom', message: `"${item}" is not an origin: give scheme, host and optional port without a path (e.g. https://desk.example.com), or * alone` });
    }
  }
  return items;
});

// Express "trust proxy": hops or addresses of trusted proxies; never `true`, which would let any
// client pick its own address (and so its rate-limit bucket) with an X-Forwarded-For header
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const isProxyAddress = (item: string) => {
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined) return false;
  const family = isIP(address);
  return family !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
};
const trustProxy = z.string().transform((text, ctx): false | number | string[] => {
  const value = text.trim().toLowerCase();
  if (value === 'false') return false;
  if (/^\d+$/.test(value) && Number(value) <= 10) return Number(value);
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length && items.every((item) => PROXY_NAMES.includes(item) || isProxyAddress(item))) return items;
  ctx.addIssue({
    code: 'custom',
    message: `must be false, a number of proxy hops (0-10), or proxy addresses/CIDR ranges (${PROXY_NAMES.join(', ')} allowed), e.g. 1 or 10.0.0.0/8`,
  });
  return z.NEVER;
});

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: int(1, 65535, 3000),
  PROCESSOR_PORT: int(1, 65535, 3001),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1').default('us-east-1'),
  AWS_ENDPOINT_URL: url.optional(),
  AWS_ENDPOINT_URL_SQS: url.optional(),
  AWS_ENDPOINT_URL_DYNAMODB: url.optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  QUEUE_NAME: queueName('quotes'),
  DLQ_NAME: queueName('quotes-dlq'),
  TABLE_NAME: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be 3-255 letters, digits, _ . or -').default('quotes'),
  MARKET_DATA_PROVIDER: list
    .pipe(z.array(z.enum(PROVIDER_NAMES, { message: `must be one or more of ${PROVIDER_NAMES.join(', ')}` })).min(1))
    .optional(),
  RAPIDAPI_KEY: z.string().optional(),
  RAPIDAPI_KEY_SECRET_ARN: secretArn.optional(),
  RAPIDAPI_HOST: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'must be a host name').optional(),
  RAPIDAPI_BASE_URL: url.optional(),
  SYMBOLS: list
    .transform((items, ctx) =>
      items.map((item) => {
        const symbol = normaliseSymbol(item);
        if (!symbol) ctx.addIssue({ code: 'custom', message: `"${item}" is not a valid symbol` });
        return symbol ?? item;
      }),
    )
    .optional(),
  INDICES: list.optional(),
  // a coin id becomes the stored series, so it must fit the series pattern
  COINGECKO_IDS: list
    .transform((items, ctx) =>
      items.map((item) => {
        const id = item.toLowerCase();
        if (!SERIES_PATTERN.test(id)) ctx.addIssue({ code: 'custom', message: `"${item}" is not a CoinGecko coin id (letters, digits, . _ -)` });
        return id;
      }),
    )
    .optional(),
  VS_CURRENCY: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.string().regex(/^[a-z]{2,10}$/, 'must be a currency code CoinGecko knows, e.g. usd, eur, btc'))
    .default('usd'),
  INGEST_CRON: z
    .string()
    .refine(
      (v) => v === 'off' || validateCronExpression(v).valid,
      'must be a cron expression (5 fields, or 6 with seconds first) or "off"',
    )
    .default('* * * * *'),
  INGEST_ON_START: bool(true),
  VISIBILITY_TIMEOUT_SECONDS: int(0, 43200, 60),
  MAX_RECEIVE_COUNT: int(1, 1000, 5),
  BATCH_SIZE: int(1, 10, 10),
  PROCESSOR_POLLERS: int(1, 4, 2),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000, 600),
  CORS_ORIGINS: corsOrigins.optional(),
  TRUST_PROXY: trustProxy.optional(),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_API_KEY_SECRET_ARN: secretArn.optional(),
  UPSTREAM_TIMEOUT_MS: int(100, 120_000, 10_000),
  UPSTREAM_MAX_ATTEMPTS: int(1, 10, 3),
  INGEST_BUDGET_MS: int(1_000, 600_000, 45_000),
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'must be json or pretty' }).optional(),
  HEALTH_MAX_MISSED_RUNS: int(1, 1000, 3),
  MARKET_HOURS: z
    .string()
    .transform((text, ctx) => {
      if (text === 'auto' || text === 'always') return text;
      const hours = parseMarketHours(text);
      if (typeof hours === 'string') {
        ctx.addIssue({ code: 'custom', message: hours });
        return z.NEVER;
      }
      return hours;
    })
    .default('auto'),
});

/** Every environment variable the apps read (deployment files are checked against this list). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

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
  table: { name: string };
  logging: {
    level: LogLevel;
    /** `json`: one object per line (production, Lambda); `pretty`: coloured lines for people (default locally). */
    format: 'json' | 'pretty';
  };
  health: {
    /** The ingestor is not ready when its last good run is older than this many schedule periods. */
    maxMissedRuns: number;
  };
  ingest: {
    providers: ProviderName[];
    cron: string | null;
    onStart: boolean;
    /** Time one run may spend on the upstream, retries included. */
    budgetMs: number;
    /** `auto`: each provider's exchange hours; `always`: never skip; or one window for all providers. */
    marketHours: 'auto' | 'always' | MarketHours;
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
 * that lists every invalid variable by name.
 */
export function parseConfig(env: Record<string, string | undefined>): QuoteflowConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = SECRET_VARIABLES.filter((name) => e[`${name}_SECRET_ARN`]).map(
    (name) => `${name}_SECRET_ARN: not resolved; load the configuration with loadConfig()`,
  );
  const providers = e.MARKET_DATA_PROVIDER ?? [e.RAPIDAPI_KEY ? 'latest-stock-price' : 'demo'];
  const perSymbol = providers.filter((p) => p === 'alpha-vantage' || p === 'yahoo-finance');
  if (perSymbol.length && !e.SYMBOLS?.length) {
    problems.push(`SYMBOLS: required by ${perSymbol.join(', ')} (they fetch listed symbols only)`);
  }
  if (providers.some((p) => p !== 'demo') && !e.RAPIDAPI_KEY) {
    problems.push(`RAPIDAPI_KEY: required by MARKET_DATA_PROVIDER=${providers.join(',')}`);
  }
  const viaRapidApi = [...new Set(providers)].filter((p) => p !== 'demo');
  if (e.RAPIDAPI_HOST && viaRapidApi.length > 1) {
    problems.push(`RAPIDAPI_HOST: one host cannot serve ${viaRapidApi.join(', ')}; unset it to use each provider's own host`);
  }
  if (problems.length) throw new ConfigError(problems);

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
    table: { name: e.TABLE_NAME },
    logging: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty') },
    health: { maxMissedRuns: e.HEALTH_MAX_MISSED_RUNS },
    ingest: {
      providers: [...new Set(providers)],
      cron: e.INGEST_CRON === 'off' ? null : e.INGEST_CRON,
      onStart: e.INGEST_ON_START,
      budgetMs: e.INGEST_BUDGET_MS,
      marketHours: e.MARKET_HOURS,
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

/** The secret values of a configuration (to mask wherever they might appear). */
export function secretValues(config: QuoteflowConfig): string[] {
  return [config.upstream.rapidApiKey, config.http.adminApiKey].filter((v): v is string => Boolean(v));
}

/** The configuration as it may be logged: every {@link secretValues} value replaced by `[set]` (an unset one is `null`). */
export function describeConfig(config: QuoteflowConfig): QuoteflowConfig {
  const secrets = new Set(secretValues(config));
  return JSON.parse(JSON.stringify(config), (_key, value: unknown) => (typeof value === 'string' && secrets.has(value) ? '[set]' : value));
}

/** Secrets a deployment may hand over as a Secrets Manager ARN in `<NAME>_SECRET_ARN` instead of as plain text. */
export const SECRET_VARIABLES = ['RAPIDAPI_KEY', 'ADMIN_API_KEY'] as const;

/**
 * Returns a copy of `env` in which every `<NAME>_SECRET_ARN` of {@link SECRET_VARIABLES} is replaced
 * by `<NAME>` holding the secret's value, read with `readSecret` (once, at start-up: a rotated secret
 * takes effect with the next process or Lambda container). Throws a {@link ConfigError} naming each
 * variable at fault; the message never contains a secret value.
 */
export async function resolveSecretReferences(
  env: Record<string, string | undefined>,
  readSecret: (arn: string) => Promise<string>,
): Promise<Record<string, string | undefined>> {
  const resolved = { ...env };
  const problems: string[] = [];
  await Promise.all(
    SECRET_VARIABLES.map(async (name) => {
      const reference = `${name}_SECRET_ARN`;
      const arn = env[reference]?.trim();
      if (!arn) return;
      delete resolved[reference];
      if (env[name]?.trim()) return problems.push(`${reference}: set either ${reference} or ${name}, not both`);
      if (!secretArn.safeParse(arn).success) return problems.push(`${reference}: must be the ARN of a Secrets Manager secret`);
      try {
        const value = (await readSecret(arn)).trim();
        if (!value) return problems.push(`${reference}: the secret is empty`);
        resolved[name] = value;
      } catch (err) {
        problems.push(`${reference}: cannot read the secret (${err instanceof Error ? err.name : 'error'})`);
      }
    }),
  );
  if (problems.length) throw new ConfigError(problems.sort());
  return resolved;
}
