import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Tier } from '../../lib';
import { cfnGuardUnavailable, explainControlTowerFailures } from '../util/control-tower';
import { deployabilityProblems, secretNamesOfCloudFormation, secretNamesOfTerraform } from '../util/deployability';
import { offlineCliEnv } from '../util/offline-cli';
import { podSecurityViolations } from '../util/pod-security';
import { validateManifests } from '../util/schema';
import { environmentTemplateFromAssembly } from '../util/templates';
import { terraformValidate, terraformValidateAvailable, terraformValidateUnavailableReason } from '../util/terraform-validate';

/**
 * examples/shop: an API and a worker sharing a PostgreSQL database, a
 * bucket, a queue (the API sends, the worker consumes and scales on it) and
 * a cache, in STAGING on Terraform and PRODUCTION on CloudFormation — with
 * the real CLIs, offline and without credentials, and the whole-graph checks.
 * The example imports 'cdk-runtime-stack' by name: run `npx projen compile` first.
 */
const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'shop');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

function offlineEnv(home: string): NodeJS.ProcessEnv {
  const rc = path.join(home, 'terraform.rc');
  fs.writeFileSync(rc, '');
  return {
    ...offlineCliEnv(),
    CHECKPOINT_DISABLE: '1',
    DISABLE_VERSION_CHECK: '1',
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
    CDKTF_HOME: home,
    TF_CLI_CONFIG_FILE: rc,
    CI: '1',
  };
}

