import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ProblemCollector } from '../core/problems';

/**
 * Pure checks of workload inputs (no constructs, no throwing): image
 * references, Kubernetes quantities, DNS names, environment variable names,
 * cron schedules. Each returns `undefined` (or `false`) when the input is
 * bad, so callers report a problem with their own code and fix.
 */

/** Lowercase DNS-1123 label (≤ 63). */
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s);
}

/** Lowercase DNS-1123 subdomain (≤ 253), e.g. a Secret name. */
export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && s.split('.').every(isDnsLabel);
}

/** A fully qualified public host name: at least two labels, lowercase. */
export function isHostName(s: string): boolean {
  const labels = s.split('.');
  return s.length <= 253 && labels.length >= 2 && labels.every(isDnsLabel) && /[a-z]/.test(labels[labels.length - 1]);
}

/** What an image reference says about pinning. */
export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Parses an OCI image reference (`[registry/]path[:tag][@sha256:digest]`);
 * `undefined` when it is malformed.
 */
export function parseImage(ref: string): ImageReference | undefined {
  if (ref.length === 0 || ref.length > 512 || /\s/.test(ref)) return undefined;
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const first = parts[0];
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  if (hasRegistry && !REGISTRY.test(first)) return undefined;
  const path = hasRegistry ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every(p => PATH_COMPONENT.test(p))) return undefined;
  return { name: rest, tag, digest };
}

/** Whether an image is pinned: a digest, or a tag other than `latest`. */
export function isPinnedImage(ref: ImageReference): boolean {
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
}

/** CPU quantity (`500m`, `1`, `0.5`, `2.5`) in millicores; `undefined` when malformed. */
export function parseCpu(q: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?|\.[0-9]+)(m?)$/.exec(q);
  if (!m) return undefined;
  const n = Number(m[1]);
  const millis = m[2] === 'm' ? n : n * 1000;
  return millis > 0 ? millis : undefined;
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/** Memory quantity (`256Mi`, `1Gi`, `500M`, `1073741824`) in bytes; `undefined` when malformed. */
export function parseMemory(q: string): number | undefined {
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(q);
  if (!m) return undefined;
  const bytes = Number(m[1]) * MEMORY_UNITS[m[2] ?? ''];
  return bytes > 0 ? bytes : undefined;
}

/** Kubernetes 1.28 environment variable name. */
export function isEnvVarName(name: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name);
}

const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PWD', 'TOKEN', 'SECRET', 'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY'];

/**
 * Whether an environment variable name looks like it holds a secret: one of
 * its `_`/`-`/`.`-separated words is PASSWORD, TOKEN, SECRET, KEY, ... or
 * ends in PASSWORD, TOKEN or SECRET (`DBPASSWORD`, `GITHUBTOKEN`).
 */
export function looksSecret(name: string): boolean {
  const words = name.toUpperCase().split(/[-_.]+/).filter(w => w.length > 0);
  return words.some(w => SECRET_WORDS.includes(w) || /(PASSWORD|TOKEN|SECRET)$/.test(w));
}

const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const CRON_FIELDS: Array<{ name: string; min: number; max: number; names?: string[]; namesFrom?: number }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

/**
 * Checks a CronJob schedule as the Kubernetes controller reads it (five
 * fields, or a macro such as `@hourly`). Returns what is wrong, or
 * `undefined` when it is valid.
 */
export function cronProblem(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    return CRON_MACROS.includes(s) ? undefined : `"${s}" is not a schedule macro (${CRON_MACROS.join(', ')})`;
  }
  if (/^(CRON_)?TZ=/.test(s)) {
    return 'time zones in the schedule are not supported by Kubernetes CronJobs';
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) {
    return `"${schedule}" has ${fields.length} field${fields.length === 1 ? '' : 's'}, not 5 (minute hour day-of-month month day-of-week)`;
  }
  for (let i = 0; i < 5; i++) {
    const f = CRON_FIELDS[i];
    const value = (v: string): number | undefined => {
      if (/^[0-9]+$/.test(v)) {
        const n = Number(v);
        return n >= f.min && n <= f.max ? n : undefined;
      }
      const idx = f.names?.indexOf(v.toUpperCase()) ?? -1;
      return idx >= 0 ? idx + (f.namesFrom ?? 0) : undefined;
    };
    for (const item of fields[i].split(',')) {
      const m = /^([^/]+)(?:\/([0-9]+))?$/.exec(item);
      const bad = `${f.name} "${fields[i]}" is not valid (${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}, *, ranges a-b, steps */n, lists a,b)`;
      if (!m) return bad;
      if (m[2] !== undefined && Number(m[2]) < 1) return bad;
      if (m[1] === '*' || (m[1] === '?' && (i === 2 || i === 4))) continue;
      const range = m[1].split('-');
      if (range.length > 2) return bad;
      const bounds = range.map(value);
      if (bounds.some(b => b === undefined)) return bad;
      if (bounds.length === 2 && bounds[0]! > bounds[1]!) return bad;
    }
  }
  return undefined;
}

/** Reports a port outside 1-65535. */
export function checkPort(scope: IConstruct, problems: ProblemCollector, prop: string, port: number | undefined): void {
  if (port === undefined || cdk.Token.isUnresolved(port)) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.error(scope, 'RS103', prop, `port ${port} is outside 1-65535`, 'use the port the container listens on, e.g. 8080');
  }
}

/** Reports a path that is not an HTTP path. */
export function checkPath(scope: IConstruct, problems: ProblemCollector, prop: string, path: string | undefined): void {
  if (path === undefined || cdk.Token.isUnresolved(path)) return;
  if (!/^\/[^\s?#]*$/.test(path) || path.length > 1024) {
    problems.error(scope, 'RS105', prop, `"${path}" is not an HTTP path`, 'give a path starting with "/", without spaces, query or fragment, e.g. "/api"');
  }
}

const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ZONE_PATTERN = /^Z[A-Z0-9]{1,31}$/;

/** Whether `d` is a DNS domain name (lowercase labels, a trailing dot allowed, no wildcard). */
export function isDomainName(d: string): boolean {
  return DOMAIN_PATTERN.test(d.toLowerCase().replace(/\.$/, ''));
}

/** Whether `id` is a Route 53 hosted zone id. */
export function isHostedZoneId(id: string): boolean {
  return ZONE_PATTERN.test(id);
}

/** The domain of `domains` that `host` belongs to (the longest match), if any. */
export function domainOf(host: string, domains: string[]): string | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  return [...domains]
    .sort((a, b) => b.length - a.length)
    .find(d => h === d || h.endsWith(`.${d}`));
}

/** A route's path as it is matched: no trailing slash (`/api/` is `/api`), `/` for the whole host. */
export function normalPath(path: string | undefined): string {
  const p = (path ?? '/').replace(/\/+$/, '');
  return p === '' ? '/' : p;
}
