import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { CloudFormationQueue, renderQueue as renderCloudFormation } from './cloudformation';
import { QueueTierDefaults, QueueTierPresets } from './defaults';
import type { QueueHandle, QueueIntent } from './intent';
import type * as terraform from './terraform';
import { checkConnectOptions, envPrefixOf } from '../../core/connection-checks';
import {
  Access, ConnectionProblem, ConnectOptions, IConnectable, IWorkloadBinding, IWorkloadRuntime, SupportNeed,
} from '../../core/connections';
import { RuntimeStackConstruct } from '../../core/element';
import { Environment } from '../../core/environment';
import { checkUniqueId, rendered, RenderPhase, requestedId } from '../../core/graph';
import { checkId, physicalName } from '../../core/naming';
import { arn, dnsSuffixOf } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { ManagedServiceProps, stackGroupOf } from '../../core/stack-group';
import { DataRemoval, Tier } from '../../core/tier';
import type { ServiceRenderers } from '../../engines/engine';

/**
 * Properties of a `Queue`.
 */
export interface QueueProps extends ManagedServiceProps {
  /**
   * A FIFO queue (exactly-once processing, ordered per message group). Its
   * name ends in `.fifo`.
   *
   * @default false
   */
  readonly fifo?: boolean;

  /**
   * Name of the queue: 1 to 80 letters, digits, `-` and `_`, ending in
   * `.fifo` for a FIFO queue. Fixed at creation.
   *
   * @default - `<platform>-<environment>-<id>` (with `.fifo` for a FIFO queue)
   */
  readonly queueName?: string;

  /**
   * How long a message is kept (1 minute to 14 days).
   *
   * @default - 1 day in DEVELOPMENT, 4 days in STAGING, 14 days in PRODUCTION
   */
  readonly retentionPeriod?: cdk.Duration;

  /**
   * How long a received message stays hidden from other consumers (0 to 12
   * hours): longer than a consumer takes to handle it.
   *
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: cdk.Duration;

  /**
   * Receives of one message before it moves to the dead-letter queue (1 to 1000).
   *
   * @default - 3 in DEVELOPMENT, 5 in STAGING, 10 in PRODUCTION
   */
  readonly maxReceiveCount?: number;

  /**
   * What happens to the queue (and its dead-letter queue) when it leaves
   * the stack. A queue cannot be snapshotted: SNAPSHOT deletes it.
   *
   * @default - DESTROY in DEVELOPMENT and STAGING, RETAIN in PRODUCTION
   */
  readonly removalPolicy?: DataRemoval;
}

/** SQS limits. */
const MAX_NAME = 80;
const MAX_RETENTION_SECONDS = 14 * 86_400;
const MAX_VISIBILITY_SECONDS = 12 * 3600;
const DEFAULT_VISIBILITY_SECONDS = 30;
/** Messages per replica when a workload scales on the queue's depth. */
const DEFAULT_MESSAGES_PER_REPLICA = 10;

const SEND = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
const CONSUME = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];

const RENDERERS: ServiceRenderers<QueueIntent, QueueHandle> = {
  type: 'queue',
  cloudFormation: () => renderCloudFormation,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  terraform: () => (require('./terraform') as typeof terraform).renderQueue,
};

/** What a queue is, once the props and the tier are put together (resolved once). */
interface QueueSettings {
  readonly name: string;
  readonly deadLetterQueueName: string;
  readonly fifo: boolean;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  readonly dataRemoval: DataRemoval;
}

/**
 * A message queue on Amazon SQS: encrypted with SQS-managed keys, TLS-only,
 * with a dead-letter queue that receives a message after `maxReceiveCount`
 * failed receives.
 *
 * Connect a workload to it (`connections: [queue]`): the workload's own
 * identity may send and consume (`connect(queue, { access: Access.WRITE })`
 * to only send, `Access.READ` to only consume), and gets
 * `<PREFIX>_QUEUE_URL` and `<PREFIX>_QUEUE_ARN`. A Worker can scale on the
 * queue's depth: `worker.connect(queue, { scaling: { maxReplicas: 10 } })`
 * (KEDA, installed by SupportServices).
 */
export class Queue extends RuntimeStackConstruct implements IConnectable {
  /** The environment. */
  public readonly environment: Environment;
  /** The queue's name. */
  public readonly queueName: string;
  /** The dead-letter queue's name. */
  public readonly deadLetterQueueName: string;
  /** The queue's URL (deterministic). */
  public readonly queueUrl: string;
  /** The queue's ARN (deterministic). */
  public readonly queueArn: string;
  /** Default prefix of a connection's environment variables: the id in upper snake case. */
  public readonly connectionEnvPrefix: string;

  private readonly props: QueueProps;
  private readonly settings: QueueSettings;
  private handle?: QueueHandle;