let work: string;
const run = (cmd: string, args: string[]) => execFileSync(bin(cmd), args, { cwd: example, env: offlineEnv(work), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const yamlOf = (dir: string) => fs.readdirSync(dir).sort().flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
const filesUnder = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap(e => e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-shop-'));
  run('cdk', ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', path.join(work, 'cdk.out')]);
  run('cdk8s', ['synth', '--output', path.join(work, 'dist')]);
  run('cdktf', ['synth', '--output', path.join(work, 'cdktf.out')]);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('examples/shop with the real CLIs', () => {
  (cfnGuardUnavailable ? test.skip : test)('AWS Control Tower proactive controls: the PRODUCTION stack fails only the documented exceptions', () => {
    const template = environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'shop-prod');
    expect(explainControlTowerFailures(Tier.PRODUCTION, template).unexplained).toEqual([]);
  }, 120_000);

  test('cdk synth: the PRODUCTION stack with the database, bucket, queue and cache, no lookup', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', 'manifest.json'), 'utf8'));
    expect(manifest.missing).toBeUndefined();
    // The foundation, then a stack per managed service and per workload identity, each deployed after the foundation.
    const stacks = Object.keys(manifest.artifacts).filter(k => manifest.artifacts[k].type === 'aws:cloudformation:stack');
    expect(stacks).toEqual(['shop-prod', 'shop-prod-orders-db', 'shop-prod-uploads', 'shop-prod-jobs', 'shop-prod-sessions', 'shop-prod-main-app-api', 'shop-prod-main-app-fulfilment']);
    for (const stack of stacks.slice(1)) expect(manifest.artifacts[stack].dependencies).toContain('shop-prod');
    const template = environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'shop-prod');
    const types = Object.values<any>(template.Resources).map(r => r.Type);
    expect(types).toEqual(expect.arrayContaining([
      'AWS::EKS::Cluster', 'AWS::RDS::DBInstance', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::ElastiCache::ReplicationGroup', 'AWS::EC2::VPCEndpoint',
    ]));
    expect(types.length).toBeLessThan(500);
  });

  test('cdktf synth: the STAGING stack, the same services', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', 'shop-staging', 'cdk.tf.json'), 'utf8'));
    for (const type of ['aws_eks_cluster', 'aws_db_instance', 'aws_s3_bucket', 'aws_sqs_queue', 'aws_elasticache_replication_group', 'aws_vpc_endpoint']) {
      expect({ type, present: Object.keys(stack.resource[type] ?? {}).length > 0 }).toEqual({ type, present: true });
    }
  });

  (terraformValidateAvailable ? test : test.skip)('terraform validate accepts the STAGING stack', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', 'shop-staging', 'cdk.tf.json'), 'utf8'));
    const result = terraformValidate(stack);
    expect(result.output).toContain('The configuration is valid');
  });
  if (!terraformValidateAvailable) process.stderr.write(`shop.test.ts: terraform validate skipped (${terraformValidateUnavailableReason})\n`);

  test('cdk8s synth: every object schema-valid (KEDA\'s included), every pod restricted, in both environments', () => {
    for (const folder of ['staging/main', 'prod/main']) {
      const docs = yamlOf(path.join(work, 'dist', folder));
      expect(docs.length).toBeGreaterThan(30);
      expect(validateManifests(docs)).toEqual([]);
      expect(podSecurityViolations(docs)).toEqual([]);
      const kinds = docs.map(d => d.kind);
      expect(kinds).toEqual(expect.arrayContaining(['ScaledObject', 'ClusterTriggerAuthentication', 'ExternalSecret', 'HTTPRoute', 'EnvoyProxy']));
    }
  });

  test('deployable as written: everything the YAML refers to exists in it or in its environment\'s stack (CloudFormation and Terraform)', () => {
    const prodSecrets = secretNamesOfCloudFormation(environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'shop-prod'));
    const stagingSecrets = secretNamesOfTerraform(JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', 'shop-staging', 'cdk.tf.json'), 'utf8')));
    expect(prodSecrets).toEqual(['shop/prod/orders-db', 'shop/prod/sessions', 'shop/prod/sessions/endpoint']);
    expect(stagingSecrets).toEqual(['shop/staging/orders-db', 'shop/staging/sessions', 'shop/staging/sessions/endpoint']);
    for (const [folder, awsSecretNames] of [['prod/main', prodSecrets], ['staging/main', stagingSecrets]] as const) {
      expect(deployabilityProblems(yamlOf(path.join(work, 'dist', folder)), { awsSecretNames, preExistingNamespaces: ['argocd'] })).toEqual([]);
    }
  });

  test('the API sends, the worker consumes and scales; both get what they connect to', () => {
    const docs = yamlOf(path.join(work, 'dist', 'prod', 'main'));
    const envOf = (name: string) => docs.find(d => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(envOf('api')).toEqual([
      'ORDERS_DB_HOST', 'ORDERS_DB_PORT', 'ORDERS_DB_DATABASE', 'ORDERS_DB_USER', 'ORDERS_DB_PASSWORD', 'ORDERS_DB_URL',
      'UPLOADS_BUCKET', 'UPLOADS_REGION', 'SESSIONS_HOST', 'SESSIONS_PORT', 'SESSIONS_TOKEN', 'SESSIONS_URL', 'JOBS_QUEUE_URL', 'JOBS_QUEUE_ARN',
      'DATABASE_URL', 'REDIS_URL', 'AWS_REGION', 'AWS_DEFAULT_REGION',
    ]);
    expect(envOf('fulfilment')).toEqual(expect.arrayContaining(['ORDERS_DB_URL', 'UPLOADS_BUCKET', 'JOBS_QUEUE_URL', 'DATABASE_URL']));
    expect(docs.find(d => d.kind === 'ScaledObject').spec).toMatchObject({ scaleTargetRef: { name: 'fulfilment' }, minReplicaCount: 3, maxReplicaCount: 20 });
  });

  test('no secret material in any output', () => {
    for (const file of filesUnder(work).filter(f => /\.(json|yaml)$/.test(f))) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, found: /"(password|token|authToken|auth_token)"\s*:\s*"(?!\$\{|\{\{resolve)[^"]{12,}"/i.test(text) }).toEqual({ file, found: false });
      expect({ file, found: /(password|token):\s+[A-Za-z0-9]{20,}\s*$/m.test(text) }).toEqual({ file, found: false });
    }
  });
});

describe('examples/shop in process', () => {
  test('testing.Verify.all: restricted, schema-valid, cdk-nag AwsSolutions clean, no secret material, deterministic', () => {
    // The compiled library the example imports by name, with its testing helpers.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const { testing } = require('cdk-runtime-stack');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    testing.Verify.all({ create: () => require(path.join(example, 'shop')).shopPlatform() });
  });
});
