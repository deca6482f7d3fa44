import * as cdk from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { IConstruct } from 'constructs';
import { CloudFormationCache, renderCache as renderCloudFormation } from './cloudformation';
import { CacheTierDefaults, CacheTierPresets } from './defaults';
import type { CacheHandle, CacheIntent } from './intent';
import type * as terraform from './terraform';
import { checkConnectOptions, envPrefixOf } from '../../core/connection-checks';
import { ConnectionProblem, ConnectOptions, IConnectable, IWorkloadBinding, IWorkloadRuntime, NetworkSource, SupportNeed } from '../../core/connections';
import { RuntimeStackConstruct } from '../../core/element';
import { Environment } from '../../core/environment';
import { checkUniqueId, rendered, RenderPhase, requestedId } from '../../core/graph';
import { checkId, physicalName } from '../../core/naming';
import { secretRecoveryDays, statefulRemoval } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { ManagedServiceProps, stackGroupOf } from '../../core/stack-group';
import { DataRemoval, Tier } from '../../core/tier';
import type { ServiceRenderers } from '../../engines/engine';
import { CACHE_AUTH_TOKEN_LENGTH, CACHE_ENGINE_VERSIONS, CACHE_NODE_FAMILIES } from '../../private/catalog';

/**
 * The engine of a `Cache`.
 */
export enum CacheEngine {
  /** Valkey (the open-source successor of Redis OSS; lower ElastiCache prices). */
  VALKEY = 'valkey',
  /** Redis OSS. */
  REDIS = 'redis',
}

/**
 * Properties of a `Cache`.
 */
export interface CacheProps extends ManagedServiceProps {
  /**
   * The engine.
   *
   * @default CacheEngine.VALKEY
   */
  readonly engine?: CacheEngine;

  /**
   * Engine version: Valkey 7.2, 8.0, 8.1; Redis OSS 6.2, 7.0, 7.1.
   *
   * @default - '8.0' for Valkey, '7.1' for Redis OSS
   */
  readonly engineVersion?: string;

  /**
   * Node type, e.g. `cache.t4g.medium`.
   *
   * @default - cache.t4g.micro in DEVELOPMENT, cache.t4g.medium in STAGING, cache.m7g.large in PRODUCTION
   */
  readonly nodeType?: string;

  /**
   * Nodes: a primary and its replicas (1 to 6). With 2 or more, the group
   * is Multi-AZ with automatic failover. At least 2 in PRODUCTION.
   *
   * @default - 1 in DEVELOPMENT and STAGING, 2 in PRODUCTION
   */
  readonly nodes?: number;

  /**
   * Days automatic snapshots are kept (0 to 35; 0 takes none).
   *
   * @default - 0 in DEVELOPMENT, 1 in STAGING, 7 in PRODUCTION
   */
  readonly snapshotRetentionDays?: number;

  /**
   * What happens to the group (and its key and secrets) when it leaves the stack.
   *
   * @default - DESTROY in DEVELOPMENT, SNAPSHOT in STAGING, RETAIN in PRODUCTION
   */
  readonly removalPolicy?: DataRemoval;

  /**
   * The port (1024 to 65535).
   *
   * @default 6379
   */
  readonly port?: number;
}

const DEFAULT_PORT = 6379;

const RENDERERS: ServiceRenderers<CacheIntent, CacheHandle> = {
  type: 'cache',
  cloudFormation: () => renderCloudFormation,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  terraform: () => (require('./terraform') as typeof terraform).renderCache,
};

/** What a cache is, once the props and the tier are put together (resolved once). */
interface CacheSettings {
  readonly engine: CacheEngine;
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly nodes: number;
  readonly snapshotRetentionDays: number;
  readonly dataRemoval: DataRemoval;
  readonly port: number;
}

/**
 * An in-memory cache on Amazon ElastiCache (Valkey by default, Redis OSS
 * selectable): a replication group in the private subnets, encrypted in
 * transit (TLS required) and at rest (a KMS key of its own), with a
 * generated AUTH token in Secrets Manager under `<platform>/<environment>/<id>`
 * that never appears in any output. Multi-AZ with automatic failover and
 * snapshots by tier.
 *
 * Connect a workload to it (`connections: [cache]`): the cache's security
 * group admits the workload's cluster, the workload may reach the private
 * subnets on the port, and it gets `<PREFIX>_HOST`, `_PORT`, `_TOKEN` and a
 * `rediss://` `_URL` (and `REDIS_URL` when it connects to one cache).
 */
