import type { IConstruct } from 'constructs';
import type { IWorkloadRuntime, PodPeer, RuntimeGap } from './connections';

/**
 * A PostgreSQL database a runtime hosts (engine-neutral: what to run,
 * decided by the service; how, decided by the runtime).
 */
export interface InClusterPostgresSpec {
  /** Who asks (errors name it). */
  readonly requester: IConstruct;
  /** Name of the database cluster (a DNS label). */
  readonly name: string;
  /** Namespace of its own. */
  readonly namespace: string;
  /** Name of the database created at bootstrap. */
  readonly databaseName: string;
  /** The full PostgreSQL version, e.g. `17.9`. */
  readonly engineVersion: string;
  /** The container image of that version. */
  readonly image: string;
  /** PostgreSQL instances: 1, or 2 for a standby in another zone. */
  readonly instances: number;
  /** Volume size per instance, in GiB. */
  readonly storageGiB: number;
  /** Whether the volumes outlive the database (the tier's or the prop's data removal). */
  readonly retainVolumes: boolean;
  /** PostgreSQL parameters. */
  readonly parameters: { [name: string]: string };
}

/**
 * A PostgreSQL database a runtime hosts, as connections see it.
 */
export interface IHostedPostgres {
  /** Host name clients of the runtime connect to (the primary). */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** The database's pods, as a network peer. */
  readonly peer: PodPeer;
  /** Name of the Secret with `username`, `password`, `dbname` and `port`, in the database's namespace. */
  readonly secretName: string;
  /**
   * Name of the secret store through which workloads of the runtime read
   * that Secret (created when the first client is admitted).
   */
  readonly secretStoreName: string;
  /** Admits a client: ingress on the port, and reading the credentials. */
  admit(client: PodPeer): void;
}

/**
 * A runtime that can host services inside itself (a `KubernetesCluster`).
 */
export interface IServiceHost extends IWorkloadRuntime {
  /**
   * Why this runtime cannot host a PostgreSQL database, and the fix.
   *
   * @default - none: it can
   */
  readonly postgresHostingGap?: RuntimeGap;
  /** Hosts a PostgreSQL database (called when the database renders, after the runtime). */
  hostPostgres(spec: InClusterPostgresSpec): IHostedPostgres;
}
