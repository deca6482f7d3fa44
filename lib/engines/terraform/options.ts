/**
 * Options of a Terraform environment (`engine: CloudEngine.TERRAFORM`).
 * Types only: importing them never loads cdktf.
 */

/**
 * Terraform state in an S3 bucket, with state locking.
 */
export interface S3StateBackendOptions {
  /** The S3 bucket holding the state (it must exist). */
  readonly bucket: string;

  /**
   * The state object's key.
   *
   * @default '<platform>/<environment>/terraform.tfstate'
   */
  readonly key?: string;

  /**
   * Region of the bucket.
   *
   * @default - the environment's region
   */
  readonly region?: string;

  /**
   * Lock the state with a lock file next to it in S3 (`use_lockfile`,
   * Terraform 1.10 or later).
   *
   * @default true
   */
  readonly useLockfile?: boolean;

  /**
   * Lock the state with this DynamoDB table (partition key `LockID`, a
   * string) instead of, or as well as, the lock file.
   *
   * @default - no DynamoDB table (the lock file locks the state)
   */
  readonly dynamodbTable?: string;

  /**
   * KMS key (ARN, `alias/...` or key id) that encrypts the state object.
   * The state is always encrypted (`encrypt = true`).
   *
   * @default - S3-managed keys (SSE-S3)
   */
  readonly kmsKeyId?: string;
}

/**
 * Settings of a Terraform environment (`engine: CloudEngine.TERRAFORM`).
 * The AWS provider gets the environment's region, `allowed_account_ids` set
 * to its account, and the environment's tags as `default_tags`.
 */
export interface TerraformOptions {
  /**
   * Keep the Terraform state in S3, locked.
   *
   * @default - local state (`terraform.<stack>.tfstate` beside the stack); a warning in PRODUCTION
   */
  readonly s3Backend?: S3StateBackendOptions;
}
