import { IConstruct } from 'constructs';
import type { Environment } from './environment';

/**
 * The connection contract: what a workload and the target it connects to
 * (a database, a bucket, another app) may ask of each other. Runtime- and
 * engine-neutral: the Kubernetes runtime implements it with Pod Identity,
 * ExternalSecrets and NetworkPolicies; another runtime (ECS) with task
 * roles, task secrets and security groups.
 */

/**
 * Something a workload needs from its cluster's support services.
 */
export enum SupportNeed {
  /** HTTP routing from outside the cluster (Gateway API). */
  ROUTING = 'routing',
  /** DNS records for public hosts (external-dns). */
  DNS = 'dns',
  /** TLS certificates for public hosts (cert-manager). */
  TLS = 'tls',
  /** Secrets synced from AWS Secrets Manager (External Secrets Operator). */
  SECRETS = 'secrets',
  /** Metrics scraping (Prometheus Operator). */
  METRICS = 'metrics',
  /** Resource metrics for autoscaling (metrics-server). */
  AUTOSCALING = 'autoscaling',
}

/**
 * A need recorded on a runtime (a cluster).
 */
export interface NeedRecord {
  /** What is needed. */
  readonly need: SupportNeed;
  /** Who needs it (a workload or a connection target). */
  readonly requester: IConstruct;
  /**
   * The public host name, for ROUTING, DNS and TLS.
   *
   * @default - none
   */
  readonly host?: string;
  /**
   * Why, in words (shown in errors).
   *
   * @default - none
   */
  readonly reason?: string;
}

/**
 * A problem found when checking a connection.
 */
export interface ConnectionProblem {
  /** Stable code, e.g. `RS402`. */
  readonly code: string;
  /** The prop of the workload that is wrong, e.g. `connections[0]`. */
  readonly prop: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * An IAM permission a connection grants to the workload's own identity
 * (on Kubernetes: the workload's role, bound to its service account by EKS
 * Pod Identity; created only when something grants it a permission).
 * Always `Allow`; name the target's resources, never `*`.
 */
export interface IamGrant {
  /**
   * Statement id.
   *
   * @default - none
   */
  readonly sid?: string;
  /** Actions, e.g. `s3:GetObject`. */
  readonly actions: string[];
  /** ARNs of the resources the actions are allowed on. */
  readonly resources: string[];
  /**
   * Condition block: operator → condition key → value(s).
   *
   * @default - none
   */
  readonly conditions?: { [operator: string]: { [key: string]: any } };
  /**
   * Why the statement's wildcards are needed (for example the objects of a
   * bucket, `<bucket ARN>/*`): policy checkers that flag wildcards
   * (cdk-nag `AwsSolutions-IAM5`) are told this reason.
   *
   * @default - no wildcards expected; a checker reports any
   */
  readonly wildcardReason?: string;
}

/**
 * Keys of an AWS Secrets Manager secret, delivered to the workload as
 * environment variables. The values never appear in any output.
 */
export interface SecretEnvironment {
  /** Name of the secret in Secrets Manager (a secret of the workload's environment). */
  readonly secretName: string;
  /** Environment variable → key of the secret (or a key of `composed`). */
  readonly variables: { [name: string]: string };
  /**
   * More keys made from the secret's keys: key → template in which `{key}`
   * stands for the value of a key of the secret, e.g.
   * `postgresql://{username}:{password}@{host}:{port}/{dbname}`.
   *
   * @default - none
   */
  readonly composed?: { [key: string]: string };
}

/**
 * Where a workload's traffic comes from, as the AWS side sees it: what a
 * target's security group admits.
 */
export interface NetworkSource {
  /** Stable key of the source (a target admits each source once), e.g. the cluster name. */
  readonly key: string;
  /** The source in words, for rule descriptions, e.g. `the pods and nodes of EKS cluster acme-prod-main`. */
  readonly description: string;
  /**
   * The security group of the source's traffic (a reference valid in the engine's output).
   *
   * @default - none: targets cannot admit the source by security group
   */
  readonly securityGroupId?: string;
}

/** Something a runtime cannot provide, with the fix. */
export interface RuntimeGap {
  /** What is missing, e.g. `existing cluster acme/prod/legacy has no clusterSecurityGroupId`. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Where workloads run (a `KubernetesCluster`), as connection targets see it.
 */
export interface IWorkloadRuntime extends IConstruct {
  /** The environment the runtime belongs to. */
  readonly environment: Environment;
  /**
   * Why targets on the AWS side cannot admit this runtime's workloads by
   * security group, and the fix.
   *
   * @default - none: they can
   */
  readonly securityGroupGap?: RuntimeGap;
  /** Records that `requester` needs `need` from the runtime's support services. */
  addNeed(need: SupportNeed, requester: IConstruct, host?: string, reason?: string): void;
}

/**
 * What a connection target may ask of the workload it is connected to.
 * Handed to `IConnectable.bindConnection()` when the workload renders.
 */
export interface IWorkloadBinding {
  /** The workload. */
  readonly workload: IConstruct;
  /** Where the workload runs. */
  readonly runtime: IWorkloadRuntime;
  /**
   * Prefix of the environment variables of this connection (for example
   * `ORDERS_DB`), as chosen by the workload for this target.
   */
  readonly envPrefix: string;
  /** The workload's traffic as the AWS side sees it (for the target's security group). */
  readonly networkSource: NetworkSource;
  /** Grants an IAM permission to the workload's own identity. */
  grant(permission: IamGrant): void;
  /** Adds a plain environment variable to the workload's containers. */
  addEnvironment(name: string, value: string): void;
  /** Delivers keys of a Secrets Manager secret as environment variables. */
  addSecretEnvironment(secret: SecretEnvironment): void;
  /**
   * Offers a conventional variable (such as `DATABASE_URL`) with the value
   * of this connection's variable `fromVariable`. The workload sets it when
   * exactly one of its connections offers `name` and it does not set
   * `name` itself.
   */
  offerEnvironment(name: string, fromVariable: string): void;
  /** Allows the workload's traffic to `cidrs` on a TCP port. */
  allowEgress(cidrs: string[], port: number): void;
  /** Allows the workload's traffic to another workload of the same runtime on a TCP port. */
  allowEgressToWorkload(target: IConstruct, port: number): void;
}

/**
 * Something a workload can connect to (`connections: [db]` or
 * `app.connect(db)`): a database, another app, ...
 */
export interface IConnectable extends IConstruct {
  /**
   * The default prefix of the environment variables this target gives a
   * workload, e.g. `ORDERS_DB`.
   */
  readonly connectionEnvPrefix: string;
  /** Checks a connection from `workload` (running on `runtime`); returns every problem. */
  checkConnection(workload: IConstruct, runtime: IWorkloadRuntime): ConnectionProblem[];
  /** The support-service needs a connection to this target brings. */
  connectionNeeds(): SupportNeed[];
  /** Wires the connection into the workload, on both sides. Called at render. */
  bindConnection(binding: IWorkloadBinding): void;
}
