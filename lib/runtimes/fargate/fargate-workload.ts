import * as cdk from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { fargateDefaults } from './defaults';
import type { FargateRuntime } from './fargate-runtime';
import { ContainerVariable, FargateServiceIntent, FargateTaskIntent } from './intent';
import { FARGATE_SCHEDULE_RENDERERS, FARGATE_SERVICE_RENDERERS } from './renderers';
import type { FargateApp } from './routes';
import { normalPath } from './routes';
import { schedulerCron } from './schedule';
import { describeTaskSize, isTaskSize, nearestTaskSize, TaskSize } from './task-size';
import { ConnectOptions, IamGrant, IConnectable, IWorkloadBinding, QueueDepthScaling, SecretEnvironment } from '../../core/connections';
import { physicalName } from '../../core/naming';
import { arn, cloudWatchRetention, statefulRemoval } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { clientsOf, ResolvedResources, WorkloadBase, wildcardFindings } from '../../core/workload-base';
import { AutoscalingOptions, WorkloadOptions } from '../../core/workload-options';
import type { CheckAcknowledgementIntent, PolicyStatementIntent } from '../../engines/intents';
import { parseCpu, parseMemory } from '../../private/validation';

/** User and group the containers run as (the same as on Kubernetes). */
const RUN_AS = '10001:10001';

/** The Fargate core of each workload construct (for app-to-app connections). */
const fargateCores = new WeakMap<IConstruct, FargateWorkload>();

/** What a WebApp or Worker asks of Fargate (its props in the runtime-neutral vocabulary). */
export interface FargateServiceSpec {
  readonly port?: number;
  readonly host?: string;
  readonly path?: string;
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingOptions;
  readonly healthCheckPath?: string;
  readonly startupTimeoutSeconds?: number;
  readonly livenessCommand?: string[];
}

/** What a ScheduledJob asks of Fargate. */
export interface FargateJobSpec {
  readonly schedule: string;
  readonly timeZone?: string;
  readonly backoffLimit?: number;
}

/** Characters of an Application Load Balancer path pattern. */
const MAX_PATH_PATTERN = 128;

/** EventBridge Scheduler retries a failed start at most this often. */
const MAX_SCHEDULER_RETRIES = 185;

/**
 * A workload on Fargate: the shared checks and connections of
 * `WorkloadBase`, the connection contract with a task role, task
 * `secrets` and the runtime's security group, and the intents of its
 * task definition and ECS service or schedule.
 */
export class FargateWorkload extends WorkloadBase<ContainerVariable> {
  /** Whether other workloads of the runtime connect to `app`. */
  public static hasClientsInRuntime(app: IConstruct, runtime: FargateRuntime): boolean {
    return clientsOf(app).some(c => c.runtime === runtime);
  }

  /** The app as its runtime sees it (WebApps register it for routing and names). */
  public app?: FargateApp;
  /** Variables a connection composes from secret keys, which ECS cannot deliver (see docs/fargate.md). */
  public readonly undeliveredVariables: string[] = [];
  private readonly secretNames: string[] = [];

  constructor(owner: Construct, public readonly fargate: FargateRuntime, kind: string, props: WorkloadOptions) {
    super(owner, fargate, kind, props);
    fargateCores.set(owner, this);
  }

  /** The name other workloads of the runtime reach it by (in the runtime's private DNS namespace). */
  public get discoveryHost(): string {
    return `${this.name}.${this.fargate.discoveryNamespace}`;
  }

  protected defaultResources(): ResolvedResources {
    const d = fargateDefaults(this.tier);
    return { ...super.defaultResources(), cpuLimit: d.cpuLimit, memoryLimit: d.memoryLimit };
  }

  /** The task size of the resource limits, when they parse. */
  private get taskSize(): TaskSize | undefined {
    const r = this.resources;
    const cpu = parseCpu(r.cpuLimit);
    const memory = parseMemory(r.memoryLimit);
    if (cpu === undefined || memory === undefined) return undefined;
    return { cpu: Math.round(cpu * 1024 / 1000), memory: Math.round(memory / (1024 * 1024)) };
  }

  /** An error for a prop that has no meaning on Fargate (never ignored). */
  public noMeaning(problems: ProblemCollector, prop: string, why: string, fix: string): void {
    problems.error(this.owner, 'RS150', prop, `${prop} has no meaning on Fargate (${this.fargate.node.path}): ${why}`, fix);
  }

