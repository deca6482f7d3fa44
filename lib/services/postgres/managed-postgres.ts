import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { renderPostgres as renderCloudFormation, CloudFormationPostgres } from './cloudformation';
import { PostgresTierDefaults, PostgresTierPresets } from './defaults';
import type { NetworkSourceIntent, PostgresHandle, PostgresIntent, PostgresRotationFunctionIntent } from './intent';
import type * as terraform from './terraform';
import { checkConnectOptions, envPrefixOf } from '../../core/connection-checks';
import { ConnectionProblem, ConnectOptions, IConnectable, IWorkloadBinding, IWorkloadRuntime, NetworkSource, SupportNeed } from '../../core/connections';
import { RuntimeStackConstruct } from '../../core/element';
import { Environment } from '../../core/environment';
import { checkUniqueId, rendered, RenderPhase, requestedId } from '../../core/graph';
import { IHostedPostgres, InClusterPostgresSpec, IServiceHost } from '../../core/in-cluster';
import { checkId, physicalName } from '../../core/naming';
import { DatabasePlacement } from '../../core/placement';
import { cloudWatchRetention, secretRecoveryDays, statefulRemoval } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { isServiceHost } from '../../core/service-hosts';
import { ManagedServiceProps, stackGroupOf } from '../../core/stack-group';
import { DataRemoval, Tier } from '../../core/tier';
import type { ServiceRenderers, ServiceRoleIntent } from '../../engines/engine';
import {
  CLOUDNATIVE_PG_FIXED_PARAMETERS, DEFAULT_POSTGRES_VERSION, inClusterPostgresImage, POSTGRES_MAJOR_DEFAULTS,
  POSTGRES_MASTER_USERNAME, POSTGRES_PASSWORD_EXCLUDED_CHARACTERS, POSTGRES_PASSWORD_LENGTH, POSTGRES_ROTATION_APPLICATION,
  RDS_STORAGE_TYPE, SUPPORTED_POSTGRES_VERSIONS,
} from '../../private/catalog';

/**
 * Properties of a `ManagedPostgres`.
 */
export interface ManagedPostgresProps extends ManagedServiceProps {
  /**
   * Name of the database created in the instance. Lower-case letters,
   * digits and `_`, starting with a letter, at most 63 characters; not
   * `postgres`, `template0`, `template1` or `rdsadmin`.
   *
   * Fixed at creation: changing it later replaces the instance (see
   * warning RS315).
   *
   * @default - the id with `-` replaced by `_` (`orders-db` → `orders_db`)
   */
  readonly databaseName?: string;

  /**
   * PostgreSQL version: a full version (`'17.9'`) or a major (`'17'`, the
   * minor the library pins). Supported: 16.11-16.13, 17.7-17.9, 18.1-18.3.
   *
   * @default '17.9'
   */
  readonly engineVersion?: string;

  /**
   * Instance class, without the `db.` prefix.
   *
   * @default - t4g.micro in DEVELOPMENT, t4g.medium in STAGING, m7g.large in PRODUCTION
   */
  readonly instanceSize?: string;

  /**
   * Allocated gp3 storage in GiB (20 to 65536).
   *
   * @default - 20 in DEVELOPMENT, 50 in STAGING, 100 in PRODUCTION
   */
  readonly allocatedStorage?: number;

  /**
   * Ceiling of storage autoscaling in GiB; at least 10% above
   * `allocatedStorage`.
   *
   * @default - 100 in DEVELOPMENT, 250 in STAGING, 1000 in PRODUCTION (or twice `allocatedStorage` when that is more)
   */
  readonly maxAllocatedStorage?: number;

  /**
   * A standby instance in another availability zone.
   *
   * @default - false in DEVELOPMENT and STAGING, true in PRODUCTION
   */
  readonly multiAz?: boolean;

  /**
   * Retention of automated backups, in whole days (0 to 35; at least 1 in
   * PRODUCTION).
   *
   * @default - 1 day in DEVELOPMENT, 7 days in STAGING, 14 days in PRODUCTION
   */
  readonly backupRetention?: cdk.Duration;

  /**
   * Deletion protection of the instance.
   *
   * @default - false in DEVELOPMENT and STAGING, true in PRODUCTION
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the instance (and its key and secret) when it leaves
   * the stack or is replaced.
   *
   * @default - DESTROY in DEVELOPMENT, SNAPSHOT in STAGING, RETAIN in PRODUCTION
   */
  readonly removalPolicy?: DataRemoval;

  /**
   * Performance Insights (7 days of history, encrypted with the database's key).
   *
   * @default - false in DEVELOPMENT, true in STAGING and PRODUCTION
   */
  readonly performanceInsights?: boolean;

