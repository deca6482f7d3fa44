import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  Cache, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, PlatformProps, Queue, ScheduledJob, SupportServices, Tier, WebApp,
  Worker,
} from '../../../lib';

const REPORT = 'validation-report.json';

/** Every kind of element the CloudFormation engine renders, in two tiers. */
function program(props: Partial<PlatformProps> = {}) {
  const platform = new Platform({ name: 'acme', ...props });
  for (const tier of [Tier.STAGING, Tier.PRODUCTION]) {
    const env = new Environment(platform, tier === Tier.PRODUCTION ? 'prod' : 'staging', { tier, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'main');
    new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const db = new ManagedPostgres(env, 'orders-db');
    Platform.acknowledgeWarning(db, 'RS315', 'test program');
    const files = new ObjectStore(env, 'files');
    const jobs = new Queue(env, 'jobs');
    const cache = new Cache(env, 'sessions');
    new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 8080, host: 'orders.acme.example.com', connections: [db, cache] });
    new Worker(cluster, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', connections: [files, jobs] });
    new ScheduledJob(cluster, 'nightly', { image: 'ghcr.io/acme/nightly:1.0.0', schedule: '0 3 * * *', connections: [db] });
  }
  return platform;
}

function synthInto(platform: Platform): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-validate-'));
  platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist'), summary: false });
  return out;
}

describe("aws-cdk-lib's built-in CloudFormation validation", () => {
  const saved = process.env.CDK_VALIDATION;
  const dirs: string[] = [];
  afterAll(() => {
    process.env.CDK_VALIDATION = saved;
    dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true }));
  });

  test('finds nothing in any stack the library renders (every acknowledgement in the report has its reason)', () => {
    process.env.CDK_VALIDATION = 'true';
    const platform = program();
    expect(platform.cloudFormationValidation).toBe(true);
    const out = synthInto(platform);
    dirs.push(out);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'cdk.out', REPORT), 'utf8'));
    const validate = report.pluginReports.find((r: any) => r.pluginName === 'CloudFormation Validate');
    expect(validate).toBeDefined();
    expect(validate.violations.map((v: any) => `${v.ruleName} ${v.description} @ ${v.violatingConstructs?.[0]?.constructPath}`)).toEqual([]);
    // It looked at every stack: the foundation and the stacks of their own.
    const templates = fs.readdirSync(path.join(out, 'cdk.out')).filter(f => f.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThan(10);
    for (const suppressed of validate.suppressedViolations ?? []) {
      expect(suppressed.reason.length).toBeGreaterThan(20);
    }
  });

  test("off by default in a user's synth; on with the prop; the prop wins over the environment variable unless it says false", () => {
    delete process.env.CDK_VALIDATION;
    const off = program();
    expect(off.cloudFormationValidation).toBe(false);
    const offOut = synthInto(off);
    dirs.push(offOut);
    expect(fs.existsSync(path.join(offOut, 'cdk.out', REPORT))).toBe(false);

    const on = program({ cloudFormationValidation: true });
    const onOut = synthInto(on);
    dirs.push(onOut);
    expect(fs.existsSync(path.join(onOut, 'cdk.out', REPORT))).toBe(true);

    process.env.CDK_VALIDATION = 'true';
    expect(program({ cloudFormationValidation: false }).cloudFormationValidation).toBe(false);
  });
});
