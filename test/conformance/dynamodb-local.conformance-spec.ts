import { javaAvailable, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local';
import { describeWithTool } from '../support/required-tool';
import { describeQuoteStorage } from '../storage/quote-storage.suite';

const JAVA = { name: '`java` (17+) on PATH', available: javaAvailable(), install: 'apt-get install openjdk-17-jre-headless' };

/** The storage suite of the e2e run, against the official DynamoDB Local instead of the embedded emulator. */
describeWithTool(JAVA, 'conformance with the official DynamoDB Local', () => {
  let local: DynamoDbLocal;

  beforeAll(async () => {
    local = await startDynamoDbLocal();
  }, 90_000);

  afterAll(async () => {
    await local?.stop();
  });

  describeQuoteStorage('DynamoDB Local', () => local.endpoint);
});