  constructor(environment: Environment, id: string, props: QueueProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.settings = resolveSettings(id, props, environment);
    this.queueName = this.settings.name;
    this.deadLetterQueueName = this.settings.deadLetterQueueName;
    this.queueUrl = `https://sqs.${environment.region}.${dnsSuffixOf(environment.partition)}/${environment.account}/${this.queueName}`;
    this.queueArn = arn(environment.partition, 'sqs', environment.region, environment.account, this.queueName);
    this.connectionEnvPrefix = envPrefixOf(id);
    this._registerElement(RenderPhase.SERVICE, {
      validate: problems => this.validate(problems),
      describe: () => ({ kind: 'Queue', role: 'service', detail: 'SQS' }),
      render: () => {
        this.handle = environment._engine().service(RENDERERS, this.intent());
      },
    });
  }

  /** The SQS queue (CloudFormation engine, after render): escape hatch. */
  public get sqsQueue(): sqs.Queue {
    return this.cloudFormation().queue;
  }

  /** The dead-letter queue (CloudFormation engine, after render): escape hatch. */
  public get deadLetterQueue(): sqs.Queue {
    return this.cloudFormation().deadLetterQueue;
  }

  /** RS807: another environment; RS131/RS132: options; RS808: scaling on a queue the workload only sends to. */
  public checkConnection(workload: IConstruct, runtime: IWorkloadRuntime, options?: ConnectOptions): ConnectionProblem[] {
    const problems = checkConnectOptions(this, 'queue', options, { access: true, scaling: true });
    if (runtime.environment !== this.environment) {
      problems.push({
        code: 'RS807',
        prop: 'connections',
        message: `${workload.node.path} runs in environment "${runtime.environment.id}" but queue ${this.node.path} is in environment "${this.environment.id}"`,
        fix: `connect to a Queue of environment "${runtime.environment.id}" (queues are never shared across environments)`,
      });
    }
    if (options?.scaling && options.access === Access.WRITE) {
      problems.push({
        code: 'RS808',
        prop: 'scaling',
        message: `the workload scales on queue ${this.node.path} but may only send to it`,
        fix: 'scale a workload that consumes the queue (access READ or READ_WRITE)',
      });
    }
    return problems;
  }

  /** Scaling on the queue needs event-driven autoscaling (KEDA). */
  public connectionNeeds(options?: ConnectOptions): SupportNeed[] {
    return options?.scaling ? [SupportNeed.EVENT_AUTOSCALING] : [];
  }

  /**
   * Grants the workload's identity send and/or consume on this queue only,
   * gives it the queue's URL and ARN and HTTPS egress (the SQS endpoint),
   * and, with `scaling`, scales it on the queue's depth.
   */
  public bindConnection(binding: IWorkloadBinding): void {
    rendered(this, this.handle);
    const access = binding.options.access ?? Access.READ_WRITE;
    const actions = access === Access.WRITE ? SEND : access === Access.READ ? CONSUME : [...new Set([...SEND, ...CONSUME])];
    binding.grant({ sid: `${pascal(requestedId(this))}Queue${pascal(access)}`, actions, resources: [this.queueArn] });
    binding.addEnvironment(`${binding.envPrefix}_QUEUE_URL`, this.queueUrl);
    binding.addEnvironment(`${binding.envPrefix}_QUEUE_ARN`, this.queueArn);
    // The SQS endpoint's addresses are AWS's, unknown at synth.
    binding.allowEgress(['0.0.0.0/0'], 443);
    const scaling = binding.options.scaling;
    if (scaling) {
      binding.scaleOnQueueDepth({
        queueUrl: this.queueUrl,
        queueArn: this.queueArn,
        region: this.environment.region,
        minReplicas: scaling.minReplicas ?? this.environment.defaults.replicas,
        maxReplicas: scaling.maxReplicas,
        messagesPerReplica: scaling.messagesPerReplica ?? DEFAULT_MESSAGES_PER_REPLICA,
      });
    }
  }

  private intent(): QueueIntent {
    const s = this.settings;
    return {
      scopeId: this.node.id,
      stackGroup: stackGroupOf(this, this.environment, this.props),
      name: s.name,
      deadLetterQueueName: s.deadLetterQueueName,
      arn: this.queueArn,
      fifo: s.fifo,
      retentionSeconds: s.retentionSeconds,
      visibilityTimeoutSeconds: s.visibilityTimeoutSeconds,
      maxReceiveCount: s.maxReceiveCount,
      deadLetterRetentionSeconds: MAX_RETENTION_SECONDS,
      // Messages are not worth a snapshot: only a RETAIN keeps the queue.
      removal: s.dataRemoval === DataRemoval.RETAIN ? 'retain' : 'destroy',
    };
  }

