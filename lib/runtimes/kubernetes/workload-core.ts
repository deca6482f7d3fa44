import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { GATEWAY_NAMESPACE, MANAGED_BY_LABEL, MONITORING_NAMESPACE } from './conventions';
import type { KubernetesCluster } from './kubernetes-cluster';
import { ManifestLayer } from './manifests';
import { DNS_EGRESS, restrictedNamespace } from './namespaces';
import { deliverSecret } from './secret-delivery';
import { KEDA_AWS_AUTHENTICATION } from './support/events';
import { ConnectOptions, IamGrant, IConnectable, IWorkloadBinding, PodPeer, QueueDepthScaling, SecretEnvironment } from '../../core/connections';
import { rendered } from '../../core/graph';
import { connectionSecretName, physicalName } from '../../core/naming';
import { ProblemCollector } from '../../core/problems';
import { clientsOf, ReplicaPlan, WorkloadBase } from '../../core/workload-base';
import { RoleHandle } from '../../engines/engine';
import { ScaledObject, ScaledObjectSpecTriggersAuthenticationRefKind } from '../../kubernetes/imports/scaledobjects-keda.sh';
import { isDnsLabel } from '../../private/validation';
import { WorkloadOptions } from '../../workload-options';

/** Namespaces that belong to Kubernetes or to the platform's support services. */
const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', GATEWAY_NAMESPACE, MONITORING_NAMESPACE,
  'cert-manager', 'external-dns', 'external-secrets', 'flux-system', 'argocd', 'keda', 'logging'];

/** User and group the containers run as (non-root, so runAsNonRoot can be verified for images with a named USER). */
export const RUN_AS_USER = 10001;

/** Label selecting a workload's pods (in its namespace). */
export const NAME_LABEL = 'app.kubernetes.io/name';

/** The chart file holding the namespaces of app workloads and their default-deny policies. */
const NAMESPACES_CHART = 'app-namespaces';

/** The Kubernetes core of each workload construct (for app-to-app connections). */
const cores = new WeakMap<IConstruct, WorkloadCore>();

/** Per cluster, the first workload to give each label and annotation of a namespace (shared namespaces must agree). */
const namespaceMetadata = new WeakMap<KubernetesCluster, Map<string, { owner: IConstruct; value: string }>>();

/**
 * EKS Pod Identity agent: a pod with a role gets its credentials from this
 * link-local address on port 80, which a default-deny namespace must allow.
 */
export const POD_IDENTITY_AGENT = { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: 80 };

export type { ReplicaPlan };

/**
 * What WebApp, Worker and ScheduledJob share: id and namespace, needs,
 * connections, validation of the container and its environment, and the
 * Kubernetes objects around the pod (namespace, service account, network
 * policy, disruption budget, autoscaler). Not a construct: the public
 * construct owns it.
 */
export class WorkloadCore extends WorkloadBase<k8s.EnvVar> {
  public readonly namespace: string;
  public readonly serviceAccountName: string;

  private readonly egress: k8s.NetworkPolicyEgressRule[] = [];
  private identity?: RoleHandle;
  private renderedChart?: cdk8s.Chart;

  constructor(owner: Construct, public readonly cluster: KubernetesCluster, kind: string, props: WorkloadOptions) {
    super(owner, cluster, kind, props);
    this.namespace = props.namespace ?? this.name;
    this.serviceAccountName = this.name;
    cores.set(owner, this);
  }

  /** Labels that select the workload's pods. */
  public get selector(): Record<string, string> {
    return { [NAME_LABEL]: this.name };
  }

  /** Labels on every object of the workload. */
  public get labels(): Record<string, string> {
    return { ...this.selector, ...MANAGED_BY_LABEL };
  }

