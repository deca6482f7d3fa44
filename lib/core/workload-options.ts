import { IConnectable } from './connections';

/**
 * A key of an existing Kubernetes Secret, read into an environment
 * variable. The secret's value never appears in the program or its output.
 */
export interface SecretKeyReference {
  /** Name of the Secret in the workload's namespace. */
  readonly secretName: string;
  /** Key within the Secret. */
  readonly key: string;
}

/**
 * CPU and memory of the workload's container. Quantities use Kubernetes
 * notation (`250m`, `1`, `512Mi`, `1Gi`) and are written as given.
 */
export interface ResourceOptions {
  /**
   * CPU the scheduler reserves for the container.
   *
   * @default - 100m in DEVELOPMENT, 250m in STAGING, 500m in PRODUCTION
   */
  readonly cpuRequest?: string;
  /**
   * CPU the container may use at most.
   *
   * @default - 500m in DEVELOPMENT, 1 in STAGING and PRODUCTION
   */
  readonly cpuLimit?: string;
  /**
   * Memory the scheduler reserves for the container.
   *
   * @default - 128Mi in DEVELOPMENT, 256Mi in STAGING, 512Mi in PRODUCTION
   */
  readonly memoryRequest?: string;
  /**
   * Memory the container may use at most (it is killed above it).
   *
   * @default - 256Mi in DEVELOPMENT, 512Mi in STAGING, 1Gi in PRODUCTION
   */
  readonly memoryLimit?: string;
}

/**
 * Horizontal pod autoscaling on CPU utilisation (autoscaling/v2). Needs
 * resource metrics (metrics-server) from the cluster's SupportServices.
 */
export interface AutoscalingOptions {
  /**
   * Fewest replicas.
   *
   * @default - the tier's replicas: 1 in DEVELOPMENT, 2 in STAGING, 3 in PRODUCTION
   */
  readonly minReplicas?: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /**
   * Average CPU utilisation (percent of the CPU request) to keep.
   *
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

/**
 * Options shared by every workload (WebApp, Worker, ScheduledJob).
 */
/**
 * Prometheus metrics a workload exposes (a WebApp's are scraped through a
 * ServiceMonitor, a Worker's through a PodMonitor).
 */
export interface MetricsEndpoint {
  /**
   * Port of the metrics endpoint.
   *
   * @default - a WebApp's port; a Worker must give it
   */
  readonly port?: number;
  /**
   * Path of the metrics endpoint.
   *
   * @default '/metrics'
   */
  readonly path?: string;
}


export interface WorkloadOptions {
  /**
   * Container image, with a tag or digest (`ghcr.io/acme/orders:1.4.2`,
   * `...@sha256:...`). In PRODUCTION an image without a tag, or tagged
   * `latest`, is an error.
   */
  readonly image: string;

  /**
   * Entrypoint of the container.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments to the entrypoint.
   *
   * @default - the image's command
   */
  readonly args?: string[];

  /**
   * Plain configuration as environment variables. Never put secrets here
   * (a key that looks secret, such as `DB_PASSWORD` or `API_KEY`, is an
   * error): use `secretEnv`.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Environment variables read from keys of existing Kubernetes Secrets in
   * the workload's namespace.
   *
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };

  /**
   * CPU and memory requests and limits.
   *
   * @default - the tier's defaults (see `ResourceOptions`)
   */
  readonly resources?: ResourceOptions;

  /**
   * What the workload connects to (databases, other apps). Each connection
   * adds its environment variables, network policy egress and whatever
   * else the target needs. Same as calling `connect()` for each.
   *
   * @default - none
   */
  readonly connections?: IConnectable[];

  /**
   * Namespace of the workload. Workloads that name the same namespace share
   * it (and its default-deny network policy).
   *
   * @default - a namespace named after the workload's id
   */
  readonly namespace?: string;

  /**
   * Labels of your own on everything the workload emits: on Kubernetes
   * every object of the workload (and its Namespace) and its pod template;
   * on Fargate, tags on the resources of its stack. Changing one on a pod
   * template rolls the pods out again. They win over the
   * platform's `labels` for the same key. Selectors never change. Keys of
   * Kubernetes (`kubernetes.io/`, `k8s.io/`) or of the library
   * (`app.kubernetes.io/name`, `app.kubernetes.io/managed-by`) and values
   * Kubernetes rejects are errors (RS008).
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of your own on every Kubernetes object of the workload (and
   * its Namespace); not on the pod template, whose changes restart the pods.
   * They win over the platform's `annotations` for the same key. An error
   * on Fargate, which has no annotations (RS150; `labels` become tags there).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}
