/**
 * The secrets every test uses. The e2e global teardown searches everything the test run logged
 * for them (see `log-capture.ts`): a test that needs a key uses these, so that a leak anywhere fails the run.
 */
export const TEST_RAPIDAPI_KEY = 'qf-test-rapidapi-key-5c1e0d7a93';
export const TEST_ADMIN_API_KEY = 'qf-test-admin-api-key-9b2f44e1c0';
export const TEST_SECRETS = [TEST_RAPIDAPI_KEY, TEST_ADMIN_API_KEY];
