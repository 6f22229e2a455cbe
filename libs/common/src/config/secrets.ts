import { ConfigError } from '../errors';
import { secretArn } from './env-values';
import type { QuoteflowConfig } from './quoteflow-config';

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

/** The secret values of a configuration (to mask wherever they might appear). */
export function secretValues(config: QuoteflowConfig): string[] {
  return [config.upstream.rapidApiKey, config.http.adminApiKey].filter((v): v is string => Boolean(v));
}

/** The configuration as it may be logged: every {@link secretValues} value replaced by `[set]` (an unset one is `null`). */
export function describeConfig(config: QuoteflowConfig): QuoteflowConfig {
  const secrets = new Set(secretValues(config));
  return JSON.parse(JSON.stringify(config), (_key, value: unknown) => (typeof value === 'string' && secrets.has(value) ? '[set]' : value)) as QuoteflowConfig;
}
