import * as cdk from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import {
  CloudFormationObjectStore, renderAccessLogBucket as accessLogsCfn, renderGatewayEndpoint as endpointCfn, renderObjectStore as bucketCfn,
} from './cloudformation';
import { ObjectStoreTierDefaults, ObjectStoreTierPresets } from './defaults';
import type { AccessLogBucketIntent, GatewayEndpointIntent, ObjectStoreHandle, ObjectStoreIntent } from './intent';
import type * as terraform from './terraform';
import { checkConnectOptions, envPrefixOf } from '../../core/connection-checks';
import { Access, ConnectionProblem, ConnectOptions, IConnectable, IWorkloadBinding, IWorkloadRuntime, SupportNeed } from '../../core/connections';
import { RuntimeStackConstruct } from '../../core/element';
import { Environment } from '../../core/environment';
import { checkUniqueId, rendered, RenderPhase, requestedId } from '../../core/graph';
import { checkId, physicalName } from '../../core/naming';
import { arn, dnsSuffixOf, statefulRemoval } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { ManagedServiceProps, stackGroupOf } from '../../core/stack-group';
import { DataRemoval, Tier } from '../../core/tier';
import type { ServiceRenderers } from '../../engines/engine';

/**
 * Properties of an `ObjectStore`.
 */
export interface ObjectStoreProps extends ManagedServiceProps {
  /**
   * Keep every version of every object (replaced and deleted ones for
   * `noncurrentVersionExpiration`).
   *
   * @default - false in DEVELOPMENT, true in STAGING and PRODUCTION
   */
  readonly versioned?: boolean;

  /**
   * How long a replaced or deleted version is kept (whole days, with versioning).
   *
   * @default - 30 days in STAGING, 90 days in PRODUCTION
   */
  readonly noncurrentVersionExpiration?: cdk.Duration;

  /**
   * What happens to the bucket (and its key) when it leaves the stack. A
   * bucket cannot be snapshotted: SNAPSHOT keeps it. DESTROY deletes an
   * empty bucket only: neither CloudFormation nor Terraform deletes a
   * bucket that still holds objects (the stack deletion then fails on it),
   * and the library deploys no function that would empty it.
   *
   * @default - DESTROY in DEVELOPMENT, RETAIN (kept) in STAGING and PRODUCTION
   */
  readonly removalPolicy?: DataRemoval;

  /**
   * S3 Object Lock: every new object version is locked for this retention
   * (whole days, up to 100 years), in governance mode (`ObjectLockRetention.governance`:
   * users with `s3:BypassGovernanceRetention` may still delete) or
   * compliance mode (`ObjectLockRetention.compliance`: nobody can, not
   * even the account root, until the retention ends). Needs versioning.
   * Object Lock cannot be turned off once on: decide when the bucket is
   * created. AWS Control Tower's CT.S3.PR.9 asks for it.
   *
   * @default - no Object Lock
   */
  readonly objectLockRetention?: s3.ObjectLockRetention;
}

/** Days after which an unfinished multipart upload is aborted (its parts cost storage). */
const ABORT_UPLOADS_DAYS = 7;
/**
 * Every bucket sends its object events to Amazon EventBridge (AWS Control
 * Tower CT.S3.PR.4): consumers subscribe with EventBridge rules, and S3
 * charges nothing for it.
 */
const EVENTS_TO_EVENTBRIDGE = true;

/** The bucket defaults of an environment's tier (an unknown tier, from JavaScript, reads as DEVELOPMENT; RS010 reports it). */
function tierOf(env: Environment): ObjectStoreTierDefaults {
  return ObjectStoreTierPresets.of(env.tier) ?? ObjectStoreTierPresets.of(Tier.DEVELOPMENT);
}
/** Scope of the environment's access-log bucket; no ObjectStore may take the id. */
const ACCESS_LOGS_ID = 's3-access-logs';
/** Scope of the S3 gateway endpoint. */
const ENDPOINT_ID = 'S3GatewayEndpoint';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tf = () => require('./terraform') as typeof terraform;
const BUCKET: ServiceRenderers<ObjectStoreIntent, ObjectStoreHandle> = {
  type: 'object-store', cloudFormation: () => bucketCfn, terraform: () => tf().renderObjectStore,
};
const ACCESS_LOGS: ServiceRenderers<AccessLogBucketIntent, void> = {
  type: 'object-store-access-logs', grain: 'foundation', cloudFormation: () => accessLogsCfn, terraform: () => tf().renderAccessLogBucket,
};
const ENDPOINT: ServiceRenderers<GatewayEndpointIntent, void> = {
  type: 's3-gateway-endpoint', grain: 'foundation', cloudFormation: () => endpointCfn, terraform: () => tf().renderGatewayEndpoint,
};

