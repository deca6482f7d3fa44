/**
 * The Terraform renderer of `ObjectStore` (@cdktf/provider-aws by
 * submodule). Loaded only by the Terraform engine.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { Construct } from 'constructs';
import type { AccessLogBucketIntent, GatewayEndpointIntent, ObjectStoreHandle, ObjectStoreIntent } from './intent';
import { KEY_DELETION_WINDOW_DAYS, Removal } from '../../core/policy';
import type { TerraformContext, TerraformNetwork } from '../../engines/terraform/context';
import { keyPolicy } from '../../engines/terraform/key-policy';

const keep = (r: Removal) => r === 'retain' ? { preventDestroy: true } : undefined;

/** What every bucket of the library has: private, owner-enforced, TLS-only (plus `extra` statements). */
function privateTlsOnly(scope: Construct, bucket: S3Bucket, partition: string, extra: object[] = []): void {
  const arn = `arn:${partition}:s3:::${bucket.bucket}`;
  new S3BucketPublicAccessBlock(scope, 'PublicAccessBlock', {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, 'OwnershipControls', { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
  new S3BucketPolicy(scope, 'Policy', {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }, ...extra],
    }),
  });
}

/** A bucket as the CloudFormation engine makes it: the same settings, in the provider's split resources. */
export function renderObjectStore(ctx: TerraformContext, intent: ObjectStoreIntent): ObjectStoreHandle {
  const scope = ctx.scope(intent.scopeId);
  const key = new KmsKey(scope, 'Key', {
    description: `Encryption of S3 bucket ${intent.bucketName}`,
    enableKeyRotation: true,
    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
    policy: keyPolicy(ctx.partition, ctx.account),
    lifecycle: keep(intent.removal.key),
  });
  new KmsAlias(scope, 'KeyAlias', { name: intent.keyAlias, targetKeyId: key.keyId });
  // A non-empty bucket is never deleted (force_destroy off), as in CloudFormation.
  const bucket = new S3Bucket(scope, 'Resource', { bucket: intent.bucketName, forceDestroy: false, lifecycle: keep(intent.removal.bucket) });
  privateTlsOnly(scope, bucket, ctx.partition);
  new S3BucketServerSideEncryptionConfigurationA(scope, 'Encryption', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  let versioning: S3BucketVersioningA | undefined;
  if (intent.versioned) {
    versioning = new S3BucketVersioningA(scope, 'Versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  }
  if (intent.objectLock) {
    // Turned on by this resource, not by the bucket's object_lock_enabled
    // (which would replace an existing bucket): S3 enables Object Lock on a
    // versioned bucket in place.
    new S3BucketObjectLockConfigurationA(scope, 'ObjectLock', {
      bucket: bucket.id,
      objectLockEnabled: 'Enabled',
      rule: { defaultRetention: { mode: intent.objectLock.mode, days: intent.objectLock.days } },
      dependsOn: versioning ? [versioning] : undefined,
    });
  }
  new S3BucketLifecycleConfiguration(scope, 'Lifecycle', {
    bucket: bucket.id,
    rule: [{
      id: 'expire',
      status: 'Enabled',
      filter: [{}],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: intent.abortIncompleteUploadDays }],
      noncurrentVersionExpiration: intent.noncurrentVersionDays !== undefined ? [{ noncurrentDays: intent.noncurrentVersionDays }] : undefined,
    }],
  });
  new S3BucketLoggingA(scope, 'Logging', { bucket: bucket.id, targetBucket: intent.accessLogs.bucketName, targetPrefix: intent.accessLogs.prefix });
  sendEventsToEventBridge(scope, bucket, intent.eventBridge);
  return { bucketName: intent.bucketName };
}

/** The environment's access-log bucket, writable by S3 log delivery for this account's buckets of the environment. */
export function renderAccessLogBucket(ctx: TerraformContext, intent: AccessLogBucketIntent): void {
  const scope = ctx.scope(intent.scopeId);
  const bucket = new S3Bucket(scope, 'Resource', { bucket: intent.bucketName, forceDestroy: false, lifecycle: keep(intent.removal) });
  privateTlsOnly(scope, bucket, ctx.partition, [{
    Sid: 'S3ServerAccessLogsPolicy',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: `arn:${ctx.partition}:s3:::${intent.bucketName}/*`,
    Condition: {
      StringEquals: { 'aws:SourceAccount': ctx.account },
      ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:s3:::${intent.sourceBucketPrefix}*` },
    },
  }]);
  new S3BucketServerSideEncryptionConfigurationA(scope, 'Encryption', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
  });
  if (intent.versioned) {
    new S3BucketVersioningA(scope, 'Versioning', { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } });
  }
  new S3BucketLifecycleConfiguration(scope, 'Lifecycle', {
    bucket: bucket.id,
    rule: [{
      id: 'expire',
      status: 'Enabled',
      filter: [{}],
      expiration: [{ days: intent.expirationDays }],
      noncurrentVersionExpiration: intent.noncurrentVersionDays !== undefined ? [{ noncurrentDays: intent.noncurrentVersionDays }] : undefined,
    }],
  });
  sendEventsToEventBridge(scope, bucket, intent.eventBridge);
}

/** The bucket's object events to Amazon EventBridge. */
function sendEventsToEventBridge(scope: Construct, bucket: S3Bucket, enabled: boolean): void {
  if (enabled) {
    new S3BucketNotification(scope, 'Notification', { bucket: bucket.id, eventbridge: true });
  }
}

/** The S3 gateway endpoint on the private route tables. */
export function renderGatewayEndpoint(ctx: TerraformContext, intent: GatewayEndpointIntent, network?: TerraformNetwork): void {
  new VpcEndpoint(ctx.scope('network'), intent.scopeId, {
    vpcId: network!.vpcId,
    serviceName: `com.amazonaws.${ctx.region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: network!.privateRouteTableIds ?? [],
  });
}