export class Cache extends RuntimeStackConstruct implements IConnectable {
  /** The environment. */
  public readonly environment: Environment;
  /** The replication group id (`<platform>-<environment>-<id>`, at most 40 characters). */
  public readonly replicationGroupId: string;
  /** The Secrets Manager secret with the AUTH token: `<platform>/<environment>/<id>`. */
  public readonly tokenSecretName: string;
  /** The Secrets Manager secret with the endpoint (host, port; no credential): `<platform>/<environment>/<id>/endpoint`. */
  public readonly endpointSecretName: string;
  /** The port. */
  public readonly port: number;
  /** Default prefix of a connection's environment variables: the id in upper snake case. */
  public readonly connectionEnvPrefix: string;

  private readonly props: CacheProps;
  private readonly settings: CacheSettings;
  private readonly admitted = new Set<string>();
  private handle?: CacheHandle;

  constructor(environment: Environment, id: string, props: CacheProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.settings = resolveSettings(props, environment);
    this.replicationGroupId = physicalName([environment.qualifiedName, id], 40);
    this.tokenSecretName = `${environment.secretPrefix}${id}`;
    this.endpointSecretName = `${environment.secretPrefix}${id}/endpoint`;
    this.port = this.settings.port;
    this.connectionEnvPrefix = envPrefixOf(id);
    this._registerElement(RenderPhase.SERVICE, {
      validate: problems => this.validate(problems),
      describe: () => ({ kind: 'Cache', role: 'service', detail: 'ElastiCache' }),
      render: () => {
        this.handle = environment._engine().service(RENDERERS, this.intent(), environment._network());
      },
    });
  }

  /** The replication group (CloudFormation engine, after render): escape hatch. */
  public get replicationGroup(): elasticache.CfnReplicationGroup {
    return this.cloudFormation().replicationGroup;
  }

  /** RS907: another environment; RS909: a runtime the cache cannot admit; RS131: options. */
  public checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[] {
    const problems = checkConnectOptions(this, 'cache', options, {});
    if (runtime.environment !== this.environment) {
      problems.push({
        code: 'RS907',
        prop: 'connections',
        message: `${workload.node.path} runs in environment "${runtime.environment.id}" but cache ${this.node.path} is in environment "${this.environment.id}"`,
        fix: `connect to a Cache of environment "${runtime.environment.id}" (caches are never shared across environments)`,
      });
    } else if (runtime.securityGroupGap) {
      problems.push({ code: 'RS909', prop: 'connections', message: `${runtime.securityGroupGap.problem}, so cache ${this.node.path} cannot admit its pods`, fix: runtime.securityGroupGap.fix });
    }
    return problems;
  }

  /** A connection needs the runtime's secret delivery (External Secrets Operator on Kubernetes). */
  public connectionNeeds(_options?: ConnectOptions): SupportNeed[] {
    return [SupportNeed.SECRETS];
  }

  /**
   * Wires a connection: the cache's security group admits the workload's
   * runtime (once per runtime), the workload may reach the private subnets
   * on the port, and the token and endpoint become `<PREFIX>_HOST`,
   * `_PORT`, `_TOKEN`, `_URL` (and `REDIS_URL` for a workload with one cache).
   */
  public bindConnection(binding: IWorkloadBinding): void {
    this.admit(binding.networkSource);
    binding.allowEgress(this.environment._network().privateSubnetCidrs, this.port);
    const prefix = binding.envPrefix;
    binding.addSecretEnvironment({
      secretName: this.tokenSecretName,
      variables: {
        [`${prefix}_HOST`]: 'host',
        [`${prefix}_PORT`]: 'port',
        [`${prefix}_TOKEN`]: 'token',
        [`${prefix}_URL`]: 'url',
      },
      composed: { url: 'rediss://:{token}@{host}:{port}' },
      otherKeys: {
        host: { secretName: this.endpointSecretName, key: 'host' },
        port: { secretName: this.endpointSecretName, key: 'port' },
      },
    });
    binding.offerEnvironment('REDIS_URL', `${prefix}_URL`);
  }

  private admit(source: NetworkSource): void {
    if (this.admitted.has(source.key)) return;
    if (!source.securityGroupId) {
      throw new Error(`${this.node.path}: ${source.description} has no security group to admit (validation should have reported RS909)`);
    }
    this.admitted.add(source.key);
    this.environment._engine().record('cache-access', { identifier: this.replicationGroupId, source: source.key, port: this.port });
    rendered(this, this.handle).admit({ key: source.key, description: source.description, securityGroupId: source.securityGroupId });
  }

  private intent(): CacheIntent {
    const s = this.settings;
    const removal = statefulRemoval(s.dataRemoval);
    return {
      scopeId: this.node.id,
      stackGroup: stackGroupOf(this, this.environment, this.props),
      identifier: this.replicationGroupId,
      engine: s.engine,
      engineVersion: s.engineVersion,
      nodeType: s.nodeType,
      nodes: s.nodes,
      multiAz: s.nodes >= 2,
      port: s.port,
      snapshotRetentionDays: s.snapshotRetentionDays,
      finalSnapshotIdentifier: removal.resource === 'destroy' ? undefined : `${this.replicationGroupId}-final`,
      tokenSecretName: this.tokenSecretName,
      endpointSecretName: this.endpointSecretName,
      token: { length: CACHE_AUTH_TOKEN_LENGTH },
      secretRecoveryDays: secretRecoveryDays(removal.secret),
      removal: { group: removal.resource, key: removal.key, secrets: removal.secret },
    };
  }

