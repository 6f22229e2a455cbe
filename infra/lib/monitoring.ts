import { alertDefinition, runbookLink, type AlertThresholds } from '@app/common/observability/alerts';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { QuoteResources } from './quote-resources';
import { METRICS_NAMESPACE } from './settings';


const MINUTE = Duration.minutes(1);

export interface QuoteflowMonitoringProps {
  resources: QuoteResources;
  thresholds: AlertThresholds;
  /** Lambda functions whose errors and throttles page (Lambda stack), by a short name. */
  functions?: Record<string, lambda.IFunction>;
  /**
   * The apps run as containers: the processor with its receive gate (`ReceivePaused`), the
   * ingestor with its minutely timed flush (`CoverageMin`); neither figure exists on Lambda.
   */
  containers?: boolean;
}

/** `periods` whole minutes covering `seconds`, at least one. */
const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/**
 * quoteflow's alarms on AWS (the catalogue of libs/common/src/observability/alerts.ts: the same
 * names, thresholds and runbooks as the Prometheus rules) on the figures the apps write as EMF, on
 * the SQS and DynamoDB metrics and on the Lambda functions; every alarm notifies the stack's SNS
 * topic. Plus one dashboard: runs, published/stored, lag, quota left, DLQ, errors.
 */
export class QuoteflowMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  private readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: QuoteflowMonitoringProps) {
    super(scope, id);
    const { resources, thresholds: t } = props;
    this.topic = resources.alarmTopic;
    const ingestor = (name: string, statistic: string, period = MINUTE) => figure('ingestor', name, statistic, period);
    const processor = (name: string, statistic: string, period = MINUTE) => figure('processor', name, statistic, period);

