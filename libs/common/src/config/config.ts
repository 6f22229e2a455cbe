// The configuration in three parts: the environment variables and their formats (env.schema.ts),
// the typed configuration built from them (quoteflow-config.ts), and the secrets in it: how they
// arrive by ARN and how they are masked (secrets.ts). Deployment checks import the variable list from here.
export { CONFIG_VARIABLES, DEFAULT_BACKFILL_CALLS_PER_HOUR, LOG_LEVELS, PROCESSOR_POLLERS_RANGE, type HistoryProviderName, type LogLevel } from './env.schema';
export { parseConfig, type QuoteflowConfig } from './quoteflow-config';
export { SECRET_VARIABLES, describeConfig, resolveSecretReferences, secretValues } from './secrets';
