import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { GATEWAY_NAMESPACE, MANAGED_BY_LABEL, MONITORING_NAMESPACE } from './conventions';
import type { KubernetesCluster } from './kubernetes-cluster';
import { ManifestLayer } from './manifests';
import { DNS_EGRESS, restrictedNamespace } from './namespaces';
import { deliverSecret } from './secret-delivery';
import { findingsOf } from './support/context';
import { KEDA_AWS_AUTHENTICATION } from './support/events';
import { checkWorkloadConnections, WorkloadConnection } from '../../core/connection-checks';
import { ConnectOptions, IamGrant, IConnectable, IWorkloadBinding, PodPeer, QueueDepthScaling, SecretEnvironment } from '../../core/connections';
import { checkUniqueId, rendered, requestedId } from '../../core/graph';
import { checkId, connectionSecretName, physicalName } from '../../core/naming';
import { ProblemCollector } from '../../core/problems';
import { Tier } from '../../core/tier';
import { CheckAcknowledgementIntent, PolicyStatementIntent, RoleHandle } from '../../engines/engine';
import { ScaledObject, ScaledObjectSpecTriggersAuthenticationRefKind } from '../../kubernetes/imports/scaledobjects-keda.sh';
import { isDnsLabel, isDnsSubdomain, isEnvVarName, isPinnedImage, looksSecret, parseCpu, parseImage, parseMemory } from '../../private/validation';
import { AutoscalingOptions, WorkloadOptions } from '../../workload-options';

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

/**
 * EKS Pod Identity agent: a pod with a role gets its credentials from this
 * link-local address on port 80, which a default-deny namespace must allow.
 */
export const POD_IDENTITY_AGENT = { cidrs: ['169.254.170.23/32', 'fd00:ec2::23/128'], port: 80 };

/** Who connects to a target (filled by `WorkloadCore.connect`). */
const inbound = new WeakMap<IConstruct, WorkloadCore[]>();

/** The workloads connected to `target`, in the order they connected. */
export function clientsOf(target: IConstruct): WorkloadCore[] {
  return [...(inbound.get(target) ?? [])];
}

/** Replica plan of a long-running workload. */
export interface ReplicaPlan {
  /** Fixed replicas (undefined when autoscaled). */
  readonly replicas?: number;
  readonly autoscaling?: { readonly min: number; readonly max: number; readonly targetCpu: number };
}

/**
 * What WebApp, Worker and ScheduledJob share: id and namespace, needs,
 * connections, validation of the container and its environment, and the
 * Kubernetes objects around the pod (namespace, service account, network
 * policy, disruption budget, autoscaler). Not a construct: the public
 * construct owns it.
 */
export class WorkloadCore {
  /** The workload's name: its id, used unchanged as the Kubernetes name. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly serviceAccountName: string;
  public readonly connections: IConnectable[] = [];
  private readonly envPrefixes: string[] = [];
  private readonly connectOptions: ConnectOptions[] = [];
  private queueScaling?: QueueDepthScaling;

  private readonly env: k8s.EnvVar[] = [];
  private readonly egress: k8s.NetworkPolicyEgressRule[] = [];
  private readonly grants: PolicyStatementIntent[] = [];
  private readonly grantReasons: CheckAcknowledgementIntent[] = [];
  private readonly offers: Array<{ readonly name: string; readonly fromVariable: string }> = [];
  private identity?: RoleHandle;
  private renderedChart?: cdk8s.Chart;

  constructor(
    public readonly owner: Construct,
    public readonly cluster: KubernetesCluster,
    private readonly kind: string,
    private readonly props: WorkloadOptions,
  ) {
    this.name = requestedId(owner);
    this.namespace = props.namespace ?? this.name;
    this.serviceAccountName = this.name;
    cores.set(owner, this);
    for (const c of props.connections ?? []) this.connect(c);
  }

  /** The tier of the workload's environment. */
  public get tier(): Tier {
    return this.cluster.environment.tier;
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

  /** Records a connection and the needs it brings. */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    this.connections.push(target);
    this.envPrefixes.push(options.envPrefix ?? target?.connectionEnvPrefix);
    this.connectOptions.push(options);
    inbound.set(target, [...(inbound.get(target) ?? []), this]);
    const needs = typeof target?.connectionNeeds === 'function' ? target.connectionNeeds(options) : [];
    for (const need of needs) {
      this.cluster.addNeed(need, this.owner, undefined, `connection to ${target.node.path}`);
    }
  }

