import * as cdk8s from 'cdk8s';
import { IConstruct } from 'constructs';
import type { KubernetesCluster } from '../runtimes/kubernetes/kubernetes-cluster';

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
 * A need recorded on a cluster.
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
 * What a connection target may do to the workload it is connected to.
 * Handed to `IConnectable.bindConnection()` when the workload renders.
 */
export interface IWorkloadBinding {
  /** The workload. */
  readonly workload: IConstruct;
  /** The workload's cluster. */
  readonly cluster: KubernetesCluster;
  /** The workload's namespace. */
  readonly namespace: string;
  /** The workload's Kubernetes service account. */
  readonly serviceAccountName: string;
  /** Chart for the objects the connection adds (in the workload's namespace). */
  readonly chart: cdk8s.Chart;
  /**
   * Prefix of the environment variables of this connection (for example
   * `ORDERS_DB`), as chosen by the workload for this target.
   */
  readonly envPrefix: string;
  /** Adds a plain environment variable to the workload's containers. */
  addEnvironment(name: string, value: string): void;
  /** Adds an environment variable read from a key of a Kubernetes Secret. */
  addSecretEnvironment(name: string, secretName: string, key: string): void;
  /** Allows egress from the workload's pods to `cidrs` on a TCP port. */
  allowEgress(cidrs: string[], port: number): void;
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
  /** Checks a connection from `workload` (in `cluster`); returns every problem. */
  checkConnection(workload: IConstruct, cluster: KubernetesCluster): ConnectionProblem[];
  /** The support-service needs a connection to this target brings. */
  connectionNeeds(): SupportNeed[];
  /** Wires the connection into the workload, on both sides. Called at render. */
  bindConnection(binding: IWorkloadBinding): void;
}
