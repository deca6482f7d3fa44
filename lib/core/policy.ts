import { DataRemoval } from './tier';

/**
 * Decisions made once, engine-neutrally, for every engine: what outlives
 * what, how long logs are kept, which ARN partition a region is in.
 * Intents carry the results; engines only translate them.
 */

/** The retention values CloudWatch Logs accepts, in days (both engines write exactly these). */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * The retention CloudWatch Logs accepts that keeps logs at least `days`
 * (the smallest such value; ten years at most). Values of
 * `CLOUDWATCH_RETENTION_DAYS` come back unchanged.
 */
export function cloudWatchRetention(days: number): number {
  return CLOUDWATCH_RETENTION_DAYS.find(r => r >= days) ?? CLOUDWATCH_RETENTION_DAYS[CLOUDWATCH_RETENTION_DAYS.length - 1];
}

/** Whether CloudWatch Logs accepts `days` as a retention. */
export function isCloudWatchRetention(days: number): boolean {
  return CLOUDWATCH_RETENTION_DAYS.includes(days);
}

/** The AWS partition of a region (synth never asks AWS). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The DNS suffix of AWS service endpoints in a partition. */
export function dnsSuffixOf(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * An ARN in a partition: `arn:<partition>:<service>:<region>:<account>:<resource>`.
 * Global services leave region (and account) empty.
 */
export function arn(partition: string, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/**
 * What happens to one resource when it leaves the stack:
 * - `destroy`: deleted with its data;
 * - `snapshot`: a final snapshot is taken, then it is deleted (databases);
 * - `retain`: kept in the account (CloudFormation orphans it; Terraform
 *   refuses to destroy it, `prevent_destroy`, or, for log groups, leaves it
 *   behind, `skip_destroy`).
 */
export type Removal = 'destroy' | 'snapshot' | 'retain';

/**
 * Removal of a stateful resource and of what its data depends on, from one
 * `DataRemoval` choice:
 * - the resource itself follows the choice;
 * - its KMS key and its secret stay unless the data is destroyed: a
 *   snapshot (or a retained resource) is unreadable without its key, and its
 *   master credentials are in the secret;
 * - its log groups stay only with the resource: a retained database keeps
 *   exporting logs into them, while a snapshot has no logs to keep.
 */
export interface StatefulRemoval {
  readonly resource: Removal;
  readonly key: Removal;
  readonly secret: Removal;
  readonly logs: Removal;
}

/** The removal plan of a stateful resource whose data follows `removal`. */
export function statefulRemoval(removal: DataRemoval): StatefulRemoval {
  const keep: Removal = removal === DataRemoval.DESTROY ? 'destroy' : 'retain';
  return {
    resource: removal as Removal,
    key: keep,
    secret: keep,
    logs: removal === DataRemoval.RETAIN ? 'retain' : 'destroy',
  };
}

/**
 * Removal of the KMS key that envelope-encrypts a cluster's Kubernetes
 * secrets: those live in the cluster's etcd and end with the cluster, so
 * the key goes with it (after KMS's pending window of
 * `KEY_DELETION_WINDOW_DAYS`, in which it can still be recovered).
 */
export const CLUSTER_SECRETS_KEY_REMOVAL: Removal = 'destroy';

/** Days Secrets Manager keeps a deleted secret recoverable (0: deleted at once). */
export function secretRecoveryDays(removal: Removal): number {
  return removal === 'destroy' ? 0 : 30;
}

/** Days a deleted KMS key waits before it is gone (the longest AWS allows). */
export const KEY_DELETION_WINDOW_DAYS = 30;

/**
 * The key-policy statement AWS Control Tower requires of every KMS key
 * (CT.KMS.PR.3): grants may be created only for AWS resources or by AWS
 * services. Every key of both engines carries it.
 */
export const KEY_GRANTS_FOR_AWS_ONLY = {
  Sid: 'DenyGrantsExceptForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
};

/** The key-policy statement that lets CloudWatch Logs of one account and region use a key for its log groups. */
export function cloudWatchLogsKeyStatement(partition: string, region: string, account: string): Record<string, unknown> {
  return {
    Sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.${dnsSuffixOf(partition)}` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
  };
}

/**
 * How every node of a managed node group is launched: instance metadata
 * only with IMDSv2 tokens, and a hop limit of 1, so that pods (one hop
 * further) cannot reach the node role's credentials — they get theirs from
 * EKS Pod Identity; the root volume encrypted (with the account's EBS key).
 */
export const NODE_LAUNCH = {
  httpTokens: 'required',
  hopLimit: 1,
  /** The root device of the EKS-optimized Amazon Linux 2023 AMIs. */
  rootDevice: '/dev/xvda',
  rootVolumeType: 'gp3',
} as const;

/** The root volume of a node, in GiB, unless `nodes.diskSize` says otherwise. */
export const NODE_DISK_GIB = 50;
