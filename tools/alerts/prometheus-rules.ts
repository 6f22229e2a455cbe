/**
 * The Prometheus side of the alert catalogue (libs/common/src/observability/alerts.ts): recording
 * and alerting rules for the given thresholds. `render-rules.ts` writes the shipped file from the
 * defaults; the e2e suite renders a copy with thresholds scaled down to seconds.
 */
import { alertDefinition, runbookLink, type AlertThresholds } from '@app/common/observability/alerts';
import { stringify } from 'yaml';

export interface RecordingRule {
  record: string;
  expr: string;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleFile {
  groups: { name: string; interval?: string; rules: (RecordingRule | AlertingRule)[] }[];
}

/** `600` → `10m`; Prometheus reads both, people read the second. */
export function promDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * How far back the rules remember the last value of a series that stopped (the ingestor is down, so
 * its gauges vanish): the stale-feed rule keeps judging by the last market state and the last good
 * run it saw, as CloudWatch's FILL(…, REPEAT) does on AWS.
 */
export const MEMORY = '1d';

/** The recording rules the alerts read. */
export function recordingRules(): RecordingRule[] {
  return [
    {
      // 1 while any configured market is open, as the ingestor last said (kept while it is down)
      record: 'quoteflow:market_open:max',
      expr: `max(last_over_time(quoteflow_market_open[${MEMORY}]))`,
    },
    {
      // the last good run any instance saw; before the first one, the ingestor's start
      record: 'quoteflow:ingest_last_good:timestamp_seconds',
      expr:
        `max(last_over_time(quoteflow_ingest_last_success_timestamp_seconds[${MEMORY}]))` +
        ` or max(last_over_time(process_start_time_seconds{app="ingestor"}[${MEMORY}]))`,
    },
  ];
}

/** The alerting rules for thresholds `t`. */
export function alertingRules(t: AlertThresholds): AlertingRule[] {
  const pending = promDuration(t.pendingSeconds);
  const window = promDuration(t.processorWindowSeconds);
  const rule = (name: string, expr: string, forSeconds: string, description: string): AlertingRule => {
    const def = alertDefinition(name);
    return {
      alert: name,
      expr,
      for: forSeconds,
      labels: { severity: def.severity },
      annotations: { summary: def.summary, description, runbook_url: runbookLink(def) },
    };
  };
  return [
    rule(
      'QuoteflowStaleFeed',
      `(time() - quoteflow:ingest_last_good:timestamp_seconds) > ${t.staleFeedSeconds} and on() quoteflow:market_open:max == 1`,
      '0s',
      'The last good ingest run was {{ $value | humanizeDuration }} ago and a configured market is open.',
    ),
    rule(
      'QuoteflowCoverageLow',
      `min by (symbol, series) (quoteflow_coverage_ratio) < ${t.coverageMin}`,
      promDuration(t.coverageForSeconds),
      '{{ $labels.symbol }} ({{ $labels.series }}) covers {{ $value | humanizePercentage }} of its last trading day.',
    ),
    rule(
      'QuoteflowIngestFailing',
      `sum(increase(quoteflow_ingest_runs_total{outcome="failed"}[${promDuration(t.failedRunsWindowSeconds)}])) >= ${t.failedRuns}`,
      '0s',
      '{{ $value }} ingest runs failed in the last ' + promDuration(t.failedRunsWindowSeconds) + '.',
    ),
    rule(
      'QuoteflowProviderPaused',
      'max by (provider, reason) (quoteflow_provider_paused) == 1',
      promDuration(t.pausedForSeconds),
      '{{ $labels.provider }} is paused ({{ $labels.reason }}).',
    ),
    rule(
      'QuoteflowQuotaLow',
      `min by (provider) (quoteflow_upstream_quota_remaining / quoteflow_upstream_quota_limit) < ${t.quotaLeftRatio}`,
      pending,
      '{{ $labels.provider }} has {{ $value | humanizePercentage }} of its quota left.',
    ),
    rule(
      'QuoteflowProcessorFailing',
      `sum(increase(quoteflow_messages_processed_total{outcome=~"failed|store_unavailable"}[${window}])) > ${t.processorFailures}`,
      '0s',
      '{{ $value }} messages failed or were left on the queue in the last ' + window + '.',
    ),
    rule(
      'QuoteflowDeadLettersArriving',
      `sum(increase(quoteflow_dlq_sends_total[${window}])) > 0`,
      '0s',
      '{{ $value }} messages were dead-lettered in the last ' + window + '.',
    ),
    rule(
      'QuoteflowDeadLettersWaiting',
      'max(quoteflow_queue_messages{queue="dlq",state="visible"}) > 0',
      pending,
      '{{ $value }} messages wait in the DLQ.',
    ),
    rule(
      'QuoteflowReceivePaused',
      'max(quoteflow_receive_paused) == 1',
      promDuration(t.receivePausedForSeconds),
      'The processor receives nothing: DynamoDB does not answer.',
    ),
    rule(
      'QuoteflowQualityDivergence',
      `sum(increase(quoteflow_quality_alerts_total{kind="divergence"}[${window}])) >= ${t.divergenceAlerts}`,
      '0s',
      '{{ $value }} divergence alerts in the last ' + window + ' (see GET /status, quality).',
    ),
    rule(
      'QuoteflowQueueFallingBehind',
      `max(quoteflow_queue_messages{queue="quotes",state="visible"}) > ${t.queueBacklog}`,
      pending,
      '{{ $value }} quotes wait in the queue.',
    ),
    rule('QuoteflowAppDown', 'up{job=~"quoteflow.*"} == 0', pending, '{{ $labels.job }} on {{ $labels.instance }} does not answer /metrics.'),
  ];
}

/** The whole rule file: one group, so the recording rules are evaluated before the alerts that read them. */
export function prometheusRules(t: AlertThresholds): RuleFile {
  return { groups: [{ name: 'quoteflow', rules: [...recordingRules(), ...alertingRules(t)] }] };
}

/** The rule file as YAML, with a header saying where it comes from. */
export function renderPrometheusRules(t: AlertThresholds): string {
  const header =
    '# Generated from libs/common/src/observability/alerts.ts by `npx tsx tools/alerts/render-rules.ts`: edit the catalogue, not this file.\n' +
    '# Runbooks: docs/alerts.md. Unit tests: deploy/prometheus/tests (promtool test rules).\n';
  return header + stringify(prometheusRules(t), { lineWidth: 0 });
}
