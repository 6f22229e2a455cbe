/**
 * `npm run provision`: creates queue, DLQ and table where `AWS_ENDPOINT_URL*` (or real AWS) point,
 * idempotently. Used by docker-compose; on AWS the CDK stack owns these resources instead.
 */
import { ConfigError, parseConfig } from '@app/common';
import { provision } from './provision';

provision(parseConfig(process.env)).then(
  (done) => console.log(`provisioned queue ${done.queueUrl}, DLQ ${done.dlqUrl}, table ${done.tableName}`),
  (err: unknown) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
