import { costPerMillionQuotes, lambdaDeployment, prices } from './cost-model';

describe('costPerMillionQuotes', () => {
  it('prices SQS requests, DynamoDB units and Lambda requests and GB-seconds per million quotes', () => {
    const usage = { sqsRequests: 0.3, writeUnits: 3, readUnits: 0.5, lambdaBatchMs: 19.2 };

    const cost = costPerMillionQuotes(usage, { memoryMiB: 512, architecture: 'arm64', batchSize: 10 }, prices);

    // 0.3 × $0.40; 3 × $0.625 + 0.5 × $0.125; 100,000 invocations × ($0.20/M + 0.020 s × 0.5 GB × $0.0000133334)
    expect(cost.sqs).toBeCloseTo(0.12, 10);
    expect(cost.dynamodb).toBeCloseTo(1.9375, 10);
    expect(cost.lambda).toBeCloseTo(0.02 + 100_000 * 0.02 * 0.5 * 0.0000133334, 10);
    expect(cost.total).toBeCloseTo(cost.sqs + cost.dynamodb + cost.lambda, 10);
  });
});

describe('lambdaDeployment', () => {
  it('reads memory, architecture and batch size of the processor function from the CDK stack', () => {
    const deployment = lambdaDeployment();

    expect(deployment).toEqual({ memoryMiB: expect.any(Number), architecture: expect.stringMatching(/^(arm64|x86_64)$/), batchSize: expect.any(Number) });
    expect(deployment.memoryMiB).toBeGreaterThanOrEqual(128);
    expect(deployment.batchSize).toBeGreaterThanOrEqual(1);
  });
});
