import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding (AwsSolutions pack) on `scope` and what it holds, with the
 * reason the design accepts it; infra/test/nag.spec.ts fails on any finding without one.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The finding of a wildcard below the table's ARN: `grantReadData` and friends name `<table>/index/*`. */
export function tableIndexWildcard(tableLogicalId: string): string {
  return `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`;
}
