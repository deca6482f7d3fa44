/**
 * AWS Control Tower's proactive controls (CloudFormation hooks), as AWS
 * publishes them in cfn-guard rules, run offline on a template with the
 * cfn-guard binary of the `@cdklabs/cdk-validator-cfnguard` package.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Tier } from '../../lib';

const PACKAGE = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
const RULES = path.join(PACKAGE, 'rules', 'control-tower', 'cfn-guard');
const BINARY = path.join(PACKAGE, 'bin', process.platform === 'darwin' ? 'macos' : 'ubuntu', process.arch === 'arm64' ? 'aarch64' : 'x86_64', 'cfn-guard');

/** Whether the binary runs on this machine (why not, otherwise). */
export const cfnGuardUnavailable: string | undefined = (() => {
  if (!fs.existsSync(BINARY)) return `no cfn-guard binary at ${BINARY}`;
  const r = spawnSync(BINARY, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `cfn-guard does not run here: ${r.error?.message ?? r.stderr}`;
})();

/** One failing control on one resource. */
export interface ControlFailure {
  /** e.g. `CT.RDS.PR.7` */
  readonly control: string;
  /** Logical id of the resource. */
  readonly resource: string;
}

function parseAll(text: string): any[] {
  const out: any[] = [];
  const decoder = /\S/g;
  let i = 0;
  while (true) {
    decoder.lastIndex = i;
    const m = decoder.exec(text);
    if (!m) break;
    // cfn-guard writes one JSON document per rule file, back to back.
    let depth = 0;
    let j = m.index;
    let inString = false;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') {inString = true;} else if (c === '{') {depth++;} else if (c === '}' && --depth === 0) {break;}
    }
    out.push(JSON.parse(text.slice(m.index, j + 1)));
    i = j + 1;
  }
  return out;
}

/** Every Control Tower control the template fails, with the resources that fail it, sorted. */
export function controlTowerFailures(template: object): ControlFailure[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-'));
  try {
    const data = path.join(dir, 'template.json');
    fs.writeFileSync(data, JSON.stringify(template));
    const r = spawnSync(BINARY, ['validate', '--rules', RULES, '--data', data, '--output-format', 'json', '--show-summary', 'none'],
      { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    const found = new Set<string>();
    for (const doc of parseAll(r.stdout)) {
      for (const rule of doc.not_compliant ?? []) {
        const text = JSON.stringify(rule);
        const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1] ?? rule.Rule?.name ?? 'unknown';
        const resources = new Set([...text.matchAll(/\/Resources\/([A-Za-z0-9]+)/g)].map(m => m[1]));
        for (const resource of resources) found.add(`${control} ${resource}`);
      }
    }
    return [...found].sort().map(f => ({ control: f.split(' ')[0], resource: f.split(' ')[1] }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The controls the library's output fails on purpose, with the reason;
 * docs/control-tower.md lists the same.
 */
export interface ControlTowerException {
  readonly control: string;
  readonly type: string;
  /** Only resources whose properties match (the access-log bucket, ...). */
  readonly where?: (properties: any) => boolean;
  /** Tiers it applies to. */
  readonly tiers: Tier[];
  readonly reason: string;
}

const ALL = [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION];
const NOT_PRODUCTION = [Tier.DEVELOPMENT, Tier.STAGING];
const isAccessLogBucket = (p: any) => /-(s3-access|alb)-logs-\d{12}$/.test(String(p.BucketName));

export const CONTROL_TOWER_EXCEPTIONS: ControlTowerException[] = [
  { control: 'CT.RDS.PR.20', type: 'AWS::RDS::DBInstance', tiers: ALL, reason: 'port 5432 is kept by default (clients and tools expect it; the security group, not the port, keeps peers out); ManagedPostgres port takes another' },
  { control: 'CT.S3.PR.9', type: 'AWS::S3::Bucket', tiers: ALL, reason: 'Object Lock makes objects undeletable for a retention period: a records decision the library does not take for every bucket' },
  { control: 'CT.S3.PR.10', type: 'AWS::S3::Bucket', where: isAccessLogBucket, tiers: ALL, reason: 'S3 server access log delivery writes only into SSE-S3 buckets' },
  { control: 'CT.S3.PR.2', type: 'AWS::S3::Bucket', where: isAccessLogBucket, tiers: ALL, reason: 'the access-log bucket logging into itself would loop' },
  { control: 'CT.CLOUDWATCH.PR.2', type: 'AWS::Logs::LogGroup', tiers: NOT_PRODUCTION, reason: 'logs are kept 7 / 30 days below PRODUCTION (365)' },
  { control: 'CT.EKS.PR.1', type: 'AWS::EKS::Cluster', tiers: NOT_PRODUCTION, reason: 'the API endpoint is public (CIDR-restricted) below PRODUCTION, for kubectl from laptops and CI' },
  { control: 'CT.EC2.PR.10', type: 'AWS::EC2::LaunchTemplate', tiers: NOT_PRODUCTION, reason: 'no detailed monitoring of the nodes below PRODUCTION (charged per instance)' },
  { control: 'CT.RDS.PR.1', type: 'AWS::RDS::DBInstance', tiers: NOT_PRODUCTION, reason: 'no Multi-AZ standby below PRODUCTION (half the cost)' },
  { control: 'CT.RDS.PR.13', type: 'AWS::RDS::DBInstance', tiers: NOT_PRODUCTION, reason: 'no deletion protection below PRODUCTION, so the environment can be torn down' },
  { control: 'CT.ELASTICLOADBALANCING.PR.5', type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', tiers: NOT_PRODUCTION, reason: 'no deletion protection of a Fargate runtime\'s load balancer below PRODUCTION, so the environment can be torn down' },
  { control: 'CT.RDS.PR.2', type: 'AWS::RDS::DBInstance', tiers: [Tier.DEVELOPMENT], reason: 'no enhanced monitoring in DEVELOPMENT' },
  { control: 'CT.RDS.PR.8', type: 'AWS::RDS::DBInstance', tiers: [Tier.DEVELOPMENT], reason: 'one day of backups in DEVELOPMENT' },
  { control: 'CT.S3.PR.11', type: 'AWS::S3::Bucket', tiers: [Tier.DEVELOPMENT], reason: 'buckets are not versioned in DEVELOPMENT' },
];

/**
 * Sorts a template's failures into the documented exceptions of `tier` and
 * the rest (`unexplained`, which must be empty), and lists the exceptions
 * of the tier that did not occur (`unused`).
 */
export function explainControlTowerFailures(tier: Tier, template: any): { unexplained: string[]; unused: string[] } {
  const unexplained: string[] = [];
  const used = new Set<ControlTowerException>();
  for (const f of controlTowerFailures(template)) {
    const resource = template.Resources[f.resource];
    const exception = CONTROL_TOWER_EXCEPTIONS.find(e => e.control === f.control && e.tiers.includes(tier)
      && resource?.Type === e.type && (!e.where || e.where(resource.Properties ?? {})));
    if (exception) used.add(exception);
    else unexplained.push(`${f.control} ${f.resource} (${resource?.Type})`);
  }
  return { unexplained, unused: CONTROL_TOWER_EXCEPTIONS.filter(e => e.tiers.includes(tier) && !used.has(e)).map(e => `${e.control} on ${e.type}`) };
}

