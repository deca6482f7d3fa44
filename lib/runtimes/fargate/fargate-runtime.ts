import * as cdk from 'aws-cdk-lib';
import { fargateDefaults } from './defaults';
import { FargateRuntimeHandle, FargateRuntimeIntent } from './intent';
import { FARGATE_RUNTIME_RENDERERS } from './renderers';
import { FargateApp, MAX_CERTIFICATE_NAMES, MAX_ROUTES_PER_LOAD_BALANCER, routePriorities, SSL_POLICY } from './routes';
import { IWorkloadRuntime, SupportNeed } from '../../core/connections';
import { Environment } from '../../core/environment';
import { checkUniqueId, rendered, RenderPhase } from '../../core/graph';
import { checkId, physicalName } from '../../core/naming';
import { cloudWatchRetention, statefulRemoval } from '../../core/policy';
import { ProblemCollector } from '../../core/problems';
import { WorkloadRuntimeConstruct } from '../../core/workload-runtime';
import { CloudEngine } from '../../engines/cloud-engine';
import { domainOf, isDomainName, isHostedZoneId } from '../../private/validation';

/**
 * Properties of a `FargateRuntime`.
 */
export interface FargateRuntimeProps {
  /**
   * The domain of the runtime's public hosts (the vocabulary of
   * SupportServices): the load balancer's certificate covers it and
   * `*.domain`, and each app's host gets an alias record in `hostedZoneId`.
   *
   * @default - no public hosts: an app with `host` is an error
   */
  readonly domain?: string;
  /**
   * More domains served by the same load balancer (each with its apex and
   * `*.` on the certificate; their records go to the same `hostedZoneId`).
   *
   * @default - none
   */
  readonly additionalDomains?: string[];
  /**
   * Route 53 hosted zone id of `domain`: ACM validates the certificate in
   * it, and the apps' alias records are written there. Needed with `domain`.
   *
   * @default - none (only without `domain`)
   */
  readonly hostedZoneId?: string;
  /**
   * CloudWatch Container Insights on the ECS cluster (task and service
   * metrics; queue-depth scaling reads its running-task count).
   *
   * @default true
   */
  readonly containerInsights?: boolean;
  /**
   * ECS Exec (`aws ecs execute-command`) into the runtime's tasks. Off, no
   * one can open a shell in a task.
   *
   * @default false
   */
  readonly executeCommand?: boolean;
}

/**
 * Where workloads run on Amazon ECS with Fargate: an ECS cluster with
 * Fargate capacity providers in the environment's network (tasks in its
 * private subnets, no public IPs), Container Insights on, ECS Exec off.
 * `WebApp`, `Worker` and `ScheduledJob` take it as their parent with the
 * same props as on a `KubernetesCluster`; a prop that has no meaning on
 * Fargate is an error naming it.
 *
 * With `domain` and `hostedZoneId`, apps with a `host` are served through
 * the runtime's Application Load Balancer: HTTPS with an ACM certificate
 * validated by DNS, HTTP redirected to HTTPS, a listener rule per app and
 * a Route 53 alias per host. See docs/fargate.md.
 *
 * CloudFormation only: on a Terraform environment it is an error (RS156).
 */
export class FargateRuntime extends WorkloadRuntimeConstruct implements IWorkloadRuntime {
  /** The environment. */
  public readonly environment: Environment;
  /** Name of the ECS cluster (`<platform>-<environment>-<id>`). */
  public readonly clusterName: string;
  /** `domain` followed by `additionalDomains`. */
  public readonly domains: string[];
  /** Whether ECS Exec is on for the runtime's services. */
  public readonly executeCommand: boolean;
  /** Whether CloudWatch Container Insights is on for the cluster. */
  public readonly containerInsights: boolean;
  /** The private DNS namespace of app-to-app connections (`<id>.<environment>.<platform>.internal`). */
  public readonly discoveryNamespace: string;

  private readonly props: FargateRuntimeProps;
  private readonly apps: FargateApp[] = [];
  private handle?: FargateRuntimeHandle;
  private priorities?: Map<FargateApp, number>;

