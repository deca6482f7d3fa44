import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  Application, Environment, FargateRuntime, KubernetesCluster, ManagedPostgres, Platform, Queue, SupportServices, Tier, WebApp, Worker,
} from '../../lib';
import { validationErrorOf } from '../util/problems';
import { objectOf } from '../util/workloads';

/**
 * Application: one construct owning a service's workloads and managed
 * services, as a blueprint builds it, without moving any of them.
 */

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** A blueprint's service: an app with its database and queue, on any runtime. */
class AcmeService extends Application {
  public readonly db: ManagedPostgres;
  public readonly web: WebApp;
  constructor(env: Environment, id: string, runtime: KubernetesCluster | FargateRuntime) {
    super(env, id, { labels: { 'acme.example/team': 'payments' } });
    this.db = new ManagedPostgres(env, `${id}-db`);
    const jobs = new Queue(env, `${id}-jobs`);
    this.web = new WebApp(runtime, id, { image: IMAGE, port: 8080, connections: [this.db, jobs] });
    this.add(this.db, jobs, this.web, new Worker(runtime, `${id}-worker`, { image: IMAGE, connections: [jobs] }));
  }
}

function prod(): { platform: Platform; env: Environment; cluster: KubernetesCluster } {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  return { platform, env, cluster };
}

describe('Application', () => {
  test('owns its members, which stay where they would be without it: the same stacks and logical ids', () => {
    const grouped = prod();
    const service = new AcmeService(grouped.env, 'orders', grouped.cluster);
    for (const db of grouped.env.node.findAll().filter((c): c is ManagedPostgres => c instanceof ManagedPostgres)) {
      Platform.acknowledgeWarning(db, 'RS315', 'a test program');
    }
    expect(service.members.map(m => m.node.path)).toEqual(['acme/prod/orders-db', 'acme/prod/orders-jobs', 'acme/prod/main/orders', 'acme/prod/main/orders-worker']);
    expect(Application.of(service.db)).toBe(service);
    expect(Application.of(grouped.cluster)).toBeUndefined();

    const plain = prod();
    const db = new ManagedPostgres(plain.env, 'orders-db');
    Platform.acknowledgeWarning(db, 'RS315', 'a test program');
    const jobs = new Queue(plain.env, 'orders-jobs');
    new WebApp(plain.cluster, 'orders', { image: IMAGE, port: 8080, connections: [db, jobs] });
    new Worker(plain.cluster, 'orders-worker', { image: IMAGE, connections: [jobs] });

    grouped.platform.render();
    plain.platform.render();
    const layout = (env: Environment) => env.stacks.map(s => [s.stackName, Object.keys(Template.fromStack(s).toJSON().Resources ?? {}).sort()]);
    expect(layout(grouped.env)).toEqual(layout(plain.env));
  });

  test("its labels (and app.kubernetes.io/part-of) go on every object of its workloads and their namespaces; a workload's own win", () => {
    const { platform, env, cluster } = prod();
    new AcmeService(env, 'orders', cluster);
    const other = new Application(env, 'billing');
    other.add(new Worker(cluster, 'invoices', { image: IMAGE, labels: { 'acme.example/team': 'finance' } }));
    for (const db of env.node.findAll().filter((c): c is ManagedPostgres => c instanceof ManagedPostgres)) {
      Platform.acknowledgeWarning(db, 'RS315', 'a test program');
    }
    const docs = platform.manifests()['prod/main'];
    const ofNamespace = (ns: string) => docs.filter(d => d.metadata?.namespace === ns || (d.kind === 'Namespace' && d.metadata.name === ns));
    for (const d of [...ofNamespace('orders'), ...ofNamespace('orders-worker')]) {
      expect([d.kind, d.metadata.labels['app.kubernetes.io/part-of'], d.metadata.labels['acme.example/team']]).toEqual([d.kind, 'orders', 'payments']);
    }
    expect(objectOf(docs, 'Deployment', 'orders', 'orders').spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('orders');
    expect(objectOf(docs, 'Deployment', 'invoices', 'invoices').metadata.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'billing', 'acme.example/team': 'finance' });
  });

  test('on Fargate its labels tag the workloads\' resources', () => {
    const { platform, env } = prod();
    const edge = new FargateRuntime(env, 'edge');
    new AcmeService(env, 'orders', edge as any);
    for (const db of env.node.findAll().filter((c): c is ManagedPostgres => c instanceof ManagedPostgres)) {
      Platform.acknowledgeWarning(db, 'RS315', 'a test program');
    }
    for (const w of edge.node.children) Platform.acknowledgeWarning(w, 'RS160', 'a test program');
    platform.render();
    const stack = env.stacks.find(s => s.stackName.endsWith('-edge-app-orders'))!;
    const service = Object.values(Template.fromStack(stack).findResources('AWS::ECS::Service'))[0] as any;
    expect(service.Properties.Tags).toEqual(expect.arrayContaining([
      { Key: 'app.kubernetes.io/part-of', Value: 'orders' }, { Key: 'acme.example/team', Value: 'payments' },
    ]));
  });

  test('members of another environment, of two applications, or of no kind an application holds: one report', () => {
    const { platform, env, cluster } = prod();
    const staging = new Environment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'eu-west-1' });
    const stagingDb = new ManagedPostgres(staging, 'orders-db');
    const app = new Application(env, 'orders', { labels: { 'app.kubernetes.io/part-of': 'shop' } });
    const worker = new Worker(cluster, 'orders', { image: IMAGE });
    app.add(worker, stagingDb, cluster, new Construct(env, 'misc'));
    new Application(env, 'billing').add(worker);
    const error = validationErrorOf(platform);
    expect(error.problems.filter(p => p.path.startsWith('acme/prod/')).map(p => [p.path, p.code, p.prop])).toEqual([
      ['acme/prod/orders', 'RS008', 'labels.app.kubernetes.io/part-of'],
      ['acme/prod/orders', 'RS035', 'members[1]'],
      ['acme/prod/orders', 'RS035', 'members[2]'],
      ['acme/prod/orders', 'RS035', 'members[3]'],
      ['acme/prod/billing', 'RS036', 'members[0]'],
    ]);
    expect(error.message).toContain('acme/staging/orders-db is in environment acme/staging, not in acme/prod');
    expect(error.message).toContain('acme/prod/main/orders is already in application acme/prod/orders');
  });

  test('members are added before the platform renders', () => {
    const { platform, env, cluster } = prod();
    const app = new Application(env, 'orders');
    const worker = new Worker(cluster, 'orders', { image: IMAGE });
    platform.render();
    expect(() => app.add(worker)).toThrow('acme/prod/orders: add() after the platform was validated');
  });

  test('an application with the id of a database of its environment: one error naming the database', () => {
    const { platform, env } = prod();
    new ManagedPostgres(env, 'orders');
    new Application(env, 'orders');
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code])).toEqual([['acme/prod/orders~2', 'RS004']]);
    expect(error.problems[0].message).toBe('the ManagedPostgres acme/prod/orders in acme/prod already has the id "orders"');
  });
});