  public validate(problems: ProblemCollector): void {
    super.validate(problems);
    const p = this.props;
    if (p.namespace !== undefined) {
      this.noMeaning(problems, 'namespace', 'ECS has no namespaces', 'remove namespace, or run the workload on a KubernetesCluster');
    }
    if (p.annotations !== undefined && Object.keys(p.annotations).length > 0) {
      this.noMeaning(problems, 'annotations', 'ECS resources have no annotations', 'use labels, which become tags of the workload\'s resources on Fargate');
    }
    if (p.secretEnv !== undefined && Object.keys(p.secretEnv).length > 0) {
      this.noMeaning(problems, 'secretEnv', 'it reads Kubernetes Secrets, which Fargate has none of',
        'deliver the secret through a connection (a ManagedPostgres, Cache, ...) whose keys come from Secrets Manager, or run the workload on a KubernetesCluster');
    }
    const size = this.taskSize;
    const r = this.resources;
    if (size && ![r.cpuLimit, r.memoryLimit].some(q => cdk.Token.isUnresolved(q)) && !isTaskSize(size)) {
      const given = this.props.resources ?? {};
      const which = given.cpuLimit === undefined ? 'resources.memoryLimit' : 'resources.cpuLimit';
      problems.error(this.owner, 'RS151', which,
        `a task of ${size.cpu} CPU units (cpuLimit "${r.cpuLimit}") and ${size.memory} MiB (memoryLimit "${r.memoryLimit}") is not a size Fargate runs`,
        `use a valid Fargate combination; the nearest is ${describeTaskSize(nearestTaskSize(size))}`);
    }
    this.connectOptions.forEach((o, i) => {
      if (o.scaling && !this.fargate.containerInsights) {
        problems.error(this.owner, 'RS155', `connections[${i}].scaling`,
          `${this.fargate.node.path} has containerInsights off, and scaling on a queue\'s depth divides it by the running tasks Container Insights counts`,
          'turn containerInsights on for the runtime (the default), or remove scaling');
      }
      const min = o.scaling?.minReplicas;
      if (o.scaling && min === 0) {
        problems.error(this.owner, 'RS155', `connections[${i}].scaling.minReplicas`,
          'a Fargate service does not scale out from 0 tasks on a queue\'s depth (the backlog per task needs a running task)',
          'set minReplicas to 1 or more on Fargate');
      }
    });
  }

  /** Checks the props of a WebApp or Worker on Fargate. */
  public validateService(problems: ProblemCollector, spec: FargateServiceSpec & { livenessPath?: string; healthCheckGiven?: boolean }): void {
    if (spec.host !== undefined && !cdk.Token.isUnresolved(spec.host)) {
      const domains = this.fargate.domains;
      const domain = this.fargate.domainFor(spec.host);
      const host = spec.host.toLowerCase();
      if (domains.length === 0) {
        problems.error(this.owner, 'RS153', 'host', `${this.fargate.node.path} has no domain for public hosts`,
          `give the FargateRuntime domain and hostedZoneId (e.g. domain: "${host.split('.').slice(1).join('.') || 'example.com'}")`);
      } else if (domain === undefined || (host !== domain && host.slice(0, -domain.length - 1).includes('.'))) {
        problems.error(this.owner, 'RS152', 'host',
          `"${spec.host}" is not one of the runtime's domains (${domains.join(', ')}) or a name one level below one: the load balancer's certificate does not cover it`,
          `use a host such as "${this.name}.${domains[0]}", or add its domain to the FargateRuntime's additionalDomains`);
      }
    }
    if (spec.path !== undefined && normalPath(spec.path).length + 2 > MAX_PATH_PATTERN) {
      problems.error(this.owner, 'RS162', 'path', `the path is ${normalPath(spec.path).length} characters; a load balancer path pattern (path + "/*") holds ${MAX_PATH_PATTERN}`,
        `use a path of at most ${MAX_PATH_PATTERN - 2} characters on Fargate`);
    }
    if (spec.livenessPath !== undefined && spec.livenessPath !== (spec.healthCheckPath ?? '/')) {
      this.noMeaning(problems, 'healthCheck.livenessPath', 'a Fargate app has one HTTP health check, the load balancer\'s on healthCheck.path; a failing task is replaced',
        'remove livenessPath (or make it healthCheck.path)');
    }
    if (spec.healthCheckGiven && spec.host === undefined) {
      this.noMeaning(problems, 'healthCheck', 'without a host there is no load balancer to run HTTP health checks on Fargate',
        'give the app a host, or remove healthCheck');
    }
  }

