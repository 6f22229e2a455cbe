/**
 * The alerts quoteflow ships, defined once: their names, severities, thresholds and runbook
 * anchors (`docs/alerts.md`). The Prometheus rules (`deploy/prometheus/rules/quoteflow.rules.yml`,
 * rendered from here by `tools/alerts/render-rules.ts`) and the CloudWatch alarms of the CDK
 * stacks (`infra/lib/quoteflow-alarms.ts`) both read this file, so a threshold changes in one
 * place. Not runtime code: no app imports it.
 */

/** Every tunable threshold; the names are the "threshold variables" of `docs/alerts.md`. */
export interface AlertThresholds {
  /** Stale feed: no good ingest run for this long while a configured market is open. */
  staleFeedSeconds: number;
  /** Coverage low: an instrument's coverage of its last trading day below this share (0-1)… */
  coverageMin: number;
  /** …for this long (the coverage figure is refreshed every 5 minutes). */
  coverageForSeconds: number;
  /** Ingest failing: at least this many failed runs… */
  failedRuns: number;
  /** …within this window. */
  failedRunsWindowSeconds: number;
  /** Provider paused (quota exhausted or key rejected) for this long. */
  pausedForSeconds: number;
  /** Quota low: a provider's quota left below this share (0-1) of its limit. */
  quotaLeftRatio: number;
  /** Processor failing: more than this many messages failed or left on the queue (store unavailable)… */
  processorFailures: number;
  /** …within this window; also the window of dead letters arriving and divergence alerts. */
  processorWindowSeconds: number;
  /** Receiving paused (DynamoDB unavailable) for this long. */
  receivePausedForSeconds: number;
  /** Quality: at least this many cross-provider divergence alerts within `processorWindowSeconds`. */
  divergenceAlerts: number;
  /** Queue backlog: more visible quotes than this in the queue… */
  queueBacklog: number;
  /** …or the oldest waiting longer than this (CloudWatch: `ApproximateAgeOfOldestMessage`). */
  queueAgeSeconds: number;
  /** How long a condition must hold before most alerts fire (`for:` in Prometheus, periods in CloudWatch). */
  pendingSeconds: number;
}

/** The thresholds shipped; `docs/alerts.md` explains each. */
export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  staleFeedSeconds: 600,
  coverageMin: 0.9,
  coverageForSeconds: 1800,
  failedRuns: 3,
  failedRunsWindowSeconds: 600,
  pausedForSeconds: 300,
  quotaLeftRatio: 0.1,
  processorFailures: 0,
  processorWindowSeconds: 600,
  receivePausedForSeconds: 120,
  divergenceAlerts: 1,
  queueBacklog: 1000,
  queueAgeSeconds: 300,
  pendingSeconds: 60,
};

/** `page`: someone is woken (data is being lost now); `ticket`: look at it in working hours. */
export type AlertSeverity = 'page' | 'ticket';

/** One alert as both worlds ship it. */
export interface AlertDefinition {
  /** The Prometheus alert name; the CloudWatch alarm's construct id is the same without the `Quoteflow` prefix. */
  name: string;
  severity: AlertSeverity;
  /** One line: what it means. */
  summary: string;
  /** The thresholds it reads. */
  thresholds: (keyof AlertThresholds)[];
  /** Anchor of its runbook entry in `docs/alerts.md`. */
  runbook: string;
  /** Where it exists: both worlds, or only one (e.g. Lambda throttles have no Prometheus figure). */
  worlds: ('prometheus' | 'cloudwatch')[];
}

const both: AlertDefinition['worlds'] = ['prometheus', 'cloudwatch'];

