import { IConstruct } from 'constructs';
import type { DiagramDescription } from './diagram';
import { ProblemCollector } from './problems';

/**
 * When an element renders, relative to the others. Elements render after
 * the whole graph is validated, in this order, and in construct-tree order
 * within one phase, so output never depends on the order of user calls.
 */
export enum RenderPhase {
  /** Environments: create their cloud engine (stack). */
  ENVIRONMENT = 10,
  /** Clusters: network, cluster, their manifest sets. */
  CLUSTER = 20,
  /** Managed services owned by an environment (databases, ...). */
  SERVICE = 30,
  /** Application workloads. */
  WORKLOAD = 40,
  /** Support services: after the workloads whose needs they serve. */
  SUPPORT = 50,
  /** Render hooks of the user's (`Platform.addRenderHook`): everything of the library exists. */
  CUSTOMIZE = 55,
  /** Anything that must see the finished graph. */
  FINALIZE = 60,
}

/**
 * An element of the runtime-stack graph. Every public construct of the
 * library registers one with its platform.
 */
export interface GraphElement {
  readonly scope: IConstruct;
  readonly phase: RenderPhase;
  /** Reports every problem of this element; must not throw for bad input. */
  validate(problems: ProblemCollector): void;
  /** Builds the element's output (cloud resources, Kubernetes objects). Only runs on a valid graph. */
  render(): void;
  /**
   * Checks limits only the rendered output shows (e.g. CloudFormation's
   * resources per stack). Runs after every element rendered, before anything
   * is written.
   */
  checkRendered?(problems: ProblemCollector): void;
  /** What the element shows in the platform's diagram (nothing when absent). */
  describe?(): DiagramDescription;
}

const requestedIds = new WeakMap<IConstruct, string>();

/**
 * The construct id to use for a child `id` of `scope`. A second child with
 * the same id gets a hidden unique id instead of the constructs library's
 * immediate exception, so validation can report it with all other
 * problems; `requestedId()` gives back what the user asked for.
 */
export function claimId(scope: IConstruct, id: string): string {
  if (!scope.node.tryFindChild(id)) return id;
  let n = 2;
  while (scope.node.tryFindChild(`${id}~${n}`)) n++;
  return `${id}~${n}`;
}

/** Records the id the user gave (see `claimId`). */
export function recordRequestedId(construct: IConstruct, id: string): void {
  requestedIds.set(construct, id);
}

/** The id the user gave to `construct`. */
export function requestedId(construct: IConstruct): string {
  return requestedIds.get(construct) ?? construct.node.id;
}

/** Reports a duplicate id (see `claimId`). */
export function checkUniqueId(construct: IConstruct, problems: ProblemCollector, what: string): void {
  const id = requestedId(construct);
  if (id !== construct.node.id) {
    // Name the other one when it is of another kind (an Application next to a database of the same id).
    const holder = construct.node.scope?.node.tryFindChild(id);
    const kind = holder ? holder.constructor.name : what;
    const other = kind === what ? `another ${what}` : `the ${kind} ${holder!.node.path}`;
    problems.error(construct, 'RS004', 'id',
      `${other} in ${construct.node.scope?.node.path} already has the id "${id}"`,
      kind === what ? `give each ${what} its own id` : `give the ${what} an id that no sibling in ${construct.node.scope?.node.path} has`);
  }
}

/** The nearest ancestor (or self) of `scope` that is an instance of `type`. */
export function findAncestor<T>(scope: IConstruct, type: abstract new (...args: any[]) => T): T | undefined {
  for (const s of [...scope.node.scopes].reverse()) {
    if (s instanceof type) return s as T;
  }
  return undefined;
}

/**
 * Returns `value`, or throws the one error for reading a rendered resource
 * before `platform.render()` / `platform.synth()` ran.
 */
export function rendered<T>(scope: IConstruct, value: T | undefined): T {
  if (value === undefined) {
    throw new Error(`${scope.node.path}: call platform.render() or platform.synth() before reading rendered resources.`);
  }
  return value;
}
