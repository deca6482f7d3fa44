import * as cdk from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { Application, registerWorkload } from './application';
import { checkWorkloadConnections, WorkloadConnection } from './connection-checks';
import { ConnectOptions, IamGrant, IConnectable, IWorkloadBinding, IWorkloadRuntime, QueueDepthScaling } from './connections';
import type { Environment } from './environment';
import { checkUniqueId, requestedId } from './graph';
import { checkMetadata, mergeMetadata, metadataOf, ObjectMetadata } from './metadata';
import { checkId } from './naming';
import { ProblemCollector } from './problems';
import { Tier } from './tier';
import { AutoscalingOptions, WorkloadOptions } from './workload-options';
import type { CheckAcknowledgementIntent, PolicyStatementIntent } from '../engines/intents';
import { isDnsSubdomain, isEnvVarName, isPinnedImage, looksSecret, parseCpu, parseImage, parseMemory } from '../private/validation';

/**
 * What a workload (WebApp, Worker, ScheduledJob) is whatever runs it: its
 * name, its connections and their options, the checks of the props every
 * runtime shares (image, resources, environment, connections, replicas,
 * scaling), the replica plan, and what its connections asked for (IAM
 * statements, conventional variables, queue-depth scaling). Each runtime
 * extends it with how it renders the workload (`lib/runtimes/<runtime>/`).
 * Not a construct: the public construct owns it.
 */

/** Who connects to a target (filled by `WorkloadBase.connect`). */
const inbound = new WeakMap<IConstruct, WorkloadBase<any>[]>();

/** The workloads connected to `target`, in the order they connected. */
export function clientsOf(target: IConstruct): WorkloadBase<any>[] {
  return [...(inbound.get(target) ?? [])];
}

/** Replica plan of a long-running workload. */
export interface ReplicaPlan {
  /** Fixed replicas (undefined when autoscaled). */
  readonly replicas?: number;
  readonly autoscaling?: { readonly min: number; readonly max: number; readonly targetCpu: number };
}

/** CPU and memory of a workload's container, defaults filled in. */
export interface ResolvedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/**
 * IAM5 findings a statement with wildcards triggers (cdk-nag reports the
 * rule and one finding per wildcard action or resource).
 */
export function wildcardFindings(statements: PolicyStatementIntent[]): string[] {
  const rule = 'AwsSolutions-IAM5';
  const wildcards = new Set<string>();
  for (const st of statements) {
    st.actions.filter(a => a.includes('*')).forEach(a => wildcards.add(`Action::${a}`));
    st.resources.filter(r => r.includes('*')).forEach(r => wildcards.add(`Resource::${r}`));
  }
  return [rule, ...[...wildcards].map(w => `${rule}[${w}]`)];
}

export abstract class WorkloadBase<E extends { readonly name: string }> {
  /** The workload's name: its id. */
  public readonly name: string;
  public readonly connections: IConnectable[] = [];
  protected readonly envPrefixes: string[] = [];
  protected readonly connectOptions: ConnectOptions[] = [];
  protected queueScaling?: QueueDepthScaling;
  /** Variables connections set (the props' env and secretEnv come first, see the runtimes). */
  protected readonly env: E[] = [];
  /** What connections granted the workload's own identity. */
  protected readonly grants: PolicyStatementIntent[] = [];
  protected readonly grantReasons: CheckAcknowledgementIntent[] = [];
  protected readonly offers: Array<{ readonly name: string; readonly fromVariable: string }> = [];

  protected constructor(
    public readonly owner: Construct,
    public readonly runtime: IWorkloadRuntime,
    public readonly kind: string,
    protected readonly props: WorkloadOptions,
  ) {
    this.name = requestedId(owner);
    registerWorkload(owner);
    for (const c of props.connections ?? []) this.connect(c);
  }

  /** The workload's environment. */
  public get environment(): Environment {
    return this.runtime.environment;
  }

  /** The tier of the workload's environment. */
  public get tier(): Tier {
    return this.environment.tier;
  }

