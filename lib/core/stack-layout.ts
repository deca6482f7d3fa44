import { physicalName } from './naming';

/**
 * How a CloudFormation environment is split into stacks (the Terraform
 * engine keeps one state per environment and ignores this).
 *
 * - The **foundation** stack, named like the environment (`<platform>-<environment>`),
 *   holds what the environment has once: the network, the clusters with
 *   their node groups and add-ons, the keys, the support services' roles,
 *   and the shared parts of services (the S3 access-log bucket and endpoint).
 * - Every **managed service** (a database, bucket, queue, cache) and every
 *   **workload identity** (a workload's role and its Pod Identity
 *   association) has a stack of its own, `<foundation>-<scope id>`.
 * - Managed services that name a **StackGroup** (`stackGroup`) share its
 *   stack, `<foundation>-<group id>` (`lib/core/stack-group.ts`), each under
 *   its own scope as in a stack of its own.
 *
 * A resource's stack is a function of its own element's identity (and the
 * group it declares) alone, never of how many other elements exist or in
 * which order they were declared: adding, removing or reordering services never moves another
 * service's resources, and logical ids are the same as in one stack (the
 * element's scope is the first construct below the stack either way).
 * References go one way only, from an element's stack to the foundation,
 * whose exports are pinned (they exist whether or not a service uses them),
 * so removing a service never meets "export in use".
 */
export type StackGrain = 'foundation' | 'own';

/** The name (and construct id) of the stack of an element of its own. */
export function ownStackName(foundationStackName: string, scopeId: string): string {
  return physicalName([foundationStackName, scopeId], 128);
}
