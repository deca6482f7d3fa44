/**
 * Whole-graph checks of examples/quickstart (run as a user runs it, on the
 * compiled library) and of a quickstart-like program with a test-only
 * workload connected to the database: stable logical ids of stateful
 * resources, and no secret material anywhere in the synthesized output.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { Environment, KubernetesCluster, ManagedPostgres, Platform, Tier, Worker } from '../../../lib';
import { fakeSupportServices } from '../../util/fake-workload';

function quickstart(): { platform: Platform; prod: Environment; db: ManagedPostgres } {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(prod, 'main');
  const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
  // TEST-ONLY stand-in for SupportServices.
  fakeSupportServices(cluster);
  new Worker(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', connections: [db] });
  Platform.acknowledgeWarning(db, 'RS315', 'test program');
  return { platform, prod, db };
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

/** Every string-valued property whose key names a password or secret value, with its path. */
function literalSecrets(value: unknown, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => literalSecrets(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A container env var holding a credential must come from a Secret (valueFrom), never a literal value.
    if (typeof o.name === 'string' && typeof o.value === 'string' && /PASSWORD|SECRET|TOKEN|_URL$/.test(o.name)) {
      return [`${at}(${o.name})`];
    }
    return Object.entries(value).flatMap(([k, v]) => {
      const here = `${at}.${k}`;
      const named = /^(secretstring|secret|.*password)$/i.test(k);
      return named && typeof v === 'string' ? [here] : literalSecrets(v, here);
    });
  }
  return [];
}

/**
 * The data of a Secret, unless it is an Argo CD repository declaration
 * (SupportServices' chart repositories: name, type, url, no credentials).
 */
function credentialData(doc: any): unknown {
  const data = doc.data ?? doc.stringData;
  const repository = doc.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'repository';
  if (repository && data && Object.keys(data).every(k => ['name', 'type', 'url', 'enableOCI', 'project'].includes(k))) {
    return undefined;
  }
  return data;
}

