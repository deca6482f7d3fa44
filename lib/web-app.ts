import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { checkConnectOptions } from './core/connection-checks';
import { ConnectionProblem, ConnectOptions, IConnectable, IWorkloadBinding, IWorkloadRuntime, SupportNeed } from './core/connections';
import { rendered } from './core/graph';
import { ProblemCollector } from './core/problems';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType } from './kubernetes/imports/httproutes-gateway.networking.k8s.io';
import { ServiceMonitor } from './kubernetes/imports/servicemonitors-monitoring.coreos.com';
import { listenerFor } from './private/routing';
import { checkPath, checkPort, isHostName, normalPath } from './private/validation';
import { FargateWorkload } from './runtimes/fargate/fargate-workload';
import { GATEWAY_NAME, GATEWAY_NAMESPACE, MONITORING_NAMESPACE } from './runtimes/kubernetes/conventions';
import { Workload } from './workload';
import { AutoscalingOptions, MetricsEndpoint, WorkloadOptions } from './workload-options';

/**
 * HTTP health checks of a WebApp, on its port.
 */
export interface HealthCheckOptions {
  /**
   * Path of the readiness and startup probes: the pod gets traffic once it
   * answers 2xx/3xx here.
   *
   * @default '/'
   */
  readonly path?: string;
  /**
   * Path of the liveness probe: the container is restarted when it stops
   * answering here.
   *
   * @default - the same as `path`
   */
  readonly livenessPath?: string;
  /**
   * How long the container may take to start before it is restarted, in
   * seconds (checked every 10 seconds).
   *
   * @default 300
   */
  readonly startupTimeoutSeconds?: number;
}

/**
 * Properties of a `WebApp`.
 */
export interface WebAppProps extends WorkloadOptions {
  /** Port the container listens on for HTTP (1-65535); also the Service's port. */
  readonly port: number;

  /**
   * Public host name, e.g. `orders.acme.example.com`: routed through the
   * cluster's Gateway over HTTPS (HTTP redirects), with a DNS record and a
   * certificate from the cluster's SupportServices.
   *
   * @default - no public route: reachable only inside the cluster
   */
  readonly host?: string;

  /**
   * Path prefix of the public route (only with `host`).
   *
   * @default '/'
   */
  readonly path?: string;

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
   * HTTP startup, readiness and liveness probes.
   *
   * @default - all three probes on `/` at the app's port
   */
  readonly healthCheck?: HealthCheckOptions;

  /**
   * Expose Prometheus metrics: a ServiceMonitor scrapes them.
   *
   * @default - no metrics scraping
   */
  readonly metrics?: MetricsEndpoint;
}

/** WebApps that route a host, per runtime (for the duplicate host+path check). */
const routedApps = new WeakMap<IWorkloadRuntime, WebApp[]>();

/**
 * A long-running HTTP service: Deployment, Service and, with `host`, a
 * public HTTPS route through the cluster's Gateway. Secure and
 * production-shaped by default (restricted pods, default-deny network
 * policy, tier-chosen replicas, disruption budget and zone spread).
 *
 * Other workloads can connect to it (`connections: [app]`): they get
 * `<ID>_URL` with its in-cluster URL and a network path to its port.
 */
export class WebApp extends Workload implements IConnectable {
  /** Name of the app's Service (and Deployment). */
  public readonly serviceName: string;
  /** Port of the app (container and Service). */
  public readonly port: number;
  /** Public host, if routed. */
  public readonly host?: string;
  /** Prefix of the environment variables a connection to this app gives: the id in upper case. */
  public readonly connectionEnvPrefix: string;

  private readonly props: WebAppProps;
  private rendered?: {
    deployment: k8s.KubeDeployment;
    service: k8s.KubeService;
    networkPolicy: k8s.KubeNetworkPolicy;
    route?: HttpRoute;
    serviceMonitor?: ServiceMonitor;
    autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
    disruptionBudget?: k8s.KubePodDisruptionBudget;
  };

  constructor(runtime: IWorkloadRuntime, id: string, props: WebAppProps) {
    super(runtime, id, 'WebApp', props);
    this.props = props;
    this.port = props.port;
    this.host = props.host;
    this.serviceName = this._base.name;
    this.connectionEnvPrefix = id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

    if (props.host !== undefined) {
      routedApps.set(runtime, [...(routedApps.get(runtime) ?? []), this]);
      for (const need of [SupportNeed.ROUTING, SupportNeed.DNS, SupportNeed.TLS]) {
        runtime.addNeed(need, this, props.host, `public route of ${this.node.path}`);
      }
    }
    if (props.metrics) {
      runtime.addNeed(SupportNeed.METRICS, this, undefined, `metrics of ${this.node.path}`);
    }
    if (props.autoscaling) {
      runtime.addNeed(SupportNeed.AUTOSCALING, this, undefined, `autoscaling of ${this.node.path}`);
    }
    const fargate = this._fargate;
    if (fargate) {
      fargate.app = {
        construct: this,
        name: this.serviceName,
        host: props.host,
        path: props.path,
        port: props.port,
        hasClients: () => FargateWorkload.hasClientsInRuntime(this, fargate.fargate),
      };
      fargate.fargate._addApp(fargate.app);
    }

  }