  /**
   * Enhanced monitoring: how often RDS publishes the instance's OS metrics
   * (1, 5, 10, 15, 30 or 60 seconds; `Duration.seconds(0)` turns it off).
   * The metrics go to CloudWatch Logs (`RDSOSMetrics`) through the
   * environment's one role for it, in its foundation stack (Terraform: the
   * environment's state), which every monitored database of the environment names.
   *
   * @default - off in DEVELOPMENT, 60 seconds in STAGING and PRODUCTION
   */
  readonly monitoringInterval?: cdk.Duration;

  /**
   * Automatic rotation of the credentials every 30 days (single-user
   * rotation by the AWS rotation function). Pods read the credentials at
   * start: restart them after a rotation (see docs/managed-postgres.md).
   *
   * @default - false in DEVELOPMENT and STAGING, true in PRODUCTION
   */
  readonly credentialRotation?: boolean;

  /**
   * Extra parameters of the instance's parameter group. `rds.force_ssl`
   * is always `1` and cannot be turned off.
   *
   * @default - none
   */
  readonly parameters?: { [name: string]: string };

  /**
   * The port the database listens on (1150 to 65535).
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * Where the database runs: Amazon RDS, or inside a Kubernetes cluster of
   * the environment (`DatabasePlacement.IN_CLUSTER`: a CloudNativePG
   * cluster in a namespace of its own, no AWS resources), for development.
   * Workloads get the same variables either way. In STAGING and
   * PRODUCTION an in-cluster database is warning RS327 (acknowledge it).
   * RDS-only props (instanceSize, maxAllocatedStorage, backupRetention,
   * deletionProtection, performanceInsights, monitoringInterval,
   * credentialRotation, port, stackGroup) are errors with an in-cluster database.
   *
   * @default - the environment's `databasePlacement` (RDS unless it says otherwise)
   */
  readonly placement?: DatabasePlacement;

  /**
   * The cluster an in-cluster database runs on: a `KubernetesCluster` of
   * the same environment, with SupportServices (they install the
   * CloudNativePG operator).
   *
   * @default - the environment's only Kubernetes cluster
   */
  readonly cluster?: IServiceHost;
}

/** Props an in-cluster database has no use for (RDS settings). */
const RDS_ONLY_PROPS = [
  'instanceSize', 'maxAllocatedStorage', 'backupRetention', 'deletionProtection',
  'performanceInsights', 'monitoringInterval', 'credentialRotation', 'port', 'stackGroup',
] as const;

/** Default port. 5432 is kept (see docs/managed-postgres.md, "Port"). */
const DEFAULT_PORT = 5432;
/** The intervals (seconds) RDS enhanced monitoring offers, 0 for off. */
const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
/** Names PostgreSQL or RDS reserve. */
const RESERVED_DATABASE_NAMES = ['postgres', 'template0', 'template1', 'rdsadmin'];
/** Log types RDS for PostgreSQL exports. */
const LOG_EXPORTS = ['postgresql', 'upgrade'];
/** Days between credential rotations when rotation is on. */
const ROTATION_DAYS = 30;
/** Days of Performance Insights history (the free tier). */
const PERFORMANCE_INSIGHTS_DAYS = 7;

/** The renderers of `ManagedPostgres`, one per engine; the Terraform one loads only with the Terraform engine. */
const RENDERERS: ServiceRenderers<PostgresIntent, PostgresHandle> = {
  type: 'postgres',
  cloudFormation: () => renderCloudFormation,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  terraform: () => (require('./terraform') as typeof terraform).renderPostgres,
};

/** What a database is, once the props and the tier are put together (resolved once, read by validation and rendering). */
interface PostgresSettings {
  readonly databaseName: string;
  readonly engineVersion: string;
  readonly instanceType: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  /** Days (not necessarily whole: validation says so). */
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  readonly dataRemoval: DataRemoval;
  readonly performanceInsights: boolean;
  readonly credentialRotation: boolean;
  /** Seconds (0: off). */
  readonly monitoringIntervalSeconds: number;
  readonly port: number;
  readonly parameters: Record<string, string>;
}