/** Environments whose access-log bucket / S3 endpoint is rendered. */
const logBuckets = new WeakSet<Environment>();
const endpoints = new WeakSet<Environment>();

/** What a bucket is, once the props and the tier are put together (resolved once). */
interface ObjectStoreSettings {
  readonly versioned: boolean;
  /** Days (not necessarily whole: validation says so). */
  readonly noncurrentVersionDays: number;
  readonly dataRemoval: DataRemoval;
  /** Whole days from 1 (ObjectLockRetention checks it). */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
}

/**
 * Object storage on Amazon S3: Block Public Access on, ACLs off, encrypted
 * with a KMS key of its own (bucket keys on), TLS-only, server access logs
 * into the environment's log bucket, unfinished uploads aborted after 7
 * days; versioning with expiry of old versions by tier. The environment's
 * VPC gets an S3 gateway endpoint.
 *
 * Connect a workload to it (`connections: [bucket]`): its own identity may
 * read and write the bucket's objects (`connect(bucket, { access:
 * Access.READ })` to only read), and it gets `<PREFIX>_BUCKET` and
 * `<PREFIX>_REGION`.
 */
export class ObjectStore extends RuntimeStackConstruct implements IConnectable {
  /** The environment. */
  public readonly environment: Environment;
  /** The bucket's name (deterministic: platform, environment, id and account, cut and hashed to 63 characters). */
  public readonly bucketName: string;
  /** The bucket's ARN. */
  public readonly bucketArn: string;
  /** Alias of the bucket's KMS key. */
  public readonly keyAlias: string;
  /** Default prefix of a connection's environment variables: the id in upper snake case. */
  public readonly connectionEnvPrefix: string;

  private readonly props: ObjectStoreProps;
  private readonly settings: ObjectStoreSettings;
  private handle?: ObjectStoreHandle;

  constructor(environment: Environment, id: string, props: ObjectStoreProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.settings = resolveSettings(props, environment);
    this.bucketName = bucketNameOf(environment, id);
    this.bucketArn = arn(environment.partition, 's3', '', '', this.bucketName);
    this.keyAlias = `alias/${environment.platform.name}/${environment.id}/${id}`;
    this.connectionEnvPrefix = envPrefixOf(id);
    this._registerElement(RenderPhase.SERVICE, {
      validate: problems => this.validate(problems),
      describe: () => ({ kind: 'ObjectStore', role: 'service', detail: 'S3' }),
      render: () => {
        const engine = environment._engine();
        const logs = this.accessLogBucket();
        if (logs) engine.service(ACCESS_LOGS, logs);
        this.handle = engine.service(BUCKET, this.intent());
      },
    });
    // After every service and cluster: the VPC exists by then if anything needs one.
    this._registerElement(RenderPhase.FINALIZE, {
      validate: () => undefined,
      render: () => this.gatewayEndpoint(),
    });
  }

  /** The S3 bucket (CloudFormation engine, after render): escape hatch. */
  public get bucket(): s3.Bucket {
    return this.cloudFormation().bucket;
  }

  /** The bucket's KMS key (CloudFormation engine, after render): escape hatch. */
  public get key(): kms.Key {
    return this.cloudFormation().key;
  }

  /** RS705: another environment; RS131/RS132: options. */
  public checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[] {
    const problems = checkConnectOptions(this, 'bucket', options, { access: true });
    if (runtime.environment !== this.environment) {
      problems.push({
        code: 'RS705',
        prop: 'connections',
        message: `${workload.node.path} runs in environment "${runtime.environment.id}" but bucket ${this.node.path} is in environment "${this.environment.id}"`,
        fix: `connect to an ObjectStore of environment "${runtime.environment.id}" (buckets are never shared across environments)`,
      });
    }
    return problems;
  }

