import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { ConfigError } from '../errors';
import { PROVIDER_NAMES, SERIES_PATTERN, normaliseSymbol } from '../quote/quote';
import { bool, callsPerHour, corsOrigins, decimal, int, list, optionalInt, queueName, secretArn, trustProxy, url } from './env-values';
import { parseMarketHours } from './market-hours';
import { parseProviderChains } from './provider-chains';

/** pino's levels, most severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * History calls a backfill may make per provider and hour, unless `BACKFILL_CALLS_PER_HOUR` says
 * otherwise. They fit the free plans beside the live calls: Alpha Vantage allows 25 calls a day in
 * all (one an hour leaves one for the live path), CoinGecko about 30 a minute (two a minute is a
 * small share), Yahoo Finance on RapidAPI a few hundred a month on its basic plan.
 */
export const DEFAULT_BACKFILL_CALLS_PER_HOUR = { 'alpha-vantage': 1, 'yahoo-finance': 10, coingecko: 120 } as const;
export type HistoryProviderName = keyof typeof DEFAULT_BACKFILL_CALLS_PER_HOUR;

/** Receive loops one processor process may run (`PROCESSOR_POLLERS`). */
export const PROCESSOR_POLLERS_RANGE = { min: 1, max: 4, fallback: 2 } as const;

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
  // unset = history is kept forever; 36500 days is about a century
  HISTORY_RETENTION_DAYS: optionalInt(1, 36500),
  // comma-separated items, each called every run; `>` inside an item orders a failover chain
  MARKET_DATA_PROVIDER: z
    .string()
    .transform((text, ctx) => {
      const parsed = parseProviderChains(text);
      if ('chains' in parsed) return parsed.chains;
      parsed.problems.forEach((message) => ctx.addIssue({ code: 'custom', message }));
      return z.NEVER;
    })
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
  // backfill from the providers' history endpoints (see the README's Backfill section)
  BACKFILL_CRON: z
    .string()
    .refine((v) => v === 'off' || validateCronExpression(v).valid, 'must be a cron expression (5 fields, or 6 with seconds first) or "off"')
    .default('*/15 * * * *'),
  BACKFILL_ON_START: bool(true),
  BACKFILL_MAX_DAYS: int(1, 30, 5),
  BACKFILL_CALLS_PER_HOUR: callsPerHour
    .superRefine((budget, ctx) => {
      for (const name of Object.keys(budget)) {
        if (!(name in DEFAULT_BACKFILL_CALLS_PER_HOUR)) {
          const known = (PROVIDER_NAMES as readonly string[]).includes(name) ? 'has no history endpoint' : 'is not a provider';
          ctx.addIssue({ code: 'custom', message: `${name} ${known}; budgets apply to ${Object.keys(DEFAULT_BACKFILL_CALLS_PER_HOUR).join(', ')}` });
        }
      }
    })
    .optional(),
  VISIBILITY_TIMEOUT_SECONDS: int(0, 43200, 60),
  MAX_RECEIVE_COUNT: int(1, 1000, 5),
  BATCH_SIZE: int(1, 10, 10),
  PROCESSOR_POLLERS: int(PROCESSOR_POLLERS_RANGE.min, PROCESSOR_POLLERS_RANGE.max, PROCESSOR_POLLERS_RANGE.fallback),
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
  // unset = no CloudWatch figures (embedded metric format on stdout); the CDK stacks set it
  CLOUDWATCH_METRICS_NAMESPACE: z
    .string()
    .regex(/^(?!AWS\/)[A-Za-z0-9.\-_/#: ]{1,255}$/, 'must be a CloudWatch namespace (letters, digits, . - _ / # : and spaces, not starting with AWS/)')
    .optional(),
  HEALTH_MAX_MISSED_RUNS: int(1, 1000, 3),
  // 20000 bps is the most two positive prices can differ by, measured against their mid
  QUALITY_DIVERGENCE_BPS: decimal(0.1, 20_000, 50),
  QUALITY_JUMP_DAY_RANGES: decimal(0.1, 100, 1),
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

/** The environment variables after checking: each converted to its type, defaults filled in. */
export type Env = z.output<typeof envSchema>;

/**
 * Checks each variable of `env` on its own (empty strings count as unset). Throws a
 * {@link ConfigError} that lists every invalid variable by name.
 */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  }
  return parsed.data;
}