  /** Checks the props of a ScheduledJob on Fargate. */
  public validateJob(problems: ProblemCollector, spec: FargateJobSpec & { kubernetesOnly: string[]; concurrencyPolicy?: string }): void {
    for (const prop of spec.kubernetesOnly) {
      this.noMeaning(problems, prop, 'ECS keeps no job history and stops no run after a deadline',
        `remove ${prop} on Fargate (see docs/fargate.md for what a ScheduledJob becomes)`);
    }
    if (spec.concurrencyPolicy !== undefined && spec.concurrencyPolicy !== 'Allow') {
      this.noMeaning(problems, 'concurrencyPolicy', `EventBridge Scheduler starts every run and cannot ${spec.concurrencyPolicy === 'Forbid' ? 'skip a run while one is going' : 'stop the run that is going'}`,
        'use ConcurrencyPolicy.ALLOW on Fargate (make the job safe to overlap), or run it on a KubernetesCluster');
    }
    if (typeof spec.schedule === 'string' && !cdk.Token.isUnresolved(spec.schedule)) {
      const cron = schedulerCron(spec.schedule);
      if ('problem' in cron) {
        problems.error(this.owner, 'RS154', 'schedule', cron.problem,
          'give either a day of month or a day of week (e.g. "0 3 * * 1" or "0 3 1 * *"), days of week without steps, or a macro such as "@daily"');
      }
    }
    if (spec.backoffLimit !== undefined && spec.backoffLimit > MAX_SCHEDULER_RETRIES) {
      problems.error(this.owner, 'RS154', 'backoffLimit', `${spec.backoffLimit} retries, more than the ${MAX_SCHEDULER_RETRIES} EventBridge Scheduler makes`,
        `give at most ${MAX_SCHEDULER_RETRIES}`);
    }
  }

  /**
   * After render: a warning for the variables a connection composes from
   * secret keys, which Fargate does not set (see docs/fargate.md).
   */
  public checkRendered(problems: ProblemCollector): void {
    if (this.undeliveredVariables.length === 0) return;
    problems.warning(this.owner, 'RS160', 'connections',
      `${this.undeliveredVariables.join(', ')} ${this.undeliveredVariables.length === 1 ? 'is' : 'are'} not set on Fargate: `
        + 'ECS injects whole keys of a secret, and a value composed from them (a URL with the password) would have to be written into the task definition',
      'build the URL in the app from the parts it gets (_HOST, _PORT, _USER, _PASSWORD, ...), then acknowledge with Platform.acknowledgeWarning(workload, \'RS160\', reason)');
  }

  /** On Fargate a secret comes through a connection (there is no secretEnv). */
  protected secretFix(name: string): string {
    return `remove it from env and deliver it through a connection whose keys come from Secrets Manager (secretEnv has no meaning on Fargate; ${name} must not be a literal)`;
  }

  // ---------------------------------------------------------------------------------------------
  // rendering

  /** The ECS service of a WebApp or Worker. */
  public renderService(spec: FargateServiceSpec & { discoverable: boolean }): void {
    const task = this.renderTask(spec.port, spec.livenessCommand);
    const plan = this.replicaPlan(spec.replicas, spec.autoscaling);
    const queue = this.queueScaling;
    const runtime = this.fargate;
    const route: FargateServiceIntent['route'] = spec.host !== undefined ? {
      host: spec.host,
      pathPatterns: normalPath(spec.path) !== '/' ? [normalPath(spec.path), `${normalPath(spec.path)}/*`] : [],
      priority: runtime._priorityOf(this.app!),
      healthCheckPath: spec.healthCheckPath ?? '/',
      healthCheckGraceSeconds: spec.startupTimeoutSeconds ?? 300,
    } : undefined;
    const intent: FargateServiceIntent = {
      ...task,
      serviceName: this.name,
      executeCommand: runtime.executeCommand,
      desiredCount: queue ? queue.minReplicas : plan.autoscaling ? plan.autoscaling.min : plan.replicas!,
      cpuScaling: plan.autoscaling && !queue
        ? { min: plan.autoscaling.min, max: plan.autoscaling.max, targetCpu: this.taskCpuTarget(plan.autoscaling.targetCpu) }
        : undefined,
      queueScaling: queue ? {
        min: queue.minReplicas,
        max: queue.maxReplicas,
        queueName: queue.queueArn.split(':').pop()!,
        messagesPerTask: queue.messagesPerReplica,
      } : undefined,
      route,
      discoveryName: spec.discoverable ? this.name : undefined,
    };
    this.environment._engine().service(FARGATE_SERVICE_RENDERERS, { ...intent, runtime: runtime._handle }, this.environment._network());
  }

