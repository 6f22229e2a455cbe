import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import prices from '../prices.json';

export type Prices = typeof prices;
export { prices };

/** How the processor Lambda is deployed (infra/lib/lambda-stack.ts), as far as its bill goes. */
export interface LambdaDeployment {
  memoryMiB: number;
  architecture: 'arm64' | 'x86_64';
  /** Records per invocation (the event source mapping's `batchSize`). */
  batchSize: number;
}

/** What one design consumes per stored quote, as measured. */
export interface UsagePerQuote {
  /** Billed SQS requests (64 KB chunks): the ingestor's share of a SendMessageBatch, receive and delete. */
  sqsRequests: number;
  writeUnits: number;
  readUnits: number;
  /** Duration of one warm invocation for a batch, ms (billed per started millisecond). */
  lambdaBatchMs: number;
}

export interface CostPerMillion {
  sqs: number;
  dynamodb: number;
  lambda: number;
  total: number;
}

const MILLION = 1_000_000;

/** USD for a million stored quotes, from the usage per quote and the price table. */
export function costPerMillionQuotes(usage: UsagePerQuote, lambda: LambdaDeployment, table: Prices = prices): CostPerMillion {
  const sqs = usage.sqsRequests * table.sqs.perMillionRequests;
  const dynamodb = usage.writeUnits * table.dynamodb.perMillionWriteRequestUnits + usage.readUnits * table.dynamodb.perMillionReadRequestUnits;
  const invocations = MILLION / lambda.batchSize;
  const gbSeconds = invocations * (Math.ceil(usage.lambdaBatchMs) / 1000) * (lambda.memoryMiB / 1024);
  const lambdaCost = (invocations / MILLION) * table.lambda.perMillionRequests + gbSeconds * table.lambda.perGbSecond[lambda.architecture];
  return { sqs, dynamodb, lambda: lambdaCost, total: sqs + dynamodb + lambdaCost };
}

/**
 * Reads memory, architecture and batch size of the processor function from the CDK stack's
 * source, so the cost follows the deployment; fails loudly when the stack no longer says them
 * in one way only.
 */
export function lambdaDeployment(stackFile = resolve(__dirname, '../../infra/lib/lambda-stack.ts')): LambdaDeployment {
  const source = readFileSync(stackFile, 'utf8');
  const only = (pattern: RegExp, what: string): string => {
    const found = new Set([...source.matchAll(pattern)].map((m) => m[1]));
    if (found.size !== 1) throw new Error(`${stackFile}: expected one ${what}, found ${found.size ? [...found].join(', ') : 'none'}`);
    return [...found][0];
  };
  return {
    memoryMiB: Number(only(/memorySize:\s*(\d+)/g, 'memorySize')),
    architecture: only(/Architecture\.(ARM_64|X86_64)/g, 'architecture') === 'ARM_64' ? 'arm64' : 'x86_64',
    batchSize: Number(only(/SqsEventSource\([^)]*batchSize:\s*(\d+)/g, 'SqsEventSource batchSize')),
  };
}