    // Stale feed. Every scheduled run writes MarketOpen (1 while a configured market is open) and
    // IngestRunsGood (1 for a good run; a closed-market run is good). A minute breaches when the
    // market was open (or, with the ingestor silent, was open when last heard of: FILL … REPEAT)
    // and no good run came (a silent minute counts as no good run). With no figure at all in the
    // window the expression has no data, and missing data breaches: a stopped schedule pages.
    const stale = this.alarm('StaleFeed', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(marketOpen, REPEAT) == 1 AND FILL(good, 0) == 0, 1, 0)',
        usingMetrics: { marketOpen: ingestor('MarketOpen', 'Maximum'), good: ingestor('IngestRunsGood', 'Maximum') },
        period: MINUTE,
        label: 'stale minutes while open',
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: minutes(t.staleFeedSeconds),
      datapointsToAlarm: minutes(t.staleFeedSeconds),
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });

    if (props.containers) {
      // the lowest instrument's coverage, written every minute by the ingestor container
      this.alarm('CoverageLow', {
        metric: ingestor('CoverageMin', 'Minimum', Duration.minutes(5)),
        threshold: t.coverageMin,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: Math.max(1, Math.ceil(t.coverageForSeconds / 300)),
      });
    }
    this.alarm('IngestFailing', {
      metric: ingestor('IngestRunsFailed', 'Sum', Duration.seconds(minutes(t.failedRunsWindowSeconds) * 60)),
      threshold: t.failedRuns,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    this.alarm('ProviderPaused', {
      metric: ingestor('ProvidersPaused', 'Maximum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: minutes(t.pausedForSeconds),
    });
    const window = Duration.seconds(minutes(t.processorWindowSeconds) * 60);
    this.alarm('ProcessorFailing', {
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(failed, 0) + FILL(unavailable, 0)',
        usingMetrics: { failed: processor('MessagesFailed', 'Sum', window), unavailable: processor('MessagesStoreUnavailable', 'Sum', window) },
        period: window,
        label: 'messages failed or left on the queue',
      }),
      threshold: t.processorFailures,
      evaluationPeriods: 1,
    });
    this.alarm('DeadLettersArriving', { metric: processor('DeadLettersSent', 'Sum', window), threshold: 0, evaluationPeriods: 1 });
    if (props.containers) {
      this.alarm('ReceivePaused', {
        metric: processor('ReceivePaused', 'Maximum'),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: minutes(t.receivePausedForSeconds),
      });
    }
    this.alarm('QualityDivergence', {
      metric: ingestor('QualityDivergenceAlerts', 'Sum', window),
      threshold: t.divergenceAlerts,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // platform: DynamoDB throttling on the operations the apps use, and each function's errors and throttles
    const throttled = resources.table.metricThrottledRequestsForOperations({
      operations: [
        dynamodb.Operation.PUT_ITEM,
        dynamodb.Operation.BATCH_WRITE_ITEM,
        dynamodb.Operation.UPDATE_ITEM,
        dynamodb.Operation.GET_ITEM,
        dynamodb.Operation.QUERY,
      ],
      period: MINUTE,
    });
    this.alarm('DynamoDbThrottled', {
      alertName: 'QuoteflowDynamoDbThrottled',
      metric: throttled,
      threshold: 0,
      evaluationPeriods: minutes(t.pendingSeconds) * 5,
      datapointsToAlarm: minutes(t.pendingSeconds) * 3,
    });
    const lambdaErrors: cloudwatch.IMetric[] = [];
    for (const [name, fn] of Object.entries(props.functions ?? {})) {
      const errors = new cloudwatch.MathExpression({
        // ids unique per function: the errors graph shows every function's expression side by side
        expression: `FILL(errors${name}, 0) + FILL(throttles${name}, 0)`,
        usingMetrics: { [`errors${name}`]: fn.metricErrors({ statistic: 'Sum' }), [`throttles${name}`]: fn.metricThrottles({ statistic: 'Sum' }) },
        period: Duration.minutes(5),
        label: `${name} errors + throttles`,
      });
      lambdaErrors.push(errors);
      // a failed ingest run fails its invocation on purpose: as many as IngestFailing tolerates
      this.alarm(`LambdaErrors${name}`, { alertName: 'QuoteflowLambdaErrors', metric: errors, threshold: t.failedRuns - 1, evaluationPeriods: 1 });
    }

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({ title: 'quoteflow alarms (runbooks: docs/alerts.md)', alarms: this.alarms, width: 24, height: 4 }),
        ],
        [
          graph('Ingest runs', [ingestor('IngestRuns', 'Sum'), ingestor('IngestRunsGood', 'Sum'), ingestor('IngestRunsFailed', 'Sum')], [ingestor('MarketOpen', 'Maximum')]),
          graph('Quotes published / stored', [
            ingestor('QuotesPublished', 'Sum'),
            processor('MessagesStored', 'Sum'),
            processor('MessagesDuplicate', 'Sum'),
            ingestor('QuotesRejected', 'Sum'),
          ]),
          graph('Lag', [
            processor('PipelineLag', 'p50'),
            processor('PipelineLag', 'p99'),
            resources.queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum', label: 'oldest waiting quote (s)' }),
          ]),
        ],
        [
          ...(props.containers ? [graph('Coverage of the last trading day (lowest instrument)', [ingestor('CoverageMin', 'Minimum', Duration.minutes(5))])] : []),
          graph('Quota left, by provider', [
            new cloudwatch.MathExpression({
              expression: `SEARCH('{${METRICS_NAMESPACE},service,provider} MetricName="QuotaRemaining"', 'Minimum', 300)`,
              label: '',
              period: Duration.minutes(5),
            }),
          ]),
          graph('Dead letters', [
            resources.deadLetters.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: 'waiting in the DLQ' }),
            processor('DeadLettersSent', 'Sum'),
          ]),
          graph('Errors', [
            ingestor('IngestRunsFailed', 'Sum'),
            ingestor('UpstreamErrors', 'Sum'),
            processor('MessagesFailed', 'Sum'),
            processor('MessagesStoreUnavailable', 'Sum'),
            throttled,
            ...lambdaErrors,
          ]),
        ],
        [
          new cloudwatch.TextWidget({
            width: 24,
            height: 2,
            markdown:
              'Coverage per instrument: `GET /status` and `GET /quotes/{symbol}/coverage` of the API. ' +
              `The stale-feed alarm (${stale.node.id}) reads MarketOpen and IngestRunsGood: see docs/alerts.md#stale-feed.`,
          }),
        ],
      ],
    });

    function figure(service: 'ingestor' | 'processor', metricName: string, statistic: string, period: Duration): cloudwatch.Metric {
      return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { service }, statistic, period });
    }
  }

  /**
   * One alarm of the catalogue, notifying the topic. `id` is the catalogue name without its
   * `Quoteflow` prefix unless `alertName` says which entry it implements; missing data does not
   * breach unless the alarm says so (a quiet app has nothing to report).
   */
  private alarm(
    id: string,
    props: Omit<cloudwatch.AlarmProps, 'comparisonOperator' | 'treatMissingData' | 'alarmDescription'> & {
      alertName?: string;
      comparisonOperator?: cloudwatch.ComparisonOperator;
      treatMissingData?: cloudwatch.TreatMissingData;
    },
  ): cloudwatch.Alarm {
    const { alertName, ...rest } = props;
    const def = alertDefinition(alertName ?? `Quoteflow${id}`);
    const alarm = new cloudwatch.Alarm(this, id, {
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...rest,
      alarmDescription: `[${def.severity}] ${def.summary}. Runbook: ${runbookLink(def)}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

function graph(title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, right, width: 6, height: 6 });
}
