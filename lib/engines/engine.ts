/**
 * The cloud side, engine-neutral. Public constructs describe *intents*
 * (plain data: a network, a cluster, a workload role, ...) and hand them to
 * the environment's engine; an engine renders them with aws-cdk-lib
 * (CloudFormation) or cdktf (Terraform). Nothing outside `lib/cloud/`
 * branches on the engine.
 */

/** An IAM policy statement, engine-neutral. Always `Allow`. */
export interface PolicyStatementIntent {
  readonly sid?: string;
  readonly actions: string[];
  readonly resources: string[];
  /** IAM condition block: operator → key → value(s). */
  readonly conditions?: Record<string, Record<string, string | string[]>>;
}

export interface NetworkIntent {
  /** Name tag of the VPC. */
  readonly name: string;
  readonly cidr: string;
  readonly availabilityZones: string[];
  readonly natGateways: number;
  /** Retention of the VPC flow-log group, in days. */
  readonly flowLogRetentionDays: number;
}

export interface ExistingNetworkIntent {
  readonly vpcId: string;
  readonly cidr: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  readonly privateSubnetCidrs: string[];
}

export interface NetworkHandle {
  readonly cidr: string;
  /** CIDRs of the private subnets (where clusters' nodes and databases live). */
  readonly privateSubnetCidrs: string[];
}

export interface NodeGroupIntent {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

export interface ClusterIntent {
  /** Scope for the cluster's resources inside the environment (the graph id). */
  readonly scopeId: string;
  readonly name: string;
  readonly version: string;
  readonly publicEndpoint: boolean;
  readonly publicAccessCidrs: string[];
  readonly nodeGroup: NodeGroupIntent;
  /** Control-plane log types (all five). */
  readonly logTypes: string[];
  readonly logRetentionDays: number;
  /** Principals (role ARNs) given cluster-admin through EKS access entries. */
  readonly adminPrincipalArns: string[];
  /** EKS managed add-ons with pinned versions. */
  readonly addons: AddonIntent[];
}

export interface ImportedClusterIntent {
  readonly scopeId: string;
  readonly name: string;
  readonly securityGroupId?: string;
}

export interface AddonIntent {
  readonly name: string;
  readonly version: string;
  /** Configuration values (JSON) of the add-on. */
  readonly configuration?: Record<string, unknown>;
}

export interface ClusterHandle {
  readonly name: string;
  readonly imported: boolean;
}

/**
 * An IAM role that pods of one service account assume through an EKS Pod
 * Identity association.
 */
export interface WorkloadRoleIntent {
  /** Scope inside the environment (the graph id of the owner). */
  readonly scopeId: string;
  readonly roleName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: PolicyStatementIntent[];
  readonly description: string;
  /**
   * Findings of policy checkers (cdk-nag rule ids such as
   * `AwsSolutions-IAM5`) that this role's policy knowingly triggers, each
   * with its reason. Engines that run no such checker ignore them.
   */
  readonly acknowledgements?: CheckAcknowledgementIntent[];
}

/** A policy-checker finding acknowledged with its reason. */
export interface CheckAcknowledgementIntent {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  readonly rule: string;
  readonly reason: string;
}

export interface RoleHandle {
  readonly roleName: string;
  /** The role ARN (a deterministic string). */
  readonly roleArn: string;
}

export interface LogGroupIntent {
  readonly scopeId: string;
  readonly name: string;
  readonly retentionDays: number;
  readonly retain: boolean;
}

/**
 * A PostgreSQL database (Amazon RDS), private and encrypted.
 */
export interface PostgresIntent {
  readonly scopeId: string;
  /** DB instance identifier (deterministic). */
  readonly identifier: string;
  readonly databaseName: string;
  /** Full engine version, e.g. `17.6`. */
  readonly engineVersion: string;
  /** Instance class without the `db.` prefix, e.g. `t4g.micro`. */
  readonly instanceType: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** `destroy`, `snapshot` or `retain` (see DataRemoval). */
  readonly removal: 'destroy' | 'snapshot' | 'retain';
  readonly performanceInsights: boolean;
  readonly port: number;
  /** Parameter-group parameters (always includes `rds.force_ssl: 1`). */
  readonly parameters: Record<string, string>;
  /**
   * Name of the Secrets Manager secret (AWS-managed key) holding engine,
   * host, port, dbname, username, password and dbInstanceIdentifier: the
   * same keys in every engine.
   */
  readonly secretName: string;
  /** Rotation of the credentials, in days; none when undefined. */
  readonly rotationDays?: number;
  /** Log types exported to CloudWatch Logs. */
  readonly logExports: string[];
  readonly logRetentionDays: number;
}

export interface PostgresHandle {
  readonly identifier: string;
  readonly secretName: string;
  readonly port: number;
}

/** What an engine has been asked to build, for parity checks between engines. */
export interface RecordedIntent {
  readonly type: 'network' | 'existing-network' | 'cluster' | 'imported-cluster' | 'addon' | 'workload-role' | 'log-group' | string;
  readonly intent: unknown;
}

/**
 * One environment's cloud side. Implemented by the CloudFormation engine
 * (`lib/cloud/cloudformation/`) and the Terraform engine
 * (`lib/cloud/terraform/`).
 */
export interface ICloudEngine {
  readonly kind: 'cloudformation' | 'terraform';
  /** Every intent this engine was given, in order. */
  readonly intents: RecordedIntent[];
  network(intent: NetworkIntent): NetworkHandle;
  existingNetwork(intent: ExistingNetworkIntent): NetworkHandle;
  cluster(intent: ClusterIntent, network: NetworkHandle): ClusterHandle;
  importedCluster(intent: ImportedClusterIntent): ClusterHandle;
  workloadRole(intent: WorkloadRoleIntent, cluster: ClusterHandle): RoleHandle;
  logGroup(intent: LogGroupIntent): void;
  postgres(intent: PostgresIntent, network: NetworkHandle): PostgresHandle;
  /** Lets the cluster's pods (its node/cluster security group) reach the database port. */
  allowDatabaseAccess(db: PostgresHandle, cluster: ClusterHandle): void;
}
