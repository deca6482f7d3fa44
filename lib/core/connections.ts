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
  /** Scaling on events such as a queue's depth (KEDA). */
  EVENT_AUTOSCALING = 'event-autoscaling',
  /** PostgreSQL clusters inside the Kubernetes cluster (CloudNativePG operator). */
  POSTGRES = 'postgres',
}

/**
 * What a workload may do with what it connects to.
 */
export enum Access {
  /** Read only: get and list objects of a bucket; receive and delete messages of a queue (consume). */
  READ = 'read',
  /** Write only: put objects into a bucket; send messages to a queue. */
  WRITE = 'write',
  /** Both. */
  READ_WRITE = 'read-write',
}

/**
 * Scaling a workload on the backlog of what it connects to (a queue's
 * depth): the workload runs enough replicas for the messages waiting.
 */
export interface BacklogScalingOptions {
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Fewest replicas (0 scales to zero when nothing waits; not in PRODUCTION).
   *
   * @default - the tier's replicas: 1 in DEVELOPMENT, 2 in STAGING, 3 in PRODUCTION
   */
  readonly minReplicas?: number;
  /**
   * Messages waiting per replica.
   *
   * @default 10
   */
  readonly messagesPerReplica?: number;
}

/**
 * Options of one connection (`app.connect(target, options)`).
 */
export interface ConnectOptions {
  /**
   * Prefix of the environment variables this connection adds (for a
   * database: `<PREFIX>_HOST`, `_PORT`, `_DATABASE`, `_USER`, `_PASSWORD`,
   * `_URL`).
   *
   * @default - the target's `connectionEnvPrefix` (its id in upper snake case, e.g. `ORDERS_DB`)
   */
  readonly envPrefix?: string;
  /**
   * What the workload may do with the target (buckets and queues).
   *
   * @default Access.READ_WRITE
   */
  readonly access?: Access;
  /**
   * Scale the workload on the target's backlog (a queue's depth). Workers only.
   *
   * @default - no scaling on the target
   */
  readonly scaling?: BacklogScalingOptions;
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
  /** Stable code, e.g. `RS124`. */
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

/** A key of another Secrets Manager secret of the environment. */
export interface SecretKeySource {
  /** Name of the secret. */
  readonly secretName: string;
  /** Key in the secret's JSON. */
  readonly key: string;
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
  /**
   * Keys read from other secrets of the environment (for example a cache's
   * endpoint, kept apart from its generated token): key → where it is.
   *
   * @default - every key is read from `secretName`
   */
  readonly otherKeys?: { [key: string]: SecretKeySource };
  /**
   * Read `secretName` from this secret store of the runtime instead of
   * the environment's Secrets Manager (a target hosted inside the
   * runtime, such as an in-cluster database).
   *
   * @default - the environment's AWS Secrets Manager
   */
  readonly secretStore?: string;
}

/**
 * Scaling on the depth of an Amazon SQS queue (what a queue asks for a
 * connection with `scaling`).
 */
export interface QueueDepthScaling {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly messagesPerReplica: number;
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

/**
 * Pods of a runtime as a network peer inside it: what an in-cluster
 * target admits and what a workload's egress allows.
 */
export interface PodPeer {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels selecting the pods in that namespace. */
  readonly podLabels: { [name: string]: string };
  /** The pods in words, for errors and descriptions, e.g. `workload shop/api`. */
  readonly description: string;
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
  /** The options the workload connected with. */
  readonly options: ConnectOptions;
  /**
   * The workload's pods as a network peer inside its runtime (what a
   * target hosted in the runtime admits).
   *
   * @default - none: the runtime has no such peers
   */
  readonly podPeer?: PodPeer;
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
  /** Allows the workload's traffic to pods of its runtime on a TCP port. */
  allowEgressToPods(peer: PodPeer, port: number): void;
  /** Scales the workload on a queue's depth (replaces replicas and CPU autoscaling). */
  scaleOnQueueDepth(scaling: QueueDepthScaling): void;
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
  /**
   * Checks a connection from `workload` (running on `runtime`) with
   * `options`; returns every problem (options the target cannot honour
   * included).
   */
  checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[];
  /** The support-service needs a connection to this target (with `options`) brings. */
  connectionNeeds(options?: ConnectOptions): SupportNeed[];
  /** Wires the connection into the workload, on both sides. Called at render. */
  bindConnection(binding: IWorkloadBinding): void;
}
