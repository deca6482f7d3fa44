import * as cdk from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { claimId, recordRequestedId, rendered, RenderPhase } from './core/graph';
import { ProblemCollector } from './core/problems';
import { KubernetesCluster } from './kubernetes-cluster';
import { IConnectable } from './needs';
import { cronProblem } from './private/validation';
import { WorkloadCore } from './private/workload';
import { WorkloadOptions, ConnectOptions } from './workload';

/**
 * What happens when a run is due while the previous one still runs.
 */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Start the new run alongside. */
  ALLOW = 'Allow',
  /** Stop the running one and start the new run. */
  REPLACE = 'Replace',
}

/**
 * Properties of a `ScheduledJob`.
 */
export interface ScheduledJobProps extends WorkloadOptions {
  /**
   * When to run, in cron syntax (UTC unless `timeZone`): five fields
   * (`"30 3 * * *"`) or a macro (`@hourly`, `@daily`, `@weekly`,
   * `@monthly`, `@yearly`).
   */
  readonly schedule: string;

  /**
   * IANA time zone of the schedule, e.g. `Europe/Paris`.
   *
   * @default - UTC (the controller's time zone)
   */
  readonly timeZone?: string;

  /**
   * What happens when a run is due while the previous one still runs.
   *
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;

  /**
   * Finished successful runs kept for inspection.
   *
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;

  /**
   * Failed runs kept for inspection.
   *
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;

  /**
   * Retries of a failed run before it is marked failed.
   *
   * @default 2
   */
  readonly backoffLimit?: number;

  /**
   * Longest a run may take, in seconds, before it is stopped.
   *
   * @default - no limit
   */
  readonly activeDeadlineSeconds?: number;
}

/**
 * A job run on a schedule: a Kubernetes CronJob with the same restricted
 * pods, resources, environment and connections as a WebApp.
 */
export class ScheduledJob extends Construct {
  /** The cluster the job runs in. */
  public readonly cluster: KubernetesCluster;
  /** The job's namespace. */
  public readonly namespace: string;
  /** The job's Kubernetes service account (for Pod Identity and RBAC). */
  public readonly serviceAccountName: string;

  private readonly core: WorkloadCore;
  private readonly props: ScheduledJobProps;
  private rendered?: { cronJob: k8s.KubeCronJob; networkPolicy: k8s.KubeNetworkPolicy };

  constructor(cluster: KubernetesCluster, id: string, props: ScheduledJobProps) {
    super(cluster, claimId(cluster, id));
    recordRequestedId(this, id);
    this.cluster = cluster;
    this.props = props;
    this.core = new WorkloadCore(this, cluster, 'ScheduledJob', props);
    this.namespace = this.core.namespace;
    this.serviceAccountName = this.core.serviceAccountName;
    cluster.environment.platform._register({
      scope: this,
      phase: RenderPhase.WORKLOAD,
      validate: problems => this.validate(problems),
      render: () => this.render(),
    });
  }

  /** Connects the job to `target` (same as listing it in `connections`). */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    this.core.connect(target, options);
  }

  /** The chart holding the job's objects (after render). */
  public get chart(): cdk8s.Chart {
    return this.core.chart;
  }

  /** The CronJob (after render): escape hatch, e.g. `addJsonPatch`. */
  public get cronJob(): k8s.KubeCronJob {
    return this.renderedObjects().cronJob;
  }

  /** The job's NetworkPolicy (after render). */
  public get networkPolicy(): k8s.KubeNetworkPolicy {
    return this.renderedObjects().networkPolicy;
  }

  private renderedObjects(): NonNullable<ScheduledJob['rendered']> {
    return rendered(this, this.rendered);
  }

  private validate(problems: ProblemCollector): void {
    const p = this.props;
    this.core.validate(problems);
    if (typeof p.schedule !== 'string') {
      problems.error(this, 'RS118', 'schedule', 'no schedule given', 'give a cron schedule such as "30 3 * * *" or "@daily"');
    } else if (!cdk.Token.isUnresolved(p.schedule)) {
      const problem = cronProblem(p.schedule);
      if (problem) {
        problems.error(this, 'RS118', 'schedule', problem, 'give five fields (minute hour day-of-month month day-of-week), e.g. "30 3 * * *", or a macro such as "@hourly"');
      }
    }
    if (p.timeZone !== undefined && !/^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(p.timeZone)) {
      problems.error(this, 'RS119', 'timeZone', `"${p.timeZone}" is not an IANA time zone`, 'give a zone such as "Europe/Paris" or "UTC"');
    }
    if (p.concurrencyPolicy !== undefined && !Object.values(ConcurrencyPolicy).includes(p.concurrencyPolicy)) {
      problems.error(this, 'RS119', 'concurrencyPolicy', `"${p.concurrencyPolicy}" is not a concurrency policy`, 'use ConcurrencyPolicy.FORBID, ALLOW or REPLACE');
    }
    const counts: Array<[string, number | undefined, number]> = [
      ['successfulJobsHistoryLimit', p.successfulJobsHistoryLimit, 0],
      ['failedJobsHistoryLimit', p.failedJobsHistoryLimit, 0],
      ['backoffLimit', p.backoffLimit, 0],
      ['activeDeadlineSeconds', p.activeDeadlineSeconds, 1],
    ];
    for (const [prop, value, min] of counts) {
      if (value !== undefined && (!Number.isInteger(value) || value < min)) {
        problems.error(this, 'RS119', prop, `${value} is not a whole number of ${min} or more`, `give a whole number of ${min} or more, or leave ${prop} out`);
      }
    }
  }

  private render(): void {
    const p = this.props;
    const core = this.core;
    const chart = core.renderBase();
    const cronJob = new k8s.KubeCronJob(chart, 'Resource', {
      metadata: core.metadata(),
      spec: {
        schedule: p.schedule.trim(),
        timeZone: p.timeZone,
        concurrencyPolicy: p.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        successfulJobsHistoryLimit: p.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: p.failedJobsHistoryLimit ?? 1,
        jobTemplate: {
          metadata: { labels: core.labels },
          spec: {
            backoffLimit: p.backoffLimit ?? 2,
            activeDeadlineSeconds: p.activeDeadlineSeconds,
            template: core.podTemplate(core.container(), { restartPolicy: 'Never' }),
          },
        },
      },
    });
    this.rendered = { cronJob, networkPolicy: core.networkPolicy([]) };
  }
}
