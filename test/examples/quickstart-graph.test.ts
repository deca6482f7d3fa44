import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match } from 'aws-cdk-lib/assertions';
import * as YAML from 'yaml';
import {
  Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp,
} from '../../lib';
import { awsSolutionsFindings } from '../util/nag';
import { podSecurityViolations } from '../util/pod-security';
import { validateManifests } from '../util/schema';
import { environmentTemplate } from '../util/templates';

/** examples/quickstart/main.ts, in-process (checked against the real program below). */
function quickstart() {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(prod, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com' });
  const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');
  const app = new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.acme.example.com', connections: [db] });
  return { platform, prod, cluster, db, app };
}

const q = quickstart();
q.platform.render();
const docs = q.platform.manifests()['prod/main'];
const template = environmentTemplate(q.prod);
const of = (kind: string, name: string, namespace?: string) =>
  docs.filter(d => d.kind === kind && d.metadata.name === name && (namespace === undefined || d.metadata.namespace === namespace));

describe('the quickstart as a whole', () => {
  test('is the same graph as examples/quickstart/main.ts (the program\'s YAML equals this test\'s)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-graph-'));
    try {
      const root = path.resolve(__dirname, '..', '..');
      execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
      execFileSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', '-P', '../tsconfig.json', 'main.ts'], {
        cwd: path.join(root, 'examples', 'quickstart'),
        env: { ...process.env, CDK8S_OUTDIR: out },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const dir = path.join(out, 'prod', 'main');
      const fromProgram = fs.readdirSync(dir).sort()
        .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
      expect(fromProgram).toEqual(docs);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('every Kubernetes object validates against the Kubernetes 1.28 schema or its CRD', () => {
    expect(docs.length).toBeGreaterThan(20);
    expect(validateManifests(docs)).toEqual([]);
  });

  test('every pod meets the Pod Security Standards "restricted" profile', () => {
    expect(docs.some(d => d.kind === 'Deployment')).toBe(true);
    expect(podSecurityViolations(docs)).toEqual([]);
  });

  test('the CloudFormation passes cdk-nag AwsSolutions with no unacknowledged finding', () => {
    expect(awsSolutionsFindings(quickstart().platform)).toEqual([]);
  });

  test('the app reaches its database on paper: security group, NetworkPolicy, ExternalSecret, env vars', () => {
    // Security group: the database admits the cluster security group on 5432, and the environment's rotation function.
    const dbGroup = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
      .map((r: any) => r.Properties)
      .find(p => (p.GroupDescription as string).startsWith('PostgreSQL instance acme-prod-orders-db'));
    expect(dbGroup.SecurityGroupIngress).toEqual([expect.objectContaining({
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^main/), 'ClusterSecurityGroupId'] },
    })]);
    const [[rotationGroup]] = Object.entries(template.findResources('AWS::EC2::SecurityGroup'))
      .filter(([, r]: [string, any]) => (r.Properties.GroupDescription as string).startsWith('Secret rotation functions of acme-prod'));
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties)).toEqual([expect.objectContaining({
      FromPort: 5432,
      ToPort: 5432,
      SourceSecurityGroupId: { 'Fn::GetAtt': [rotationGroup, 'GroupId'] },
    })]);

    // NetworkPolicy: the app may leave its namespace towards the private subnets on 5432.
    const privateCidrs = Object.values(template.findResources('AWS::EC2::Subnet', { Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) } }))
      .map((s: any) => s.Properties.CidrBlock).sort();
    const egress = docs.filter(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === 'orders')
      .flatMap(p => p.spec.egress ?? [])
      .filter((e: any) => e.ports?.some((port: any) => port.port === 5432));
    expect(egress).toHaveLength(1);
    expect(egress[0].to.map((t: any) => t.ipBlock.cidr).sort()).toEqual(privateCidrs);

    // ExternalSecret: from the ClusterSecretStore, remote key = the database secret's deterministic name.
    const externalSecrets = docs.filter(d => d.kind === 'ExternalSecret' && d.metadata.namespace === 'orders');
    expect(externalSecrets).toHaveLength(1);
    const es = externalSecrets[0];
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
    expect(es.spec.data.map((d: any) => d.remoteRef.key)).toEqual(expect.arrayContaining(['acme/prod/orders-db']));
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'acme/prod/orders-db' });

    // Env vars: every credential comes from the Kubernetes Secret, never a literal.
    const deployment = of('Deployment', 'orders', 'orders')[0];
    const env: any[] = deployment.spec.template.spec.containers[0].env;
    const byName = Object.fromEntries(env.map(e => [e.name, e]));
    for (const name of ['ORDERS_DB_HOST', 'ORDERS_DB_PORT', 'ORDERS_DB_DATABASE', 'ORDERS_DB_USER', 'ORDERS_DB_PASSWORD', 'ORDERS_DB_URL', 'DATABASE_URL']) {
      expect(byName[name]?.valueFrom?.secretKeyRef?.name).toBe(es.spec.target.name);
      expect(byName[name].value).toBeUndefined();
    }
  });

  test('the secret store may read only this environment\'s secrets', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((p: any) => JSON.stringify(p.Properties.PolicyDocument));
    const eso = policies.filter(p => p.includes('secretsmanager:GetSecretValue'));
    expect(eso).toHaveLength(1);
    expect(eso[0]).toContain(':secret:acme/prod/*');
    expect(eso[0]).not.toMatch(/"Resource":"\*"/);
  });

  test('routing, DNS and TLS come with the host; the route attaches to the HTTPS listener of the domain', () => {
    const route = of('HTTPRoute', 'orders', 'orders')[0];
    expect(route.spec.hostnames).toEqual(['orders.acme.example.com']);
    expect(route.spec.parentRefs).toEqual([{ name: 'platform', namespace: 'gateway-system', sectionName: 'https-acme-example-com' }]);
    const gateway = of('Gateway', 'platform', 'gateway-system')[0];
    expect(gateway.spec.listeners.map((l: any) => l.name)).toEqual(expect.arrayContaining(['http', 'https-acme-example-com']));
    expect(docs.some(d => d.kind === 'ClusterIssuer' && d.metadata.name === 'letsencrypt')).toBe(true);
  });

  test('files apply in a working order: namespaces, support services, their configuration, apps', () => {
    const order = (kind: string) => docs.findIndex(d => d.kind === kind);
    expect(order('Namespace')).toBe(0);
    expect(order('ClusterIssuer')).toBeGreaterThan(order('Application'));
    expect(order('Deployment')).toBeGreaterThan(order('ClusterSecretStore'));
  });
});
