import { QUEUE_RETENTION } from '@app/common/aws/queue-retention';
import { PreviousLayout, QuoteTable } from '@app/common/storage/quote-table';
import { RunLogTable } from '@app/common/storage/run-log-table';
import { BackfillTable } from '@app/common/storage/backfill-table';
import { StateTable } from '@app/common/storage/state-table';
import { DEFAULT_ALERT_THRESHOLDS } from '@app/common/observability/alerts';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, type QuoteflowSettings } from './settings';
import { acknowledge, tableIndexWildcard } from './nag';

export interface QuoteResourcesProps {
  settings: QuoteflowSettings;
  /** At least 6× the time the processor may take for one batch (AWS's advice for Lambda event sources). */
  visibilityTimeout: Duration;
}

/** SQS `MaxReceiveCount`: a message that failed this often goes to the DLQ. */
export const MAX_RECEIVE_COUNT = 5;
/** Alarm when the oldest waiting quote is older than this: the processor is down or falling behind (the catalogue's `queueAgeSeconds`). */
export const QUEUE_AGE_ALARM_SECONDS = DEFAULT_ALERT_THRESHOLDS.queueAgeSeconds;

/**
 * What both deployment paths share: the quotes queue and its DLQ, the table (from the same
 * `QuoteTable.definition()` local provisioning uses), the secrets, the alarms, and the grants that
 * say what each app may do with them.
 */
export class QuoteResources extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly table: dynamodb.Table;
  /** `null` when the provider list needs no RapidAPI key (`demo` only). */
  readonly rapidApiKey: secretsmanager.ISecret | null;
  readonly adminApiKey: secretsmanager.Secret;
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: QuoteResourcesProps) {
    super(scope, id);
    const { settings } = props;

    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.seconds(QUEUE_RETENTION.deadLetterSeconds),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Quotes', {
      retentionPeriod: Duration.seconds(QUEUE_RETENTION.queueSeconds),
      visibilityTimeout: props.visibilityTimeout,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
    this.table = quoteTable(this, settings.keepPreviousLatestIndex ?? false);
    acknowledge(
      Stack.of(this),
      tableIndexWildcard(Stack.of(this).getLogicalId(this.table.node.defaultChild as dynamodb.CfnTable)),
      "reads of the quote table's own indexes: DynamoDB names an index only below the table's ARN (`<table>/index/<name>`), and the grant covers this one table",
    );

    const needsRapidApi = settings.provider.split(',').some((p) => p.trim() !== 'demo');
    this.rapidApiKey = !needsRapidApi
      ? null
      : settings.rapidApiKeySecretArn
        ? secretsmanager.Secret.fromSecretCompleteArn(this, 'RapidApiKey', settings.rapidApiKeySecretArn)
        : new secretsmanager.Secret(this, 'RapidApiKey', {
            description: 'quoteflow: the RapidAPI key. Replace the generated value: aws secretsmanager put-secret-value',
          });
    this.adminApiKey = new secretsmanager.Secret(this, 'AdminApiKey', {
      description: 'quoteflow: x-api-key for POST /ingest/trigger',
      generateSecretString: { passwordLength: 40, excludePunctuation: true },
    });
    for (const secret of [this.rapidApiKey, this.adminApiKey]) {
      if (secret instanceof secretsmanager.Secret) {
        acknowledge(secret, 'AwsSolutions-SMG4', 'an API key issued by a person (RapidAPI, or the operator for x-api-key), not a credential AWS can rotate: a rotation function would have to call the issuer; rotate by hand with put-secret-value');
      }
    }

    this.alarmTopic = new sns.Topic(this, 'Alarms', { enforceSSL: true });
    if (settings.alarmEmail) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(settings.alarmEmail));
    this.alarm('DeadLettersWaiting', {
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 0,
      evaluationPeriods: 1,
      alarmDescription: '[ticket] Quotes are in the DLQ: read the reason attribute, fix, then redrive (StartMessageMoveTask). Runbook: docs/alerts.md#dead-letters',
    });
    this.alarm('QueueFallingBehind', {
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: QUEUE_AGE_ALARM_SECONDS,
      evaluationPeriods: 3,
      alarmDescription: `[page] The oldest quote has waited more than ${QUEUE_AGE_ALARM_SECONDS} s: the processor is down or too slow. Runbook: docs/alerts.md#queue-falling-behind`,
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.deadLetters.queueUrl });
    new CfnOutput(this, 'AdminApiKeySecret', { value: this.adminApiKey.secretArn });
    if (this.rapidApiKey) new CfnOutput(this, 'RapidApiKeySecret', { value: this.rapidApiKey.secretArn });
  }

  /** The same variable names and values the containers get locally (libs/common/src/config). */
  appEnvironment(settings: QuoteflowSettings): Record<string, string> {
    return {
      NODE_ENV: 'production',
      QUEUE_NAME: this.queue.queueName,
      DLQ_NAME: this.deadLetters.queueName,
      TABLE_NAME: this.table.tableName,
      MARKET_DATA_PROVIDER: settings.provider,
      // both apps write their figures as EMF lines, which CloudWatch Logs turns into metrics (infra/lib/monitoring.ts)
      CLOUDWATCH_METRICS_NAMESPACE: METRICS_NAMESPACE,
      ...(settings.symbols ? { SYMBOLS: settings.symbols } : {}),
      ...(settings.historyRetentionDays ? { HISTORY_RETENTION_DAYS: settings.historyRetentionDays } : {}),
    };
  }

  /** The processor stores quotes and dead-letters poison messages; it never reads a secret or a quote. */
  grantProcessor(grantee: iam.IGrantable, options: { pollsQueue: boolean; healthCheck: boolean }): void {
    if (options.pollsQueue) this.queue.grantConsumeMessages(grantee); // on Lambda the event source mapping polls
    this.deadLetters.grantSendMessages(grantee);
    // BatchWriteItem for the history items, PutItem for the conditional latest writes; no read: a failed condition brings the stored item along
    this.table.grant(grantee, 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', ...(options.healthCheck ? ['dynamodb:DescribeTable'] : []));
  }

  /**
   * The ingestor publishes quotes and reads both queue depths; serving the API, it reads the table
   * and administers the DLQ (list, redrive). It writes no quote: only the ingest lease item, which
   * decides which instance runs a scheduled ingest, and one run record per run (`RUNS#<date>`
   * partitions, put only), which the completeness report reads; serving the API it also runs
   * backfill, which keeps a watermark per instrument and a call budget per provider (`BackfillTable`)
   * under a lease of its own. Every process shares what it learns through the provider items
   * (`PROVIDER#<name>`: each provider's last answer and pauses, `StateTable`), read with one
   * BatchGetItem per run together with the lease items.
   */
  grantIngestor(grantee: iam.IGrantable, options: { servesApi: boolean }): void {
    this.queue.grantSendMessages(grantee);
    this.deadLetters.grant(grantee, 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [QuoteTable.leaseKey('ingest').pk, ...(options.servesApi ? [QuoteTable.leaseKey('backfill').pk] : [])] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${StateTable.providerPrefix}*`, 'LEASE#*'] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${StateTable.providerPrefix}*`] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RunLogTable.partitionPrefix}*`] } },
      }),
    );
    if (options.servesApi) {
      // backfill runs where the API is served (POST /admin/backfill; the container also on its schedule): watermarks and budgets only
      grantee.grantPrincipal.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [this.table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${BackfillTable.statePrefix}*`, `${BackfillTable.budgetPrefix}*`] } },
        }),
      );
      this.table.grantReadData(grantee);
      this.deadLetters.grantConsumeMessages(grantee);
      this.deadLetters.grant(grantee, 'sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks');
    }
  }

  private alarm(id: string, props: Omit<cloudwatch.AlarmProps, 'comparisonOperator' | 'treatMissingData'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
  }
}

