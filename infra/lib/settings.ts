import { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from '@app/common/observability/alerts';

/** The CloudWatch namespace the apps write their embedded-metric-format figures to (`CLOUDWATCH_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'Quoteflow';

/** What a deployment chooses, from `cdk -c name=value` (see `settingsFromContext`). */
export interface QuoteflowSettings {
  /** `MARKET_DATA_PROVIDER` of the ingestor. */
  provider: string;
  /** `SYMBOLS` of the ingestor, if set. */
  symbols?: string;
  /** Complete ARN of an existing Secrets Manager secret holding the RapidAPI key; without it the stack creates one to fill in. */
  rapidApiKeySecretArn?: string;
  /** `HISTORY_RETENTION_DAYS` of both apps, if set: days history items are kept (the table's TTL). */
  historyRetentionDays?: string;
  /** Address subscribed to the alarm topic, if set. */
  alarmEmail?: string;
  /** Alarm thresholds (docs/alerts.md), each overridable with `-c <name>=<number>`, e.g. `-c staleFeedSeconds=300`; unset = the catalogue's defaults. */
  alertThresholds?: Partial<AlertThresholds>;
}

/** Where the apps run: Lambda functions (default) or ECS Fargate services. */
export type DeploymentTarget = 'lambda' | 'containers';

/** Reads the deployment's choices from CDK context values. */
export function settingsFromContext(get: (key: string) => unknown): { target: DeploymentTarget; settings: QuoteflowSettings } {
  const text = (key: string) => {
    const value: unknown = get(key);
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const target = text('target') ?? 'lambda';
  if (target !== 'lambda' && target !== 'containers') throw new Error(`context target must be "lambda" or "containers", not "${target}"`);
  return {
    target,
    settings: {
      provider: text('provider') ?? 'latest-stock-price',
      symbols: text('symbols'),
      rapidApiKeySecretArn: text('rapidApiKeySecretArn'),
      alarmEmail: text('alarmEmail'),
      historyRetentionDays: text('historyRetentionDays'),
      ...thresholdsFromContext(text),
    },
  };
}

/** `-c staleFeedSeconds=300` and the like; only what was given, so the settings stay as short as the command line. */
function thresholdsFromContext(text: (key: string) => string | undefined): { alertThresholds?: Partial<AlertThresholds> } {
  const given: Partial<AlertThresholds> = {};
  for (const key of Object.keys(DEFAULT_ALERT_THRESHOLDS) as (keyof AlertThresholds)[]) {
    const value = text(key);
    if (value === undefined) continue;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`context ${key} must be a number >= 0, not "${value}"`);
    given[key] = n;
  }
  return Object.keys(given).length ? { alertThresholds: given } : {};
}

/** The thresholds a deployment's alarms use: the catalogue's defaults with its overrides. */
export function alertThresholds(settings: QuoteflowSettings): AlertThresholds {
  return { ...DEFAULT_ALERT_THRESHOLDS, ...settings.alertThresholds };
}
