import { CreateTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand, UpdateTimeToLiveCommand, waitUntilTableExists, type TableDescription } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createDocumentClient, createSqsClient, PreviousLayout, QUEUE_RETENTION, QuoteTable, type QuoteflowConfig } from '@app/common';
import { migrate } from '../migrate/migrate';

export interface Provisioned {
  queueUrl: string;
  dlqUrl: string;
  tableName: string;
}

/**
 * Creates the queue, its DLQ (redrive policy) and the table if missing, and brings the queue
 * attributes to the configured values. Safe to run any number of times.
 */
export async function provision(config: QuoteflowConfig): Promise<Provisioned> {
  const sqs = createSqsClient(config.aws);
  const dynamo = createDocumentClient(config.aws);
  try {
    const dlqUrl = await ensureQueue(sqs, config.queue.dlqName, { MessageRetentionPeriod: String(QUEUE_RETENTION.deadLetterSeconds) });
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const dlqArn = Attributes?.QueueArn;
    if (!dlqArn) throw new Error(`queue ${config.queue.dlqName} has no ARN`);
    const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: config.queue.maxReceiveCount });
    const queueUrl = await ensureQueue(sqs, config.queue.name, {
      VisibilityTimeout: String(config.queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(QUEUE_RETENTION.queueSeconds),
      RedrivePolicy: redrivePolicy,
    });
    // emulators accept redrive policies AWS would refuse: read it back rather than trust it
    const check = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] }));
    const stored = JSON.parse(check.Attributes?.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string; maxReceiveCount?: unknown };
    if (stored.deadLetterTargetArn !== dlqArn || Number(stored.maxReceiveCount) !== config.queue.maxReceiveCount) {
      throw new Error(`queue ${config.queue.name} did not keep its redrive policy: ${check.Attributes?.RedrivePolicy}`);
    }

    await ensureTable(dynamo, config.table.name);
    return { queueUrl, dlqUrl, tableName: config.table.name };
  } finally {
    sqs.destroy();
    dynamo.destroy();
  }
}

async function ensureQueue(
  sqs: ReturnType<typeof createSqsClient>,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  // CreateQueue without attributes is idempotent; attributes are then set, whatever they were
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (!QueueUrl) throw new Error(`CreateQueue ${name} returned no URL`);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
  return QueueUrl;
}

/**
 * Creates the quotes table if missing (keys only, ADR 0006), waits until it is active, and enables
 * TTL where the endpoint can. A table kept from a release before ADR 0006 (it still has the GSI
 * `latest`) is migrated in place (`npm run migrate`, idempotent), so `npm start` on old `.data/`
 * lists every instrument at once.
 */
export async function ensureTable(dynamo: ReturnType<typeof createDocumentClient>, tableName: string): Promise<void> {
  const existing = await createTable(dynamo, tableName);
  await enableTtl(dynamo, tableName);
  if (existing?.GlobalSecondaryIndexes?.some((index) => index.IndexName === PreviousLayout.latestIndex)) await migrate(dynamo, tableName);
}

async function createTable(dynamo: ReturnType<typeof createDocumentClient>, tableName: string): Promise<TableDescription | undefined> {
  try {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    return Table;
  } catch (err) {
    if ((err as Error).name !== 'ResourceNotFoundException') throw err;
  }
  try {
    await dynamo.send(new CreateTableCommand(QuoteTable.definition(tableName)));
  } catch (err) {
    // another process created it in between
    if ((err as Error).name !== 'ResourceInUseException') throw err;
  }
  await waitUntilTableExists({ client: dynamo, maxWaitTime: 60, minDelay: 1 }, { TableName: tableName });
  return undefined;
}

async function enableTtl(dynamo: ReturnType<typeof createDocumentClient>, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' || TimeToLiveDescription?.TimeToLiveStatus === 'ENABLING') return;
  try {
    await dynamo.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: QuoteTable.ttlAttribute } }),
    );
  } catch (err) {
    // dynalite (the embedded emulator) answers DescribeTimeToLive but has no UpdateTimeToLive: it
    // never expires items, which the reads' own TTL filter covers; DynamoDB Local and AWS enable it
    if ((err as Error).name !== 'UnknownOperationException') throw err;
  }
}
