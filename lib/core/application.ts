import { IConstruct } from 'constructs';
import { RuntimeStackConstruct } from './element';
import { Environment } from './environment';
import { checkUniqueId, findAncestor, RenderPhase, requestedId } from './graph';
import { checkMetadata, metadataOf, ObjectMetadata } from './metadata';
import { checkId } from './naming';
import { ProblemCollector } from './problems';

/**
 * Properties of an `Application`.
 */
export interface ApplicationProps {
  /**
   * Labels of your own on every Kubernetes object of the application's
   * workloads (and tags on its Fargate workloads' resources), under the
   * workloads' own labels. `app.kubernetes.io/part-of: <id>` is always set.
   *
   * @default - only `app.kubernetes.io/part-of`
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of your own on every Kubernetes object of the
   * application's workloads, under the workloads' own annotations.
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** The application each member was added to (one at most). */
const applications = new WeakMap<IConstruct, Application[]>();

/** The label Kubernetes recommends for "the higher-level application this is part of". */
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

/**
 * One application of an environment: its workloads (on the environment's
 * clusters and Fargate runtimes) and the managed services they use, as one
 * construct a blueprint can build and hand out (an `AcmeService` that makes
 * an app together with its database).
 *
 * It groups; it does not move. Workloads stay children of their runtime
 * and services children of the environment, so their names, stacks and
 * logical ids are the same whether or not they are in an application, and
 * adding one to an application (or taking it out) replaces nothing.
 *
 * ```ts
 * class AcmeService extends Application {
 *   constructor(env: Environment, id: string, cluster: KubernetesCluster, image: string) {
 *     super(env, id);
 *     const db = new ManagedPostgres(env, `${id}-db`);
 *     this.add(db, new WebApp(cluster, id, { image, port: 8080, connections: [db] }));
 *   }
 * }
 * ```
 */
export class Application extends RuntimeStackConstruct {
  /** The application `member` was added to, if any. */
  public static of(member: IConstruct): Application | undefined {
    return applications.get(member)?.[0];
  }

  /** The environment. */
  public readonly environment: Environment;

  private readonly props: ApplicationProps;
  private readonly memberList: IConstruct[] = [];
  private validated = false;

  constructor(environment: Environment, id: string, props: ApplicationProps = {}) {
    super(environment, id);
    this.environment = environment;
    this.props = props;
    this._registerElement(RenderPhase.ENVIRONMENT, {
      validate: problems => this.validate(problems),
      render: () => undefined,
    });
  }

  /** The workloads and managed services added, in the order they were added. */
  public get members(): IConstruct[] {
    return [...this.memberList];
  }

  /**
   * Adds workloads (WebApp, Worker, ScheduledJob) and managed services
   * (ManagedPostgres, Queue, ObjectStore, Cache, ...) of this environment
   * to the application.
   */
  public add(...members: IConstruct[]): void {
    if (this.validated) {
      throw new Error(`${this.node.path}: add() after the platform was validated; add the members when you create them, before render() or synth()`);
    }
    for (const member of members) {
      if (this.memberList.includes(member)) continue;
      this.memberList.push(member);
      applications.set(member, [...applications.get(member) ?? [], this]);
    }
  }

  /**
   * The labels and annotations the application puts on its workloads' objects.
   * @internal
   */
  public _metadata(): ObjectMetadata {
    const own = metadataOf(this.props);
    return { labels: { ...own.labels, [PART_OF_LABEL]: requestedId(this) }, annotations: own.annotations };
  }

  private validate(problems: ProblemCollector): void {
    this.validated = true;
    checkUniqueId(this, problems, 'Application');
    checkId(this, problems, 'Application', 63, requestedId(this));
    checkMetadata(this, problems, metadataOf(this.props));
    if (this.props.labels?.[PART_OF_LABEL] !== undefined) {
      problems.error(this, 'RS008', `labels.${PART_OF_LABEL}`, `the application sets ${PART_OF_LABEL} to its id itself`,
        `remove the label, or name the application "${this.props.labels[PART_OF_LABEL]}"`);
    }
    this.memberList.forEach((member, i) => {
      const prop = `members[${i}]`;
      if (!isWorkload(member) && !isManagedService(member)) {
        problems.error(this, 'RS035', prop, `${member.node.path || member.node.id} is neither a workload nor a managed service`,
          'add workloads (WebApp, Worker, ScheduledJob) and managed services (ManagedPostgres, Queue, ObjectStore, Cache); clusters and environments hold applications, not the other way round');
        return;
      }
      const env = findAncestor(member, Environment);
      if (env !== this.environment) {
        problems.error(this, 'RS035', prop, `${member.node.path} is in ${env ? `environment ${env.node.path}` : 'no environment'}, not in ${this.environment.node.path}`,
          'an application lives in one environment: create one application per environment (a blueprint makes the same one in each)');
      }
      const owners = applications.get(member) ?? [];
      if (owners.length > 1 && owners[0] !== this) {
        problems.error(this, 'RS036', prop, `${member.node.path} is already in application ${owners[0].node.path}`,
          'add it to one application only; others reach it through connections');
      }
    });
  }
}

/** Workloads register here (the core knows no workload class). */
const workloads = new WeakSet<IConstruct>();

/**
 * Marks a construct as a workload (for `Application.add`).
 * @internal
 */
export function registerWorkload(owner: IConstruct): void {
  workloads.add(owner);
}

function isWorkload(c: IConstruct): boolean {
  return workloads.has(c);
}

/** A managed service: something workloads connect to that is no workload. */
function isManagedService(c: IConstruct): boolean {
  return typeof (c as { bindConnection?: unknown }).bindConnection === 'function' && !workloads.has(c);
}