  private cloudFormation(): CloudFormationCache {
    const handle = rendered(this, this.handle) as Partial<CloudFormationCache>;
    if (!handle.replicationGroup) {
      throw new Error(`${this.node.path}: replicationGroup is only available with the CloudFormation engine.`);
    }
    return handle as CloudFormationCache;
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'Cache');
    stackGroupOf(this, this.environment, this.props, problems);
    const id = requestedId(this);
    checkId(this, problems, 'Cache', 30, id);
    if (id.includes('--')) {
      problems.error(this, 'RS910', 'id', `"${id}" has two hyphens in a row, which ElastiCache identifiers forbid`, 'use single hyphens between words');
    }
    const p = this.props;
    const s = this.settings;
    const unresolved = (v: unknown) => v !== undefined && cdk.Token.isUnresolved(v);
    if (p.engine !== undefined && !Object.values(CacheEngine).includes(p.engine)) {
      problems.error(this, 'RS908', 'engine', `"${p.engine}" is not a CacheEngine`, 'use CacheEngine.VALKEY or CacheEngine.REDIS');
      return;
    }
    const versions = CACHE_ENGINE_VERSIONS[s.engine].versions;
    if (!versions.includes(s.engineVersion)) {
      problems.error(this, 'RS902', 'engineVersion', `${s.engine} "${s.engineVersion}" is not supported`, `use one of ${versions.join(', ')}`);
    }
    if (!unresolved(s.nodeType)) {
      const [prefix, family, size] = s.nodeType.split('.');
      if (prefix !== 'cache' || !CACHE_NODE_FAMILIES[family]?.includes(size)) {
        problems.error(this, 'RS901', 'nodeType', `"${s.nodeType}" is not an ElastiCache node type`,
          `use cache.<family>.<size> with a family of ${Object.keys(CACHE_NODE_FAMILIES).join(', ')}, e.g. "cache.t4g.medium" or "cache.m7g.large"`);
      }
    }
    if (!Number.isInteger(s.nodes) || s.nodes < 1 || s.nodes > 6) {
      problems.error(this, 'RS903', 'nodes', `${s.nodes} is not a whole number of nodes from 1 to 6`, 'give 1 (no replica) to 6');
    } else if (s.nodes < 2 && this.environment.tier === Tier.PRODUCTION) {
      problems.error(this, 'RS903', 'nodes', `${s.nodes} node in PRODUCTION: no failover when it is lost`, 'run at least 2 nodes in PRODUCTION (Multi-AZ with automatic failover), or leave nodes out');
    }
    if (!Number.isInteger(s.snapshotRetentionDays) || s.snapshotRetentionDays < 0 || s.snapshotRetentionDays > 35) {
      problems.error(this, 'RS904', 'snapshotRetentionDays', `${s.snapshotRetentionDays} is not a whole number of days from 0 to 35`, 'give the days automatic snapshots are kept, e.g. 7');
    }
    if (p.removalPolicy !== undefined && !Object.values(DataRemoval).includes(p.removalPolicy)) {
      problems.error(this, 'RS905', 'removalPolicy', `"${p.removalPolicy}" is not a DataRemoval`, 'use DataRemoval.DESTROY, DataRemoval.SNAPSHOT or DataRemoval.RETAIN');
    }
    if (p.port !== undefined && !unresolved(p.port) && (!Number.isInteger(p.port) || p.port < 1024 || p.port > 65535)) {
      problems.error(this, 'RS906', 'port', `${p.port} is outside 1024-65535`, 'use 6379 or another port from 1024 to 65535');
    }
  }
}

function resolveSettings(p: CacheProps, env: Environment): CacheSettings {
  const t: CacheTierDefaults = CacheTierPresets.of(env.tier) ?? CacheTierPresets.of(Tier.DEVELOPMENT);
  const engine = p.engine ?? CacheEngine.VALKEY;
  return {
    engine,
    engineVersion: p.engineVersion ?? CACHE_ENGINE_VERSIONS[engine]?.defaultVersion ?? '',
    nodeType: p.nodeType ?? t.nodeType,
    nodes: p.nodes ?? t.nodes,
    snapshotRetentionDays: p.snapshotRetentionDays ?? t.snapshotRetentionDays,
    dataRemoval: p.removalPolicy ?? env.defaults.dataRemoval,
    port: p.port ?? DEFAULT_PORT,
  };
}
