import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IWorkloadRuntime, SupportNeed } from './core/connections';
import { rendered } from './core/graph';
import { ProblemCollector } from './core/problems';
import { PodMonitor } from './kubernetes/imports/podmonitors-monitoring.coreos.com';
import { checkPath, checkPort } from './private/validation';
import { FargateWorkload } from './runtimes/fargate/fargate-workload';
import { MONITORING_NAMESPACE } from './runtimes/kubernetes/conventions';
import { Workload } from './workload';
import { AutoscalingOptions, MetricsEndpoint, WorkloadOptions } from './workload-options';

/**
 * Properties of a `Worker`.
 */
export interface WorkerProps extends WorkloadOptions {
  /**
   * Fixed number of replicas (not with `autoscaling`).
   *
   * @default - 1 in DEVELOPMENT, 2 in STAGING, 3 in PRODUCTION
   */
  readonly replicas?: number;

  /**
   * Scale on CPU with a HorizontalPodAutoscaler.
   *
   * @default - no autoscaling: `replicas` pods
   */
  readonly autoscaling?: AutoscalingOptions;

  /**
   * Command run in the container to check it is alive (exit 0); the
   * container is restarted when it fails 3 times in a row.
   *
   * @default - no liveness probe: the container is restarted when it exits
   */
  readonly livenessCommand?: string[];

  /**
   * Expose Prometheus metrics: a PodMonitor scrapes the pods (a Worker has
   * no Service). `metrics.port` is required: a worker has no other port.
   *
   * @default - no metrics scraping
   */
  readonly metrics?: MetricsEndpoint;
}

/**
 * A long-running background process (queue consumer, stream processor):
 * like a WebApp, without Service or route. Takes no inbound traffic.
 */
export class Worker extends Workload {

  private readonly props: WorkerProps;
  private rendered?: {
    deployment: k8s.KubeDeployment;
    networkPolicy: k8s.KubeNetworkPolicy;
    autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
    scaledObject?: cdk8s.ApiObject;
    disruptionBudget?: k8s.KubePodDisruptionBudget;
    podMonitor?: PodMonitor;
  };

  constructor(runtime: IWorkloadRuntime, id: string, props: WorkerProps) {
    super(runtime, id, 'Worker', props);
    this.props = props;
    if (props.autoscaling) {
      runtime.addNeed(SupportNeed.AUTOSCALING, this, undefined, `autoscaling of ${this.node.path}`);
    }
    if (props.metrics) {
      runtime.addNeed(SupportNeed.METRICS, this, undefined, `metrics of ${this.node.path}`);
    }
  }

  /** The Deployment (after render): escape hatch, e.g. `addJsonPatch`. */
  public get deployment(): k8s.KubeDeployment {
    return this.renderedObjects().deployment;
  }

  /** The worker's NetworkPolicy (after render). */
  public get networkPolicy(): k8s.KubeNetworkPolicy {
    return this.renderedObjects().networkPolicy;
  }

  /** The HorizontalPodAutoscaler (after render), when the worker autoscales. */
  public get autoscaler(): k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    return this.renderedObjects().autoscaler;
  }

  /** The KEDA ScaledObject (after render), when a connection scales the worker on a queue's depth. */
  public get scaledObject(): cdk8s.ApiObject | undefined {
    return this.renderedObjects().scaledObject;
  }

  /** The PodDisruptionBudget (after render), in tiers that have one. */
  public get disruptionBudget(): k8s.KubePodDisruptionBudget | undefined {
    return this.renderedObjects().disruptionBudget;
  }

  /** The prometheus-operator PodMonitor (after render), when the worker has metrics. */
  public get podMonitor(): cdk8s.ApiObject | undefined {
    return this.renderedObjects().podMonitor;
  }

  private renderedObjects(): NonNullable<Worker['rendered']> {
    void this._core; // on Fargate: the error that there are no Kubernetes objects
    return rendered(this, this.rendered);
  }

  /** @internal */
  protected _validateWorkload(problems: ProblemCollector): void {
    super._validateWorkload(problems);
    this._base.validateReplicas(problems, this.props.replicas, this.props.autoscaling);
    if (this.props.livenessCommand !== undefined && this.props.livenessCommand.length === 0) {
      problems.error(this, 'RS127', 'livenessCommand', 'the liveness command is empty', 'give a command such as ["/bin/healthcheck"], or leave livenessCommand out');
    }
    const metrics = this.props.metrics;
    if (metrics && metrics.port === undefined) {
      problems.error(this, 'RS128', 'metrics.port', 'no metrics port given', 'give the port the worker serves metrics on, e.g. { port: 9090 }');
    }
    checkPort(this, problems, 'metrics.port', metrics?.port);
    checkPath(this, problems, 'metrics.path', metrics?.path);
  }

  /** @internal */
  protected _renderOnFargate(fargate: FargateWorkload): void {
    fargate.renderService({
      replicas: this.props.replicas,
      autoscaling: this.props.autoscaling,
      livenessCommand: this.props.livenessCommand,
      discoverable: false,
    });
  }

  /** @internal */
  protected _renderWorkload(): void {
    const core = this._core;
    const chart = core.renderBase();
    // A queue's depth sets the replicas when a connection scales on it.
    const queue = core.queueDepthScaling;
    const plan = queue ? {} : core.replicaPlan(this.props.replicas, this.props.autoscaling);
    const metrics = this.props.metrics;
    const metricsPort = metrics?.port;
    const container = core.container({
      ...(this.props.livenessCommand ? {
        livenessProbe: { exec: { command: this.props.livenessCommand }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 },
      } : {}),
      ...(metricsPort !== undefined ? { ports: [{ name: 'metrics', containerPort: metricsPort, protocol: 'TCP' }] } : {}),
    });
    const deployment = new k8s.KubeDeployment(chart, 'Resource', {
      metadata: core.metadata(),
      spec: {
        replicas: plan.replicas,
        selector: { matchLabels: core.selector },
        template: core.podTemplate(container, { spreadZones: true }),
      },
    });
    this.rendered = {
      deployment,
      // Only the Prometheus stack may reach a worker, and only its metrics port.
      networkPolicy: core.networkPolicy(metricsPort === undefined ? [] : [{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': MONITORING_NAMESPACE } } }],
        ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(metricsPort) }],
      }]),
      autoscaler: core.autoscaler(plan),
      scaledObject: queue ? core.queueScaledObject(queue) : undefined,
      disruptionBudget: core.disruptionBudget(),
      podMonitor: metrics ? new PodMonitor(chart, 'PodMonitor', {
        metadata: core.customResourceMetadata(),
        spec: {
          selector: { matchLabels: core.selector },
          podMetricsEndpoints: [{ port: 'metrics', path: metrics.path ?? '/metrics' }],
        },
      }) : undefined,
    };
  }
}