  /** Records a connection and the needs it brings. */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    this.connections.push(target);
    this.envPrefixes.push(options.envPrefix ?? target?.connectionEnvPrefix);
    this.connectOptions.push(options);
    inbound.set(target, [...(inbound.get(target) ?? []), this]);
    const needs = typeof target?.connectionNeeds === 'function' ? target.connectionNeeds(options) : [];
    for (const need of needs) {
      this.runtime.addNeed(need, this.owner, undefined, `connection to ${target.node.path}`);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  /** Checks every prop the workloads share, on every runtime. */
  public validate(problems: ProblemCollector): void {
    checkUniqueId(this.owner, problems, this.kind);
    checkId(this.owner, problems, this.kind, 63, this.name);
    this.validateImage(problems);
    this.validateResources(problems);
    this.validateEnvironment(problems);
    this.validateConnections(problems);
    checkMetadata(this.owner, problems, metadataOf(this.props));
  }

  /** The workload's labels and annotations: its application's, then its own (`WorkloadOptions.labels`, `annotations`). */
  public get userMetadata(): ObjectMetadata {
    const application = Application.of(this.owner);
    return application ? mergeMetadata(application._metadata(), metadataOf(this.props)) : metadataOf(this.props);
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
      const min = autoscaling.minReplicas ?? this.environment.defaults.replicas;
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

  protected validateImage(problems: ProblemCollector): void {
    const image = this.props.image;
    if (image === undefined || cdk.Token.isUnresolved(image)) return;
    const ref = parseImage(image);
    if (!ref) {
      problems.error(this.owner, 'RS101', 'image', `"${image}" is not a valid image reference`,
        'give [registry/]repository[:tag][@sha256:digest] in lowercase, e.g. "ghcr.io/acme/orders:1.4.2"');
    } else if (this.environment.defaults.requirePinnedImages && !isPinnedImage(ref)) {
      problems.error(this.owner, 'RS102', 'image',
        `image "${image}" ${ref.tag === 'latest' ? 'is tagged latest' : 'has no tag or digest'}, but ${this.tier.toUpperCase()} needs a pinned image`,
        `pin a version or digest, e.g. "${ref.name}:1.2.3" or "${ref.name}@sha256:..."`);
    }
  }

  /** The container's resources, defaults filled in. */
  public get resources(): ResolvedResources {
    const d = this.defaultResources();
    const r = this.props.resources ?? {};
    return {
      cpuRequest: r.cpuRequest ?? d.cpuRequest,
      cpuLimit: r.cpuLimit ?? d.cpuLimit,
      memoryRequest: r.memoryRequest ?? d.memoryRequest,
      memoryLimit: r.memoryLimit ?? d.memoryLimit,
    };
  }

  /** The fix of RS116 (a secret-looking variable with a literal value), in the runtime's terms. */
  protected secretFix(name: string): string {
    return `move it to secretEnv: { ${name}: { secretName: '...', key: '...' } } so the value stays in a Kubernetes Secret`;
  }

  /** The resources a container gets where the props give none: the tier's (a runtime may size them its way). */
  protected defaultResources(): ResolvedResources {
    const d = this.environment.defaults;
    return { cpuRequest: d.cpuRequest, cpuLimit: d.cpuLimit, memoryRequest: d.memoryRequest, memoryLimit: d.memoryLimit };
  }

  protected validateResources(problems: ProblemCollector): void {
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

  protected validateEnvironment(problems: ProblemCollector): void {
    const env = this.props.env ?? {};
    const secretEnv = this.props.secretEnv ?? {};
    for (const [name, value] of Object.entries(env)) {
      if (!isEnvVarName(name)) {
        problems.error(this.owner, 'RS114', `env.${name}`, `"${name}" is not a valid environment variable name`,
          'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (e.g. LOG_LEVEL)');
      } else if (looksSecret(name) && typeof value === 'string' && !cdk.Token.isUnresolved(value)) {
        problems.error(this.owner, 'RS116', `env.${name}`, `"${name}" looks like a secret but has a literal value in env`,
          this.secretFix(name));
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
  protected validateConnections(problems: ProblemCollector): void {
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
      for (const cp of target.checkConnection(this.owner, this.runtime, this.connectOptions[i])) {
        const key = `${cp.code}|${cp.message}`;
        if (reported.has(key)) continue;
        reported.add(key);
        problems.error(this.owner, cp.code, prop, cp.message, cp.fix);
      }
    }
    this.validateScaling(problems);
  }

  /** Scaling on a connection's backlog: Workers only, once, not with CPU autoscaling. */
  protected validateScaling(problems: ProblemCollector): void {
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
    const min = s.minReplicas ?? this.environment.defaults.replicas;
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
  // what connections ask for

  /**
   * Adds what a connection grants (the same statement once; statement ids
   * kept unique), with the reason for its wildcards.
   */
  protected addGrant(permission: IamGrant): void {
    const statement: PolicyStatementIntent = {
      sid: permission.sid,
      actions: permission.actions,
      resources: permission.resources,
      conditions: permission.conditions as PolicyStatementIntent['conditions'],
    };
    if (this.grants.some(g => JSON.stringify(g) === JSON.stringify(statement))) return;
    if (statement.sid && this.grants.some(g => g.sid === statement.sid)) {
      let n = 2;
      while (this.grants.some(g => g.sid === `${statement.sid}${n}`)) n++;
      (statement as { sid?: string }).sid = `${statement.sid}${n}`;
    }
    this.grants.push(statement);
    if (permission.wildcardReason) {
      this.grantReasons.push(...wildcardFindings([statement]).map(rule => ({ rule, reason: permission.wildcardReason! })));
    }
  }

  /** Records a conventional variable a connection offers (see `IWorkloadBinding.offerEnvironment`). */
  protected addOffer(name: string, fromVariable: string): void {
    this.offers.push({ name, fromVariable });
  }

  /** Sets (or replaces) a variable of the workload's container. */
  protected setEnv(v: E): void {
    const i = this.env.findIndex(e => e.name === v.name);
    if (i >= 0) this.env[i] = v; else this.env.push(v);
  }

  /** Binds every connection, then sets the conventional variables exactly one connection offers. */
  protected bindConnections(binding: (target: IConnectable, envPrefix: string, options: ConnectOptions) => IWorkloadBinding): void {
    this.connections.forEach((target, i) => target.bindConnection(binding(target, this.envPrefixes[i], this.connectOptions[i])));
    for (const name of [...new Set(this.offers.map(o => o.name))]) {
      const offers = this.offers.filter(o => o.name === name);
      const source = this.env.find(e => e.name === offers[0].fromVariable);
      if (offers.length === 1 && source && !this.props.env?.[name] && !this.props.secretEnv?.[name]) {
        this.setEnv({ ...source, name });
      }
    }
  }

  /** Replicas or autoscaling, from the props and the tier. */
  public replicaPlan(replicas: number | undefined, autoscaling: AutoscalingOptions | undefined): ReplicaPlan {
    const d = this.environment.defaults;
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

}
