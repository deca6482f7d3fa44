import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { envPrefixOf } from '../../core/connection-checks';
import { ConnectionProblem, IConnectable, IWorkloadBinding, SupportNeed } from '../../core/connections';
import { Environment } from '../../core/environment';
import { checkUniqueId, claimId, recordRequestedId, rendered, RenderPhase, requestedId } from '../../core/graph';
import { checkId, physicalName } from '../../core/naming';
import { ProblemCollector } from '../../core/problems';
import { DataRemoval, Tier } from '../../core/tier';
import { PostgresHandle, PostgresIntent } from '../../engines/engine';
import { ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy, ExternalSecretSpecTargetTemplateEngineVersion, ExternalSecretSpecTargetTemplateMergePolicy } from '../../kubernetes/imports/externalsecrets-external-secrets.io';
import { DEFAULT_POSTGRES_VERSION, POSTGRES_MAJOR_DEFAULTS, SUPPORTED_POSTGRES_VERSIONS } from '../../private/catalog';
import { CLUSTER_SECRET_STORE_NAME, MANAGED_BY_LABEL } from '../../runtimes/kubernetes/conventions';
import type { KubernetesCluster } from '../../runtimes/kubernetes/kubernetes-cluster';
import { SecretKeyReference } from '../../workload';

/**
 * Properties of a `ManagedPostgres`.
 */
export interface ManagedPostgresProps {
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
}

/** Default port. 5432 is kept (see docs/managed-postgres.md, "Port"). */
const DEFAULT_PORT = 5432;
/** Names PostgreSQL or RDS reserve. */
const RESERVED_DATABASE_NAMES = ['postgres', 'template0', 'template1', 'rdsadmin'];
/** Log types RDS for PostgreSQL exports. */
const LOG_EXPORTS = ['postgresql', 'upgrade'];
/** Days between credential rotations when rotation is on. */
const ROTATION_DAYS = 30;

/** Keys of the Kubernetes Secret a connection materialises. */
const SECRET_KEYS = ['host', 'port', 'dbname', 'username', 'password'] as const;

/**
 * A PostgreSQL database on Amazon RDS in the environment's VPC: private
 * subnets only, never publicly accessible, storage encrypted with its own
 * customer-managed KMS key (rotated yearly), TLS enforced
 * (`rds.force_ssl = 1`), logs exported to CloudWatch Logs, credentials
 * generated into Secrets Manager under `<platform>/<environment>/<id>`.
 * Multi-AZ, deletion protection, backups and removal follow the tier.
 *
 * Connect it to a workload (`connections: [db]`): the database's security
 * group admits the cluster, the workload's NetworkPolicy allows egress to
 * it, and an ExternalSecret gives the workload `<PREFIX>_HOST`,
 * `_PORT`, `_DATABASE`, `_USER`, `_PASSWORD` and `_URL` from the secret.
 */
export class ManagedPostgres extends Construct implements IConnectable {
  /** Key of the connection URL (`postgresql://...?sslmode=require`) in the Kubernetes Secret of a connection. */
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
  private handle?: PostgresHandle;

  constructor(environment: Environment, id: string, props: ManagedPostgresProps = {}) {
    super(environment, claimId(environment, id));
    recordRequestedId(this, id);
    this.environment = environment;
    this.props = props;
    this.secretName = `${environment.secretPrefix}${id}`;
    this.databaseName = props.databaseName ?? id.replace(/-/g, '_');
    this.port = props.port ?? DEFAULT_PORT;
    this.instanceIdentifier = physicalName([environment.qualifiedName, id], 63);
    this.connectionEnvPrefix = envPrefixOf(id);

    environment.platform._register({
      scope: this,
      phase: RenderPhase.SERVICE,
      validate: problems => this.validate(problems),
      render: () => this.render(),
    });
  }

  /** The database's id. */
  public get id(): string {
    return this.node.id;
  }

  /** The full PostgreSQL version (e.g. `17.9`). */
  public get engineVersion(): string {
    const v = this.props.engineVersion ?? DEFAULT_POSTGRES_VERSION;
    return POSTGRES_MAJOR_DEFAULTS[v] ?? v;
  }