  private cloudFormation(): CloudFormationQueue {
    const handle = rendered(this, this.handle) as Partial<CloudFormationQueue>;
    if (!handle.queue) {
      throw new Error(`${this.node.path}: sqsQueue and deadLetterQueue are only available with the CloudFormation engine.`);
    }
    return handle as CloudFormationQueue;
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'Queue');
    stackGroupOf(this, this.environment, this.props, problems);
    checkId(this, problems, 'Queue', 60, requestedId(this));
    const p = this.props;
    const s = this.settings;
    if (p.queueName !== undefined && !cdk.Token.isUnresolved(p.queueName)) {
      const base = p.queueName.replace(/\.fifo$/, '');
      if (!/^[A-Za-z0-9_-]+$/.test(base) || p.queueName.length > MAX_NAME) {
        problems.error(this, 'RS801', 'queueName', `"${p.queueName}" is not an SQS queue name`,
          `use 1 to ${MAX_NAME} letters, digits, "-" and "_"${s.fifo ? ', ending in ".fifo"' : ''}`);
      } else if (s.fifo && !p.queueName.endsWith('.fifo')) {
        problems.error(this, 'RS802', 'queueName', `the FIFO queue's name "${p.queueName}" does not end in ".fifo"`, `name it "${base}.fifo"`);
      } else if (!s.fifo && p.queueName.endsWith('.fifo')) {
        problems.error(this, 'RS802', 'queueName', `"${p.queueName}" ends in ".fifo" but the queue is not FIFO`, `set fifo: true, or name it "${base}"`);
      }
    }
    if (p.retentionPeriod !== undefined && !cdk.Token.isUnresolved(p.retentionPeriod.toString())
      && (s.retentionSeconds < 60 || s.retentionSeconds > MAX_RETENTION_SECONDS || !Number.isInteger(s.retentionSeconds))) {
      problems.error(this, 'RS803', 'retentionPeriod', `${p.retentionPeriod.toHumanString()} is outside 1 minute to 14 days`, 'give a whole number of seconds from 60 to 1209600, e.g. Duration.days(4)');
    }
    if (p.visibilityTimeout !== undefined && !cdk.Token.isUnresolved(p.visibilityTimeout.toString())
      && (s.visibilityTimeoutSeconds < 0 || s.visibilityTimeoutSeconds > MAX_VISIBILITY_SECONDS || !Number.isInteger(s.visibilityTimeoutSeconds))) {
      problems.error(this, 'RS804', 'visibilityTimeout', `${p.visibilityTimeout.toHumanString()} is outside 0 to 12 hours`, 'give a whole number of seconds up to 43200');
    }
    if (!Number.isInteger(s.maxReceiveCount) || s.maxReceiveCount < 1 || s.maxReceiveCount > 1000) {
      problems.error(this, 'RS805', 'maxReceiveCount', `${s.maxReceiveCount} is not a whole number from 1 to 1000`, 'give the receives of a message before it goes to the dead-letter queue, e.g. 5');
    }
    if (p.removalPolicy !== undefined && !Object.values(DataRemoval).includes(p.removalPolicy)) {
      problems.error(this, 'RS806', 'removalPolicy', `"${p.removalPolicy}" is not a DataRemoval`, 'use DataRemoval.DESTROY or DataRemoval.RETAIN');
    }
  }
}

/** `orders-jobs` → `OrdersJobs`, `read-write` → `ReadWrite` (IAM statement ids are alphanumeric). */
function pascal(value: string): string {
  return value.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join('');
}

function resolveSettings(id: string, p: QueueProps, env: Environment): QueueSettings {
  const t: QueueTierDefaults = QueueTierPresets.of(env.tier) ?? QueueTierPresets.of(Tier.DEVELOPMENT);
  const fifo = p.fifo ?? false;
  const suffix = fifo ? '.fifo' : '';
  const base = p.queueName?.replace(/\.fifo$/, '') ?? physicalName([env.qualifiedName, id], MAX_NAME - suffix.length);
  const seconds = (d: cdk.Duration | undefined, fallback: number) =>
    d !== undefined && !cdk.Token.isUnresolved(d.toString()) ? d.toSeconds({ integral: false }) : fallback;
  return {
    name: p.queueName ?? `${base}${suffix}`,
    deadLetterQueueName: `${physicalName([base, 'dlq'], MAX_NAME - suffix.length)}${suffix}`,
    fifo,
    retentionSeconds: seconds(p.retentionPeriod, t.retentionDays * 86_400),
    visibilityTimeoutSeconds: seconds(p.visibilityTimeout, DEFAULT_VISIBILITY_SECONDS),
    maxReceiveCount: p.maxReceiveCount ?? t.maxReceiveCount,
    dataRemoval: p.removalPolicy ?? env.defaults.dataRemoval,
  };
}