/** The catalogue, in the order of `docs/alerts.md`. */
export const ALERTS: AlertDefinition[] = [
  {
    name: 'QuoteflowStaleFeed',
    severity: 'page',
    summary: 'No good ingest run for staleFeedSeconds while a configured market is open (or the ingestor stopped reporting)',
    thresholds: ['staleFeedSeconds'],
    runbook: 'stale-feed',
    worlds: both,
  },
  {
    name: 'QuoteflowCoverageLow',
    severity: 'ticket',
    summary: "An instrument's coverage of its last trading day is below coverageMin",
    thresholds: ['coverageMin', 'coverageForSeconds'],
    runbook: 'coverage-low',
    worlds: both,
  },
  {
    name: 'QuoteflowIngestFailing',
    severity: 'page',
    summary: 'failedRuns or more ingest runs failed within failedRunsWindowSeconds',
    thresholds: ['failedRuns', 'failedRunsWindowSeconds'],
    runbook: 'ingest-failing',
    worlds: both,
  },
  {
    name: 'QuoteflowProviderPaused',
    severity: 'page',
    summary: 'A provider is paused: its quota is exhausted or its key was rejected',
    thresholds: ['pausedForSeconds'],
    runbook: 'provider-paused',
    worlds: both,
  },
  {
    name: 'QuoteflowQuotaLow',
    severity: 'ticket',
    summary: "A provider's quota left is below quotaLeftRatio of its limit",
    thresholds: ['quotaLeftRatio', 'pendingSeconds'],
    runbook: 'quota-low',
    worlds: ['prometheus'],
  },
  {
    name: 'QuoteflowProcessorFailing',
    severity: 'page',
    summary: 'Messages failed to store or were left on the queue because DynamoDB was unavailable',
    thresholds: ['processorFailures', 'processorWindowSeconds'],
    runbook: 'processor-failing',
    worlds: both,
  },
  {
    name: 'QuoteflowDeadLettersArriving',
    severity: 'ticket',
    summary: 'The processor sent messages to the DLQ within processorWindowSeconds',
    thresholds: ['processorWindowSeconds'],
    runbook: 'dead-letters',
    worlds: both,
  },
  {
    name: 'QuoteflowDeadLettersWaiting',
    severity: 'ticket',
    summary: 'Messages are waiting in the DLQ',
    thresholds: [],
    runbook: 'dead-letters',
    worlds: both,
  },
  {
    name: 'QuoteflowReceivePaused',
    severity: 'page',
    summary: 'The processor stopped receiving because DynamoDB is unavailable',
    thresholds: ['receivePausedForSeconds'],
    runbook: 'receive-paused',
    worlds: both,
  },
  {
    name: 'QuoteflowQualityDivergence',
    severity: 'ticket',
    summary: 'Providers disagree on an instrument by more than QUALITY_DIVERGENCE_BPS',
    thresholds: ['divergenceAlerts', 'processorWindowSeconds'],
    runbook: 'quality-divergence',
    worlds: both,
  },
  {
    name: 'QuoteflowQueueFallingBehind',
    severity: 'page',
    summary: 'Quotes wait in the queue: more than queueBacklog visible, or the oldest older than queueAgeSeconds',
    thresholds: ['queueBacklog', 'queueAgeSeconds', 'pendingSeconds'],
    runbook: 'queue-falling-behind',
    worlds: both,
  },
  {
    name: 'QuoteflowAppDown',
    severity: 'page',
    summary: 'Prometheus cannot scrape an app',
    thresholds: ['pendingSeconds'],
    runbook: 'app-down',
    worlds: ['prometheus'],
  },
  {
    name: 'QuoteflowLambdaErrors',
    severity: 'page',
    summary: 'A quoteflow Lambda function failed or was throttled',
    thresholds: ['pendingSeconds'],
    runbook: 'lambda-errors',
    worlds: ['cloudwatch'],
  },
  {
    name: 'QuoteflowDynamoDbThrottled',
    severity: 'page',
    summary: 'DynamoDB throttled requests to the table',
    thresholds: ['pendingSeconds'],
    runbook: 'dynamodb-throttled',
    worlds: ['cloudwatch'],
  },
];

/** The definition of `name`; throws for a name not in the catalogue. */
export function alertDefinition(name: string): AlertDefinition {
  const found = ALERTS.find((a) => a.name === name);
  if (!found) throw new Error(`no alert ${name} in the catalogue`);
  return found;
}

/** The runbook link of an alert, relative to the repository root. */
export function runbookLink(alert: AlertDefinition): string {
  return `docs/alerts.md#${alert.runbook}`;
}