  constructor(environment: Environment, id: string, props: FargateRuntimeProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this.clusterName = physicalName([environment.qualifiedName, id], 255);
    this.domains = [...new Set([props.domain, ...(props.additionalDomains ?? [])]
      .filter((d): d is string => typeof d === 'string')
      .map(d => d.toLowerCase().replace(/\.$/, '')))];
    this.executeCommand = props.executeCommand ?? false;
    this.containerInsights = props.containerInsights ?? true;
    this.discoveryNamespace = `${id}.${environment.id}.${environment.platform.name}.internal`;
    this._registerElement(RenderPhase.CLUSTER, {
      validate: problems => this.validate(problems),
      render: () => this.render(),
      describe: () => ({ kind: 'FargateRuntime', role: 'runtime', detail: 'ECS' }),
    });
  }

  /** The runtime's id. */
  public get id(): string {
    return this.node.id;
  }

  /** The configured domain that serves `host`, if any. */
  public domainFor(host: string): string | undefined {
    return domainOf(host, this.domains);
  }

  /**
   * Registers an app of the runtime (its workloads call it).
   * @internal
   */
  public _addApp(app: FargateApp): void {
    this.apps.push(app);
  }

  /**
   * The runtime's references (after render).
   * @internal
   */
  public get _handle(): FargateRuntimeHandle {
    return rendered(this, this.handle);
  }

  /**
   * The listener-rule priority of a routed app (after render). See `routePriorities`.
   * @internal
   */
  public _priorityOf(app: FargateApp): number {
    const p = rendered(this, this.priorities).get(app);
    if (p === undefined) throw new Error(`${app.construct.node.path} has no route on ${this.node.path}`);
    return p;
  }

  private get routedApps(): FargateApp[] {
    return this.apps.filter(a => a.host !== undefined);
  }

  private validate(problems: ProblemCollector): void {
    const p = this.props;
    checkUniqueId(this, problems, 'FargateRuntime');
    checkId(this, problems, 'FargateRuntime', 63);
    if (this.environment.engine !== CloudEngine.CLOUDFORMATION) {
      problems.error(this, 'RS156', 'engine',
        `environment ${this.environment.node.path} renders with the ${this.environment.engine} engine; the Fargate runtime renders with CloudFormation only`,
        'place the runtime in an environment with engine: CloudEngine.CLOUDFORMATION, or run its workloads on a KubernetesCluster');
    }
    const domainOk = (d: unknown) => typeof d === 'string' && (cdk.Token.isUnresolved(d) || isDomainName(d));
    if (p.domain !== undefined && !domainOk(p.domain)) {
      problems.error(this, 'RS157', 'domain', `"${p.domain}" is not a DNS domain name`,
        'give the domain of the Route 53 zone, e.g. "acme.example.com" (no scheme, no wildcard)');
    }
    for (const [i, d] of (p.additionalDomains ?? []).entries()) {
      if (!domainOk(d)) {
        problems.error(this, 'RS157', `additionalDomains[${i}]`, `"${d}" is not a DNS domain name`, 'give domain names such as "acme.example.org"');
      }
    }
    if (p.additionalDomains !== undefined && p.domain === undefined) {
      problems.error(this, 'RS157', 'additionalDomains', 'additionalDomains is set without domain', 'set domain too, or remove additionalDomains');
    }
    if (p.domain !== undefined && p.hostedZoneId === undefined) {
      problems.error(this, 'RS157', 'hostedZoneId', 'domain is set without hostedZoneId',
        'give the Route 53 hosted zone id of the domain: ACM validates the certificate there and the apps\' alias records are written there');
    }
    if (p.hostedZoneId !== undefined && !cdk.Token.isUnresolved(p.hostedZoneId) && !isHostedZoneId(p.hostedZoneId)) {
      problems.error(this, 'RS157', 'hostedZoneId', `"${p.hostedZoneId}" is not a Route 53 hosted zone id`, 'give the zone\'s id, e.g. "Z0123456789ABCDEFGHIJ"');
    }
    if (this.domains.length * 2 > MAX_CERTIFICATE_NAMES) {
      problems.error(this, 'RS158', 'additionalDomains',
        `${this.domains.length} domains need ${this.domains.length * 2} names on the load balancer's certificate, more than the ${MAX_CERTIFICATE_NAMES} ACM allows`,
        `serve at most ${MAX_CERTIFICATE_NAMES / 2} domains per runtime, and place the other apps on another FargateRuntime`);
    }
    const routed = this.routedApps;
    if (routed.length > MAX_ROUTES_PER_LOAD_BALANCER) {
      problems.error(this, 'RS158', 'id',
        `${routed.length} apps with a host would need ${routed.length} rules on the runtime's load balancer, more than the ${MAX_ROUTES_PER_LOAD_BALANCER} it holds`,
        'place some of the apps on another FargateRuntime (each has a load balancer of its own)');
    }
    if (p.hostedZoneId !== undefined && p.domain === undefined) {
      problems.error(this, 'RS157', 'hostedZoneId', 'hostedZoneId is set without domain', 'set domain too (the zone\'s domain), or remove hostedZoneId');
    }
    const apex = this.domains[0];
    for (const [i, d] of (p.additionalDomains ?? []).entries()) {
      const name = typeof d === 'string' ? d.toLowerCase().replace(/\.$/, '') : '';
      if (apex && domainOk(d) && !cdk.Token.isUnresolved(d) && name !== apex && !name.endsWith(`.${apex}`)) {
        problems.error(this, 'RS157', `additionalDomains[${i}]`,
          `"${d}" is not below domain ${apex}: its certificate validation and alias records would go to the zone hostedZoneId, which is ${apex}'s`,
          `use domains below ${apex} (e.g. "eu.${apex}"), or serve ${d} from another FargateRuntime with its own domain and hostedZoneId`);
      }
    }
    if (p.domain !== undefined && this.environment._existingNetwork) {
      problems.error(this, 'RS159', 'domain',
        `environment ${this.environment.node.path} uses an existing network, given with its private subnets only: the runtime's internet-facing load balancer needs public subnets`,
        'run the apps with a host on a KubernetesCluster of the environment, or on a FargateRuntime in an environment with a network of its own');
    }
    if (this.executeCommand) {
      problems.warning(this, 'RS161', 'executeCommand',
        'ECS Exec is on: its agent needs a writable root filesystem, so the tasks of this runtime run without a read-only root, and anyone allowed ecs:ExecuteCommand on the cluster gets a shell in them',
        'turn executeCommand off when you are done, or acknowledge with Platform.acknowledgeWarning(runtime, \'RS161\', reason)');
    }
    for (const need of this.needs) {
      if (need.need === SupportNeed.METRICS) {
        problems.error(need.requester, 'RS150', 'metrics', `${need.reason ?? 'metrics'}: Fargate has no Prometheus to scrape them`,
          'remove metrics on Fargate (Container Insights has the task metrics), or run the workload on a KubernetesCluster with SupportServices');
      }
    }
  }

