import { KEY_GRANTS_FOR_AWS_ONLY } from '../../core/policy';

/**
 * A KMS key policy as the CloudFormation engine's keys have it: the account
 * may administer and use the key through IAM, grants only for AWS resources
 * and services (CT.KMS.PR.3), plus `extra` statements.
 */
export function keyPolicy(partition: string, account: string, extra: object[] = []): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
      KEY_GRANTS_FOR_AWS_ONLY,
      ...extra,
    ],
  });
}