  /** The chart of the workload's objects (after `renderBase`). */
  public get chart(): cdk8s.Chart {
    return rendered(this.owner, this.renderedChart);
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  /** Checks every prop the workloads share. */
  public validate(problems: ProblemCollector): void {
    const p = this.props;
    const scope = this.owner;
    checkUniqueId(scope, problems, this.kind);
    checkId(scope, problems, this.kind, 63, this.name);

    if (p.namespace !== undefined && !cdk.Token.isUnresolved(p.namespace)) {
      if (!isDnsLabel(p.namespace)) {
        problems.error(scope, 'RS120', 'namespace', `"${p.namespace}" is not a Kubernetes namespace name`,
          'use a lowercase DNS label of at most 63 characters (letters, digits, \'-\')');
      } else if (RESERVED_NAMESPACES.includes(p.namespace)) {
        problems.error(scope, 'RS121', 'namespace', `namespace "${p.namespace}" belongs to Kubernetes or the platform's support services`,
          'choose a namespace of your own, or leave namespace out to get one named after the workload');
      }
    }

    this.validateImage(problems);
    this.validateResources(problems);
    this.validateEnvironment(problems);
    this.validateConnections(problems);
  }

  /** Checks replicas and autoscaling of a long-running workload. */
  public validateReplicas(problems: ProblemCollector, replicas: number | undefined, autoscaling: AutoscalingOptions | undefined): void {
    const scope = this.owner;
    const production = this.tier === Tier.PRODUCTION;
    if (replicas !== undefined && autoscaling !== undefined) {
      problems.error(scope, 'RS125', 'replicas', 'replicas and autoscaling are both set',
        'remove replicas: with autoscaling the autoscaler sets the replicas between minReplicas and maxReplicas');
    }
    if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
      problems.error(scope, 'RS107', 'replicas', `${replicas} is not a whole number of replicas`, 'give a whole number, 0 or more');
    } else if (replicas !== undefined && production && replicas < 2) {
      problems.error(scope, 'RS108', 'replicas', `${replicas} replica${replicas === 1 ? '' : 's'} in PRODUCTION`,
        'PRODUCTION workloads run at least 2 replicas so one can be lost: set replicas to 2 or more (or leave it out for 3)');
    }
    if (autoscaling) {
      const min = autoscaling.minReplicas ?? this.cluster.environment.defaults.replicas;
      const max = autoscaling.maxReplicas;
      if (!Number.isInteger(min) || min < 1) {
        problems.error(scope, 'RS109', 'autoscaling.minReplicas', `${min} is not a whole number of 1 or more`, 'set minReplicas to 1 or more');
      } else if (production && min < 2) {
        problems.error(scope, 'RS108', 'autoscaling.minReplicas', `${min} replica in PRODUCTION`,
          'PRODUCTION workloads run at least 2 replicas: set minReplicas to 2 or more');
      }
      if (!Number.isInteger(max) || max < 1) {
        problems.error(scope, 'RS109', 'autoscaling.maxReplicas', `${max} is not a whole number of 1 or more`, 'set maxReplicas to 1 or more');
      } else if (Number.isInteger(min) && min > max) {
        problems.error(scope, 'RS110', 'autoscaling', `minReplicas ${min}${autoscaling.minReplicas === undefined ? ' (the tier default)' : ''} is more than maxReplicas ${max}`,
          'make maxReplicas at least minReplicas');
      }
      const target = autoscaling.targetCpuUtilization;
      if (target !== undefined && (!Number.isInteger(target) || target < 1 || target > 100)) {
        problems.error(scope, 'RS111', 'autoscaling.targetCpuUtilization', `${target} is not a percentage from 1 to 100`,
          'give a whole percentage of the CPU request, e.g. 70');
      }
    }
  }