  private render(): void {
    const env = this.environment;
    const lbDays = cloudWatchRetention(env.defaults.logRetentionDays);
    const defaults = fargateDefaults(env.tier);
    const intent: FargateRuntimeIntent = {
      scopeId: this.id,
      clusterName: this.clusterName,
      containerInsights: this.containerInsights,
      // The namespace and the load balancer exist whatever the apps (their
      // exports stay pinned): the last client or host leaving the program
      // must not remove an export that an app's stack still imports.
      discoveryNamespace: this.discoveryNamespace,
      loadBalancer: this.props.domain !== undefined ? {
        name: physicalName([env.qualifiedName, this.id], 32),
        hostedZoneId: this.props.hostedZoneId!,
        certificateNames: this.domains.flatMap(d => [d, `*.${d}`]),
        sslPolicy: SSL_POLICY,
        accessLogDays: lbDays,
        accessLogRemoval: statefulRemoval(env.defaults.dataRemoval).logs,
        accessLogBucketName: `${physicalName([env.qualifiedName, this.id, 'alb-logs'], 63 - 13)}-${env.account}`,
        accessLogsVersioned: defaults.accessLogsVersioned,
        deletionProtection: defaults.loadBalancerDeletionProtection,
        hosts: [...new Set(this.routedApps.map(a => a.host!.toLowerCase()))].sort(),
        appPorts: [...new Set(this.routedApps.map(a => a.port!))].sort((x, y) => x - y),
      } : undefined,
      clientPorts: [...new Set(this.apps.filter(a => a.hasClients()).map(a => a.port!))].sort((x, y) => x - y),
    };
    this.handle = env._engine().service(FARGATE_RUNTIME_RENDERERS, intent, env._network());
    this.priorities = routePriorities(this.routedApps);
  }
}

