import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Tier } from '../../lib';
import { secretMaterialIn } from '../../lib/testing/secrets';
import { cfnGuardUnavailable, explainControlTowerFailures } from '../util/control-tower';
import { deployabilityProblems, secretNamesOfCloudFormation, secretNamesOfTerraform } from '../util/deployability';
import { nagReportOf } from '../util/nag';
import { offlineCliEnv } from '../util/offline-cli';
import { podSecurityViolations } from '../util/pod-security';
import { validateManifests } from '../util/schema';
import { environmentTemplateFromAssembly } from '../util/templates';
import { terraformValidate, terraformValidateAvailable, terraformValidateUnavailableReason } from '../util/terraform-validate';

/**
 * examples/multi-environment: one shop (the `Shop` class) in DEVELOPMENT on
 * Terraform, STAGING and PRODUCTION on CloudFormation, three accounts and
 * three regions; PRODUCTION over two clusters (`main` for the public apps,
 * `batch` for the order processing) sharing one database — with the real
 * CLIs, offline and without credentials, and the whole-graph checks.
 * The example imports 'cdk-runtime-stack' by name: run `npx projen compile` first.
 */
const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'multi-environment');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

/** Where each environment is, and the folders of its clusters' YAML. */
const ENVIRONMENTS = [
  { id: 'dev', tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', clusters: ['main'] },
  { id: 'staging', tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1', clusters: ['main'] },
  { id: 'prod', tier: Tier.PRODUCTION, account: '333333333333', region: 'us-east-1', clusters: ['main', 'batch'] },
];
const FOLDERS = ENVIRONMENTS.flatMap(e => e.clusters.map(c => `${e.id}/${c}`));

let work: string;
const stderr: Record<string, string> = {};
/** cdk and cdk8s get the offline environment; cdktf also its home and an empty Terraform config (the cdk CLI reads CDKTF_* as options). */
function run(cmd: string, args: string[]): void {
  const env: NodeJS.ProcessEnv = { ...offlineCliEnv(), CI: '1' };
  if (cmd === 'cdktf') {
    const rc = path.join(work, 'terraform.rc');
    fs.writeFileSync(rc, '');
    Object.assign(env, { CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', CDKTF_HOME: work, TF_CLI_CONFIG_FILE: rc });
  }
  const result = spawnSync(bin(cmd), args, { cwd: example, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  stderr[cmd] = result.stderr;
}
const yamlOf = (folder: string) => {
  const dir = path.join(work, 'dist', folder);
  return fs.readdirSync(dir).sort().flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
};
const filesUnder = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap(e => e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);

let manifest: any;
let templates: Record<string, any>;
let terraform: any;
let docs: Record<string, any[]>;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-multi-environment-'));
  run('cdk', ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', path.join(work, 'cdk.out')]);
  run('cdk8s', ['synth', '--output', path.join(work, 'dist')]);
  run('cdktf', ['synth', '--output', path.join(work, 'cdktf.out')]);
  manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', 'manifest.json'), 'utf8'));
  templates = {
    staging: environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'acme-staging'),
    prod: environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'acme-prod'),
  };
  terraform = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', 'acme-dev', 'cdk.tf.json'), 'utf8'));
  docs = Object.fromEntries(FOLDERS.map(f => [f, yamlOf(f)]));
}, 240_000);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const resources = (env: string, type: string): any[] => Object.values<any>(templates[env].Resources).filter(r => r.Type === type);
const find = (folder: string, kind: string, name: string) => docs[folder].find(d => d.kind === kind && d.metadata.name === name);
const envNamesOf = (folder: string, name: string): string[] =>
  find(folder, 'Deployment', name).spec.template.spec.containers[0].env.map((e: any) => e.name);

describe('examples/multi-environment with the real CLIs', () => {
  test('three environments, each in its own account and region, on its engine: STAGING and PRODUCTION in cdk.out, DEVELOPMENT in cdktf.out', () => {
    const stacks = Object.keys(manifest.artifacts).filter(k => manifest.artifacts[k].type === 'aws:cloudformation:stack');
    expect(stacks.filter(s => s.startsWith('acme-dev'))).toEqual([]);
    for (const { id, account, region } of ENVIRONMENTS.filter(e => e.id !== 'dev')) {
      const own = stacks.filter(s => s === `acme-${id}` || s.startsWith(`acme-${id}-`));
      expect(own.length).toBeGreaterThan(1);
      for (const stack of own) expect({ stack, environment: manifest.artifacts[stack].environment }).toEqual({ stack, environment: `aws://${account}/${region}` });
    }
    expect(fs.readdirSync(path.join(work, 'cdktf.out', 'stacks'))).toEqual(['acme-dev']);
    expect(terraform.provider.aws).toEqual([expect.objectContaining({ region: 'eu-west-1', allowed_account_ids: ['111111111111'] })]);
    expect(terraform.provider.aws[0].default_tags[0].tags).toMatchObject({ 'runtime-stack:environment': 'dev', 'runtime-stack:tier': 'development' });
    expect(terraform.terraform.backend.s3).toMatchObject({ bucket: 'acme-dev-terraform-state', key: 'acme/dev/terraform.tfstate', region: 'eu-west-1', encrypt: true });
    // The YAML: a folder per environment and cluster, whatever the engine.
    for (const { id, clusters } of ENVIRONMENTS) {
      expect(fs.readdirSync(path.join(work, 'dist', id)).sort()).toEqual([...clusters].sort());
    }
  });

  test('cdk synth: a foundation, a stack per service and per workload identity in each CloudFormation environment; no lookup, no warning', () => {
    expect(manifest.missing).toBeUndefined();
    const stacks = Object.keys(manifest.artifacts).filter(k => manifest.artifacts[k].type === 'aws:cloudformation:stack');
    const services = ['shop-db', 'orders', 'media', 'sessions'];
    expect(stacks.sort()).toEqual([
      'acme-staging', ...services.map(s => `acme-staging-${s}`),
      ...['catalog', 'storefront', 'fulfilment', 'sitemap'].map(w => `acme-staging-main-app-${w}`),
      'acme-prod', ...services.map(s => `acme-prod-${s}`),
      'acme-prod-main-app-catalog', 'acme-prod-main-app-storefront', 'acme-prod-batch-app-fulfilment', 'acme-prod-batch-app-sitemap',
    ].sort());
    for (const stack of stacks) {
      const foundation = stack.startsWith('acme-prod') ? 'acme-prod' : 'acme-staging';
      if (stack === foundation) continue;
      const dependsOnFoundation = manifest.artifacts[stack].dependencies.includes(foundation);
      expect({ stack, dependsOnFoundation }).toEqual({ stack, dependsOnFoundation: true });
    }
    // Neither the library's warnings nor aws-cdk-lib's annotations (cdk.json sets the reference strength the layout relies on).
    for (const cli of ['cdk', 'cdk8s', 'cdktf']) expect({ cli, warnings: stderr[cli].split('\n').filter(l => /warn/i.test(l)) }).toEqual({ cli, warnings: [] });
  });

  test('cdktf synth: the DEVELOPMENT stack with its cluster and the same services, their security groups admitting the cluster', () => {
    for (const type of ['aws_eks_cluster', 'aws_db_instance', 'aws_s3_bucket', 'aws_sqs_queue', 'aws_elasticache_replication_group', 'aws_eks_pod_identity_association']) {
      expect({ type, present: Object.keys(terraform.resource[type] ?? {}).length > 0 }).toEqual({ type, present: true });
    }
    expect(Object.values<any>(terraform.resource.aws_eks_cluster).map(c => c.name)).toEqual(['acme-dev-main']);
    expect(Object.values<any>(terraform.resource.aws_vpc_security_group_ingress_rule).map(r => [r.description, r.from_port]).sort()).toEqual([
      ['Cache from the pods and nodes of EKS cluster acme-dev-main', 6379],
      ['PostgreSQL from the pods and nodes of EKS cluster acme-dev-main', 5432],
    ]);
    expect(Object.values<any>(terraform.resource.aws_eks_pod_identity_association).map(a => a.namespace)).toEqual(expect.arrayContaining(['catalog', 'storefront', 'fulfilment', 'sitemap']));
  });

  (terraformValidateAvailable ? test : test.skip)('terraform validate accepts the DEVELOPMENT stack', () => {
    expect(terraformValidate(terraform).output).toContain('The configuration is valid');
  }, 120_000);
  if (!terraformValidateAvailable) process.stderr.write(`multi-environment.test.ts: terraform validate skipped (${terraformValidateUnavailableReason})\n`);

  test('PRODUCTION has two clusters, each with its own YAML folder: the public apps on main, the order processing on batch', () => {
    expect(resources('prod', 'AWS::EKS::Cluster').map(c => c.Properties.Name)).toEqual(['acme-prod-main', 'acme-prod-batch']);
    const apps = (folder: string) => fs.readdirSync(path.join(work, 'dist', folder)).filter(f => f.startsWith('50-'));
    expect(apps('prod/main')).toEqual(['50-catalog.k8s.yaml', '50-storefront.k8s.yaml']);
    expect(apps('prod/batch')).toEqual(['50-fulfilment.k8s.yaml', '50-sitemap.k8s.yaml']);
    expect(apps('staging/main')).toEqual(['50-catalog.k8s.yaml', '50-fulfilment.k8s.yaml', '50-sitemap.k8s.yaml', '50-storefront.k8s.yaml']);
    // Each workload's Pod Identity binds it in its own cluster.
    const associations = resources('prod', 'AWS::EKS::PodIdentityAssociation').map(a => `${a.Properties.ClusterName}/${a.Properties.Namespace}`);
    expect(associations).toEqual(expect.arrayContaining(['acme-prod-main/catalog', 'acme-prod-main/storefront', 'acme-prod-batch/fulfilment', 'acme-prod-batch/sitemap']));
    // Needs drive each cluster's support services: batch routes no host, main scales on no queue.
    const kinds = (folder: string) => new Set(docs[folder].map(d => d.kind));
    expect(['Gateway', 'HTTPRoute', 'ClusterIssuer'].filter(k => kinds('prod/batch').has(k))).toEqual([]);
    expect(['ScaledObject', 'ClusterTriggerAuthentication'].filter(k => kinds('prod/main').has(k))).toEqual([]);
    expect(find('prod/main', 'HTTPRoute', 'storefront').spec.hostnames).toEqual(['shop.acme.example.com']);
    expect(find('prod/batch', 'ScaledObject', 'fulfilment').spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'fulfilment' });
    expect(find('prod/batch', 'CronJob', 'sitemap').spec).toMatchObject({ schedule: '15 3 * * *', timeZone: 'Europe/Dublin' });
  });

  test('the shared database admits each of its clients: both PRODUCTION clusters, by security group and by ExternalSecret', () => {
    const groupOf = (env: string) => resources(env, 'AWS::EC2::SecurityGroup').find(g => g.Properties.GroupDescription.startsWith(`PostgreSQL instance acme-${env}-shop-db`));
    expect(groupOf('prod').Properties.SecurityGroupIngress.map((i: any) => i.Description)).toEqual([
      'PostgreSQL from the pods and nodes of EKS cluster acme-prod-main',
      'PostgreSQL from the pods and nodes of EKS cluster acme-prod-batch',
    ]);
    expect(groupOf('staging').Properties.SecurityGroupIngress.map((i: any) => i.Description)).toEqual([
      'PostgreSQL from the pods and nodes of EKS cluster acme-staging-main',
    ]);
    expect(resources('prod', 'AWS::RDS::DBInstance')).toHaveLength(1);
    // Every client reads the one secret; the storefront, not connected, reads none.
    const readers = (folder: string) => docs[folder].filter(d => d.kind === 'ExternalSecret'
      && (d.spec.dataFrom ?? d.spec.data ?? []).some((x: any) => JSON.stringify(x).includes('acme/prod/shop-db'))).map(d => d.metadata.namespace).sort();
    expect(readers('prod/main')).toEqual(['catalog']);
    expect(readers('prod/batch')).toEqual(['fulfilment', 'sitemap']);
    for (const [folder, name] of [['prod/main', 'catalog'], ['prod/batch', 'fulfilment']]) {
      expect(envNamesOf(folder, name)).toEqual(expect.arrayContaining(['SHOP_DB_HOST', 'SHOP_DB_PASSWORD', 'SHOP_DB_URL', 'DATABASE_URL']));
    }
    expect(envNamesOf('prod/main', 'storefront')).not.toContain('SHOP_DB_URL');
  });

  test('the storefront calls the catalog: CATALOG_URL, egress to the catalog\'s pods, ingress on the catalog from the storefront only', () => {
    for (const folder of ['dev/main', 'staging/main', 'prod/main']) {
      const sf = find(folder, 'Deployment', 'storefront').spec.template.spec.containers[0].env;
      expect(sf.find((e: any) => e.name === 'CATALOG_URL')).toEqual({ name: 'CATALOG_URL', value: 'http://catalog.catalog.svc.cluster.local:8080' });
      const catalogPods = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'catalog' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'catalog' } } };
      expect(find(folder, 'NetworkPolicy', 'storefront').spec.egress).toContainEqual({ ports: [{ port: 8080, protocol: 'TCP' }], to: [catalogPods] });
      const storefrontPods = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storefront' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'storefront' } } };
      expect(find(folder, 'NetworkPolicy', 'catalog').spec.ingress).toEqual([
        { from: [storefrontPods], ports: [{ port: 8080, protocol: 'TCP' }] },
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] },
      ]);
      // The catalog is internal: no route of its own.
      expect(find(folder, 'HTTPRoute', 'catalog')).toBeUndefined();
    }
  });

  test('one app definition, the tier decides: replicas, disruption budgets, zone spread, Multi-AZ and deletion protection', () => {
    for (const { id, tier, clusters } of ENVIRONMENTS) {
      const [web, batch] = [`${id}/${clusters[0]}`, `${id}/${clusters[clusters.length - 1]}`];
      const replicas = { [Tier.DEVELOPMENT]: 1, [Tier.STAGING]: 2, [Tier.PRODUCTION]: 3 }[tier];
      const catalog = find(web, 'Deployment', 'catalog').spec;
      expect({ id, replicas: catalog.replicas }).toEqual({ id, replicas });
      expect({ id, hpa: find(web, 'HorizontalPodAutoscaler', 'storefront').spec.minReplicas }).toEqual({ id, hpa: replicas });
      expect({ id, keda: find(batch, 'ScaledObject', 'fulfilment').spec.minReplicaCount }).toEqual({ id, keda: replicas });
      expect({ id, pdb: find(web, 'PodDisruptionBudget', 'catalog') !== undefined }).toEqual({ id, pdb: tier !== Tier.DEVELOPMENT });
      expect({ id, spread: catalog.template.spec.topologySpreadConstraints !== undefined }).toEqual({ id, spread: tier === Tier.PRODUCTION });
    }
    const [prodDb] = resources('prod', 'AWS::RDS::DBInstance');
    const [stagingDb] = resources('staging', 'AWS::RDS::DBInstance');
    const [devDb] = Object.values<any>(terraform.resource.aws_db_instance);
    expect(prodDb.Properties).toMatchObject({ MultiAZ: true, DeletionProtection: true });
    expect(prodDb.DeletionPolicy).toBe('Retain');
    expect(stagingDb.Properties).toMatchObject({ MultiAZ: false, DeletionProtection: false });
    expect(stagingDb.DeletionPolicy).toBe('Snapshot');
    expect(devDb).toMatchObject({ multi_az: false, deletion_protection: false, skip_final_snapshot: true });
  });

  test('cdk8s synth: every object schema-valid, every pod restricted, in every cluster of every environment', () => {
    expect(Object.keys(docs)).toEqual(['dev/main', 'staging/main', 'prod/main', 'prod/batch']);
    for (const folder of FOLDERS) {
      expect({ folder, count: docs[folder].length > 20 }).toEqual({ folder, count: true });
      expect({ folder, schema: validateManifests(docs[folder]) }).toEqual({ folder, schema: [] });
      expect({ folder, pods: podSecurityViolations(docs[folder]) }).toEqual({ folder, pods: [] });
    }
  });

  test('deployable as written: everything each folder refers to exists in it or in its environment\'s stacks (CloudFormation and Terraform)', () => {
    const secrets = {
      dev: secretNamesOfTerraform(terraform),
      staging: secretNamesOfCloudFormation(templates.staging),
      prod: secretNamesOfCloudFormation(templates.prod),
    };
    for (const { id } of ENVIRONMENTS) {
      expect(secrets[id as keyof typeof secrets]).toEqual([`acme/${id}/sessions`, `acme/${id}/sessions/endpoint`, `acme/${id}/shop-db`]);
    }
    for (const folder of FOLDERS) {
      const awsSecretNames = secrets[folder.split('/')[0] as keyof typeof secrets];
      expect({ folder, problems: deployabilityProblems(docs[folder], { awsSecretNames, preExistingNamespaces: ['argocd'] }) }).toEqual({ folder, problems: [] });
    }
  });

  (cfnGuardUnavailable ? test.skip : test)('AWS Control Tower proactive controls: STAGING and PRODUCTION fail only the documented exceptions of their tier', () => {
    expect(explainControlTowerFailures(Tier.STAGING, templates.staging).unexplained).toEqual([]);
    expect(explainControlTowerFailures(Tier.PRODUCTION, templates.prod).unexplained).toEqual([]);
  }, 180_000);

  test('no secret material in any output', () => {
    for (const file of filesUnder(work).filter(f => /\.(json|yaml)$/.test(f))) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, found: /"(password|token|authToken|auth_token)"\s*:\s*"(?!\$\{|\{\{resolve)[^"]{12,}"/i.test(text) }).toEqual({ file, found: false });
      expect({ file, found: /(password|token):\s+[A-Za-z0-9]{20,}\s*$/m.test(text) }).toEqual({ file, found: false });
      // And the scanner the library ships (testing.Verify.noSecretMaterial), on what the CLIs wrote.
      expect(secretMaterialIn(path.relative(work, file), text)).toEqual([]);
    }
  });
});