/**
 * A PostgreSQL database on Amazon RDS in the environment's VPC: private
 * subnets only, never publicly accessible, storage encrypted with its own
 * customer-managed KMS key (rotated yearly), TLS enforced
 * (`rds.force_ssl = 1`), logs exported to CloudWatch Logs, credentials
 * generated into Secrets Manager under `<platform>/<environment>/<id>`.
 * Multi-AZ, deletion protection, backups and removal follow the tier.
 *
 * Connect it to a workload (`connections: [db]`): the database's security
 * group admits the workload's runtime, the workload's network policy allows
 * egress to it, and the workload gets `<PREFIX>_HOST`, `_PORT`,
 * `_DATABASE`, `_USER`, `_PASSWORD` and `_URL` from the secret (and
 * `DATABASE_URL` when it connects to exactly one database).
 */
export class ManagedPostgres extends RuntimeStackConstruct implements IConnectable {
  /** Key of the connection URL (`postgresql://...?sslmode=require`) among the keys a connection delivers. */
  public static readonly URL_SECRET_KEY = 'url';

  /** The environment. */
  public readonly environment: Environment;
  /** Name of the Secrets Manager secret with host, port, dbname, username, password: `<platform>/<environment>/<id>`. */
  public readonly secretName: string;
  /** The database name. */
  public readonly databaseName: string;
  /** The port. */
  public readonly port: number;
  /** The DB instance identifier (`<platform>-<environment>-<id>`). */
  public readonly instanceIdentifier: string;
  /** Default prefix of a connection's environment variables: the id in upper snake case (`ORDERS_DB`). */
  public readonly connectionEnvPrefix: string;

  private readonly props: ManagedPostgresProps;
  private readonly settings: PostgresSettings;
  /** Where the database runs. */
  public readonly placement: DatabasePlacement;

  private readonly admitted = new Set<string>();
  private handle?: PostgresHandle;
  private hosted?: IHostedPostgres;
  private host?: { cluster?: IServiceHost; problem?: string; fix?: string };

  constructor(environment: Environment, id: string, props: ManagedPostgresProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.settings = resolveSettings(id, props, environment);
    this.secretName = `${environment.secretPrefix}${id}`;
    this.databaseName = this.settings.databaseName;
    this.port = this.settings.port;
    this.instanceIdentifier = physicalName([environment.qualifiedName, id], 63);
    this.connectionEnvPrefix = envPrefixOf(id);
    this.placement = props.placement ?? environment.databasePlacement;
    this._registerElement(RenderPhase.SERVICE, {
      validate: problems => this.validate(problems),
      describe: () => ({ kind: 'ManagedPostgres', role: 'service', detail: this.inCluster ? 'CloudNativePG' : 'RDS' }),
      render: () => {
        if (this.inCluster) {
          this.hosted = this.hostCluster().cluster!.hostPostgres(this.inClusterSpec());
        } else {
          this.handle = environment._engine().service(RENDERERS, this.intent(), environment._network());
        }
      },
    });
  }

  /** The database's id. */
  public get id(): string {
    return this.node.id;
  }

  /** Whether the database runs inside a Kubernetes cluster (CloudNativePG). */
  public get inCluster(): boolean {
    return this.placement === DatabasePlacement.IN_CLUSTER;
  }

  /**
   * The cluster an in-cluster database runs on; undefined for RDS or when
   * none can be found (validation reports RS322).
   */
  public get cluster(): IServiceHost | undefined {
    return this.inCluster ? this.hostCluster().cluster : undefined;
  }

  /** The full PostgreSQL version (e.g. `17.9`). */
  public get engineVersion(): string {
    return this.settings.engineVersion;
  }

  /**
   * The RDS instance (CloudFormation engine, after render): escape hatch,
   * the L1 resource (`addPropertyOverride`, `node.addDependency`, its
   * attributes such as `attrEndpointAddress`). The library renders the
   * database with L1 resources where aws-cdk-lib's `DatabaseInstance` would
   * only add work; reach the security group through `connections` and the
   * credentials through `secret`.
   */
  public get instance(): rds.CfnDBInstance {
    return this.cloudFormation().instance;
  }

  /**
   * The Secrets Manager secret (CloudFormation engine, after render): escape hatch.
   */
  public get secret(): secretsmanager.ISecret {
    return this.cloudFormation().secret;
  }

  /**
   * The database's security-group connections (CloudFormation engine,
   * after render): escape hatch. Connections of workloads add their rules here.
   */
  public get connections(): ec2.Connections {
    return this.cloudFormation().connections;
  }

