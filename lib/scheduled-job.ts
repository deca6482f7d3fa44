import * as cdk from 'aws-cdk-lib';
import { k8s } from 'cdk8s-plus-28';
import { IWorkloadRuntime } from './core/connections';
import { rendered } from './core/graph';
import { ProblemCollector } from './core/problems';
import { cronProblem } from './private/validation';
import { FargateWorkload } from './runtimes/fargate/fargate-workload';
import { Workload } from './workload';
import { WorkloadOptions } from './workload-options';

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
export class ScheduledJob extends Workload {

  private readonly props: ScheduledJobProps;
  private rendered?: { cronJob: k8s.KubeCronJob; networkPolicy: k8s.KubeNetworkPolicy };

  constructor(runtime: IWorkloadRuntime, id: string, props: ScheduledJobProps) {
    super(runtime, id, 'ScheduledJob', props);
    this.props = props;
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
    void this._core; // on Fargate: the error that there are no Kubernetes objects
    return rendered(this, this.rendered);
  }

  /** @internal */
  protected _validateWorkload(problems: ProblemCollector): void {
    const p = this.props;
    super._validateWorkload(problems);
    if (typeof p.schedule !== 'string') {
      problems.error(this, 'RS118', 'schedule', 'no schedule given', 'give a cron schedule such as "30 3 * * *" or "@daily"');
    } else if (!cdk.Token.isUnresolved(p.schedule)) {
      const problem = cronProblem(p.schedule);
      if (problem) {
        problems.error(this, 'RS118', 'schedule', problem, 'give five fields (minute hour day-of-month month day-of-week), e.g. "30 3 * * *", or a macro such as "@hourly"');
      }
    }
    if (p.timeZone !== undefined && !isTimeZone(p.timeZone)) {
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
    this._fargate?.validateJob(problems, {
      schedule: p.schedule,
      timeZone: p.timeZone,
      backoffLimit: p.backoffLimit,
      concurrencyPolicy: p.concurrencyPolicy,
      kubernetesOnly: (['successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'activeDeadlineSeconds'] as const).filter(k => p[k] !== undefined),
    });
  }

  /** @internal */
  protected _renderOnFargate(fargate: FargateWorkload): void {
    fargate.renderJob({ schedule: this.props.schedule.trim(), timeZone: this.props.timeZone, backoffLimit: this.props.backoffLimit });
  }

  /** @internal */
  protected _renderWorkload(): void {
    const p = this.props;
    const core = this._core;
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

/**
 * Whether `zone` is a time zone of the IANA database as the runtime knows it
 * (`Intl`, the same database the API server's Go runtime uses), written as
 * a name, never as an offset.
 */
function isTimeZone(zone: unknown): boolean {
  if (typeof zone !== 'string' || !/^(UTC|[A-Z][A-Za-z_-]+(\/[A-Za-z0-9_+-]+){1,2})$/.test(zone)) return false;
  if ((Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone').includes(zone)) return true;
  try {
    // Aliases (e.g. "US/Eastern") are valid but not in the canonical list.
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