  private validateImage(problems: ProblemCollector): void {
    const image = this.props.image;
    if (image === undefined || cdk.Token.isUnresolved(image)) return;
    const ref = parseImage(image);
    if (!ref) {
      problems.error(this.owner, 'RS101', 'image', `"${image}" is not a valid image reference`,
        'give [registry/]repository[:tag][@sha256:digest] in lowercase, e.g. "ghcr.io/acme/orders:1.4.2"');
    } else if (this.cluster.environment.defaults.requirePinnedImages && !isPinnedImage(ref)) {
      problems.error(this.owner, 'RS102', 'image',
        `image "${image}" ${ref.tag === 'latest' ? 'is tagged latest' : 'has no tag or digest'}, but ${this.tier.toUpperCase()} needs a pinned image`,
        `pin a version or digest, e.g. "${ref.name}:1.2.3" or "${ref.name}@sha256:..."`);
    }
  }

  /** The container's resources, tier defaults filled in. */
  public get resources(): { cpuRequest: string; cpuLimit: string; memoryRequest: string; memoryLimit: string } {
    const d = this.cluster.environment.defaults;
    const r = this.props.resources ?? {};
    return {
      cpuRequest: r.cpuRequest ?? d.cpuRequest,
      cpuLimit: r.cpuLimit ?? d.cpuLimit,
      memoryRequest: r.memoryRequest ?? d.memoryRequest,
      memoryLimit: r.memoryLimit ?? d.memoryLimit,
    };
  }

  private validateResources(problems: ProblemCollector): void {
    const r = this.resources;
    const given = this.props.resources ?? {};
    const check = (key: keyof typeof r, parse: (q: string) => number | undefined, example: string): number | undefined => {
      const q = r[key];
      if (cdk.Token.isUnresolved(q)) return undefined;
      const n = parse(q);
      if (n === undefined) {
        problems.error(this.owner, 'RS112', `resources.${key}`, `"${q}" is not a ${key.startsWith('cpu') ? 'CPU' : 'memory'} quantity`,
          `use Kubernetes notation, e.g. ${example}`);
      }
      return n;
    };
    const cpuReq = check('cpuRequest', parseCpu, '"250m" or "1"');
    const cpuLim = check('cpuLimit', parseCpu, '"500m" or "2"');
    const memReq = check('memoryRequest', parseMemory, '"256Mi" or "1Gi"');
    const memLim = check('memoryLimit', parseMemory, '"512Mi" or "2Gi"');
    const tierNote = (k: keyof typeof given) => given[k] === undefined ? ` (the ${this.tier.toUpperCase()} default)` : '';
    if (cpuReq !== undefined && cpuLim !== undefined && cpuReq > cpuLim) {
      problems.error(this.owner, 'RS113', 'resources.cpuRequest', `CPU request ${r.cpuRequest}${tierNote('cpuRequest')} is above the limit ${r.cpuLimit}${tierNote('cpuLimit')}`,
        'lower cpuRequest or raise cpuLimit so that the request is at most the limit');
    }
    if (memReq !== undefined && memLim !== undefined && memReq > memLim) {
      problems.error(this.owner, 'RS113', 'resources.memoryRequest', `memory request ${r.memoryRequest}${tierNote('memoryRequest')} is above the limit ${r.memoryLimit}${tierNote('memoryLimit')}`,
        'lower memoryRequest or raise memoryLimit so that the request is at most the limit');
    }
  }