  /**
   * Problems of a connection from `workload` on `runtime`: RS311 when the
   * runtime is in another environment, RS312 when the database cannot
   * admit the runtime's workloads by security group.
   */
  public checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[] {
    const optionProblems = checkConnectOptions(this, 'database', options, {});
    if (optionProblems.length > 0) return optionProblems;
    if (runtime.environment === this.environment && this.inCluster) {
      const host = this.hostCluster().cluster;
      if (host && runtime !== host) {
        return [{
          code: 'RS324',
          prop: 'connections',
          message: `${workload.node.path} runs on ${runtime.node.path} but database ${this.node.path} runs inside ${host.node.path}`,
          fix: `run the workload on ${host.node.path}, or place the database on Amazon RDS (placement: DatabasePlacement.RDS), which every cluster of the environment can reach`,
        }];
      }
      return [];
    }
    if (runtime.environment !== this.environment) {
      return [{
        code: 'RS311',
        prop: 'connections',
        message: `${workload.node.path} runs in environment "${runtime.environment.id}" but database ${this.node.path} is in environment "${this.environment.id}"`,
        fix: `connect to a ManagedPostgres of environment "${runtime.environment.id}" (databases are never shared across environments)`,
      }];
    }
    const gap = runtime.securityGroupGap;
    if (gap) {
      return [{ code: 'RS312', prop: 'connections', message: `${gap.problem}, so database ${this.node.path} cannot admit its pods`, fix: gap.fix }];
    }
    return [];
  }

  /** A connection needs the runtime's secret delivery (External Secrets Operator on Kubernetes). */
  public connectionNeeds(_options?: ConnectOptions): SupportNeed[] {
    return [SupportNeed.SECRETS];
  }

  /**
   * Wires a connection: the database's security group admits the
   * workload's runtime (once per runtime), the workload may reach the
   * private subnets on the port, and the secret's keys become
   * `<PREFIX>_HOST`, `_PORT`, `_DATABASE`, `_USER`, `_PASSWORD`, `_URL`
   * (and `DATABASE_URL` for a workload with one database).
   */
  public bindConnection(binding: IWorkloadBinding): void {
    if (this.hosted) {
      this.bindInCluster(binding, this.hosted);
      return;
    }
    this.admit(binding.networkSource);
    binding.allowEgress(this.environment._network().privateSubnetCidrs, this.port);
    const prefix = binding.envPrefix;
    binding.addSecretEnvironment({
      secretName: this.secretName,
      variables: connectionVariables(prefix),
      composed: {
        // Generated passwords exclude every character that needs escaping in a URL.
        [ManagedPostgres.URL_SECRET_KEY]: 'postgresql://{username}:{password}@{host}:{port}/{dbname}?sslmode=require',
      },
    });
    binding.offerEnvironment('DATABASE_URL', `${prefix}_URL`);
  }

  /**
   * The same variables as on RDS, from the Secret CloudNativePG writes
   * (read through the database's secret store): the host is the primary's
   * Service in the database's namespace; the workload may reach the
   * database's pods on the port and the database admits exactly it.
   */
  private bindInCluster(binding: IWorkloadBinding, hosted: IHostedPostgres): void {
    const client = binding.podPeer;
    if (!client) {
      throw new Error(`${this.node.path}: ${binding.workload.node.path} has no pods inside ${this.hostCluster().cluster?.node.path} (validation should have reported RS324)`);
    }
    hosted.admit(client);
    binding.allowEgressToPods(hosted.peer, hosted.port);
    const prefix = binding.envPrefix;
    binding.addSecretEnvironment({
      secretName: hosted.secretName,
      secretStore: hosted.secretStoreName,
      variables: connectionVariables(prefix),
      composed: {
        host: hosted.host,
        // CloudNativePG's generated passwords are letters and digits only.
        [ManagedPostgres.URL_SECRET_KEY]: `postgresql://{username}:{password}@${hosted.host}:{port}/{dbname}?sslmode=require`,
      },
    });
    binding.offerEnvironment('DATABASE_URL', `${prefix}_URL`);
  }

  /**
   * The rendered database (after render).
   * @internal
   */
  public get _handle(): PostgresHandle {
    return rendered(this, this.handle);
  }

  /** Admits a source once, however many of its workloads connect. */
  private admit(source: NetworkSource): void {
    if (this.admitted.has(source.key)) return;
    if (!source.securityGroupId) {
      throw new Error(`${this.node.path}: ${source.description} has no security group to admit (validation should have reported RS312)`);
    }
    this.admitted.add(source.key);
    const intent: NetworkSourceIntent = { key: source.key, description: source.description, securityGroupId: source.securityGroupId };
    this.environment._engine().record('database-access', { identifier: this.instanceIdentifier, source: source.key, port: this.port });
    this._handle.admit(intent);
  }