  /**
   * The app's URL for the workloads of its runtime: on Kubernetes
   * `http://<service>.<namespace>.svc.cluster.local:<port>`, on Fargate
   * `http://<app>.<runtime namespace>:<port>` (a private DNS name of AWS Cloud Map).
   */
  public get url(): string {
    if (this._fargate) return `http://${this._fargate.discoveryHost}:${this.port}`;
    return `http://${this.serviceName}.${this.namespace}.svc.cluster.local:${this.port}`;
  }

  /** Checks a connection from `workload` to this app: both must run in the same cluster or Fargate runtime. */
  public checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[] {
    const optionProblems = checkConnectOptions(this, 'app', options, {});
    if (runtime === this.runtime) return optionProblems;
    const sameEnv = runtime.environment === this.runtime.environment;
    return [{
      code: 'RS124',
      prop: 'connections',
      message: `${this.node.path} runs in ${sameEnv ? 'runtime' : 'environment'} ${sameEnv ? this.runtime.node.path : this.runtime.environment.node.path}, not in ${sameEnv ? runtime.node.path : runtime.environment.node.path} where ${workload.node.path} runs`,
      fix: 'connect only to apps of the same cluster or Fargate runtime; to call an app elsewhere (between EKS and Fargate too), give it a host and use its public URL in env',
    }, ...optionProblems];
  }

  /** A connection to an app needs nothing from support services. */
  public connectionNeeds(_options?: ConnectOptions): SupportNeed[] {
    return [];
  }

  /**
   * Gives the client `<PREFIX>_URL` and a network path to this app's port.
   * The ingress side is opened by this app's own NetworkPolicy.
   */
  public bindConnection(binding: IWorkloadBinding): void {
    binding.addEnvironment(`${binding.envPrefix}_URL`, this.url);
    binding.allowEgressToWorkload(this, this.port);
  }

  /** The Deployment (after render): escape hatch, e.g. `addJsonPatch`. */
  public get deployment(): k8s.KubeDeployment {
    return this.renderedObjects().deployment;
  }

  /** The Service (after render). */
  public get service(): k8s.KubeService {
    return this.renderedObjects().service;
  }

  /** The app's NetworkPolicy (after render). */
  public get networkPolicy(): k8s.KubeNetworkPolicy {
    return this.renderedObjects().networkPolicy;
  }

  /** The Gateway API HTTPRoute (after render), when the app has a host. */
  public get route(): cdk8s.ApiObject | undefined {
    return this.renderedObjects().route;
  }

  /** The prometheus-operator ServiceMonitor (after render), when the app has metrics. */
  public get serviceMonitor(): cdk8s.ApiObject | undefined {
    return this.renderedObjects().serviceMonitor;
  }

