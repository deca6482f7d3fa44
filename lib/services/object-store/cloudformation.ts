import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { AccessLogBucketIntent, GatewayEndpointIntent, ObjectStoreHandle, ObjectStoreIntent } from './intent';
import { CloudFormationContext, CloudFormationNetwork, guardKeyGrants, removalPolicyOf } from '../../engines/cloudformation/context';
import { acknowledge } from '../../engines/cloudformation/nag';

/** The CloudFormation handle of a bucket: the L2 constructs, for escape hatches. */
export interface CloudFormationObjectStore extends ObjectStoreHandle {
  readonly bucket: s3.Bucket;
  readonly key: kms.Key;
}

/** The settings every bucket of the library has. */
const PRIVATE_TLS_ONLY = {
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  // No auto-delete: it needs a Lambda-backed custom resource (an asset).
  autoDeleteObjects: false,
};

/**
 * A bucket with aws-cdk-lib. `Resource` (the bucket) and `Key` are part of
 * their logical ids.
 */
export function renderObjectStore(ctx: CloudFormationContext, intent: ObjectStoreIntent): CloudFormationObjectStore {
  const scope = ctx.scope(intent.scopeId);
  const key = guardKeyGrants(new kms.Key(scope, 'Key', {
    description: `Encryption of S3 bucket ${intent.bucketName}`,
    alias: intent.keyAlias,
    enableKeyRotation: true,
    removalPolicy: removalPolicyOf(intent.removal.key),
  }));
  const bucket = new s3.Bucket(scope, 'Resource', {
    ...PRIVATE_TLS_ONLY,
    bucketName: intent.bucketName,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: intent.versioned,
    objectLockEnabled: intent.objectLock ? true : undefined,
    objectLockDefaultRetention: intent.objectLock
      ? (intent.objectLock.mode === 'COMPLIANCE' ? s3.ObjectLockRetention.compliance : s3.ObjectLockRetention.governance)(cdk.Duration.days(intent.objectLock.days))
      : undefined,
    lifecycleRules: [{
      id: 'expire',
      abortIncompleteMultipartUploadAfter: cdk.Duration.days(intent.abortIncompleteUploadDays),
      noncurrentVersionExpiration: intent.noncurrentVersionDays !== undefined ? cdk.Duration.days(intent.noncurrentVersionDays) : undefined,
    }],
    removalPolicy: removalPolicyOf(intent.removal.bucket),
  });
  sendEventsToEventBridge(bucket, intent.eventBridge);
  // Logs go to the environment's access-log bucket in the foundation stack,
  // named, not referenced: the bucket's stack imports nothing for it, and
  // the log bucket admits every bucket of the environment by name prefix
  // (renderAccessLogBucket), so adding or removing a bucket leaves the
  // foundation as it is.
  (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
    destinationBucketName: intent.accessLogs.bucketName,
    logFilePrefix: intent.accessLogs.prefix,
  };
  return { bucketName: intent.bucketName, bucket, key };
}

/** The environment's access-log bucket (SSE-S3, the only encryption log delivery supports). */
export function renderAccessLogBucket(ctx: CloudFormationContext, intent: AccessLogBucketIntent): void {
  const bucket = new s3.Bucket(ctx.scope(intent.scopeId), 'Resource', {
    ...PRIVATE_TLS_ONLY,
    bucketName: intent.bucketName,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: intent.versioned,
    lifecycleRules: [{
      id: 'expire',
      expiration: cdk.Duration.days(intent.expirationDays),
      noncurrentVersionExpiration: intent.noncurrentVersionDays !== undefined ? cdk.Duration.days(intent.noncurrentVersionDays) : undefined,
    }],
    removalPolicy: removalPolicyOf(intent.removal),
  });
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'S3ServerAccessLogsPolicy',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [`arn:${ctx.partition}:s3:::${intent.bucketName}/*`],
    conditions: {
      StringEquals: { 'aws:SourceAccount': ctx.account },
      ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:s3:::${intent.sourceBucketPrefix}*` },
    },
  }));
  sendEventsToEventBridge(bucket, intent.eventBridge);
  acknowledge(bucket, [['AwsSolutions-S1', 'This is the environment\'s access-log bucket: logging its own accesses into itself would loop.']]);
}

/**
 * Turns on the bucket's EventBridge notifications in the bucket resource
 * itself. (`s3.Bucket`'s `eventBridgeEnabled` would add a Lambda-backed
 * custom resource, an asset; `AWS::S3::Bucket` takes the setting directly.)
 */
function sendEventsToEventBridge(bucket: s3.Bucket, enabled: boolean): void {
  if (enabled) {
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
  }
}

/** The S3 gateway endpoint on the private route tables (S3 traffic stays on AWS's network, no NAT charges). */
export function renderGatewayEndpoint(_ctx: CloudFormationContext, intent: GatewayEndpointIntent, network?: CloudFormationNetwork): void {
  network!.vpc.addGatewayEndpoint(intent.scopeId, {
    service: ec2.GatewayVpcEndpointAwsService.S3,
    subnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  });
}