  /** A bucket needs nothing from support services. */
  public connectionNeeds(_options?: ConnectOptions): SupportNeed[] {
    return [];
  }

  /**
   * Grants the workload's identity `access` to this bucket only (objects,
   * listing, and its key through S3), gives it `<PREFIX>_BUCKET` and
   * `<PREFIX>_REGION` and HTTPS egress (S3, through the gateway endpoint).
   */
  public bindConnection(binding: IWorkloadBinding): void {
    rendered(this, this.handle);
    const access = binding.options.access ?? Access.READ_WRITE;
    const read = access !== Access.WRITE;
    const write = access !== Access.READ;
    const name = `${pascal(requestedId(this))}Bucket`;
    const objects = [
      ...(read ? ['s3:GetObject'] : []),
      ...(write ? ['s3:PutObject', 's3:AbortMultipartUpload'] : []),
      ...(read && write ? ['s3:DeleteObject'] : []),
    ];
    binding.grant({
      sid: `${name}Objects`,
      actions: objects,
      resources: [`${this.bucketArn}/*`],
      wildcardReason: `The app names the objects at run time; the statement covers the objects of bucket ${this.bucketName} only.`,
    });
    binding.grant({ sid: `${name}List`, actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [this.bucketArn] });
    const env = this.environment;
    binding.grant({
      sid: `${name}Key`,
      actions: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
      resources: [arn(env.partition, 'kms', env.region, env.account, 'key/*')],
      conditions: {
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': this.keyAlias },
        'StringEquals': { 'kms:ViaService': `s3.${env.region}.${dnsSuffixOf(env.partition)}` },
      },
      wildcardReason: `Key ids are generated; the condition names this bucket's key by its alias ${this.keyAlias}, used through S3 only.`,
    });
    binding.addEnvironment(`${binding.envPrefix}_BUCKET`, this.bucketName);
    binding.addEnvironment(`${binding.envPrefix}_REGION`, env.region);
    // S3's addresses are AWS's (routed through the gateway endpoint), unknown at synth.
    binding.allowEgress(['0.0.0.0/0'], 443);
  }

  private intent(): ObjectStoreIntent {
    const s = this.settings;
    const removal = statefulRemoval(s.dataRemoval);
    return {
      scopeId: this.node.id,
      stackGroup: stackGroupOf(this, this.environment, this.props),
      bucketName: this.bucketName,
      keyAlias: this.keyAlias,
      versioned: s.versioned,
      noncurrentVersionDays: s.versioned ? s.noncurrentVersionDays : undefined,
      abortIncompleteUploadDays: ABORT_UPLOADS_DAYS,
      eventBridge: EVENTS_TO_EVENTBRIDGE,
      objectLock: s.objectLock,
      accessLogs: { scopeId: ACCESS_LOGS_ID, bucketName: logBucketNameOf(this.environment), prefix: `${this.bucketName}/` },
      // A bucket cannot be snapshotted: a SNAPSHOT keeps it.
      removal: { bucket: removal.resource === 'snapshot' ? 'retain' : removal.resource, key: removal.key },
    };
  }

  /** The environment's access-log bucket, the first time a bucket renders (undefined after). */
  private accessLogBucket(): AccessLogBucketIntent | undefined {
    const env = this.environment;
    if (logBuckets.has(env)) return undefined;
    logBuckets.add(env);
    return {
      scopeId: ACCESS_LOGS_ID,
      bucketName: logBucketNameOf(env),
      expirationDays: env.defaults.logRetentionDays,
      versioned: tierOf(env).versioned,
      // Logs are written once: a noncurrent version is an expired log.
      noncurrentVersionDays: tierOf(env).versioned ? 1 : undefined,
      eventBridge: EVENTS_TO_EVENTBRIDGE,
      sourceBucketPrefix: `${env.qualifiedName}-`,
      removal: statefulRemoval(env.defaults.dataRemoval).logs,
    };
  }

