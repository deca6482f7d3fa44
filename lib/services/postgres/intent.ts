import type { StatefulRemoval } from '../../core/policy';
import type { ServiceIntentBase, ServiceRoleIntent } from '../../engines/engine';

/**
 * A PostgreSQL database (Amazon RDS), private and encrypted: everything an
 * engine needs, every decision already made (removal of the instance, its
 * key, secret and logs; retention; the rotation application of the
 * partition). Engines translate it and decide nothing.
 */
export interface PostgresIntent extends ServiceIntentBase {
  /** DB instance identifier (deterministic). */
  readonly identifier: string;
  readonly databaseName: string;
  /** Full engine version, e.g. `17.9`. */
  readonly engineVersion: string;
  /** Instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly instanceType: string;
  readonly storageType: string;
  readonly allocatedStorageGiB: number;
  /** Ceiling of storage autoscaling; no autoscaling when it is not above `allocatedStorageGiB`. */
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** What leaves with the instance and what stays (see `statefulRemoval`). */
  readonly removal: StatefulRemoval;
  /** Identifier of the final snapshot, when the instance is snapshotted on removal. */
  readonly finalSnapshotIdentifier?: string;
  readonly performanceInsights: boolean;
  /** Days of Performance Insights history (when on). */
  readonly performanceInsightsRetentionDays: number;
  readonly port: number;
  /** IAM database authentication, besides the password (always on: tokens are opt-in per database user). */
  readonly iamAuthentication: boolean;
  /**
   * Enhanced monitoring: OS metrics every `intervalSeconds`, published
   * through `role`, the environment's one enhanced-monitoring role that
   * every monitored database shares; none when undefined.
   */
  readonly monitoring?: { readonly intervalSeconds: number; readonly role: ServiceRoleIntent };
  /** Parameter-group parameters (always includes `rds.force_ssl: 1`), sorted by name. */
  readonly parameters: Record<string, string>;
  readonly masterUsername: string;
  /** How the master password is generated (both engines generate the same kind). */
  readonly password: { readonly length: number; readonly excludeCharacters: string };
  /**
   * Name of the Secrets Manager secret (AWS-managed key) holding engine,
   * host, port, dbname, username, password and dbInstanceIdentifier: the
   * same keys in every engine.
   */
  readonly secretName: string;
  /** Days a deleted secret stays recoverable. */
  readonly secretRecoveryDays: number;
  /** Rotation of the credentials; none when undefined. */
  readonly rotation?: {
    readonly days: number;
    /** The function that rotates them: the environment's one, which every rotated database of the environment shares. */
    readonly function: PostgresRotationFunctionIntent;
  };
  /** Log types exported to CloudWatch Logs. */
  readonly logExports: string[];
  /** Days (a CloudWatch Logs value). */
  readonly logRetentionDays: number;
}

/**
 * The environment's function that rotates the credentials of its
 * PostgreSQL databases (single-user scheme): AWS's rotation application
 * from the Serverless Application Repository, made once per environment,
 * in its private subnets with a security group that each rotated
 * database admits. One function instead of one per database: the
 * application's role may touch only the secrets whose rotation names the
 * function (its policy's `secretsmanager:resource/AllowRotationLambdaArn`
 * condition), whichever number that is, and Lambda gives a function in a
 * VPC a network interface per subnet and security group, which the
 * functions of hundreds of databases would exhaust (500 per VPC by
 * default).
 */
export interface PostgresRotationFunctionIntent {
  /** Names it among what the environment's services share; the same key always gives the same function. */
  readonly key: string;
  /** The Lambda function's name (deterministic, at most 64 characters): its ARN is known from it. */
  readonly functionName: string;
  /** AWS's rotation application (Serverless Application Repository) of the partition. */
  readonly applicationId: string;
  readonly semanticVersion: string;
  /** What the function leaves out of the passwords it generates: what the databases' first passwords leave out. */
  readonly excludeCharacters: string;
  /**
   * The description of its security group where the engine makes one for
   * it (Terraform); CloudFormation gives it the network's group for
   * rotation functions, made with the network, because the databases'
   * stacks import that group's id and an export must outlive its importers.
   */
  readonly description: string;
}

/** Where connections come from, as the AWS side sees them (a cluster's security group, ...). */
export interface NetworkSourceIntent {
  /** Stable key: a database admits each source once. */
  readonly key: string;
  readonly description: string;
  /** The security group, as a reference valid in the engine's output. */
  readonly securityGroupId: string;
}

/** A rendered database, as every engine gives it. */
export interface PostgresHandle {
  readonly identifier: string;
  readonly secretName: string;
  readonly port: number;
  /** Lets `source` reach the database port (the caller admits each source once). */
  admit(source: NetworkSourceIntent): void;
}
