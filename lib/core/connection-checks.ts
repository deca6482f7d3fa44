import { Access, ConnectionProblem, ConnectOptions, IConnectable } from './connections';

/**
 * Helpers a workload uses to check its connections as a whole (things one
 * target cannot see on its own). Internal: not exported from the barrel.
 */

/** A POSIX-portable environment variable name (what shells and most runtimes accept). */
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

/** The default env var prefix of a target id: `orders-db` → `ORDERS_DB`. */
export function envPrefixOf(id: string): string {
  return id.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Whether `prefix` makes valid env var names (`<PREFIX>_HOST`, ...). */
export function isValidEnvPrefix(prefix: string): boolean {
  return ENV_NAME.test(prefix) && !prefix.endsWith('_');
}

/** One connection of a workload, as the workload sees it. */
export interface WorkloadConnection {
  /** The target. */
  readonly target: IConnectable;
  /** The env var prefix chosen for it (the target's `connectionEnvPrefix` unless overridden). */
  readonly envPrefix: string;
  /** The workload prop that declares it, e.g. `connections[1]`. */
  readonly prop: string;
}

/**
 * Problems of a workload's connections taken together:
 * - RS313: an env var prefix that is not a valid environment variable name;
 * - RS314: the same target connected twice under the same prefix;
 * - RS318: two different targets sharing one prefix (their variables would collide).
 */
export function checkWorkloadConnections(connections: WorkloadConnection[]): ConnectionProblem[] {
  const problems: ConnectionProblem[] = [];
  const seen = new Map<string, WorkloadConnection>();
  for (const c of connections) {
    if (!isValidEnvPrefix(c.envPrefix)) {
      problems.push({
        code: 'RS313',
        prop: c.prop,
        message: `env var prefix "${c.envPrefix}" does not make valid environment variable names`,
        fix: `use upper-case letters, digits and '_', starting with a letter or '_' and not ending in '_' (e.g. "${envPrefixOf(c.envPrefix) || 'ORDERS_DB'}")`,
      });
    }
    const earlier = seen.get(c.envPrefix);
    if (earlier && earlier.target === c.target) {
      problems.push({
        code: 'RS314',
        prop: c.prop,
        message: `${c.target.node.path} is already connected as ${earlier.prop} under the same prefix "${c.envPrefix}"`,
        fix: 'remove the duplicate connection, or give it another env var prefix',
      });
    } else if (earlier) {
      problems.push({
        code: 'RS318',
        prop: c.prop,
        message: `env var prefix "${c.envPrefix}" is already used by ${earlier.prop} (${earlier.target.node.path})`,
        fix: 'give each connection its own env var prefix',
      });
    } else {
      seen.set(c.envPrefix, c);
    }
  }
  return problems;
}

/** The connect options a target honours. */
export interface SupportedConnectOptions {
  readonly access?: boolean;
  readonly scaling?: boolean;
}

/**
 * RS131: a connect option the target cannot honour (it would grant or do
 * nothing), RS132: an `access` value that is no `Access`. One rule for every
 * kind of target.
 */
export function checkConnectOptions(
  target: IConnectable, what: string, options: ConnectOptions | undefined, supported: SupportedConnectOptions,
): ConnectionProblem[] {
  const problems: ConnectionProblem[] = [];
  if (!options) return problems;
  if (options.access !== undefined) {
    if (!supported.access) {
      problems.push({
        code: 'RS131',
        prop: 'access',
        message: `access has no meaning for ${what} ${target.node.path}: it would grant nothing`,
        fix: 'remove access from the connection',
      });
    } else if (!Object.values(Access).includes(options.access)) {
      problems.push({
        code: 'RS132',
        prop: 'access',
        message: `"${options.access}" is not an Access`,
        fix: 'use Access.READ, Access.WRITE or Access.READ_WRITE',
      });
    }
  }
  if (options.scaling !== undefined && !supported.scaling) {
    problems.push({
      code: 'RS131',
      prop: 'scaling',
      message: `${what} ${target.node.path} has no backlog to scale on`,
      fix: 'scale on a Queue the workload consumes, or remove scaling from the connection',
    });
  }
  return problems;
}