  private validateEnvironment(problems: ProblemCollector): void {
    const env = this.props.env ?? {};
    const secretEnv = this.props.secretEnv ?? {};
    for (const [name, value] of Object.entries(env)) {
      if (!isEnvVarName(name)) {
        problems.error(this.owner, 'RS114', `env.${name}`, `"${name}" is not a valid environment variable name`,
          'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (e.g. LOG_LEVEL)');
      } else if (looksSecret(name) && typeof value === 'string' && !cdk.Token.isUnresolved(value)) {
        problems.error(this.owner, 'RS116', `env.${name}`, `"${name}" looks like a secret but has a literal value in env`,
          `move it to secretEnv: { ${name}: { secretName: '...', key: '...' } } so the value stays in a Kubernetes Secret`);
      }
    }
    for (const [name, ref] of Object.entries(secretEnv)) {
      if (!isEnvVarName(name)) {
        problems.error(this.owner, 'RS114', `secretEnv.${name}`, `"${name}" is not a valid environment variable name`,
          'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (e.g. DB_PASSWORD)');
      }
      if (name in env) {
        problems.error(this.owner, 'RS115', `secretEnv.${name}`, `environment variable "${name}" is set in both env and secretEnv`,
          'set each variable once: keep the secretEnv entry and remove it from env');
      }
      const secretName = ref?.secretName;
      const key = ref?.key;
      if (typeof secretName !== 'string' || (!cdk.Token.isUnresolved(secretName) && !isDnsSubdomain(secretName))) {
        problems.error(this.owner, 'RS117', `secretEnv.${name}.secretName`, `"${secretName}" is not a Kubernetes Secret name`,
          'name an existing Secret in the workload\'s namespace (lowercase letters, digits, \'-\' and \'.\')');
      }
      if (typeof key !== 'string' || (!cdk.Token.isUnresolved(key) && !/^[-._a-zA-Z0-9]{1,253}$/.test(key))) {
        problems.error(this.owner, 'RS117', `secretEnv.${name}.key`, `"${key}" is not a key of a Kubernetes Secret`,
          'give the key within the Secret (letters, digits, \'-\', \'_\' and \'.\')');
      }
    }
  }

