import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { deployabilityProblems, secretNamesOfTerraform } from '../../util/deployability';

/**
 * The real CLIs on examples/terraform, offline. The example imports
 * 'cdk-runtime-stack' by name: run `npx projen compile` first (it builds
 * lib/*.js and links the package into node_modules).
 */
const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'terraform');
const BIN = path.join(ROOT, 'node_modules', '.bin');

/** Environment that keeps cdktf-cli and terraform off the network and out of $HOME. */
function offlineEnv(home: string): NodeJS.ProcessEnv {
  const rc = path.join(home, 'terraform.rc');
  fs.writeFileSync(rc, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1', // no HashiCorp checkpoint (cdktf-cli and terraform)
    DISABLE_VERSION_CHECK: '1', // no npm look-up for a newer cdktf-cli
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', // no ~/.terraform.d/plugin-cache
    CDKTF_HOME: home,
    TF_CLI_CONFIG_FILE: rc,
    CI: '1',
  };
  for (const v of ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR']) delete env[v];
  return env;
}

describe('examples/terraform with the real CLIs', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'example-terraform-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('`cdktf synth` writes the Terraform stack, and only that', () => {
    // GIVEN
    const out = path.join(tmp, 'cdktf.out');
    // WHEN
    const log = execFileSync(path.join(BIN, 'cdktf'), ['synth', '--output', out], {
      cwd: EXAMPLE, env: offlineEnv(tmp), encoding: 'utf-8', stdio: 'pipe',
    });
    // THEN
    expect(log).toContain('Generated Terraform code for the stacks: acme-prod');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf-8'));
    expect(Object.keys(manifest.stacks)).toEqual(['acme-prod']);
    expect(manifest.stacks['acme-prod'].synthesizedStackPath).toBe('stacks/acme-prod/cdk.tf.json');
    const stack = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'acme-prod', 'cdk.tf.json'), 'utf-8'));
    expect(Object.keys(stack.resource.aws_eks_cluster)).toHaveLength(1);
    expect(stack.terraform.backend.s3).toMatchObject({ bucket: 'acme-terraform-state', use_lockfile: true, encrypt: true });
    expect(stack.terraform.required_providers.aws.source).toBe('hashicorp/aws');
    // The full quickstart: the database, its generated password and its secret.
    expect(Object.keys(stack.resource.aws_db_instance)).toHaveLength(1);
    expect(Object.keys(stack.resource.random_password)).toHaveLength(1);
    expect(Object.values(stack.resource.aws_secretsmanager_secret).map((r: any) => r.name)).toEqual(['acme/prod/orders-db']);
    expect(stack.terraform.required_providers.random.source).toBe('hashicorp/random');
    // The cdktf CLI sets CDKTF_OUTDIR: neither YAML nor a cloud assembly is written.
    expect(fs.existsSync(path.join(EXAMPLE, 'dist'))).toBe(false);
    expect(fs.existsSync(path.join(EXAMPLE, 'cdk.out'))).toBe(false);
  });

  test('`cdk8s synth` writes the Kubernetes YAML of the same program, and only that', () => {
    const out = path.join(tmp, 'dist');
    execFileSync(path.join(BIN, 'cdk8s'), ['synth', '--output', out], {
      cwd: EXAMPLE, env: offlineEnv(tmp), encoding: 'utf-8', stdio: 'pipe',
    });
    expect(fs.existsSync(path.join(out, 'prod', 'main'))).toBe(true);
    // The connection's ExternalSecret is among the app's manifests.
    const apps = fs.readdirSync(path.join(out, 'prod', 'main')).filter(f => f.startsWith('50-')).map(f => fs.readFileSync(path.join(out, 'prod', 'main', f), 'utf-8')).join('\n');
    expect(apps).toContain('kind: ExternalSecret');
    expect(apps).toContain('key: acme/prod/orders-db');
    // The cdk8s CLI sets CDK8S_OUTDIR: no Terraform JSON is written.
    expect(fs.existsSync(path.join(EXAMPLE, 'cdktf.out'))).toBe(false);
  });

  test('deployable as written: everything the YAML refers to exists in it or in the Terraform stack', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(tmp, 'cdktf.out', 'stacks', 'acme-prod', 'cdk.tf.json'), 'utf-8'));
    const dir = path.join(tmp, 'dist', 'prod', 'main');
    const docs = fs.readdirSync(dir).sort().flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf-8')).map(d => d.toJS()));
    expect(docs.length).toBeGreaterThan(20);
    expect(deployabilityProblems(docs, { awsSecretNames: secretNamesOfTerraform(stack), preExistingNamespaces: ['argocd'] })).toEqual([]);
  });
});
