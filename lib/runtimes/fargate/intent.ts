/**
 * What the Fargate runtime asks of an engine, as plain data: the runtime
 * (an ECS cluster, its tasks' security group, a private DNS namespace and,
 * for public hosts, a load balancer with its certificate) and each
 * workload (a task definition with its roles and log group, and an ECS
 * service or a schedule). Every decision is made before an engine sees
 * it, in `./fargate-runtime.ts` and `./fargate-workload.ts`.
 */
import type { Removal } from '../../core/policy';
import type { CheckAcknowledgementIntent, PolicyStatementIntent } from '../../engines/intents';

export interface FargateRuntimeIntent {
  readonly scopeId: string;
  readonly clusterName: string;
  /** CloudWatch Container Insights on the cluster. */
  readonly containerInsights: boolean;
  /** The private DNS namespace (AWS Cloud Map) of app-to-app connections. */
  readonly discoveryNamespace: string;
  /** Ports of apps other tasks of the runtime connect to (the tasks' group admits itself on them). */
  readonly clientPorts: number[];
  /** The public load balancer, when an app has a host. */
  readonly loadBalancer?: LoadBalancerIntent;
}

export interface LoadBalancerIntent {
  readonly name: string;
  /** Route 53 zone of the hosts (certificate validation and alias records). */
  readonly hostedZoneId: string;
  /** Names on the listener's certificate (each domain and `*.domain`). */
  readonly certificateNames: string[];
  /** TLS policy of the HTTPS listener. */
  readonly sslPolicy: string;
  /** Days the access logs are kept. */
  readonly accessLogDays: number;
  /** Removal of the access-log bucket. */
  readonly accessLogRemoval: Removal;
  /** Name of the access-log bucket (`<...>-alb-logs-<account>`). */
  readonly accessLogBucketName: string;
  readonly accessLogsVersioned: boolean;
  readonly deletionProtection: boolean;
  /** The apps' hosts: one alias record each. */
  readonly hosts: string[];
  /** Ports of the apps with a host (the tasks' group admits the load balancer on them). */
  readonly appPorts: number[];
}

/** The runtime as its workloads' renderers see it: references valid in the engine's output. */
export interface FargateRuntimeHandle {
  readonly clusterName: string;
  readonly clusterArn: string;
  /** The security group of every task of the runtime. */
  readonly taskSecurityGroupId: string;
  readonly discoveryNamespaceId: string;
  readonly loadBalancer?: {
    /** The HTTPS listener the apps' rules join. */
    readonly listenerArn: string;
  };
}

/** An environment variable of the container: a plain value or a key of a Secrets Manager secret. */
export interface ContainerVariable {
  readonly name: string;
  readonly value?: string;
  /** `arn:...:secret:<name>:<json key>::`. */
  readonly valueFrom?: string;
}

export interface FargateTaskIntent {
  /** Scope (and own stack) of the workload inside the environment. */
  readonly scopeId: string;
  /** Tags on every resource of the workload's stack (its `labels`). */
  readonly tags: Record<string, string>;
  readonly family: string;
  readonly cpu: number;
  readonly memory: number;
  readonly container: {
    readonly name: string;
    readonly image: string;
    readonly entryPoint?: string[];
    readonly command?: string[];
    readonly port?: number;
    /** CPU units reserved for the container (its request). */
    readonly cpu: number;
    /** Memory reserved for the container, in MiB (its request). */
    readonly memoryReservation: number;
    /** Memory the container may use at most, in MiB (its limit: the task's memory). */
    readonly memory: number;
    /** `uid:gid`. */
    readonly user: string;
    readonly variables: ContainerVariable[];
    /** Read-only root filesystem (off only for ECS Exec, whose agent writes to it). */
    readonly readonlyRootFilesystem: boolean;
    /** A command whose failure marks the container unhealthy (ECS replaces the task). */
    readonly healthCommand?: string[];
  };
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly logRemoval: Removal;
  readonly executionRoleName: string;
  /** What the task's agent may do: pull the image, write logs, read the secrets of `variables`. */
  readonly executionStatements: PolicyStatementIntent[];
  /** The task role (the workload's own identity), when a connection granted it something. */
  readonly taskRole?: {
    readonly roleName: string;
    readonly description: string;
    readonly statements: PolicyStatementIntent[];
    readonly acknowledgements?: CheckAcknowledgementIntent[];
  };
  /**
   * Scope ids of the managed services the workload connects to: its stack
   * deploys after theirs, so its tasks find the secrets they read at start.
   */
  readonly deployAfter: string[];
  /** Findings the execution role's policy knowingly triggers, with reasons. */
  readonly executionAcknowledgements: CheckAcknowledgementIntent[];
}

export interface FargateServiceIntent extends FargateTaskIntent {
  readonly serviceName: string;
  readonly executeCommand: boolean;
  /** Fixed tasks, or the fewest when scaled. */
  readonly desiredCount: number;
  readonly cpuScaling?: { readonly min: number; readonly max: number; readonly targetCpu: number };
  readonly queueScaling?: { readonly min: number; readonly max: number; readonly queueName: string; readonly messagesPerTask: number };
  /** The public route through the runtime's load balancer. */
  readonly route?: {
    readonly host: string;
    readonly pathPatterns: string[];
    readonly priority: number;
    readonly healthCheckPath: string;
    readonly healthCheckGraceSeconds: number;
  };
  /** The name registered in the runtime's private DNS namespace, for clients in the runtime. */
  readonly discoveryName?: string;
}

export interface FargateScheduleIntent extends FargateTaskIntent {
  readonly scheduleName: string;
  readonly expression: string;
  readonly timeZone: string;
  /** Attempts to start a run again when starting it fails. */
  readonly retries: number;
  readonly schedulerRoleName: string;
}
