import { CONFIG_VARIABLES } from '@app/common/config/config';
import { QuoteTable } from '@app/common/storage/quote-table';
import { MAX_RECEIVE_COUNT, QUEUE_AGE_ALARM_SECONDS } from '../lib/quote-resources';
import { appsOf, containerStack, defaultSettings, lambdaStack, read } from './stacks';
import { TemplateReader } from './template';

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'];
const READS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'];

/** What both deployment paths must have in common: queues, table, alarms, secrets handling, least privilege. */
describe.each([
  ['lambda', lambdaStack],
  ['containers', containerStack],
] as const)('%s stack: shared resources', (target, build) => {
  const reader = read(build());
  const apps = appsOf(reader, target);
  const [dlqId, dlq] = reader.one('AWS::SQS::Queue', (p) => !p.RedrivePolicy);
  const [queueId, queue] = reader.one('AWS::SQS::Queue', (p) => Boolean(p.RedrivePolicy));
  const [tableId, table] = reader.one('AWS::DynamoDB::Table');

  it('sends a quote to the DLQ after 5 receives, and keeps dead letters longer than quotes', () => {
    expect(queue.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT });
    expect(MAX_RECEIVE_COUNT).toBeGreaterThanOrEqual(5);
    expect(dlq.Properties.MessageRetentionPeriod).toBeGreaterThan(queue.Properties.MessageRetentionPeriod);
  });

  it('encrypts both queues at rest and refuses plain HTTP to them', () => {
    expect([queue.Properties.SqsManagedSseEnabled, dlq.Properties.SqsManagedSseEnabled]).toEqual([true, true]);
    const policies = reader.ofType('AWS::SQS::QueuePolicy');
    for (const id of [queueId, dlqId]) {
      const policy = policies.find(([, p]) => (p.Properties.Queues as unknown[]).some((q) => TemplateReader.target(q) === id));
      expect(policy?.[1].Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('builds the table from QuoteTable.definition(), on demand, with point-in-time recovery', () => {
    const definition = QuoteTable.definition('x');
    const byName = <T extends { AttributeName?: string; IndexName?: string }>(items: readonly T[]) =>
      [...items].sort((a, b) => String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)));

    expect(table.Properties.KeySchema).toEqual(definition.KeySchema);
    expect(byName(table.Properties.AttributeDefinitions)).toEqual(byName(definition.AttributeDefinitions));
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.Properties.BillingMode).toBe(definition.BillingMode);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('keeps the previous layout\'s GSI `latest` only with -c keepPreviousLatestIndex=true (the first of the two upgrade deployments)', () => {
    const [, kept] = read(build({ ...defaultSettings, keepPreviousLatestIndex: true })).one('AWS::DynamoDB::Table');

    expect(kept.Properties.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({ IndexName: 'latest', KeySchema: [{ AttributeName: 'gsi1pk', KeyType: 'HASH' }, { AttributeName: 'gsi1sk', KeyType: 'RANGE' }] }),
    ]);
    expect(kept.Properties.KeySchema).toEqual(table.Properties.KeySchema);
  });

    it('expires items by the TTL attribute only history items can carry', () => {
    expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: QuoteTable.ttlAttribute, Enabled: true });
    expect(QuoteTable.ttlAttribute).not.toBe('expiresAt'); // the lease's, in milliseconds
  });

  it('hands -c historyRetentionDays to both apps as HISTORY_RETENTION_DAYS, and nothing without it', () => {
    const retained = appsOf(read(build({ ...defaultSettings, historyRetentionDays: '30' })), target);
    const environments = (view: typeof apps) => [...view.processor.environments, ...view.ingestor.environments];

    expect(environments(retained).map((e) => e.HISTORY_RETENTION_DAYS)).toEqual(environments(retained).map(() => '30'));
    expect(environments(apps).some((e) => 'HISTORY_RETENTION_DAYS' in e)).toBe(false);
  });

  it('alarms on any dead letter and on quotes waiting too long, to one topic', () => {
    const alarms = reader.ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const on = (metric: string, queueIdOf: string) =>
      alarms.find((a) => a.MetricName === metric && TemplateReader.mentions(a.Dimensions, queueIdOf));

    expect(on('ApproximateNumberOfMessagesVisible', dlqId)).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    expect(on('ApproximateAgeOfOldestMessage', queueId)).toMatchObject({
      Threshold: QUEUE_AGE_ALARM_SECONDS,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    const [topicId] = reader.one('AWS::SNS::Topic');
    expect(alarms.every((a) => TemplateReader.mentions(a.AlarmActions, topicId))).toBe(true);
  });

  it('gives both apps only variables the apps read, naming this stack queue, DLQ and table', () => {
    for (const environment of [...apps.processor.environments, ...apps.ingestor.environments]) {
      expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
      expect(TemplateReader.mentions(environment.QUEUE_NAME, queueId)).toBe(true);
      expect(TemplateReader.mentions(environment.DLQ_NAME, dlqId)).toBe(true);
      expect(TemplateReader.mentions(environment.TABLE_NAME, tableId)).toBe(true);
      expect(environment).toMatchObject({ NODE_ENV: 'production', MARKET_DATA_PROVIDER: 'latest-stock-price', SYMBOLS: 'RELIANCE,TCS' });
    }
  });

  it('never puts a secret value in plain environment text', () => {
    for (const environment of [...apps.processor.environments, ...apps.ingestor.environments]) {
      expect(environment).not.toHaveProperty('RAPIDAPI_KEY');
      expect(environment).not.toHaveProperty('ADMIN_API_KEY');
    }
  });

  it('lets the processor store quotes and dead-letter, but not read the table or any secret', () => {
    for (const role of apps.processor.roles) {
      const actions = reader.actionsOf(role);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'sqs:SendMessage']));
      expect(actions.filter((a) => a.startsWith('secretsmanager:') || READS.includes(a))).toEqual([]);
    }
  });

  it('lets the ingestor publish, and its API read the table, but write only the leases, the provider items, run records and (serving the API) backfill watermarks and budgets', () => {
    for (const role of apps.ingestor.roles) {
      const actions = reader.actionsOf(role);
      const servesApi = actions.includes('dynamodb:Query');
      expect(actions).toContain('sqs:SendMessage');
      const writes = reader.statementsOf(role).filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => WRITES.includes(a)));
      expect(writes).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['LEASE#ingest', ...(servesApi ? ['LEASE#backfill'] : [])] } },
        }),
        expect.objectContaining({
          Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#*'] } },
        }),
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RUNS#*'] } },
        }),
        ...(servesApi
          ? [
              expect.objectContaining({
                Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
                Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BACKFILL#*', 'BACKFILL_BUDGET#*'] } },
              }),
            ]
          : []),
      ]);
    }
    expect(reader.actionsOf(apps.ingestor.roles[0])).toContain('dynamodb:Query');
  });
});

describe('a demo-only deployment', () => {
  it.each([
    ['lambda', lambdaStack],
    ['containers', containerStack],
  ] as const)('%s: creates no RapidAPI secret', (_target, build) => {
    const secrets = read(build({ provider: 'demo' })).ofType('AWS::SecretsManager::Secret');

    expect(secrets.map(([id]) => id)).toEqual([expect.stringMatching(/AdminApiKey/)]);
  });
});