  /**
   * The RDS instance (CloudFormation engine, after render): escape hatch.
   */
  public get instance(): rds.DatabaseInstance {
    return this.escapeHatch('instance') as rds.DatabaseInstance;
  }

  /**
   * The Secrets Manager secret (CloudFormation engine, after render): escape hatch.
   */
  public get secret(): secretsmanager.ISecret {
    return this.escapeHatch('secret') as secretsmanager.ISecret;
  }

  /**
   * The database's security-group connections (CloudFormation engine,
   * after render): escape hatch. Connections of workloads add their rules here.
   */
  public get connections(): ec2.Connections {
    return this.instance.connections;
  }

  /**
   * The Kubernetes Secret key with the connection URL for `workload`, for a
   * workload that sets `DATABASE_URL` (for example when it connects to
   * exactly one database). Valid once the connection is bound.
   */
  public urlSecretRef(workload: IConstruct): SecretKeyReference {
    return { secretName: this.kubernetesSecretName(workload), key: ManagedPostgres.URL_SECRET_KEY };
  }

  /** The name of the Kubernetes Secret a connection from `workload` materialises. */
  public kubernetesSecretName(workload: IConstruct): string {
    return physicalName([requestedId(workload), requestedId(this)], 253);
  }

  /**
   * Problems of a connection from `workload` in `cluster`: RS311 when the
   * cluster is in another environment, RS312 when the cluster is an
   * existing one without a known security group.
   */
  public checkConnection(workload: IConstruct, cluster: KubernetesCluster): ConnectionProblem[] {
    const problems: ConnectionProblem[] = [];
    if (cluster.environment !== this.environment) {
      problems.push({
        code: 'RS311',
        prop: 'connections',
        message: `${workload.node.path} runs in environment "${cluster.environment.id}" but database ${this.node.path} is in environment "${this.environment.id}"`,
        fix: `connect to a ManagedPostgres of environment "${cluster.environment.id}" (databases are never shared across environments)`,
      });
    } else if (cluster.imported && !cluster._clusterSecurityGroupId) {
      problems.push({
        code: 'RS312',
        prop: 'connections',
        message: `existing cluster ${cluster.node.path} has no clusterSecurityGroupId, so database ${this.node.path} cannot admit its pods`,
        fix: 'give existing.clusterSecurityGroupId (the security group EKS attaches to the nodes) to the KubernetesCluster',
      });
    }
    return problems;
  }

  /** A connection needs the cluster's secret sync (External Secrets Operator). */
  public connectionNeeds(): SupportNeed[] {
    return [SupportNeed.SECRETS];
  }