  /** The S3 gateway endpoint, once per environment whose VPC the library made. */
  private gatewayEndpoint(): void {
    const env = this.environment;
    const network = env._networkIfAny();
    if (!network || network.existing || endpoints.has(env)) return;
    endpoints.add(env);
    env._engine().service(ENDPOINT, { scopeId: ENDPOINT_ID, service: 's3' }, network);
  }

  private cloudFormation(): CloudFormationObjectStore {
    const handle = rendered(this, this.handle) as Partial<CloudFormationObjectStore>;
    if (!handle.bucket) {
      throw new Error(`${this.node.path}: bucket and key are only available with the CloudFormation engine.`);
    }
    return handle as CloudFormationObjectStore;
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'ObjectStore');
    stackGroupOf(this, this.environment, this.props, problems);
    const id = requestedId(this);
    checkId(this, problems, 'ObjectStore', 40, id);
    if (id === ACCESS_LOGS_ID) {
      problems.error(this, 'RS702', 'id', `"${id}" is the environment's access-log bucket`, 'give the bucket another id');
    }
    const p = this.props;
    const s = this.settings;
    if (p.noncurrentVersionExpiration !== undefined && !cdk.Token.isUnresolved(p.noncurrentVersionExpiration.toString())) {
      if (!s.versioned) {
        problems.error(this, 'RS703', 'noncurrentVersionExpiration', 'noncurrent versions expire, but the bucket is not versioned',
          'set versioned: true, or remove noncurrentVersionExpiration');
      } else if (!Number.isInteger(s.noncurrentVersionDays) || s.noncurrentVersionDays < 1) {
        problems.error(this, 'RS703', 'noncurrentVersionExpiration', `${p.noncurrentVersionExpiration.toHumanString()} is not a whole number of days, 1 or more`,
          'give Duration.days(n) with n of 1 or more');
      }
    }
    if (s.objectLock && !s.versioned) {
      problems.error(this, 'RS707', 'objectLockRetention', 'Object Lock needs versioning, and the bucket is not versioned',
        'set versioned: true (or leave it to the tier), or remove objectLockRetention');
    }
    if (p.removalPolicy !== undefined && !Object.values(DataRemoval).includes(p.removalPolicy)) {
      problems.error(this, 'RS704', 'removalPolicy', `"${p.removalPolicy}" is not a DataRemoval`, 'use DataRemoval.DESTROY or DataRemoval.RETAIN');
    }
    if (this.environment.tier === Tier.PRODUCTION && s.dataRemoval === DataRemoval.DESTROY) {
      problems.warning(this, 'RS706', 'removalPolicy', 'a PRODUCTION bucket would be deleted (once empty) when it leaves the stack',
        'keep removalPolicy RETAIN, or acknowledge with Platform.acknowledgeWarning(bucket, \'RS706\', reason)');
    }
  }
}

/** Bucket names are global: platform, environment, id and account, cut and hashed to 63 characters. */
function bucketNameOf(env: Environment, id: string): string {
  return physicalName([env.qualifiedName, id, env.account], 63);
}

function logBucketNameOf(env: Environment): string {
  return physicalName([env.qualifiedName, ACCESS_LOGS_ID, env.account], 63);
}

/** `orders-uploads` → `OrdersUploads` (IAM statement ids are alphanumeric). */
function pascal(value: string): string {
  return value.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

function resolveSettings(p: ObjectStoreProps, env: Environment): ObjectStoreSettings {
  const t = tierOf(env);
  const d = p.noncurrentVersionExpiration;
  return {
    versioned: p.versioned ?? t.versioned,
    noncurrentVersionDays: d !== undefined && !cdk.Token.isUnresolved(d.toString()) ? d.toDays({ integral: false }) : t.noncurrentVersionDays,
    dataRemoval: p.removalPolicy ?? env.defaults.dataRemoval,
    objectLock: p.objectLockRetention && !cdk.Token.isUnresolved(p.objectLockRetention.duration.toString())
      ? { mode: p.objectLockRetention.mode as 'GOVERNANCE' | 'COMPLIANCE', days: p.objectLockRetention.duration.toDays({ integral: false }) }
      : undefined,
  };
}
