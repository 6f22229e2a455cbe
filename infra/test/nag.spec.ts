import type { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { containerStack, defaultSettings, lambdaStack } from './stacks';

/** Every AwsSolutions finding on the stack that no acknowledgement (with its reason) covers, one line each. */
function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${(r as { constructPath?: string }).constructPath ?? r.resourceLogicalId}: ${v.description}`));
}

/** rule id → reason of every acknowledgement in the stack. */
function acknowledgements(stack: Stack): [string, string][] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
    .flatMap((m) => Object.entries(m.data as Record<string, string>));
}

const STACKS: [string, () => Stack][] = [
  ['the Lambda stack', () => lambdaStack()],
  ['the Lambda stack with an existing RapidAPI secret', () => lambdaStack({ ...defaultSettings, rapidApiKeySecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rapidapi-AbCdEf' })],
  ['the Lambda stack of the demo provider (no RapidAPI secret)', () => lambdaStack({ ...defaultSettings, provider: 'demo' })],
  ['the container stack', () => containerStack()],
];

describe("cdk-nag's AwsSolutions pack", () => {
  it.each(STACKS)('finds nothing in %s that is not fixed or acknowledged with a reason', (_, build) => {
    const stack = build();

    expect(findings(stack)).toEqual([]);
    for (const [rule, reason] of acknowledgements(stack)) expect({ rule, reason: reason.length >= 40 }).toEqual({ rule, reason: true });
  });

  it('reports a finding nothing acknowledges (the check can fail)', () => {
    const stack = containerStack();
    // a queue without enforceSSL: AwsSolutions-SQS4
    new sqs.Queue(stack, 'Unencrypted', { enforceSSL: false });

    expect(findings(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS4 at QuoteflowContainers\/Unencrypted/)]));
  });
});
