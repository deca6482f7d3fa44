import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp, Worker, ObjectStore, Queue, Cache } from '../../lib';
import { stringifyYaml, writesDirectly } from '../../lib/private/yaml';

/** Everything a cluster gets: support services, apps with hosts and autoscaling, a worker with services, in-cluster Argo-free delivery. */
function objects(): any[] {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const db = new ManagedPostgres(env, 'orders-db');
  Platform.acknowledgeWarning(db, 'RS315', 'test');
  const files = new ObjectStore(env, 'files');
  const jobs = new Queue(env, 'jobs');
  const cache = new Cache(env, 'sessions');
  new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 8080, host: 'orders.acme.example.com', connections: [db, cache], autoscaling: { minReplicas: 2, maxReplicas: 8 } });
  new Worker(cluster, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', connections: [files, jobs, db] });
  return Object.values(platform.manifests()).flat();
}

describe('the YAML writer', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shop: any[] = Object.values(require(path.join(__dirname, '..', '..', 'examples', 'shop', 'shop')).shopPlatform().manifests()).flat() as any[];
  const docs = [...objects(), ...shop];

  test('writes every object byte for byte as cdk8s.Yaml.stringify does', () => {
    expect(docs.length).toBeGreaterThan(100);
    for (const doc of docs) {
      const which = { kind: doc.kind, name: doc.metadata?.name };
      expect({ ...which, yaml: stringifyYaml([doc]) }).toEqual({ ...which, yaml: cdk8s.Yaml.stringify(doc) });
    }
    expect(stringifyYaml(docs)).toEqual(cdk8s.Yaml.stringify(...docs));
  });

  test('writes most objects itself (the fast path stays in use), and leaves the rest to the yaml library', () => {
    const direct = docs.filter(writesDirectly).length;
    expect(direct / docs.length).toBeGreaterThan(0.9);
    // What it leaves: a multi-line string (its block depends on the indentation), a list in a list.
    for (const odd of [{ a: 'x\ny' }, { a: { b: 'x\n' } }, { a: [[1]] }, { 'a\nb': 1 }, { a: { '---': 1, '...': 2 } }, { ['k'.repeat(1100)]: 1 }]) {
      expect(writesDirectly(odd)).toBe(false);
      expect(stringifyYaml([odd])).toEqual(cdk8s.Yaml.stringify(odd));
    }
    // Scalars that need quotes are written as the yaml library quotes them.
    for (const simple of [{ a: { b: [{ c: 1, d: [] }, 'e', {}] }, f: null, g: true, h: 'ghcr.io/acme/x:1.0', i: 'arn:aws:iam::1:role/x' },
      { 'a': 'yes', 'b': '', 'c': '8080', 'd': ' lead', 'e f': 0.5, 'g': ['*.x', "it's", 'a: b', '#c', 'on'], 'h': 1e21, '10': '0x1F' }]) {
      expect(writesDirectly(simple)).toBe(true);
      expect(stringifyYaml([simple])).toEqual(cdk8s.Yaml.stringify(simple));
    }
  });
});
