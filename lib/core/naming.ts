import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { requestedId } from './graph';
import { ProblemCollector } from './problems';

/**
 * Lowercase DNS-1123 label that also starts with a letter, so the same id
 * is usable as a Kubernetes name and inside AWS names (stack names, role
 * names, cluster names all need a leading letter).
 */
const ID_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks that a construct id can be used, unchanged, as a Kubernetes name
 * and in AWS physical names. Ids are never rewritten, so two ids can never
 * collide after sanitising.
 */
export function checkId(scope: IConstruct, problems: ProblemCollector, what: string, maxLength: number, id = scope.node.id): void {
  if (!ID_PATTERN.test(id)) {
    const suggestion = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '');
    problems.error(scope, 'RS002', 'id',
      `${what} id "${id}" is not a lowercase DNS label starting with a letter`,
      `use lowercase letters, digits and '-', starting with a letter${suggestion ? ` (e.g. "${suggestion}")` : ''}`);
  }
  if (id.length > maxLength) {
    problems.error(scope, 'RS003', 'id',
      `${what} id "${id}" is ${id.length} characters long, more than ${maxLength}`,
      `use an id of at most ${maxLength} characters`);
  }
}

/** Short, stable hash of a string (hex). */
export function shortHash(input: string, length = 8): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

/**
 * A deterministic physical name made of `parts` joined by `separator`. When
 * the name is longer than `maxLength` it is cut and ends in a hash of the
 * full name, so it stays unique and stable.
 */
export function physicalName(parts: string[], maxLength: number, separator = '-'): string {
  const full = parts.filter(p => p.length > 0).join(separator);
  if (full.length <= maxLength) {
    return full;
  }
  const hash = shortHash(full);
  return `${full.slice(0, maxLength - hash.length - 1).replace(/[-_/.]+$/, '')}${separator}${hash}`;
}

/**
 * The name of what a connection from `workload` to `target` materialises in
 * the workload's runtime (on Kubernetes: the Secret with the target's
 * credentials): `<workload id>-<target id>`.
 */
export function connectionSecretName(workload: IConstruct, target: IConstruct): string {
  return physicalName([requestedId(workload), requestedId(target)], 253);
}
