import { describeQuoteStorage } from './quote-storage.suite';

// the embedded emulator (dynalite) that `npm start` and the other e2e suites use
describeQuoteStorage('the embedded emulator', () => process.env.QUOTEFLOW_TEST_DYNAMODB_ENDPOINT ?? '');
