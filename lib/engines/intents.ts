/**
 * The intents and handles of the engines' core, as plain data (see
 * `./engine.ts`). No imports of engines here, so that every engine and every
 * service renderer can name them.
 */
import type { Removal } from '../core/policy';
import type { StackGrain } from '../core/stack-layout';

/**
 * What every managed service's intent has: its scope and, when it is in
 * one, its stack group.
 */
export interface ServiceIntentBase {
  /** Scope inside the environment (the service's graph id). */
  readonly scopeId: string;
  /**
   * The id of the stack group the service is in: a CloudFormation engine
   * puts it in the group's stack instead of one of its own (see
   * `lib/core/stack-layout.ts`); an engine with one state per environment
   * ignores it.
   */
  readonly stackGroup?: string;
}

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
  /**
   * Whether instances started in the public subnets get a public IP. Off:
   * only NAT gateways and load balancers live there, with addresses of their
   * own (AWS Control Tower CT.EC2.PR.11).
   */
  readonly publicSubnetsAssignPublicIp: boolean;
  /** Retention of the VPC flow-log group, in days (a CloudWatch Logs value). */
  readonly flowLogRetentionDays: number;
}

export interface ExistingNetworkIntent {
  readonly vpcId: string;
  readonly cidr: string;
  readonly availabilityZones: string[];
  readonly privateSubnetIds: string[];
  readonly privateSubnetCidrs: string[];
}

/** The environment's network, as every engine gives it (each engine's handle adds its own references). */
export interface NetworkHandle {
  readonly cidr: string;
  /** CIDRs of the private subnets (where clusters' nodes and databases live). */
  readonly privateSubnetCidrs: string[];
  /** An existing VPC (the library knows only what was given of it). */
  readonly existing?: boolean;
}

export interface NodeGroupIntent {
  readonly name: string;
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
  /** The launch template every node starts from. */
  readonly launchTemplate: NodeLaunchTemplateIntent;
}

/** How the nodes are launched (see `NODE_LAUNCH` in core/policy). */
export interface NodeLaunchTemplateIntent {
  readonly name: string;
  /** `required`: IMDSv2 only. */
  readonly httpTokens: 'required';
  readonly hopLimit: number;
  readonly rootDevice: string;
  readonly rootVolumeGiB: number;
  readonly rootVolumeType: string;
  /** CloudWatch detailed monitoring of the instances. */
  readonly detailedMonitoring: boolean;
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
  /** Retention of the control-plane log group, in days (a CloudWatch Logs value). */
  readonly logRetentionDays: number;
  /** Removal of the KMS key that envelope-encrypts the cluster's secrets. */
  readonly secretsKeyRemoval: Removal;
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
  /**
   * The security group EKS attaches to the cluster's nodes and pods, as a
   * reference valid in the engine's output (a token in CloudFormation, an
   * interpolation in Terraform); undefined for an existing cluster given
   * without one.
   */
  readonly securityGroupId?: string;
}

/**
 * An IAM role that pods of one service account assume through an EKS Pod
 * Identity association.
 */
export interface WorkloadRoleIntent {
  /** Scope inside the environment (the graph id of the owner). */
  readonly scopeId: string;
  /**
   * `own` for a workload's identity (a CloudFormation stack of its own),
   * `foundation` for a support service's (with its cluster).
   */
  readonly grain: StackGrain;
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

/**
 * An IAM role that an AWS service assumes for every resource of the
 * environment that names it, with the same permissions for each: one per
 * environment, created in the foundation with the first resource that
 * asks for it, and there while one does. One role for all instead of one
 * per resource: IAM allows 1,000 roles per account by default, and a
 * service with hundreds of resources would otherwise take hundreds of
 * them for the same permissions.
 */
export interface ServiceRoleIntent {
  /** Names the role among the environment's service roles (its construct id); the same key must always give the same role. */
  readonly key: string;
  readonly roleName: string;
  readonly description: string;
  /** The service principal that assumes it, e.g. `<service>.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * The AWS managed policies it carries (their names under
   * `arn:<partition>:iam::aws:policy/`, such as `service-role/<policy>`),
   * each with why it is the way to grant: engines with a policy checker
   * acknowledge it.
   */
  readonly managedPolicies: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** A policy-checker finding acknowledged with its reason. */
export interface CheckAcknowledgementIntent {
  /** Rule id, e.g. `AwsSolutions-IAM5`. */
  readonly rule: string;
  readonly reason: string;
}

export interface RoleHandle {
  readonly roleName: string;
  /** The role ARN (a plain string). */
  readonly roleArn: string;
}

export interface LogGroupIntent {
  readonly scopeId: string;
  readonly name: string;
  /** Days (a CloudWatch Logs value). */
  readonly retentionDays: number;
  readonly removal: Removal;
}

/** What an engine has been asked to build, for parity checks between engines. */
export interface RecordedIntent {
  readonly type: string;
  readonly intent: unknown;
}