  /** Metadata of a namespaced object of the workload. */
  public metadata(name = this.name): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: this.labels };
  }

  /** The metadata of a custom resource whose CRD SupportServices install (see `KubernetesCluster._afterCrds`). */
  public customResourceMetadata(name = this.name): k8s.ObjectMeta {
    const annotations = this.cluster._afterCrds();
    return Object.keys(annotations).length > 0 ? { ...this.metadata(name), annotations } : this.metadata(name);
  }

  /** The chart of the workload's objects (after `renderBase`). */
  public get chart(): cdk8s.Chart {
    return rendered(this.owner, this.renderedChart);
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  /** Checks every prop the workloads share, and the namespace. */
  public validate(problems: ProblemCollector): void {
    const p = this.props;
    const scope = this.owner;
    super.validate(problems);
    if (p.namespace !== undefined && !cdk.Token.isUnresolved(p.namespace)) {
      if (!isDnsLabel(p.namespace)) {
        problems.error(scope, 'RS120', 'namespace', `"${p.namespace}" is not a Kubernetes namespace name`,
          'use a lowercase DNS label of at most 63 characters (letters, digits, \'-\')');
      } else if (RESERVED_NAMESPACES.includes(p.namespace)) {
        problems.error(scope, 'RS121', 'namespace', `namespace "${p.namespace}" belongs to Kubernetes or the platform's support services`,
          'choose a namespace of your own, or leave namespace out to get one named after the workload');
      }
    }
    this.validateNamespaceMetadata(problems);
  }

  /**
   * Workloads sharing a namespace put their labels and annotations on it:
   * two of them giving one key different values is an error (RS008, RS009).
   */
  private validateNamespaceMetadata(problems: ProblemCollector): void {
    let seen = namespaceMetadata.get(this.cluster);
    if (!seen) namespaceMetadata.set(this.cluster, seen = new Map());
    const { labels, annotations } = this.userMetadata;
    const conflicts = (kind: 'labels' | 'annotations', map: Record<string, string>) => Object.entries(map).flatMap(([key, value]) => {
      const slot = `${this.namespace}\u0000${kind}\u0000${key}`;
      const first = seen!.get(slot);
      if (!first) seen!.set(slot, { owner: this.owner, value });
      if (!first || first.value === value) return [];
      return [{
        prop: `${kind}.${key}`,
        message: `"${value}" differs from "${first.value}" that ${first.owner.node.path} gives in namespace ${this.namespace}, which both put on the namespace`,
        fix: `give both workloads the same ${kind === 'labels' ? 'label' : 'annotation'} value, or put them in namespaces of their own`,
      }];
    });
    for (const c of conflicts('labels', labels)) problems.error(this.owner, 'RS008', c.prop, c.message, c.fix);
    for (const c of conflicts('annotations', annotations)) problems.error(this.owner, 'RS009', c.prop, c.message, c.fix);
  }

  // ---------------------------------------------------------------------------------------------
  // rendering

  /**
   * Creates the namespace (once per namespace, with its default-deny
   * policy), the chart and the service account, then binds every
   * connection so their environment variables and egress are known.
   */
  public renderBase(): cdk8s.Chart {
    const manifests = this.cluster._manifests;
    const nsChart = manifests.chart(ManifestLayer.NAMESPACES, NAMESPACES_CHART);
    restrictedNamespace(nsChart, this.namespace);
    const chart = manifests.chart(ManifestLayer.APPS, this.name, this.namespace);
    this.renderedChart = chart;
    // The user's labels and annotations: on the workload's file, and on its namespace with its default-deny policy.
    const file = `${ManifestLayer.APPS}-${this.name}`;
    const namespace = this.namespace;
    manifests.addMetadata((f, o) => f === file || (f === `${ManifestLayer.NAMESPACES}-${NAMESPACES_CHART}`
      && (o.kind === 'Namespace' ? o.metadata?.name === namespace : o.metadata?.namespace === namespace)), this.userMetadata);
    new k8s.KubeServiceAccount(chart, 'ServiceAccount', {
      metadata: this.metadata(this.serviceAccountName),
      automountServiceAccountToken: false,
    });
    this.bindConnections((target, envPrefix, options) => this.binding(target, envPrefix, options));
    this.renderIdentity();
    return chart;
  }

  /** The workload's own AWS role (EKS Pod Identity), when a connection granted it a permission. */
  public get role(): RoleHandle | undefined {
    return this.identity;
  }

  /**
   * The workload's identity: a role bound by EKS Pod Identity to its
   * service account in its namespace, with what its connections granted,
   * and egress to the Pod Identity agent. Nothing without grants.
   */
  private renderIdentity(): void {
    if (this.grants.length === 0) return;
    const cluster = this.cluster;
    this.identity = cluster.environment._engine().workloadRole({
      scopeId: `${cluster.id}-app-${this.name}`,
      grain: 'own',
      roleName: physicalName([cluster.clusterName, 'app', this.name], 64),
      namespace: this.namespace,
      serviceAccount: this.serviceAccountName,
      statements: this.grants,
      description: `Workload ${this.namespace}/${this.name} in EKS cluster ${cluster.clusterName}`,
      acknowledgements: this.grantReasons.length > 0 ? this.grantReasons : undefined,
    }, cluster._handle);
    this.egress.push({
      to: POD_IDENTITY_AGENT.cidrs.map(cidr => ({ ipBlock: { cidr } })),
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(POD_IDENTITY_AGENT.port) }],
    });
    // The nodes' instance metadata is out of the pods' reach (hop limit 1),
    // so the AWS SDKs cannot ask it for the region: tell them (as the env
    // or secretEnv props may, which win).
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
      if (!this.env.some(e => e.name === name)) this.setEnv({ name, value: cluster.environment.region });
    }
  }

  /** What `target` may ask of this workload (the connection contract, on Kubernetes). */
  private binding(target: IConnectable, envPrefix: string, options: ConnectOptions): IWorkloadBinding {
    const core = this;
    const cluster = this.cluster;
    const tcp = (port: number) => [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }];
    return {
      workload: this.owner,
      runtime: cluster,
      envPrefix,
      options,
      podPeer: { namespace: this.namespace, podLabels: this.selector, description: `workload ${this.namespace}/${this.name}` },
      networkSource: {
        key: cluster.clusterName,
        description: `the pods and nodes of EKS cluster ${cluster.clusterName}`,
        securityGroupId: cluster._handle.securityGroupId,
      },
      grant(permission: IamGrant) {
        core.addGrant(permission);
      },
      addEnvironment(name: string, value: string) {
        core.setEnv({ name, value });
      },
      addSecretEnvironment(secret: SecretEnvironment) {
        const secretName = deliverSecret(core.chart, connectionSecretName(core.owner, target), core.namespace, secret, core.cluster._afterCrds());
        for (const [name, key] of Object.entries(secret.variables)) {
          core.setEnv({ name, valueFrom: { secretKeyRef: { name: secretName, key } } });
        }
      },
      offerEnvironment(name: string, fromVariable: string) {
        core.addOffer(name, fromVariable);
      },
      allowEgress(cidrs: string[], port: number) {
        core.egress.push({ to: cidrs.map(cidr => ({ ipBlock: { cidr } })), ports: tcp(port) });
      },
      scaleOnQueueDepth(scaling: QueueDepthScaling) {
        core.queueScaling = scaling;
        cluster._addScaledQueue(scaling.queueArn);
      },
      allowEgressToPods(peer: PodPeer, port: number) {
        core.egress.push({
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
            podSelector: { matchLabels: peer.podLabels },
          }],
          ports: tcp(port),
        });
      },
      allowEgressToWorkload(other: IConstruct, port: number) {
        const peer = cores.get(other);
        if (!peer || peer.cluster !== cluster) {
          throw new Error(`${core.owner.node.path}: ${other.node.path} is not a workload of cluster ${cluster.node.path} (validation should have reported it)`);
        }
        core.egress.push({
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peer.namespace } },
            podSelector: { matchLabels: peer.selector },
          }],
          ports: tcp(port),
        });
      },
    };
  }
  private containerEnv(): k8s.EnvVar[] {
    const out: k8s.EnvVar[] = [];
    for (const [name, value] of Object.entries(this.props.env ?? {})) out.push({ name, value });
    for (const [name, ref] of Object.entries(this.props.secretEnv ?? {})) {
      out.push({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } });
    }
    for (const v of this.env) {
      if (!out.some(o => o.name === v.name)) out.push(v);
    }
    return out;
  }

  /** The workload's container, restricted, with requests and limits. */
  public container(extra: Pick<k8s.Container, 'ports' | 'readinessProbe' | 'livenessProbe' | 'startupProbe'> = {}): k8s.Container {
    const r = this.resources;
    const env = this.containerEnv();
    return {
      name: this.name,
      image: this.props.image,
      command: this.props.command,
      args: this.props.args,
      ...extra,
      env: env.length > 0 ? env : undefined,
      resources: {
        requests: { cpu: k8s.Quantity.fromString(r.cpuRequest), memory: k8s.Quantity.fromString(r.memoryRequest) },
        limits: { cpu: k8s.Quantity.fromString(r.cpuLimit), memory: k8s.Quantity.fromString(r.memoryLimit) },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    };
  }

  /**
   * The pod template around `container`: service account, restricted pod
   * security context, writable /tmp, and (for long-running workloads in
   * tiers that spread) zone topology spread.
   */
  public podTemplate(container: k8s.Container, options: { restartPolicy?: string; spreadZones?: boolean } = {}): k8s.PodTemplateSpec {
    const spread = options.spreadZones && this.cluster.environment.defaults.zoneSpread;
    return {
      metadata: { labels: this.labels },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: false,
        restartPolicy: options.restartPolicy,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: RUN_AS_USER,
          runAsGroup: RUN_AS_USER,
          fsGroup: RUN_AS_USER,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        containers: [container],
        volumes: [{ name: 'tmp', emptyDir: {} }],
        // ScheduleAnyway: a zone outage must not stop pods from being rescheduled into the zones left.
        topologySpreadConstraints: spread ? [{
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: this.selector },
        }] : undefined,
      },
    };
  }

  public autoscaler(plan: ReplicaPlan): k8s.KubeHorizontalPodAutoscalerV2 | undefined {
    if (!plan.autoscaling) return undefined;
    return new k8s.KubeHorizontalPodAutoscalerV2(this.chart, 'Autoscaler', {
      metadata: this.metadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: plan.autoscaling.min,
        maxReplicas: plan.autoscaling.max,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: plan.autoscaling.targetCpu } },
        }],
      },
    });
  }

  /**
   * A KEDA ScaledObject that scales the Deployment on a queue's depth with
   * the aws-sqs-queue scaler, authenticated as the KEDA operator (EKS Pod
   * Identity) through the cluster's `aws-pod-identity` ClusterTriggerAuthentication.
   */
  public queueScaledObject(scaling: QueueDepthScaling): ScaledObject {
    return new ScaledObject(this.chart, 'ScaledObject', {
      metadata: this.customResourceMetadata(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicaCount: scaling.minReplicas,
        maxReplicaCount: scaling.maxReplicas,
        pollingInterval: 30,
        cooldownPeriod: 300,
        triggers: [{
          type: 'aws-sqs-queue',
          authenticationRef: { kind: ScaledObjectSpecTriggersAuthenticationRefKind.CLUSTER_TRIGGER_AUTHENTICATION, name: KEDA_AWS_AUTHENTICATION },
          metadata: {
            queueURL: scaling.queueUrl,
            queueLength: String(scaling.messagesPerReplica),
            awsRegion: scaling.region,
          },
        }],
      },
    });
  }

  /** PodDisruptionBudget (tiers that have them): at most one pod down at a time. */
  public disruptionBudget(): k8s.KubePodDisruptionBudget | undefined {
    if (!this.cluster.environment.defaults.podDisruptionBudget) return undefined;
    return new k8s.KubePodDisruptionBudget(this.chart, 'DisruptionBudget', {
      metadata: this.metadata(),
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: this.selector },
      },
    });
  }

  /**
   * The workload's NetworkPolicy: `ingress` rules (none for workloads that
   * take no traffic), DNS egress to kube-system, and each connection's egress.
   */
  public networkPolicy(ingress: k8s.NetworkPolicyIngressRule[]): k8s.KubeNetworkPolicy {
    return new k8s.KubeNetworkPolicy(this.chart, 'NetworkPolicy', {
      metadata: this.metadata(),
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress,
        egress: [DNS_EGRESS, ...this.egress],
      },
    });
  }

  /** Ingress rule admitting the pods of every workload that connects to `target`, on `port`. */
  public clientIngress(target: IConstruct, port: number): k8s.NetworkPolicyIngressRule[] {
    const clients = clientsOf(target).filter((c): c is WorkloadCore => c instanceof WorkloadCore && c.cluster === this.cluster && c !== this);
    if (clients.length === 0) return [];
    return [{
      from: clients.map(c => ({
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
        podSelector: { matchLabels: c.selector },
      })),
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }],
    }];
  }
}
