import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudEngine, Environment, KubernetesCluster, Platform, Tier } from '../../../lib';

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, entry);
    if (fs.statSync(file).isFile()) out[entry] = fs.readFileSync(file, 'utf-8');
  }
  return out;
}

/**
 * A platform with a CloudFormation environment (a log group only: an EKS
 * template takes seconds to synthesize), two Terraform environments with
 * clusters and one with local state.
 */
function mixedPlatform(): Platform {
  const platform = new Platform({ name: 'acme' });
  const backend = { s3Backend: { bucket: 'acme-terraform-state' } };
  const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
  new Environment(platform, 'sandbox', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
  new KubernetesCluster(new Environment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'eu-west-1', engine: CloudEngine.TERRAFORM, terraform: backend }), 'main');
  new KubernetesCluster(new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '333333333333', region: 'eu-central-1', engine: CloudEngine.TERRAFORM, terraform: backend }), 'main');
  platform.render();
  dev._engine().logGroup({ scopeId: 'audit', name: '/acme/dev/audit', retentionDays: 7, removal: 'destroy' });
  return platform;
}

function synthTo(dir: string): void {
  mixedPlatform().synth({
    cloudAssemblyOutdir: path.join(dir, 'cdk.out'),
    manifestsOutdir: path.join(dir, 'dist'),
    terraformOutdir: path.join(dir, 'cdktf.out'),
  });
}

describe('platform.synth() with Terraform environments', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-synth-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const first = path.join(tmp, 'first');
  const second = path.join(tmp, 'second');
  const saved = { ...process.env };
  beforeAll(() => {
    for (const v of ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) delete process.env[v];
    synthTo(first);
    synthTo(second);
  });
  afterAll(() => { process.env = saved; });

  test('one cdktf app for the platform: one Terraform stack per Terraform environment, in the layout cdktf reads', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(first, 'cdktf.out', 'manifest.json'), 'utf-8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['acme-prod', 'acme-sandbox', 'acme-staging']);
    for (const name of ['acme-prod', 'acme-staging']) {
      const stack = JSON.parse(fs.readFileSync(path.join(first, 'cdktf.out', manifest.stacks[name].synthesizedStackPath), 'utf-8'));
      expect(stack.resource.aws_eks_cluster).toBeDefined();
    }
    const prod = JSON.parse(fs.readFileSync(path.join(first, 'cdktf.out', 'stacks', 'acme-prod', 'cdk.tf.json'), 'utf-8'));
    expect(prod.provider.aws[0]).toMatchObject({ region: 'eu-central-1', allowed_account_ids: ['333333333333'] });
  });

  test('local state: the file beside the program (as cdktf puts it), named relative to the stack folder', () => {
    const stackDir = path.join(first, 'cdktf.out', 'stacks', 'acme-sandbox');
    const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf-8'));
    const statePath: string = stack.terraform.backend.local.path;
    expect(path.isAbsolute(statePath)).toBe(false);
    expect(path.resolve(stackDir, statePath)).toBe(path.resolve('terraform.acme-sandbox.tfstate'));
  });

  test('the CloudFormation environment stays in the cloud assembly, the Terraform ones stay out of it', () => {
    const templates = fs.readdirSync(path.join(first, 'cdk.out')).filter(f => f.endsWith('.template.json'));
    expect(templates).toEqual(['acme-dev.template.json']);
  });

  test('YAML for every cluster of the Terraform environments', () => {
    expect(fs.readdirSync(path.join(first, 'dist')).sort()).toEqual(['diagram.dot', 'diagram.mmd', 'prod', 'staging']);
  });

  test('a second synth is byte-identical', () => {
    const tf1 = readTree(path.join(first, 'cdktf.out'));
    const tf2 = readTree(path.join(second, 'cdktf.out'));
    expect(Object.keys(tf2).sort()).toEqual(Object.keys(tf1).sort());
    expect(tf2).toEqual(tf1);
    expect(readTree(path.join(second, 'dist'))).toEqual(readTree(path.join(first, 'dist')));
  });

  test('no temporary folder or absolute path leaks into the Terraform output', () => {
    const text = Object.values(readTree(path.join(first, 'cdktf.out'))).join('\n');
    // An absolute path into the temp directory (a relative one may pass a folder named tmp.*, as mktemp -d names them).
    expect(text).not.toContain(`${os.tmpdir()}${path.sep}`);
    expect(text).not.toMatch(/"\/[^"]*\/(first|second)\//);
    expect(text).not.toContain('cdk-runtime-stack-tf-');
  });
  test('files Terraform leaves in a stack folder survive the next synth', () => {
    // GIVEN a deployed stack folder
    const stackDir = path.join(second, 'cdktf.out', 'stacks', 'acme-prod');
    fs.mkdirSync(path.join(stackDir, '.terraform', 'providers'), { recursive: true });
    fs.writeFileSync(path.join(stackDir, '.terraform.lock.hcl'), '# lock\n');
    // WHEN the program is synthesized again
    synthTo(second);
    // THEN
    expect(fs.readFileSync(path.join(stackDir, '.terraform.lock.hcl'), 'utf-8')).toBe('# lock\n');
    expect(fs.existsSync(path.join(stackDir, '.terraform', 'providers'))).toBe(true);
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
  });
});