  /**
   * `targetCpuUtilization` is a percentage of the CPU request, as for a
   * HorizontalPodAutoscaler; ECS measures a service's CPU as a percentage
   * of the task's CPU (the limit). The same load, in ECS's terms.
   */
  private taskCpuTarget(ofRequest: number): number {
    const r = this.resources;
    const share = parseCpu(r.cpuRequest)! / parseCpu(r.cpuLimit)!;
    return Math.max(1, Math.round(ofRequest * share * 10) / 10);
  }

  /** The EventBridge Scheduler schedule of a ScheduledJob. */
  public renderJob(spec: FargateJobSpec): void {
    const task = this.renderTask(undefined, undefined);
    const cron = schedulerCron(spec.schedule);
    if (!('expression' in cron)) throw new Error(`${this.owner.node.path}: ${cron.problem} (validation should have reported RS154)`);
    this.environment._engine().service(FARGATE_SCHEDULE_RENDERERS, {
      ...task,
      scheduleName: physicalName([this.fargate.clusterName, this.name], 64),
      expression: cron.expression,
      timeZone: spec.timeZone ?? 'UTC',
      retries: spec.backoffLimit ?? 2,
      schedulerRoleName: physicalName([this.fargate.clusterName, this.name, 'scheduler'], 64),
      runtime: this.fargate._handle,
    }, this.environment._network());
  }