  /** The engine-neutral intent this database renders from: the settings, and the decisions of `core/policy`. */
  private intent(): PostgresIntent {
    const s = this.settings;
    const env = this.environment;
    const removal = statefulRemoval(s.dataRemoval);
    return {
      scopeId: this.id,
      stackGroup: stackGroupOf(this, this.environment, this.props),
      identifier: this.instanceIdentifier,
      databaseName: s.databaseName,
      engineVersion: s.engineVersion,
      instanceType: s.instanceType,
      storageType: RDS_STORAGE_TYPE,
      allocatedStorageGiB: s.allocatedStorageGiB,
      maxAllocatedStorageGiB: s.maxAllocatedStorageGiB,
      multiAz: s.multiAz,
      backupRetentionDays: s.backupRetentionDays,
      deletionProtection: s.deletionProtection,
      removal,
      finalSnapshotIdentifier: removal.resource === 'destroy' ? undefined : `${this.instanceIdentifier}-final`,
      performanceInsights: s.performanceInsights,
      performanceInsightsRetentionDays: PERFORMANCE_INSIGHTS_DAYS,
      port: s.port,
      iamAuthentication: true,
      monitoring: s.monitoringIntervalSeconds > 0
        ? { intervalSeconds: s.monitoringIntervalSeconds, role: enhancedMonitoringRole(this.environment) }
        : undefined,
      parameters: s.parameters,
      masterUsername: POSTGRES_MASTER_USERNAME,
      password: { length: POSTGRES_PASSWORD_LENGTH, excludeCharacters: POSTGRES_PASSWORD_EXCLUDED_CHARACTERS },
      secretName: this.secretName,
      secretRecoveryDays: secretRecoveryDays(removal.secret),
      rotation: s.credentialRotation ? { days: ROTATION_DAYS, function: rotationFunction(env) } : undefined,
      logExports: LOG_EXPORTS,
      logRetentionDays: cloudWatchRetention(env.defaults.logRetentionDays),
    };
  }

  /**
   * The cluster of an in-cluster database: the \`cluster\` prop, else the
   * environment's only cluster that can host services. Worked out once.
   */
  private hostCluster(): { cluster?: IServiceHost; problem?: string; fix?: string } {
    if (this.host) return this.host;
    const given = this.props.cluster;
    if (given !== undefined) {
      this.host = !isServiceHost(given)
        ? { problem: `cluster (${(given as IConstruct | undefined)?.node?.path ?? String(given)}) is not a KubernetesCluster`, fix: 'give a KubernetesCluster of the environment' }
        : given.environment !== this.environment
          ? { problem: `${given.node.path} is in environment "${given.environment.id}", not "${this.environment.id}"`, fix: `give a KubernetesCluster of environment "${this.environment.id}"` }
          : { cluster: given };
      return this.host;
    }
    const clusters = this.environment.node.children.filter(isServiceHost);
    this.host = clusters.length === 1
      ? { cluster: clusters[0] }
      : clusters.length === 0
        ? { problem: `environment ${this.environment.node.path} has no Kubernetes cluster to run the database in`, fix: 'add a KubernetesCluster (with SupportServices) to the environment, or place the database on Amazon RDS (placement: DatabasePlacement.RDS)' }
        : { problem: `environment ${this.environment.node.path} has ${clusters.length} clusters (${clusters.map(c => c.node.id).join(', ')})`, fix: 'name the one to run the database in with cluster: <KubernetesCluster>' };
    return this.host;
  }

  /** What the hosting cluster runs: the settings, as CloudNativePG needs them. */
  private inClusterSpec(): InClusterPostgresSpec {
    const s = this.settings;
    const { ['rds.force_ssl']: _forceSsl, ...parameters } = s.parameters;
    return {
      requester: this,
      name: this.id,
      namespace: physicalName(['postgres', this.id], 63),
      databaseName: s.databaseName,
      engineVersion: s.engineVersion,
      image: inClusterPostgresImage(s.engineVersion),
      instances: s.multiAz ? 2 : 1,
      storageGiB: s.allocatedStorageGiB,
      retainVolumes: s.dataRemoval !== DataRemoval.DESTROY,
      parameters,
    };
  }