  /**
   * Wires a connection: security-group rule from the cluster, NetworkPolicy
   * egress to the private subnets on the port, an ExternalSecret with the
   * credentials and the env vars `<PREFIX>_HOST`, `_PORT`, `_DATABASE`,
   * `_USER`, `_PASSWORD`, `_URL` read from it.
   */
  public bindConnection(binding: IWorkloadBinding): void {
    const env = this.environment;
    env._engine().allowDatabaseAccess(this._handle, binding.cluster._handle);
    binding.allowEgress(env._network().privateSubnetCidrs, this.port);

    const secretName = this.kubernetesSecretName(binding.workload);
    if (!binding.chart.node.tryFindChild(secretName)) {
      new ExternalSecret(binding.chart, secretName, {
        metadata: {
          name: secretName,
          namespace: binding.namespace,
          labels: { ...MANAGED_BY_LABEL },
        },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: CLUSTER_SECRET_STORE_NAME },
          target: {
            name: secretName,
            creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
            template: {
              engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
              mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE,
              data: {
                // RDS-generated passwords exclude every character that needs escaping in a URL.
                [ManagedPostgres.URL_SECRET_KEY]: 'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require',
              },
            },
          },
          data: SECRET_KEYS.map(key => ({ secretKey: key, remoteRef: { key: this.secretName, property: key } })),
        },
      });
    }
    const prefix = binding.envPrefix;
    binding.addSecretEnvironment(`${prefix}_HOST`, secretName, 'host');
    binding.addSecretEnvironment(`${prefix}_PORT`, secretName, 'port');
    binding.addSecretEnvironment(`${prefix}_DATABASE`, secretName, 'dbname');
    binding.addSecretEnvironment(`${prefix}_USER`, secretName, 'username');
    binding.addSecretEnvironment(`${prefix}_PASSWORD`, secretName, 'password');
    binding.addSecretEnvironment(`${prefix}_URL`, secretName, ManagedPostgres.URL_SECRET_KEY);
  }

  /**
   * The rendered database (after render).
   * @internal
   */
  public get _handle(): PostgresHandle {
    return rendered(this, this.handle);
  }

  /** The engine-neutral intent this database renders from. */
  private intent(): PostgresIntent {
    const p = this.props;
    const d = this.environment.defaults;
    const allocated = p.allocatedStorage ?? d.databaseStorageGiB;
    const rotation = p.credentialRotation ?? d.databaseCredentialRotation;
    return {
      scopeId: this.id,
      identifier: this.instanceIdentifier,
      databaseName: this.databaseName,
      engineVersion: this.engineVersion,
      instanceType: p.instanceSize ?? d.databaseInstanceType,
      allocatedStorageGiB: allocated,
      maxAllocatedStorageGiB: p.maxAllocatedStorage ?? Math.max(d.databaseMaxStorageGiB, allocated * 2),
      multiAz: p.multiAz ?? d.multiAz,
      backupRetentionDays: p.backupRetention?.toDays() ?? d.backupRetentionDays,
      deletionProtection: p.deletionProtection ?? d.deletionProtection,
      removal: (p.removalPolicy ?? d.dataRemoval) as PostgresIntent['removal'],
      performanceInsights: p.performanceInsights ?? d.databasePerformanceInsights,
      port: this.port,
      parameters: { ...(p.parameters ?? {}), 'rds.force_ssl': '1' },
      secretName: this.secretName,
      rotationDays: rotation ? ROTATION_DAYS : undefined,
      logExports: LOG_EXPORTS,
      logRetentionDays: d.logRetentionDays,
    };
  }

  private render(): void {
    const env = this.environment;
    this.handle = env._engine().postgres(this.intent(), env._network());
  }

  private escapeHatch(name: 'instance' | 'secret'): unknown {
    const value = (this._handle as unknown as Record<string, unknown>)[name];
    if (value === undefined) {
      throw new Error(`${this.node.path}: ${name} is only available with the CloudFormation engine.`);
    }
    return value;
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'ManagedPostgres');
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
    const d = this.environment.defaults;
    const allocated = p.allocatedStorage ?? d.databaseStorageGiB;
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

    // Port.
    if (p.port !== undefined && !unresolved(p.port) && (!Number.isInteger(p.port) || p.port < 1150 || p.port > 65535)) {
      problems.error(this, 'RS309', 'port', `${p.port} is outside 1150-65535 (what RDS accepts)`, 'use 5432 or another port from 1150 to 65535');
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
      if (p.databaseName !== undefined && p.databaseName !== id.replace(/-/g, '_')) {
        problems.warning(this, 'RS315', 'databaseName',
          `"${p.databaseName}" is fixed when the instance is created: changing it later makes CloudFormation replace the instance (a new, empty database)`,
          'never change databaseName of a live database; acknowledge with Platform.acknowledgeWarning(db, \'RS315\', reason) once it is deployed');
      }
      const removal = p.removalPolicy ?? d.dataRemoval;
      if (removal === DataRemoval.DESTROY || p.deletionProtection === false) {
        problems.warning(this, 'RS317', removal === DataRemoval.DESTROY ? 'removalPolicy' : 'deletionProtection',
          'a PRODUCTION database can be deleted with its data by a stack update or deletion',
          'keep removalPolicy SNAPSHOT or RETAIN and deletionProtection on, or acknowledge with Platform.acknowledgeWarning(db, \'RS317\', reason)');
      }
    }
  }
}
