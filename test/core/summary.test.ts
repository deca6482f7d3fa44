import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp } from '../../lib';
import { resources, terraformJson } from '../engines/terraform/fixtures';

function program() {
  const platform = new Platform({ name: 'acme' });
  const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '222222222222', region: 'eu-west-1' });
  for (const env of [dev, prod]) {
    const cluster = new KubernetesCluster(env, 'main');
    new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com' });
    const db = new ManagedPostgres(env, 'orders-db');
    new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', connections: [db] });
  }
  return { platform, dev, prod };
}

describe('the synth summary', () => {
  const { platform, dev, prod } = program();
  const summary = platform.summary();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-files-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist'), terraformOutdir: path.join(out, 'cdktf.out'), summary: false });
  const yamlFiles = (env: string) => fs.readdirSync(path.join(out, 'dist', env, 'main')).filter(f => f.endsWith('.yaml')).length;

  test('per environment: tier, stack and its resources; per cluster: YAML files and objects; the warnings', () => {
    const [foundation, database] = prod.stacks.map(s => Object.keys(Template.fromStack(s).toJSON().Resources).length);
    expect(prod.stacks.map(s => s.stackName)).toEqual(['acme-prod', 'acme-prod-orders-db']);
    const tf = terraformJson(dev);
    const tfResources = Object.keys(tf.resource).reduce((n, type) => n + resources(tf, type).length, 0);
    const files = (env: string) => platform.manifests()[`${env}/main`];
    expect(summary.split('\n')).toEqual([
      'acme: 2 environments',
      `  dev (development): Terraform stack acme-dev, ${tfResources} resources`,
      `    dev/main: ${yamlFiles('dev')} YAML files, ${files('dev').length} Kubernetes objects`,
      `  prod (production): 2 stacks, ${foundation + database} resources: foundation acme-prod ${foundation}, acme-prod-orders-db ${database}`,
      `    prod/main: ${yamlFiles('prod')} YAML files, ${files('prod').length} Kubernetes objects`,
      `  ${platform.warnings.length} warnings (printed above)`,
      '',
    ]);
    expect(foundation).toBeGreaterThan(40);
    expect(database).toBeGreaterThan(10);
    expect(tfResources).toBeGreaterThan(30);
    expect(yamlFiles('prod')).toBeGreaterThan(5);
    expect(platform.warnings.length).toBe(2); // RS520 twice: no hosted zone id
  });
});

describe('printing it after synth', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'summary-test-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  const saved = process.env.CI;
  afterEach(() => {
    if (saved === undefined) delete process.env.CI; else process.env.CI = saved;
    jest.restoreAllMocks();
  });

  function printed(ci: string | undefined, summary?: boolean): string {
    if (ci === undefined) delete process.env.CI; else process.env.CI = ci;
    const writes: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { writes.push(String(chunk)); return true; });
    const { platform } = program();
    const dir = fs.mkdtempSync(path.join(out, 'run-'));
    platform.synth({ cloudAssemblyOutdir: path.join(dir, 'cdk.out'), manifestsOutdir: path.join(dir, 'dist'), terraformOutdir: path.join(dir, 'cdktf.out'), summary });
    return writes.filter(w => !w.startsWith('[WARNING]')).join('');
  }

  test('printed to stderr by default, with the folders written', () => {
    const text = printed(undefined);
    expect(text).toMatch(/^acme: 2 environments\n/);
    expect(text).toMatch(/written: \/.*cdk\.out, \/.*cdktf\.out, \/.*dist\n$/);
  });

  test('quiet under CI unless asked; CI=false counts as not CI', () => {
    expect(printed('true')).toBe('');
    expect(printed('1')).toBe('');
    expect(printed('true', true)).toMatch(/^acme: 2 environments\n/);
    expect(printed('false')).toMatch(/^acme: 2 environments\n/);
    expect(printed(undefined, false)).toBe('');
  });
});