  private validateInCluster(problems: ProblemCollector): void {
    const p = this.props;
    for (const prop of RDS_ONLY_PROPS) {
      if (p[prop] !== undefined) {
        problems.error(this, 'RS325', prop, `${prop} is an Amazon RDS setting; the database runs inside the cluster`,
          `remove ${prop}, or place the database on Amazon RDS (placement: DatabasePlacement.RDS)`);
      }
    }
    for (const name of Object.keys(p.parameters ?? {}).filter(n => n.startsWith('rds.') && n !== 'rds.force_ssl')) {
      problems.error(this, 'RS325', `parameters.${name}`, `${name} is an Amazon RDS parameter; the database runs inside the cluster`, `remove parameters.${name}`);
    }
    for (const name of Object.keys(p.parameters ?? {}).filter(n => CLOUDNATIVE_PG_FIXED_PARAMETERS.includes(n))) {
      problems.error(this, 'RS325', `parameters.${name}`, `${name} is set by CloudNativePG, whose admission webhook rejects it in a Cluster`, `remove parameters.${name}`);
    }
    const host = this.hostCluster();
    if (!host.cluster) {
      problems.error(this, 'RS322', 'cluster', `an in-cluster database needs a cluster, but ${host.problem}`, host.fix!);
      return;
    }
    const gap = host.cluster.postgresHostingGap;
    if (gap) {
      problems.error(this, 'RS323', 'cluster', gap.problem, gap.fix);
      return;
    }
    // SupportServices install the operator for this need (they validate after the services).
    host.cluster.addNeed(SupportNeed.POSTGRES, this, undefined, 'an in-cluster PostgreSQL database');
    if (this.environment.tier !== Tier.DEVELOPMENT) {
      problems.warning(this, 'RS327', 'placement',
        `an in-cluster database in ${this.environment.tier}: its data lives on the cluster's volumes, with no automated backups, point-in-time recovery or managed failover`,
        'place it on Amazon RDS (placement: DatabasePlacement.RDS), or acknowledge with Platform.acknowledgeWarning(db, \'RS327\', reason)');
    }
  }

  private cloudFormation(): CloudFormationPostgres {
    if (this.inCluster) {
      throw new Error(`${this.node.path} runs inside a Kubernetes cluster: it has no RDS instance or Secrets Manager secret.`);
    }
    const handle = this._handle as Partial<CloudFormationPostgres>;
    if (!handle.instance) {
      throw new Error(`${this.node.path}: instance and secret are only available with the CloudFormation engine.`);
    }
    return handle as CloudFormationPostgres;
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'ManagedPostgres');
    stackGroupOf(this, this.environment, this.props, problems);
    const id = requestedId(this);
    checkId(this, problems, 'ManagedPostgres', 40, id);
    if (id.includes('--')) {
      problems.error(this, 'RS316', 'id', `"${id}" has two hyphens in a row, which RDS instance identifiers forbid`, 'use single hyphens between words');
    }
    const p = this.props;
    const production = this.environment.tier === Tier.PRODUCTION;
    const unresolved = (v: unknown) => v !== undefined && cdk.Token.isUnresolved(v);

    // Database name.
    const dbName = this.databaseName;
    if (!unresolved(dbName)) {
      const prop = p.databaseName === undefined ? 'databaseName (derived from the id)' : 'databaseName';
      if (!/^[a-z][a-z0-9_]*$/.test(dbName) || dbName.length > 63) {
        problems.error(this, 'RS301', prop, `"${dbName}" is not a valid database name`,
          'use at most 63 lower-case letters, digits and "_", starting with a letter (e.g. "orders")');
      } else if (RESERVED_DATABASE_NAMES.includes(dbName)) {
        problems.error(this, 'RS302', prop, `"${dbName}" is reserved by PostgreSQL or RDS`,
          `choose another name (not ${RESERVED_DATABASE_NAMES.join(', ')})`);
      }
    }

    // Engine version.
    if (!SUPPORTED_POSTGRES_VERSIONS.includes(this.engineVersion)) {
      problems.error(this, 'RS303', 'engineVersion', `PostgreSQL "${p.engineVersion}" is not supported`,
        `use a major (${Object.keys(POSTGRES_MAJOR_DEFAULTS).join(', ')}) or one of ${SUPPORTED_POSTGRES_VERSIONS.join(', ')}`);
    }

