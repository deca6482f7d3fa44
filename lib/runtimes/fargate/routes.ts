import { createHash } from 'crypto';
import type { IConstruct } from 'constructs';
import { normalPath } from '../../private/validation';

export { normalPath };

/** An app of the runtime, as the runtime sees it (registered by its workloads). */
export interface FargateApp {
  readonly construct: IConstruct;
  readonly name: string;
  readonly host?: string;
  readonly path?: string;
  /** The app's port (a WebApp's). */
  readonly port?: number;
  /** Whether other workloads of the runtime connect to it (it is registered in the private DNS namespace). */
  hasClients(): boolean;
}

/** Listener rules one Application Load Balancer holds (the default quota, "rules per load balancer"). */
export const MAX_ROUTES_PER_LOAD_BALANCER = 100;
/** Names on one ACM certificate (the default quota). */
export const MAX_CERTIFICATE_NAMES = 10;
/** TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward secrecy only. */
export const SSL_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Path depths with a band of priorities of their own (deeper paths count as the deepest band). */
const DEPTH_BANDS = 10;
/** Priorities per band: 10 bands fill ALB's 1-50000. */
const BAND_SIZE = 5000;

/** The depth of a path prefix: `/` 0, `/api` 1, `/api/v2` 2. */
export function pathDepth(path: string | undefined): number {
  return (path ?? '/').split('/').filter(s => s.length > 0).length;
}

/**
 * Listener-rule priorities (1-50000, lowest first) of the routed apps.
 * Paths of one depth share a band of 5000 numbers, deeper bands first, so
 * `/api` is always matched before `/` of the same host; within its band a
 * route's number is hashed from its host and path alone. Adding or
 * removing an app never renumbers another, except when two routes hash to
 * the same number: then the one whose host and path sort later takes the
 * next free number of the band (an in-place update of its rule).
 */
export function routePriorities(apps: FargateApp[]): Map<FargateApp, number> {
  const keyOf = (a: FargateApp) => `${a.host!.toLowerCase()}${normalPath(a.path)}`;
  const sorted = [...apps].sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
  const taken = new Set<number>();
  const out = new Map<FargateApp, number>();
  for (const app of sorted) {
    const band = DEPTH_BANDS - 1 - Math.min(pathDepth(app.path), DEPTH_BANDS - 1);
    let slot = stableHash(keyOf(app)) % BAND_SIZE;
    while (taken.has(band * BAND_SIZE + slot)) slot = (slot + 1) % BAND_SIZE;
    taken.add(band * BAND_SIZE + slot);
    out.set(app, 1 + band * BAND_SIZE + slot);
  }
  return out;
}

/** A stable hash of `s` (the same on every machine and run), as a whole number below 2^32. */
function stableHash(s: string): number {
  return parseInt(createHash('sha256').update(s).digest('hex').slice(0, 8), 16);
}
