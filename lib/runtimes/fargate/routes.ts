import { createHash } from 'crypto';
import type { IConstruct } from 'constructs';

/** An app of the runtime, as the runtime sees it (registered by its workloads). */
export interface FargateApp {
  readonly construct: IConstruct;
  readonly name: string;
  readonly host?: string;
  readonly path?: string;
  /** Whether other workloads of the runtime connect to it (it is registered in the private DNS namespace). */
  hasClients(): boolean;
}

/** Listener rules one Application Load Balancer holds (the default quota, "rules per load balancer"). */
export const MAX_ROUTES_PER_LOAD_BALANCER = 100;
/** Names on one ACM certificate (the default quota). */
export const MAX_CERTIFICATE_NAMES = 10;
/** TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward secrecy only. */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Routes one host may have on a runtime's load balancer (a block of listener-rule priorities). */
export const MAX_ROUTES_PER_HOST = 10;

/** The depth of a path prefix: `/` 0, `/api` 1, `/api/v2` 2. */
function pathDepth(path: string | undefined): number {
  return (path ?? '/').split('/').filter(s => s.length > 0).length;
}

/**
 * Listener-rule priorities (1-50000, lowest first) of the routed apps.
 * Each host has a block of ten numbers at a position hashed from the host
 * alone; within it, its routes are ordered deepest path first, so `/api`
 * is matched before `/`. Adding or removing an app renumbers no app of
 * another host, except when two hosts hash to the same block: the host
 * that sorts later takes the next free block.
 */
export function routePriorities(apps: FargateApp[]): Map<FargateApp, number> {
  const BLOCKS = 4999;
  const hosts = [...new Set(apps.map(a => a.host!))].sort();
  const taken = new Set<number>();
  const out = new Map<FargateApp, number>();
  for (const host of hosts) {
    let block = stableHash(host) % BLOCKS;
    while (taken.has(block)) block = (block + 1) % BLOCKS;
    taken.add(block);
    const routes = apps.filter(a => a.host === host)
      .sort((x, y) => pathDepth(y.path) - pathDepth(x.path) || (x.path ?? '/').localeCompare(y.path ?? '/'));
    routes.forEach((app, i) => out.set(app, 1 + block * MAX_ROUTES_PER_HOST + Math.min(i, MAX_ROUTES_PER_HOST - 1)));
  }
  return out;
}

/** A stable hash of `s` (the same on every machine and run), as a whole number below 2^32. */
function stableHash(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 8), 16);
}