    // Instance class.
    const size = p.instanceSize;
    if (size !== undefined && !unresolved(size)) {
      if (size.startsWith('db.')) {
        problems.error(this, 'RS308', 'instanceSize', `"${size}" has the "db." prefix`, `leave it out: "${size.slice(3)}"`);
      } else if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(size)) {
        problems.error(this, 'RS308', 'instanceSize', `"${size}" is not an instance class`, 'use a class such as "t4g.medium" or "m7g.large"');
      }
    }

    // Storage.
    const allocated = this.settings.allocatedStorageGiB;
    if (!unresolved(allocated) && (!Number.isInteger(allocated) || allocated < 20 || allocated > 65536)) {
      problems.error(this, 'RS304', 'allocatedStorage', `${allocated} GiB is outside 20-65536 GiB`, 'give a whole number of GiB from 20 (the gp3 minimum) to 65536');
    }
    const max = p.maxAllocatedStorage;
    if (max !== undefined && !unresolved(max) && !unresolved(allocated)) {
      if (!Number.isInteger(max) || max > 65536 || max < Math.ceil(allocated * 1.1)) {
        problems.error(this, 'RS305', 'maxAllocatedStorage', `${max} GiB is not between allocatedStorage + 10% (${Math.ceil(allocated * 1.1)} GiB) and 65536 GiB`,
          `raise maxAllocatedStorage to at least ${Math.ceil(allocated * 1.1)} GiB, or lower allocatedStorage`);
      }
    }

    // Backups.
    if (p.backupRetention !== undefined && !unresolved(p.backupRetention.toString())) {
      const days = p.backupRetention.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 0 || days > 35) {
        problems.error(this, 'RS306', 'backupRetention', `${days} days is not a whole number of days from 0 to 35`, 'give Duration.days(n) with n from 1 to 35');
      } else if (days === 0 && production) {
        problems.error(this, 'RS307', 'backupRetention', '0 days turns automated backups off in PRODUCTION', 'keep at least Duration.days(14) of backups in PRODUCTION');
      }
    }

    // Enums (JavaScript callers can pass anything).
    if (p.placement !== undefined && !Object.values(DatabasePlacement).includes(p.placement)) {
      problems.error(this, 'RS321', 'placement', `"${p.placement}" is not a DatabasePlacement`, 'use DatabasePlacement.RDS or DatabasePlacement.IN_CLUSTER');
    }
    if (p.cluster !== undefined && !this.inCluster) {
      problems.error(this, 'RS326', 'cluster', 'cluster is set but the database is on Amazon RDS',
        'remove cluster, or add placement: DatabasePlacement.IN_CLUSTER to run it in that cluster');
    }
    if (this.inCluster) this.validateInCluster(problems);
    if (p.removalPolicy !== undefined && !Object.values(DataRemoval).includes(p.removalPolicy)) {
      problems.error(this, 'RS319', 'removalPolicy', `"${p.removalPolicy}" is not a DataRemoval`,
        'use DataRemoval.DESTROY, DataRemoval.SNAPSHOT or DataRemoval.RETAIN');
    }

    // Port.
    if (p.port !== undefined && !unresolved(p.port) && (!Number.isInteger(p.port) || p.port < 1150 || p.port > 65535)) {
      problems.error(this, 'RS309', 'port', `${p.port} is outside 1150-65535 (what RDS accepts)`, 'use 5432 or another port from 1150 to 65535');
    }

    // Enhanced monitoring.
    if (p.monitoringInterval !== undefined && !cdk.Token.isUnresolved(p.monitoringInterval.toString())
      && !MONITORING_INTERVALS.includes(p.monitoringInterval.toSeconds({ integral: false }))) {
      problems.error(this, 'RS320', 'monitoringInterval', `${p.monitoringInterval.toHumanString()} is not an interval RDS enhanced monitoring offers`,
        'give Duration.seconds(n) with n one of 1, 5, 10, 15, 30, 60, or Duration.seconds(0) to turn it off');
    }

    // Parameters.
    for (const [name, value] of Object.entries(p.parameters ?? {})) {
      if (!/^[a-z_][a-z0-9_.]*$/.test(name)) {
        problems.error(this, 'RS310', `parameters.${name}`, `"${name}" is not a PostgreSQL parameter name`, 'use lower-case names such as "log_min_duration_statement"');
      } else if (name === 'rds.force_ssl' && value !== '1') {
        problems.error(this, 'RS310', 'parameters.rds.force_ssl', `"${value}" would allow unencrypted connections`, 'remove rds.force_ssl: TLS is always enforced');
      }
    }

    // Data safety in PRODUCTION (warnings the user acknowledges).
    if (production) {
      if (!this.inCluster && p.databaseName !== undefined && p.databaseName !== id.replace(/-/g, '_')) {
        problems.warning(this, 'RS315', 'databaseName',
          `"${p.databaseName}" is fixed when the instance is created: changing it later makes CloudFormation replace the instance (a new, empty database)`,
          'never change databaseName of a live database; acknowledge with Platform.acknowledgeWarning(db, \'RS315\', reason) once it is deployed');
      }
      const removal = this.settings.dataRemoval;
      if (removal === DataRemoval.DESTROY || p.deletionProtection === false) {
        problems.warning(this, 'RS317', removal === DataRemoval.DESTROY ? 'removalPolicy' : 'deletionProtection',
          'a PRODUCTION database can be deleted with its data by a stack update or deletion',
          'keep removalPolicy SNAPSHOT or RETAIN and deletionProtection on, or acknowledge with Platform.acknowledgeWarning(db, \'RS317\', reason)');
      }
    }
  }
}