const attributeTypes = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY };

/**
 * The table exactly as `QuoteTable.definition()` describes it (keys only, ADR 0006), on demand,
 * with point-in-time recovery; with `keepPreviousLatestIndex`, also the previous layout's GSI
 * `latest`, for the first of the two upgrade deployments (docs/upgrading.md).
 */
function quoteTable(scope: Construct, keepPreviousLatestIndex: boolean): dynamodb.Table {
  const definition = QuoteTable.definition('unused');
  const attribute = (name: string | undefined): dynamodb.Attribute | undefined => {
    if (!name) return undefined;
    const found = definition.AttributeDefinitions.find((a) => a.AttributeName === name);
    if (!found) throw new Error(`QuoteTable.definition() has no type for key attribute ${name}`);
    return { name, type: attributeTypes[found.AttributeType] };
  };
  const keys = (schema: readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[]) => ({
    partitionKey: attribute(schema.find((k) => k.KeyType === 'HASH')?.AttributeName)!,
    sortKey: attribute(schema.find((k) => k.KeyType === 'RANGE')?.AttributeName),
  });
  const table = new dynamodb.Table(scope, 'Table', {
    ...keys(definition.KeySchema),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.RETAIN,
    // only history items carry it, and only with HISTORY_RETENTION_DAYS set: without it nothing expires
    timeToLiveAttribute: QuoteTable.ttlAttribute,
  });
  if (keepPreviousLatestIndex) {
    table.addGlobalSecondaryIndex({
      indexName: PreviousLayout.latestIndex,
      partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}