  /** Binds the connections and builds the task definition's intent. */
  private renderTask(port: number | undefined, healthCommand: string[] | undefined): FargateTaskIntent {
    this.bindConnections((target, envPrefix, options) => this.binding(target, envPrefix, options));
    // A conventional variable offered from one that cannot be set is not set either.
    for (const offer of this.offers) {
      if (this.undeliveredVariables.includes(offer.fromVariable) && this.offers.filter(o => o.name === offer.name).length === 1
        && this.props.env?.[offer.name] === undefined && !this.undeliveredVariables.includes(offer.name)) {
        this.undeliveredVariables.push(offer.name);
      }
    }
    const env = this.environment;
    const runtime = this.fargate;
    const partition = env.partition;
    const name = this.name;
    const r = this.resources;
    const size = this.taskSize!;
    const logGroupName = `/ecs/${runtime.clusterName}/${name}`;
    const acks: CheckAcknowledgementIntent[] = [];
    const execution: PolicyStatementIntent[] = [{
      sid: 'WriteItsLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [arn(partition, 'logs', env.region, env.account, `log-group:${logGroupName}:log-stream:*`)],
    }];
    acks.push(...wildcardFindings([execution[0]]).map(rule => ({ rule, reason: 'Log streams are named by task id when a task starts; the statement names the task\'s own log group.' })));
    const ecr = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(this.props.image ?? '');
    if (ecr) {
      const getToken: PolicyStatementIntent = { sid: 'SignInToEcr', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] };
      execution.push(getToken, {
        sid: 'PullTheImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [arn(partition, 'ecr', ecr[2], ecr[1], `repository/${ecr[3]}`)],
      });
      acks.push(...wildcardFindings([getToken]).map(rule => ({ rule, reason: 'ecr:GetAuthorizationToken has no resource-level permissions; the pull itself is limited to the image\'s repository.' })));
    }
    const secrets = [...new Set(this.secretNames)].sort();
    if (secrets.length > 0) {
      execution.push({
        sid: 'ReadItsSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        // Secrets Manager appends six random characters to a secret's name in its ARN.
        resources: secrets.map(s => arn(partition, 'secretsmanager', env.region, env.account, `secret:${s}-??????`)),
      });
    }
    if (runtime.executeCommand) {
      // ECS Exec's agent opens its channels through Systems Manager as the task role.
      this.addGrant({
        sid: 'EcsExecChannels',
        actions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
        resources: ['*'],
        wildcardReason: 'The Systems Manager message channels of ECS Exec have no resource-level permissions.',
      });
    }
    const hasRole = this.grants.length > 0;
    if (hasRole) {
      for (const v of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
        if (!this.env.some(e => e.name === v)) this.setEnv({ name: v, value: env.region });
      }
    }
    const removal = statefulRemoval(env.defaults.dataRemoval);
    return {
      scopeId: `${runtime.id}-app-${name}`,
      tags: this.userMetadata.labels,
      family: physicalName([runtime.clusterName, name], 255),
      cpu: size.cpu,
      memory: size.memory,
      container: {
        name,
        image: this.props.image,
        entryPoint: this.props.command,
        command: this.props.args,
        port,
        cpu: Math.max(0, Math.round(parseCpu(r.cpuRequest)! * 1024 / 1000)),
        memoryReservation: Math.round(parseMemory(r.memoryRequest)! / (1024 * 1024)),
        memory: size.memory,
        user: RUN_AS,
        variables: this.containerVariables(),
        readonlyRootFilesystem: !runtime.executeCommand,
        healthCommand,
      },
      logGroupName,
      logRetentionDays: cloudWatchRetention(env.defaults.logRetentionDays),
      logRemoval: removal.logs,
      executionRoleName: physicalName([runtime.clusterName, name, 'exec'], 64),
      executionStatements: execution,
      executionAcknowledgements: acks,
      // Managed services are children of the environment, with their id as scope id.
      deployAfter: [...new Set(this.connections.filter(t => t.node.scope === env).map(t => t.node.id))],
      taskRole: hasRole ? {
        roleName: physicalName([runtime.clusterName, 'app', name], 64),
        description: `Workload ${name} on ECS cluster ${runtime.clusterName}`,
        statements: this.grants,
        acknowledgements: this.grantReasons.length > 0 ? this.grantReasons : undefined,
      } : undefined,
    };
  }

  /** The container's variables: env, then what connections added (the order of the Kubernetes container). */
  private containerVariables(): ContainerVariable[] {
    const out: ContainerVariable[] = Object.entries(this.props.env ?? {}).map(([name, value]) => ({ name, value }));
    for (const v of this.env) {
      if (!out.some(o => o.name === v.name)) out.push(v);
    }
    return out;
  }

  private secretArn(secretName: string): string {
    const env = this.environment;
    return arn(env.partition, 'secretsmanager', env.region, env.account, `secret:${secretName}`);
  }

  /** What `target` may ask of this workload (the connection contract, on Fargate). */
  private binding(target: IConnectable, envPrefix: string, options: ConnectOptions): IWorkloadBinding {
    const core = this;
    const runtime = this.fargate;
    return {
      workload: this.owner,
      runtime,
      envPrefix,
      options,
      networkSource: {
        key: `ecs:${runtime.clusterName}`,
        description: `the tasks of ECS cluster ${runtime.clusterName}`,
        securityGroupId: runtime._handle.taskSecurityGroupId,
      },
      grant(permission: IamGrant) {
        core.addGrant(permission);
      },
      addEnvironment(name: string, value: string) {
        core.setEnv({ name, value });
      },
      addSecretEnvironment(secret: SecretEnvironment) {
        if (secret.secretStore !== undefined) {
          throw new Error(`${core.owner.node.path}: ${target.node.path} delivers from a runtime's secret store, which Fargate has not (validation should have reported it)`);
        }
        for (const [name, key] of Object.entries(secret.variables)) {
          const template = secret.composed?.[key];
          if (template !== undefined) {
            // A value made from secret keys needs the secret's values at
            // run time; ECS injects whole keys only. A template of plain
            // text is delivered as it is.
            if (/\{[^}]+\}/.test(template)) core.undeliveredVariables.push(name);
            else core.setEnv({ name, value: template });
            continue;
          }
          const other = secret.otherKeys?.[key];
          const secretName = other ? other.secretName : secret.secretName;
          core.secretNames.push(secretName);
          core.setEnv({ name, valueFrom: `${core.secretArn(secretName)}:${other ? other.key : key}::` });
        }
      },
      offerEnvironment(name: string, fromVariable: string) {
        core.addOffer(name, fromVariable);
      },
      allowEgress() {
        // The tasks' security group allows all egress; the target's security group admits the runtime's tasks.
      },
      allowEgressToWorkload(other: IConstruct) {
        const peer = fargateCores.get(other);
        if (!peer || peer.fargate !== runtime) {
          throw new Error(`${core.owner.node.path}: ${other.node.path} is not a workload of ${runtime.node.path} (validation should have reported it)`);
        }
      },
      allowEgressToPods() {
        throw new Error(`${core.owner.node.path}: Fargate tasks are no pods of a cluster (validation should have reported it)`);
      },
      scaleOnQueueDepth(scaling: QueueDepthScaling) {
        core.queueScaling = scaling;
      },
    };
  }

}
