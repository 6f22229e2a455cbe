/**
 * `npm run dlq -- list [--limit N] [--json]` shows the dead letters with their reasons;
 * `npm run dlq -- redrive` moves them back to the quotes queue. Works wherever the environment
 * points (`AWS_ENDPOINT_URL_SQS`, `QUEUE_NAME`, `DLQ_NAME`, or real AWS), like the apps.
 */
import { ConfigError, createSqsClient, DeadLetterAdmin, parseConfig, QueueUrls, type DeadLetter, type RedriveResult } from '@app/common';
import { parseArgs } from 'node:util';

const USAGE = 'usage: npm run dlq -- list [--limit N] [--json] | redrive';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { limit: { type: 'string', default: '100' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  const limit = Number(values.limit);
  if (values.help || !['list', 'redrive'].includes(command ?? '') || !Number.isInteger(limit) || limit < 1) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const config = parseConfig(process.env);
  const sqs = createSqsClient(config.aws);
  try {
    const admin = new DeadLetterAdmin(sqs, new QueueUrls(sqs, config.queue));
    if (command === 'redrive') {
      const result = await admin.redrive();
      console.log(values.json ? JSON.stringify(result) : describeRedrive(result, config.queue.dlqName, config.queue.name));
      return result.method === 'receive-send-delete' && result.failed ? 1 : 0;
    }
    const items = await admin.list(limit);
    const depth = await admin.depth();
    if (values.json) console.log(JSON.stringify({ depth, items }));
    else printList(items, depth.visible + depth.inFlight, config.queue.dlqName);
    return 0;
  } finally {
    sqs.destroy();
  }
}

function printList(items: DeadLetter[], depth: number, dlqName: string): void {
  console.log(`${dlqName}: ${depth} message(s)${items.length < depth ? `, showing ${items.length}` : ''}`);
  for (const item of items) {
    console.log(`\n${item.messageId}  ${item.deadLetteredAt ?? ''}\n  reason: ${item.reason}\n  body:   ${item.body.slice(0, 300)}`);
  }
}

function describeRedrive(result: RedriveResult, dlqName: string, queueName: string): string {
  if (result.method === 'message-move-task') {
    return `started an SQS message move task from ${dlqName} to ${queueName} (about ${result.approximateMessages} message(s)); task ${result.taskHandle}`;
  }
  return `moved ${result.moved} message(s) from ${dlqName} back to ${queueName}${result.failed ? `; ${result.failed} could not be sent and stay in the DLQ` : ''}`;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