/**
 * The environment's role for RDS enhanced monitoring, which every
 * monitored database of the environment names: the same permissions for
 * each, so one role instead of one per database (IAM allows 1,000 roles
 * per account by default).
 */
function enhancedMonitoringRole(env: Environment): ServiceRoleIntent {
  return {
    key: 'rds-enhanced-monitoring',
    // Not ending in "-monitoring", as the databases' own roles were named
    // (`<identifier>-monitoring`): on an upgrade the foundation makes this
    // one while theirs still exist.
    roleName: physicalName([env.qualifiedName, 'rds-monitoring-role'], 64),
    description: `Enhanced monitoring of the RDS instances of ${env.qualifiedName}`,
    servicePrincipal: 'monitoring.rds.amazonaws.com',
    managedPolicies: [{
      name: 'service-role/AmazonRDSEnhancedMonitoringRole',
      reason: 'RDS enhanced monitoring requires this AWS managed policy on its role (it writes only to the RDSOSMetrics log group); AWS documents it as the way to grant the permissions.',
    }],
  };
}

/**
 * The environment's function that rotates the credentials of its
 * PostgreSQL databases, which every rotated database of the environment
 * names (see `PostgresRotationFunctionIntent`).
 */
function rotationFunction(env: Environment): PostgresRotationFunctionIntent {
  return {
    key: 'postgres-rotation',
    functionName: physicalName([env.qualifiedName, 'postgres-rotation'], 64),
    ...POSTGRES_ROTATION_APPLICATION[env.partition],
    excludeCharacters: POSTGRES_PASSWORD_EXCLUDED_CHARACTERS,
    description: `Rotation of the PostgreSQL credentials of ${env.qualifiedName}: to Secrets Manager (HTTPS) and the databases that admit it`,
  };
}

/**
 * The variables of a connection, `<PREFIX>_*` → key of the credentials:
 * one list for both placements, so that app code never changes with them.
 */
function connectionVariables(prefix: string): Record<string, string> {
  return {
    [`${prefix}_HOST`]: 'host',
    [`${prefix}_PORT`]: 'port',
    [`${prefix}_DATABASE`]: 'dbname',
    [`${prefix}_USER`]: 'username',
    [`${prefix}_PASSWORD`]: 'password',
    [`${prefix}_URL`]: ManagedPostgres.URL_SECRET_KEY,
  };
}

/** The settings of a database: each prop, else the tier's default. Never throws on bad input (validation reports it). */
function resolveSettings(id: string, p: ManagedPostgresProps, env: Environment): PostgresSettings {
  const d = env.defaults;
  // An unknown tier is error RS010 on the environment; DEVELOPMENT only lets the rest be checked.
  const t: PostgresTierDefaults = PostgresTierPresets.of(env.tier) ?? PostgresTierPresets.of(Tier.DEVELOPMENT);
  const version = p.engineVersion ?? DEFAULT_POSTGRES_VERSION;
  const allocated = p.allocatedStorage ?? t.storageGiB;
  return {
    databaseName: p.databaseName ?? id.replace(/-/g, '_'),
    engineVersion: POSTGRES_MAJOR_DEFAULTS[version] ?? version,
    instanceType: p.instanceSize ?? t.instanceType,
    allocatedStorageGiB: allocated,
    maxAllocatedStorageGiB: p.maxAllocatedStorage ?? Math.max(t.maxStorageGiB, allocated * 2),
    multiAz: p.multiAz ?? t.multiAz,
    backupRetentionDays: p.backupRetention !== undefined && !cdk.Token.isUnresolved(p.backupRetention.toString())
      ? p.backupRetention.toDays({ integral: false })
      : t.backupRetentionDays,
    deletionProtection: p.deletionProtection ?? d.deletionProtection,
    dataRemoval: p.removalPolicy ?? d.dataRemoval,
    performanceInsights: p.performanceInsights ?? t.performanceInsights,
    credentialRotation: p.credentialRotation ?? t.credentialRotation,
    monitoringIntervalSeconds: p.monitoringInterval !== undefined && !cdk.Token.isUnresolved(p.monitoringInterval.toString())
      ? p.monitoringInterval.toSeconds({ integral: false })
      : t.monitoringIntervalSeconds,
    port: p.port ?? DEFAULT_PORT,
    parameters: Object.fromEntries(Object.entries({ ...(p.parameters ?? {}), 'rds.force_ssl': '1' }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}
