import { IConstruct } from 'constructs';
import { RuntimeStackConstruct } from './element';
import { Environment } from './environment';
import { checkUniqueId, RenderPhase, requestedId } from './graph';
import { checkId } from './naming';
import { ProblemCollector } from './problems';
import { ownStackName } from './stack-layout';

/**
 * Props every managed service (ManagedPostgres, ObjectStore, Queue, Cache)
 * has in common.
 */
export interface ManagedServiceProps {
  /**
   * The CloudFormation stack the service shares with the other services of
   * a `StackGroup`, instead of a stack of its own.
   *
   * Choose it before the first deploy and keep it: a service that moves
   * into a group, out of one or to another group moves its resources to
   * another stack, which CloudFormation carries out as a deletion and a
   * creation (the data goes, or stays behind as a retained resource whose
   * name the new one cannot take).
   *
   * The Terraform engine keeps one state per environment and ignores it.
   *
   * @default - a stack of the service's own, `<platform>-<environment>-<id>`
   */
  readonly stackGroup?: StackGroup;
}

/**
 * A CloudFormation stack that managed services of one environment share,
 * named `<platform>-<environment>-<id>`: for a team's or a domain's
 * databases, buckets, queues and caches, deployed (and rolled back) as one.
 * Services join it with their `stackGroup` prop; membership is what each
 * service declares, never a matter of how many services there are, so
 * adding or removing one moves no other.
 *
 * Without groups every managed service has a stack of its own (the
 * default, see "Stack layout" in the README): the smallest blast radius,
 * and a stack per service to deploy. A group trades the one for the
 * other: fewer stacks (faster `cdk deploy --all`, fewer CloudFormation
 * operations, a shorter synth), and one failed update rolls back the
 * whole group. A group must stay within CloudFormation's 500 resources a
 * stack (a PRODUCTION database with rotation is 14): synth stops
 * with RS019 before anything is written when it would not.
 *
 * ```ts
 * const payments = new StackGroup(prod, 'payments');
 * new ManagedPostgres(prod, 'ledger-db', { stackGroup: payments });
 * new Queue(prod, 'settlements', { stackGroup: payments });
 * ```
 *
 * The stack exists once a service is in it. The Terraform engine keeps one
 * state per environment and ignores groups.
 */
export class StackGroup extends RuntimeStackConstruct {
  /** The environment. */
  public readonly environment: Environment;
  /** The CloudFormation stack's name, `<platform>-<environment>-<id>` (deterministic). */
  public readonly stackName: string;

  constructor(environment: Environment, id: string) {
    super(environment, id);
    this.environment = environment;
    this.stackName = ownStackName(environment.stackName, id);
    this._registerElement(RenderPhase.ENVIRONMENT, {
      validate: problems => this.validate(problems),
      render: () => undefined,
    });
  }

  private validate(problems: ProblemCollector): void {
    checkUniqueId(this, problems, 'StackGroup');
    checkId(this, problems, 'StackGroup', 63, requestedId(this));
  }
}

/**
 * The group a managed service's stack is, checked: RS037 when the group is
 * in another environment than the service (a stack has one account and
 * region). Returns the group's id for the service's intent (none for a
 * group of another environment).
 */
export function stackGroupOf(service: IConstruct, environment: Environment, props: ManagedServiceProps,
  problems?: ProblemCollector): string | undefined {
  const group = props.stackGroup;
  if (!group) return undefined;
  if (group.environment !== environment) {
    problems?.error(service, 'RS037', 'stackGroup',
      `stack group ${group.node.path} is in environment "${group.environment.node.id}", the service in "${environment.node.id}"`,
      `use a StackGroup of environment "${environment.node.id}" (a stack has one account and region)`);
    return undefined;
  }
  return group.node.id;
}