describe('examples/multi-environment in process', () => {
  test('run directly, the program writes byte for byte what the three CLIs wrote (templates, Terraform JSON, YAML and diagram)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { multiEnvironmentPlatform } = require(path.join(example, 'multi-environment'));
    const again = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-multi-environment-again-'));
    // The example's cdk.json sets no context: the library's own feature flags make both runs alike.
    try {
      multiEnvironmentPlatform().synth({
        cloudAssemblyOutdir: path.join(again, 'cdk.out'), manifestsOutdir: path.join(again, 'dist'), terraformOutdir: path.join(again, 'cdktf.out'), summary: false,
      });
      const compared = (dir: string) => filesUnder(path.join(work, dir)).map(f => path.relative(work, f))
        .filter(f => f.endsWith('.template.json') || f.endsWith('cdk.tf.json') || f.startsWith('dist')).sort();
      const files = ['cdk.out', 'cdktf.out', 'dist'].flatMap(compared);
      expect(files.length).toBeGreaterThan(18 + 1 + 60);
      for (const file of files) {
        const same = fs.readFileSync(path.join(again, file), 'utf8') === fs.readFileSync(path.join(work, file), 'utf8');
        expect({ file, same }).toEqual({ file, same: true });
      }
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  }, 120_000);

  test('no warning to acknowledge, and cdk-nag AwsSolutions clean on STAGING and PRODUCTION', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { multiEnvironmentPlatform } = require(path.join(example, 'multi-environment'));
    const platform = multiEnvironmentPlatform();
    platform.render();
    expect(platform.warnings).toEqual([]);
    for (const id of ['staging', 'prod']) {
      const report = nagReportOf(platform.node.findChild(id));
      expect({ id, violations: report.violations.map((v: any) => `${v.ruleName} at ${v.violatingResources.map((r: any) => r.constructPath).join(', ')}`) })
        .toEqual({ id, violations: [] });
    }
  });
});