  /** The HorizontalPodAutoscaler (after render), when the app autoscales. */
  public get autoscaler(): k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    return this.renderedObjects().autoscaler;
  }

  /** The PodDisruptionBudget (after render), in tiers that have one. */
  public get disruptionBudget(): k8s.KubePodDisruptionBudget | undefined {
    return this.renderedObjects().disruptionBudget;
  }

  private renderedObjects(): NonNullable<WebApp['rendered']> {
    void this._core; // on Fargate: the error that there are no Kubernetes objects
    return rendered(this, this.rendered);
  }

  private get metricsPort(): number | undefined {
    return this.props.metrics ? this.props.metrics.port ?? this.port : undefined;
  }

  /** @internal */
  protected _validateWorkload(problems: ProblemCollector): void {
    const p = this.props;
    super._validateWorkload(problems);
    this._base.validateReplicas(problems, p.replicas, p.autoscaling);
    checkPort(this, problems, 'port', p.port);
    if (p.metrics?.port !== undefined) checkPort(this, problems, 'metrics.port', p.metrics.port);
    checkPath(this, problems, 'path', p.path);
    checkPath(this, problems, 'metrics.path', p.metrics?.path);
    checkPath(this, problems, 'healthCheck.path', p.healthCheck?.path);
    checkPath(this, problems, 'healthCheck.livenessPath', p.healthCheck?.livenessPath);
    const startup = p.healthCheck?.startupTimeoutSeconds;
    if (startup !== undefined && (!Number.isInteger(startup) || startup < 10)) {
      problems.error(this, 'RS126', 'healthCheck.startupTimeoutSeconds', `${startup} is not a whole number of seconds, 10 or more`,
        'give the seconds the app may take to start, e.g. 300');
    }
    this._fargate?.validateService(problems, {
      host: p.host,
      path: p.path,
      healthCheckPath: p.healthCheck?.path,
      livenessPath: p.healthCheck?.livenessPath,
      healthCheckGiven: p.healthCheck !== undefined,
    });
    if (p.path !== undefined && p.host === undefined) {
      problems.error(this, 'RS105', 'path', 'path is set without host', 'set host too, or remove path: only a public route has a path');
    }
    if (p.host !== undefined && !cdk.Token.isUnresolved(p.host)) {
      if (!isHostName(p.host)) {
        problems.error(this, 'RS104', 'host', `"${p.host}" is not a valid DNS host name`,
          'give a lowercase, fully qualified name such as "orders.acme.example.com" (no scheme, port or path)');
      } else {
        // `/api` and `/api/` route the same requests.
        const path = normalPath(p.path);
        const routed = routedApps.get(this.runtime) ?? [];
        const earlier = routed.find(a => a !== this && a.host === p.host && normalPath(a.props.path) === path);
        if (earlier && routed.indexOf(earlier) < routed.indexOf(this)) {
          problems.error(this, 'RS106', 'host', `${p.host}${path} is already routed to ${earlier.node.path} in this ${this._fargate ? 'runtime' : 'cluster'}`,
            'give each app its own host, or a different path');
        }
      }
    }
  }

  /** @internal */
  protected _renderOnFargate(fargate: FargateWorkload): void {
    const p = this.props;
    fargate.renderService({
      port: this.port,
      host: p.host,
      path: p.path,
      replicas: p.replicas,
      autoscaling: p.autoscaling,
      healthCheckPath: p.healthCheck?.path,
      startupTimeoutSeconds: p.healthCheck?.startupTimeoutSeconds,
      discoverable: FargateWorkload.hasClientsInRuntime(this, fargate.fargate),
    });
  }

  /** @internal */
  protected _renderWorkload(): void {
    const p = this.props;
    const core = this._core;
    const chart = core.renderBase();
    const plan = core.replicaPlan(p.replicas, p.autoscaling);
    const metricsPort = this.metricsPort;
    const separateMetrics = metricsPort !== undefined && metricsPort !== this.port;
    const hc = p.healthCheck ?? {};
    const readyPath = hc.path ?? '/';
    const http = k8s.IntOrString.fromString('http');
    const probe = (path: string, periodSeconds: number, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: http },
      periodSeconds,
      timeoutSeconds: 2,
      failureThreshold,
    });

    const container = core.container({
      ports: [
        { name: 'http', containerPort: this.port, protocol: 'TCP' },
        ...(separateMetrics ? [{ name: 'metrics', containerPort: metricsPort, protocol: 'TCP' }] : []),
      ],
      startupProbe: probe(readyPath, 10, Math.ceil((hc.startupTimeoutSeconds ?? 300) / 10)),
      readinessProbe: probe(readyPath, 10, 3),
      livenessProbe: probe(hc.livenessPath ?? readyPath, 20, 3),
    });

    const deployment = new k8s.KubeDeployment(chart, 'Resource', {
      metadata: core.metadata(),
      spec: {
        replicas: plan.replicas,
        selector: { matchLabels: core.selector },
        template: core.podTemplate(container, { spreadZones: true }),
      },
    });

    const service = new k8s.KubeService(chart, 'Service', {
      metadata: core.metadata(this.serviceName),
      spec: {
        type: 'ClusterIP',
        selector: core.selector,
        ports: [
          { name: 'http', port: this.port, targetPort: http, protocol: 'TCP' },
          ...(separateMetrics ? [{ name: 'metrics', port: metricsPort, targetPort: k8s.IntOrString.fromString('metrics'), protocol: 'TCP' }] : []),
        ],
      },
    });

    const tcp = (port: number) => [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }];
    const nsPeer = (ns: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } });
    const ingress: k8s.NetworkPolicyIngressRule[] = [];
    if (p.host !== undefined) ingress.push({ from: [nsPeer(GATEWAY_NAMESPACE)], ports: tcp(this.port) });
    ingress.push(...core.clientIngress(this, this.port));
    if (metricsPort !== undefined) ingress.push({ from: [nsPeer(MONITORING_NAMESPACE)], ports: tcp(metricsPort) });
    const networkPolicy = core.networkPolicy(ingress);

    let route: HttpRoute | undefined;
    if (p.host !== undefined) {
      route = new HttpRoute(chart, 'Route', {
        metadata: core.customResourceMetadata(),
        spec: {
          parentRefs: [{
            name: GATEWAY_NAME,
            namespace: GATEWAY_NAMESPACE,
            sectionName: listenerFor(core.cluster, p.host),
          }],
          hostnames: [p.host],
          rules: [{
            matches: [{ path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: p.path ?? '/' } }],
            backendRefs: [{ name: this.serviceName, port: this.port }],
          }],
        },
      });
    }

    let serviceMonitor: ServiceMonitor | undefined;
    if (p.metrics) {
      serviceMonitor = new ServiceMonitor(chart, 'ServiceMonitor', {
        metadata: core.customResourceMetadata(),
        spec: {
          selector: { matchLabels: core.selector },
          endpoints: [{ port: separateMetrics ? 'metrics' : 'http', path: p.metrics.path ?? '/metrics' }],
        },
      });
    }

    this.rendered = {
      deployment,
      service,
      networkPolicy,
      route,
      serviceMonitor,
      autoscaler: core.autoscaler(plan),
      disruptionBudget: core.disruptionBudget(),
    };
  }
}