  private validateConnections(problems: ProblemCollector): void {
    const others: WorkloadConnection[] = [];
    this.connections.forEach((target, i) => {
      const prop = `connections[${i}]`;
      if ((target as IConstruct) === this.owner) {
        problems.error(this.owner, 'RS122', prop, 'the workload connects to itself', 'remove the connection');
        return;
      }
      others.push({ target, envPrefix: this.envPrefixes[i], prop });
    });
    // Prefixes and duplicates: one rule for every kind of target.
    for (const cp of checkWorkloadConnections(others)) {
      problems.error(this.owner, cp.code, cp.prop, cp.message, cp.fix);
    }
    const reported = new Set<string>();
    for (const [i, target] of this.connections.entries()) {
      if ((target as IConstruct) === this.owner) continue;
      const prop = `connections[${i}]`;
      for (const cp of target.checkConnection(this.owner, this.cluster, this.connectOptions[i])) {
        const key = `${cp.code}|${cp.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.error(this.owner, cp.code, prop, cp.message, cp.fix);
      }
    }
    this.validateScaling(problems);
  }

  /** Scaling on a connection's backlog: Workers only, once, not with CPU autoscaling. */
  private validateScaling(problems: ProblemCollector): void {
    const scaled = this.connectOptions.map((o, i) => ({ o, i })).filter(({ o }) => o.scaling !== undefined);
    if (scaled.length === 0) return;
    const first = `connections[${scaled[0].i}].scaling`;
    if (this.kind !== 'Worker') {
      problems.error(this.owner, 'RS129', first, `a ${this.kind} cannot scale on a connection's backlog (a queue's depth)`,
        'scale a Worker that consumes the queue instead, or remove scaling from the connection');
      return;
    }
    if (scaled.length > 1) {
      problems.error(this.owner, 'RS129', `connections[${scaled[1].i}].scaling`, 'the workload already scales on another connection',
        'scale on one queue only');
    }
    if ((this.props as { autoscaling?: unknown; replicas?: unknown }).autoscaling !== undefined) {
      problems.error(this.owner, 'RS129', first, 'scaling on a queue and CPU autoscaling are both set', 'remove autoscaling: the queue\'s depth sets the replicas');
    }
    if ((this.props as { replicas?: unknown }).replicas !== undefined) {
      problems.error(this.owner, 'RS129', first, 'scaling on a queue and replicas are both set', 'remove replicas: the queue\'s depth sets them');
    }
    const s = scaled[0].o.scaling!;
    const min = s.minReplicas ?? this.cluster.environment.defaults.replicas;
    if (!Number.isInteger(s.maxReplicas) || s.maxReplicas < 1) {
      problems.error(this.owner, 'RS130', `${first}.maxReplicas`, `${s.maxReplicas} is not a whole number of 1 or more`, 'set maxReplicas to 1 or more');
    }
    if (!Number.isInteger(min) || min < 0) {
      problems.error(this.owner, 'RS130', `${first}.minReplicas`, `${min} is not a whole number of 0 or more`, 'set minReplicas to 0 or more');
    } else if (this.tier === Tier.PRODUCTION && min < 2) {
      problems.error(this.owner, 'RS108', `${first}.minReplicas`, `${min} replica${min === 1 ? '' : 's'} in PRODUCTION`,
        'PRODUCTION workloads run at least 2 replicas: set minReplicas to 2 or more');
    } else if (Number.isInteger(s.maxReplicas) && min > s.maxReplicas) {
      problems.error(this.owner, 'RS130', first, `minReplicas ${min} is more than maxReplicas ${s.maxReplicas}`, 'make maxReplicas at least minReplicas');
    }
    const per = s.messagesPerReplica;
    if (per !== undefined && (!Number.isInteger(per) || per < 1)) {
      problems.error(this.owner, 'RS130', `${first}.messagesPerReplica`, `${per} is not a whole number of 1 or more`, 'give the messages one replica handles, e.g. 10');
    }
  }

  /** The queue-depth scaling a connection asked for (after render). */
  public get queueDepthScaling(): QueueDepthScaling | undefined {
    return this.queueScaling;
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
    new k8s.KubeServiceAccount(chart, 'ServiceAccount', {
      metadata: this.metadata(this.serviceAccountName),
      automountServiceAccountToken: false,
    });
    this.connections.forEach((target, i) => target.bindConnection(this.binding(target, this.envPrefixes[i], this.connectOptions[i])));
    // Conventional variables (DATABASE_URL, ...) when exactly one connection offers them.
    for (const name of [...new Set(this.offers.map(o => o.name))]) {
      const offers = this.offers.filter(o => o.name === name);
      const source = this.env.find(e => e.name === offers[0].fromVariable);
      if (offers.length === 1 && source && !this.props.env?.[name] && !this.props.secretEnv?.[name]) {
        this.setEnv({ ...source, name });
      }
    }
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
        const statement: PolicyStatementIntent = {
          sid: permission.sid,
          actions: permission.actions,
          resources: permission.resources,
          conditions: permission.conditions as PolicyStatementIntent['conditions'],
        };
        // The same target connected twice grants the same statement once;
        // statement ids stay unique within the policy.
        if (core.grants.some(g => JSON.stringify(g) === JSON.stringify(statement))) return;
        if (statement.sid && core.grants.some(g => g.sid === statement.sid)) {
          let n = 2;
          while (core.grants.some(g => g.sid === `${statement.sid}${n}`)) n++;
          (statement as { sid?: string }).sid = `${statement.sid}${n}`;
        }
        core.grants.push(statement);
        if (permission.wildcardReason) {
          core.grantReasons.push(...findingsOf('AwsSolutions-IAM5', [statement]).map(rule => ({ rule, reason: permission.wildcardReason! })));
        }
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
        core.offers.push({ name, fromVariable });
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

  private setEnv(v: k8s.EnvVar): void {
    const i = this.env.findIndex(e => e.name === v.name);
    if (i >= 0) this.env[i] = v; else this.env.push(v);
  }

  /** The environment of the container: env, secretEnv, then what connections added. */
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

  /** Replicas or autoscaling, from the props and the tier. */
  public replicaPlan(replicas: number | undefined, autoscaling: AutoscalingOptions | undefined): ReplicaPlan {
    const d = this.cluster.environment.defaults;
    if (autoscaling) {
      return {
        autoscaling: {
          min: autoscaling.minReplicas ?? d.replicas,
          max: autoscaling.maxReplicas,
          targetCpu: autoscaling.targetCpuUtilization ?? 70,
        },
      };
    }
    return { replicas: replicas ?? d.replicas };
  }

  /** HorizontalPodAutoscaler (autoscaling/v2) on CPU for a Deployment. */
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
    const clients = clientsOf(target).filter(c => c.cluster === this.cluster && c !== this);
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
