import type { Removal } from '../../core/policy';
import type { ServiceIntentBase } from '../../engines/engine';

/**
 * An Amazon S3 bucket: private, KMS-encrypted with a key of its own (bucket
 * keys on), TLS-only, access-logged; every decision made.
 */
export interface ObjectStoreIntent extends ServiceIntentBase {
  readonly bucketName: string;
  /** Alias of the bucket's KMS key (grants name the key by it). */
  readonly keyAlias: string;
  readonly versioned: boolean;
  /** Days noncurrent versions are kept (with versioning). */
  readonly noncurrentVersionDays?: number;
  /** Days after which an unfinished multipart upload is aborted. */
  readonly abortIncompleteUploadDays: number;
  /** Object Lock's default retention of new versions; no Object Lock when undefined. */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /** S3 sends the bucket's object events to Amazon EventBridge (consumers subscribe with rules). */
  readonly eventBridge: boolean;
  /** The environment's access-log bucket and the prefix of this bucket's logs. */
  readonly accessLogs: { readonly scopeId: string; readonly bucketName: string; readonly prefix: string };
  /** Removal of the bucket and of its key (a bucket cannot be snapshotted). */
  readonly removal: { readonly bucket: Removal; readonly key: Removal };
}

/** The environment's bucket for S3 server access logs (SSE-S3: log delivery supports no other). */
export interface AccessLogBucketIntent {
  readonly scopeId: string;
  readonly bucketName: string;
  /** Days logs are kept. */
  readonly expirationDays: number;
  /** Versioning, as the tier has it for buckets. */
  readonly versioned: boolean;
  /** Days an expired (noncurrent) log version is kept, with versioning. */
  readonly noncurrentVersionDays?: number;
  readonly eventBridge: boolean;
  /** Names of the buckets that log into it start with this (`<platform>-<environment>-`). */
  readonly sourceBucketPrefix: string;
  readonly removal: Removal;
}

/** The S3 gateway endpoint of the environment's VPC. */
export interface GatewayEndpointIntent {
  readonly scopeId: string;
  readonly service: 's3';
}

/** A rendered bucket (its name and ARN are deterministic). */
export interface ObjectStoreHandle {
  readonly bucketName: string;
}