test('the scanner finds planted secret material', () => {
  expect(literalSecrets({ Resources: { Db: { Properties: { MasterUserPassword: 'hunter2hunter2' } } } })).toEqual(['.Resources.Db.Properties.MasterUserPassword']);
  expect(literalSecrets({ Properties: { SecretString: '{"password":"x"}' } })).toEqual(['.Properties.SecretString']);
  expect(literalSecrets({ env: [{ name: 'ORDERS_DB_PASSWORD', value: 'x' }] })).toEqual(['.env[0](ORDERS_DB_PASSWORD)']);
  expect(literalSecrets({ env: [{ name: 'ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }] })).toEqual([]);
  expect(literalSecrets({ stringData: { password: 'x' } })).toEqual(['.stringData.password']);
  const repository = { kind: 'Secret', metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } } };
  expect(credentialData({ ...repository, stringData: { name: 'jetstack', type: 'helm', url: 'https://charts.jetstack.io' } })).toBeUndefined();
  expect(credentialData({ ...repository, stringData: { url: 'https://charts.jetstack.io', password: 'x' } })).toEqual({ url: 'https://charts.jetstack.io', password: 'x' });
});

describe('quickstart with a ManagedPostgres', () => {
  const { prod } = quickstart();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-quickstart-'));
  const { platform } = { platform: prod.platform };
  platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist'), terraformOutdir: path.join(out, 'cdktf.out') });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  // The database has a stack of its own, named after it (the layout of issue 11).
  const templateFile = path.join(out, 'cdk.out', 'acme-prod-orders-db.template.json');
  const template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  const foundation = JSON.parse(fs.readFileSync(path.join(out, 'cdk.out', 'acme-prod.template.json'), 'utf8'));

  test('the database, its secret and its KMS key keep their logical ids', () => {
    // These ids are a contract with every deployed stack: if this test
    // fails, a change would replace (or orphan) a live database. Do not
    // update the expected values; restore the construct ids instead.
    const ids = (type: string) => Object.keys(template.Resources).filter(id => template.Resources[id].Type === type).sort();
    expect(ids('AWS::RDS::DBInstance')).toEqual(['ordersdb26513815']);
    expect(ids('AWS::SecretsManager::Secret')).toEqual(['acmeprodordersdbSecret4FF4D1033fdaad7efa858a3daf9490cf0a702aeb']);
    expect(ids('AWS::SecretsManager::SecretTargetAttachment')).toEqual(['ordersdbSecretAttachment1C5E973B']);
    expect(ids('AWS::KMS::Key')).toContain('ordersdbKeyAD8EFF10');
    expect(ids('AWS::RDS::DBSubnetGroup')).toEqual(['ordersdbSubnetGroupD57C1A88']);
    expect(template.Resources.ordersdb26513815.DeletionPolicy).toEqual('Retain');
    expect(template.Resources.ordersdbKeyAD8EFF10.DeletionPolicy).toEqual('Retain');
    // ... and it is in the database's stack only.
    expect(Object.values(foundation.Resources).filter((r: any) => r.Type.startsWith('AWS::RDS::'))).toEqual([]);
  });

  test('no secret material in any CloudFormation output', () => {
    const files = filesUnder(path.join(out, 'cdk.out')).filter(f => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      expect({ file, found: literalSecrets(JSON.parse(text)) }).toEqual({ file, found: [] });
    }
    // The master password is only ever a dynamic reference resolved by CloudFormation.
    const instance = template.Resources.ordersdb26513815;
    expect(JSON.stringify(instance.Properties.MasterUserPassword)).toMatch(/^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"[A-Za-z0-9]+"\},":SecretString:password::\}\}"\]\]\}$/);
    // The secret is generated by Secrets Manager: the template only holds the username and the database name.
    const secret = template.Resources.acmeprodordersdbSecret4FF4D1033fdaad7efa858a3daf9490cf0a702aeb;
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(JSON.parse(secret.Properties.GenerateSecretString.SecretStringTemplate)).toEqual({ username: 'dbadmin', dbname: 'orders' });
  });

  test('no secret material in any Kubernetes YAML', () => {
    const files = filesUnder(path.join(out, 'dist')).filter(f => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    let externalSecrets = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const doc of parseAllDocuments(text).map(d => d.toJS())) {
        if (!doc) continue;
        // No Secret objects with data: credentials only arrive through ExternalSecrets.
        expect({ file, kind: doc.kind, data: doc.kind === 'Secret' ? doc.data ?? doc.stringData : undefined }).toEqual({ file, kind: doc.kind, data: undefined });
        if (doc.kind === 'ExternalSecret') externalSecrets++;
        expect({ file, found: literalSecrets(doc) }).toEqual({ file, found: [] });
      }
      // A connection URL only ever appears as a template over the secret's keys.
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^{\s]*:[^{\s]*@/);
    }
    expect(externalSecrets).toEqual(1);
  });
});

describe('examples/quickstart', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  const example = path.join(root, 'examples', 'quickstart');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-example-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));
  let template: any;
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
    const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: path.join(out, 'cdk.out'), CDK8S_OUTDIR: path.join(out, 'dist') };
    execFileSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', '-P', '../tsconfig.json', 'main.ts'], {
      cwd: example, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    template = JSON.parse(fs.readFileSync(path.join(out, 'cdk.out', 'acme-prod-orders-db.template.json'), 'utf8'));
  });

  test('the database, its secret and its KMS key keep their logical ids', () => {
    // A contract with every deployed quickstart: do not update these values.
    expect(template.Resources.ordersdb26513815?.Type).toEqual('AWS::RDS::DBInstance');
    expect(template.Resources.acmeprodordersdbSecret4FF4D1033fdaad7efa858a3daf9490cf0a702aeb?.Type).toEqual('AWS::SecretsManager::Secret');
    expect(template.Resources.ordersdbKeyAD8EFF10?.Type).toEqual('AWS::KMS::Key');
  });

  test('no secret material in any output file', () => {
    const files = filesUnder(out);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files.filter(f => f.endsWith('.json'))) {
      expect({ file, found: literalSecrets(JSON.parse(fs.readFileSync(file, 'utf8'))) }).toEqual({ file, found: [] });
    }
    let secretsSeen = 0;
    for (const file of files.filter(f => /\.ya?ml$/.test(f))) {
      for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS())) {
        if (doc?.kind === 'Secret') secretsSeen++;
        expect({ file, found: literalSecrets(doc), secretData: doc?.kind === 'Secret' ? credentialData(doc) : undefined })
          .toEqual({ file, found: [], secretData: undefined });
      }
    }
    expect(secretsSeen).toBe(1); // the Envoy Gateway OCI chart repository
  });
});
