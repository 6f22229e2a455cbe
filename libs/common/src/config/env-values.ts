import { isIP } from 'node:net';
import { z } from 'zod';

// The value formats of the environment variables: each refuses a bad value with a message that
// completes "<VARIABLE>: ..." (see parseEnv).

const intBetween = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be an integer between ${min} and ${max}` })
    .int(`must be an integer between ${min} and ${max}`)
    .min(min, `must be an integer between ${min} and ${max}`)
    .max(max, `must be an integer between ${min} and ${max}`);

/** An integer within `min`-`max`, `fallback` when unset. */
export const int = (min: number, max: number, fallback: number) => intBetween(min, max).default(fallback);

/** An integer within `min`-`max`, `undefined` when unset. */
export const optionalInt = (min: number, max: number) => intBetween(min, max).optional();

/** A number (decimals allowed) within `min`-`max`, `fallback` when unset. */
export const decimal = (min: number, max: number, fallback: number) => {
  const message = `must be a number between ${min} and ${max}`;
  return z.coerce.number({ message }).min(min, message).max(max, message).default(fallback);
};

/** `true`/`false` (or `1`/`0`, `yes`/`no`), `fallback` when unset. */
export const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
    .transform((v) => ['true', '1', 'yes'].includes(v))
    .default(fallback);

/** An http(s) URL. */
export const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/** An SQS queue name (1-80 of [A-Za-z0-9_-]), `fallback` when unset. */
export const queueName = (fallback: string) =>
  z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, - or _').default(fallback);

/** The shape of a `<NAME>_SECRET_ARN` value: the ARN of a Secrets Manager secret. */
export const secretArn = z
  .string()
  .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be the ARN of a Secrets Manager secret');

/** A comma-separated list, items trimmed, empty items dropped. */
export const list = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

// a browser origin: scheme, host and optional port, nothing else (what the Origin header carries)
const isOrigin = (value: string) => {
  try {
    return /^https?:$/.test(new URL(value).protocol) && new URL(value).origin === value;
  } catch {
    return false;
  }
};

/** Browser origins (scheme, host, optional port), or `*` alone. */
export const corsOrigins = list.transform((items, ctx) => {
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
/** Express `trust proxy`: `false`, a hop count (0-10), or proxy addresses/CIDR ranges. */
export const trustProxy = z.string().transform((text, ctx): false | number | string[] => {
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

/**
 * Per-provider overrides of a budget, `alpha-vantage:1,coingecko:120`: each item a provider name
 * (checked against the names by the caller's schema) and a whole number of calls, 0 = none.
 */
export const callsPerHour = list.transform((items, ctx) => {
  const budget: Record<string, number> = {};
  for (const item of items) {
    const match = /^([a-z-]+)\s*:\s*(\d{1,6})$/.exec(item);
    if (!match) ctx.addIssue({ code: 'custom', message: `"${item}" is not <provider>:<calls per hour>, e.g. alpha-vantage:1` });
    else if (match[1] in budget) ctx.addIssue({ code: 'custom', message: `${match[1]} is given twice` });
    else budget[match[1]] = Number(match[2]);
  }
  return budget;
});
