import { ALERTS, DEFAULT_ALERT_THRESHOLDS } from '@app/common/observability/alerts';
import { METRICS_NAMESPACE } from '../lib/settings';
import { appsOf, containerStack, defaultSettings, lambdaStack, read } from './stacks';
import { TemplateReader } from './template';

type Alarm = Record<string, any>;

/** The alarm whose logical id contains `fragment` (its construct id). */
const alarmNamed = (reader: TemplateReader, fragment: string): Alarm => reader.named('AWS::CloudWatch::Alarm', `Monitoring${fragment}`)[1].Properties;

/** The metric-math expressions and metrics of an alarm, by id. */
const metricsOf = (alarm: Alarm): Record<string, any> => Object.fromEntries((alarm.Metrics ?? []).map((m: { Id: string }) => [m.Id, m]));

describe.each([
  ['lambda', lambdaStack],
  ['containers', containerStack],
] as const)('%s stack: alarms and dashboard', (target, build) => {
  const reader = read(build());
  const alarms = reader.ofType('AWS::CloudWatch::Alarm').map(([id, a]) => [id, a.Properties] as const);
  const [topicId] = reader.one('AWS::SNS::Topic');

  it('notifies the one SNS topic from every alarm, and names its runbook and severity in the description', () => {
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    for (const [id, alarm] of alarms) {
      expect({ id, actions: TemplateReader.mentions(alarm.AlarmActions, topicId) }).toEqual({ id, actions: true });
    }
    for (const [id, alarm] of alarms) expect({ id, description: alarm.AlarmDescription }).toEqual({ id, description: expect.stringMatching(/^\[(page|ticket)\] .+ Runbook: docs\/alerts\.md#[a-z-]+$/) });
  });

  it('has an alarm for every catalogue alert meant for CloudWatch', () => {
    const described = alarms.map(([, a]) => String(a.AlarmDescription ?? ''));
    const missing = ALERTS.filter((a) => a.worlds.includes('cloudwatch'))
      .filter((a) => target === 'lambda' || a.name !== 'QuoteflowLambdaErrors')
      .filter((a) => target === 'containers' || !['QuoteflowReceivePaused', 'QuoteflowCoverageLow'].includes(a.name))
      .filter((a) => !['QuoteflowDeadLettersWaiting', 'QuoteflowQueueFallingBehind'].includes(a.name)) // the two queue alarms that were there before
      .filter((a) => !described.some((d) => d.includes(a.summary)));

    expect(missing.map((a) => a.name)).toEqual([]);
  });

  it('pages on a stale feed only for minutes the market was open, and when the ingestor stops writing altogether', () => {
    const stale = alarmNamed(reader, 'StaleFeed');
    const metrics = metricsOf(stale);
    const expression = Object.values(metrics).find((m) => m.Expression);
    const minutes = DEFAULT_ALERT_THRESHOLDS.staleFeedSeconds / 60;

    expect(stale).toMatchObject({
      TreatMissingData: 'breaching',
      EvaluationPeriods: minutes,
      DatapointsToAlarm: minutes,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(expression).toMatchObject({ Expression: 'IF(FILL(marketOpen, REPEAT) == 1 AND FILL(good, 0) == 0, 1, 0)', ReturnData: true });
    for (const [id, name] of [
      ['marketOpen', 'MarketOpen'],
      ['good', 'IngestRunsGood'],
    ]) {
      expect(metrics[id].MetricStat).toMatchObject({
        Metric: { Namespace: METRICS_NAMESPACE, MetricName: name, Dimensions: [{ Name: 'service', Value: 'ingestor' }] },
        Period: 60,
        Stat: 'Maximum',
      });
    }
  });

  it('lets the other alarms on the apps\' figures stay quiet when an app has nothing to report', () => {
    for (const name of ['IngestFailing', 'ProviderPaused', 'ProcessorFailing', 'DeadLettersArriving', 'QualityDivergence']) {
      expect({ name, missing: alarmNamed(reader, name).TreatMissingData }).toEqual({ name, missing: 'notBreaching' });
    }
    expect(alarmNamed(reader, 'IngestFailing')).toMatchObject({
      MetricName: 'IngestRunsFailed',
      Namespace: METRICS_NAMESPACE,
      Statistic: 'Sum',
      Period: DEFAULT_ALERT_THRESHOLDS.failedRunsWindowSeconds,
      Threshold: DEFAULT_ALERT_THRESHOLDS.failedRuns,
    });
  });

  it('pages on DynamoDB throttling of the table', () => {
    const [tableId] = reader.one('AWS::DynamoDB::Table');
    const throttled = alarmNamed(reader, 'DynamoDbThrottled');

    expect(TemplateReader.mentions(throttled.Metrics, tableId)).toBe(true);
    expect(JSON.stringify(throttled.Metrics)).toContain('ThrottledRequests');
  });

  it('tells both apps the namespace their figures go to', () => {
    const apps = appsOf(reader, target);
    for (const environment of [...apps.ingestor.environments, ...apps.processor.environments]) {
      expect(environment.CLOUDWATCH_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
    }
  });

  it('builds one dashboard with runs, published/stored, lag, quota left, DLQ and errors', () => {
    const [, dashboard] = reader.one('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);

    for (const title of ['Ingest runs', 'Quotes published / stored', 'Lag', 'Coverage', 'Quota left, by provider', 'Dead letters', 'Errors']) expect(body).toContain(title);
    for (const figure of ['IngestRuns', 'QuotesPublished', 'MessagesStored', 'PipelineLag', 'QuotaRemaining', 'DeadLettersSent', 'MessagesFailed']) expect(body).toContain(figure);
    // coverage: a figure of the containers; on Lambda a text widget points at the API
    expect(body.includes('CoverageMin')).toBe(target === 'containers');
  });
});

describe('Lambda stack: function alarms', () => {
  const reader = read(lambdaStack());

  it('pages on errors or throttles of each of the three functions', () => {
    for (const fn of ['Processor', 'IngestorApi', 'IngestorSchedule']) {
      const [fnId] = reader.named('AWS::Lambda::Function', fn === 'IngestorApi' ? 'IngestorApi' : fn);
      const alarm = alarmNamed(reader, `LambdaErrors${fn}`);
      const metrics = JSON.stringify(alarm.Metrics);

      expect([fn, metrics.includes('"Errors"'), metrics.includes('"Throttles"'), TemplateReader.mentions(alarm.Metrics, fnId)]).toEqual([fn, true, true, true]);
    }
  });

  it('has no receive-paused alarm: on Lambda the event source mapping receives', () => {
    expect(reader.ofType('AWS::CloudWatch::Alarm').filter(([id]) => id.includes('ReceivePaused'))).toEqual([]);
  });
});

describe('container stack: receive paused, coverage', () => {
  it('opens a ticket when the lowest instrument coverage stays below coverageMin', () => {
    expect(alarmNamed(read(containerStack()), 'CoverageLow')).toMatchObject({
      MetricName: 'CoverageMin',
      Statistic: 'Minimum',
      Threshold: DEFAULT_ALERT_THRESHOLDS.coverageMin,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: DEFAULT_ALERT_THRESHOLDS.coverageForSeconds / 300,
      TreatMissingData: 'notBreaching',
    });
  });

  it('pages when the processor container stops receiving for the threshold', () => {
    const alarm = alarmNamed(read(containerStack()), 'ReceivePaused');

    expect(alarm).toMatchObject({ MetricName: 'ReceivePaused', Statistic: 'Maximum', EvaluationPeriods: DEFAULT_ALERT_THRESHOLDS.receivePausedForSeconds / 60 });
  });
});

describe('thresholds from -c context', () => {
  it('moves the stale-feed window with -c staleFeedSeconds', () => {
    const stale = alarmNamed(read(lambdaStack({ ...defaultSettings, alertThresholds: { staleFeedSeconds: 300 } })), 'StaleFeed');

    expect(stale).toMatchObject({ EvaluationPeriods: 5, DatapointsToAlarm: 5 });
  });
});
