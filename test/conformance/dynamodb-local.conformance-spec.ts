import { javaAvailable, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local';
import { describeQuoteStorage } from '../storage/quote-storage.suite';

/** The storage suite of the e2e run, against the official DynamoDB Local instead of the embedded emulator. */
if (javaAvailable()) {
  let local: DynamoDbLocal;

  beforeAll(async () => {
    local = await startDynamoDbLocal();
  }, 90_000);

  afterAll(async () => {
    await local?.stop();
  });

  describeQuoteStorage('DynamoDB Local', () => local.endpoint);
} else {
  console.warn('conformance: no `java` on PATH, so the storage suite is SKIPPED on DynamoDB Local (install Java 17+ to run it)');
  describe.skip('quote storage on DynamoDB Local: SKIPPED, no `java` on PATH (install Java 17+ to run it)', () => {
    it('runs the storage suite against DynamoDB Local', () => undefined);
  });
}
