import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IConnectable, KubernetesCluster, ScheduledJob, Tier, WebApp, Worker } from '../lib';
import { testCluster } from './util/workloads';
import { Problem, RuntimeStackValidationError } from '../lib/core/problems';

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

/** The problems `render()` reports (fails when it does not throw). */
function problemsOf(platform: { render(): void }): Problem[] {
  try {
    platform.render();
  } catch (e) {
    if (e instanceof RuntimeStackValidationError) return e.problems;
    throw e;
  }
  throw new Error('expected validation errors, got none');
}

type Build = (cluster: KubernetesCluster) => void;

// Every invalid input of the workloads, the code and message it must produce.
const BAD_INPUT: Array<[string, Tier, Build, string, string, RegExp]> = [
  ['port 0', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 0 }),
    'RS103', 'port', /port 0 is outside 1-65535: use the port the container listens on/],
  ['port 70000', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 70000 }),
    'RS103', 'port', /port 70000 is outside 1-65535/],
  ['metrics port 65536', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, metrics: { port: 65536 } }),
    'RS103', 'metrics.port', /port 65536 is outside 1-65535/],
  ['image without tag in PRODUCTION', Tier.PRODUCTION, c => new WebApp(c, 'orders', { image: 'ghcr.io/acme/orders', port: 8080 }),
    'RS102', 'image', /image "ghcr.io\/acme\/orders" has no tag or digest, but PRODUCTION needs a pinned image: pin a version or digest, e.g. "ghcr.io\/acme\/orders:1.2.3"/],
  ['image :latest in PRODUCTION', Tier.PRODUCTION, c => new Worker(c, 'billing', { image: 'nginx:latest' }),
    'RS102', 'image', /image "nginx:latest" is tagged latest, but PRODUCTION needs a pinned image/],
  ['malformed image', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: 'GHCR.io/Acme/Orders:1.0 ', port: 8080 }),
    'RS101', 'image', /is not a valid image reference: give \[registry\/\]repository\[:tag\]\[@sha256:digest\]/],
  ['malformed digest', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: 'acme/report@sha256:abc', schedule: '@daily' }),
    'RS101', 'image', /"acme\/report@sha256:abc" is not a valid image reference/],
  ['host not a DNS name', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, host: 'https://Orders.example.com/' }),
    'RS104', 'host', /"https:\/\/Orders.example.com\/" is not a valid DNS host name: give a lowercase, fully qualified name/],
  ['host with one label', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, host: 'orders' }),
    'RS104', 'host', /"orders" is not a valid DNS host name/],
  ['same host and path twice in a cluster', Tier.DEVELOPMENT, c => {
    new WebApp(c, 'orders', { image: IMAGE, port: 8080, host: 'shop.acme.example.com' });
    new WebApp(c, 'cart', { image: IMAGE, port: 8080, host: 'shop.acme.example.com', path: '/' });
  }, 'RS106', 'host', /shop.acme.example.com\/ is already routed to acme\/dev\/main\/orders in this cluster: give each app its own host, or a different path/],
  ['id with upper case', Tier.DEVELOPMENT, c => new WebApp(c, 'Orders', { image: IMAGE, port: 8080 }),
    'RS002', 'id', /WebApp id "Orders" is not a lowercase DNS label starting with a letter: .*\(e.g. "orders"\)/],
  ['id longer than 63', Tier.DEVELOPMENT, c => new Worker(c, 'w'.repeat(64), { image: IMAGE }),
    'RS003', 'id', /Worker id "w{64}" is 64 characters long, more than 63/],
  ['two workloads with one id', Tier.DEVELOPMENT, c => {
    new Worker(c, 'billing', { image: IMAGE });
    new WebApp(c, 'billing', { image: IMAGE, port: 8080 });
  }, 'RS004', 'id', /already has the id "billing"/],
  ['autoscaling min > max', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, autoscaling: { minReplicas: 5, maxReplicas: 2 } }),
    'RS110', 'autoscaling', /minReplicas 5 is more than maxReplicas 2: make maxReplicas at least minReplicas/],
  ['autoscaling tier min > max', Tier.PRODUCTION, c => new Worker(c, 'billing', { image: IMAGE, autoscaling: { maxReplicas: 2 } }),
    'RS110', 'autoscaling', /minReplicas 3 \(the tier default\) is more than maxReplicas 2/],
  ['autoscaling min < 1', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, autoscaling: { minReplicas: 0, maxReplicas: 3 } }),
    'RS109', 'autoscaling.minReplicas', /0 is not a whole number of 1 or more: set minReplicas to 1 or more/],
  ['autoscaling target 150%', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, autoscaling: { maxReplicas: 3, targetCpuUtilization: 150 } }),
    'RS111', 'autoscaling.targetCpuUtilization', /150 is not a percentage from 1 to 100/],
  ['replicas and autoscaling', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, replicas: 2, autoscaling: { maxReplicas: 3 } }),
    'RS125', 'replicas', /replicas and autoscaling are both set: remove replicas/],
  ['1 replica in PRODUCTION', Tier.PRODUCTION, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, replicas: 1 }),
    'RS108', 'replicas', /1 replica in PRODUCTION: PRODUCTION workloads run at least 2 replicas/],
  ['negative replicas', Tier.DEVELOPMENT, c => new Worker(c, 'billing', { image: IMAGE, replicas: -1 }),
    'RS107', 'replicas', /-1 is not a whole number of replicas/],
  ['cpu request above limit', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, resources: { cpuRequest: '2' } }),
    'RS113', 'resources.cpuRequest', /CPU request 2 is above the limit 500m \(the DEVELOPMENT default\): lower cpuRequest or raise cpuLimit/],
  ['memory request above limit', Tier.DEVELOPMENT, c => new Worker(c, 'billing', { image: IMAGE, resources: { memoryRequest: '1Gi', memoryLimit: '512Mi' } }),
    'RS113', 'resources.memoryRequest', /memory request 1Gi is above the limit 512Mi/],
  ['malformed cpu', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, resources: { cpuLimit: '2 cores' } }),
    'RS112', 'resources.cpuLimit', /"2 cores" is not a CPU quantity: use Kubernetes notation/],
  ['malformed memory', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, resources: { memoryLimit: '1GB' } }),
    'RS112', 'resources.memoryLimit', /"1GB" is not a memory quantity/],
  ['invalid env var name', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, env: { '1LOG=LEVEL': 'x' } }),
    'RS114', 'env.1LOG=LEVEL', /"1LOG=LEVEL" is not a valid environment variable name/],
  ['env var in env and secretEnv', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', {
    image: IMAGE, port: 8080, env: { DB_USER: 'orders' }, secretEnv: { DB_USER: { secretName: 'db', key: 'user' } },
  }), 'RS115', 'secretEnv.DB_USER', /"DB_USER" is set in both env and secretEnv: set each variable once/],
  ['literal PASSWORD in env', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, env: { DB_PASSWORD: 'hunter2' } }),
    'RS116', 'env.DB_PASSWORD', /"DB_PASSWORD" looks like a secret but has a literal value in env: move it to secretEnv/],
  ['literal API_KEY in env', Tier.DEVELOPMENT, c => new Worker(c, 'billing', { image: IMAGE, env: { STRIPE_API_KEY: 'sk_live' } }),
    'RS116', 'env.STRIPE_API_KEY', /looks like a secret/],
  ['literal TOKEN in env', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', env: { GITHUB_TOKEN: 'ghp_x' } }),
    'RS116', 'env.GITHUB_TOKEN', /looks like a secret/],
  ['literal SECRET in env', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, env: { CLIENT_SECRET: 'x' } }),
    'RS116', 'env.CLIENT_SECRET', /looks like a secret/],
  ['secretEnv with a bad secret name', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, secretEnv: { DB_PASSWORD: { secretName: 'Orders_DB', key: 'password' } } }),
    'RS117', 'secretEnv.DB_PASSWORD.secretName', /"Orders_DB" is not a Kubernetes Secret name/],
  ['cron with 6 fields', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '0 0 * * * *' }),
    'RS118', 'schedule', /"0 0 \* \* \* \*" has 6 fields, not 5 .*: give five fields/],
  ['cron minute 60', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '60 * * * *' }),
    'RS118', 'schedule', /minute "60" is not valid \(0-59/],
  ['cron unknown macro', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@fortnightly' }),
    'RS118', 'schedule', /"@fortnightly" is not a schedule macro/],
  ['cron bad month name', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '0 0 1 FOO *' }),
    'RS118', 'schedule', /month "FOO" is not valid/],
  ['time zone that is no IANA zone', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', timeZone: 'Mars/Olympus_Mons' }),
    'RS119', 'timeZone', /"Mars\/Olympus_Mons" is not an IANA time zone: give a zone such as "Europe\/Paris" or "UTC"/],
  ['time zone as an offset', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', timeZone: '+01:00' }),
    'RS119', 'timeZone', /"\+01:00" is not an IANA time zone/],
  ['negative history limit', Tier.DEVELOPMENT, c => new ScheduledJob(c, 'report', { image: IMAGE, schedule: '@daily', failedJobsHistoryLimit: -1 }),
    'RS119', 'failedJobsHistoryLimit', /-1 is not a whole number of 0 or more/],
  ['invalid namespace', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, namespace: 'Shop_NS' }),
    'RS120', 'namespace', /"Shop_NS" is not a Kubernetes namespace name/],
  ['reserved namespace', Tier.DEVELOPMENT, c => new Worker(c, 'billing', { image: IMAGE, namespace: 'kube-system' }),
    'RS121', 'namespace', /namespace "kube-system" belongs to Kubernetes or the platform's support services/],
  ['path without host', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, path: '/api' }),
    'RS105', 'path', /path is set without host/],
  ['path not starting with /', Tier.DEVELOPMENT, c => new WebApp(c, 'orders', { image: IMAGE, port: 8080, host: 'orders.acme.example.com', path: 'api' }),
    'RS105', 'path', /"api" is not an HTTP path/],
  ['connection to itself', Tier.DEVELOPMENT, c => {
    const app = new WebApp(c, 'orders', { image: IMAGE, port: 8080 });
    app.connect(app);
  }, 'RS122', 'connections[0]', /the workload connects to itself/],
  ['same connection twice', Tier.DEVELOPMENT, c => {
    const api = new WebApp(c, 'api', { image: IMAGE, port: 8080 });
    new Worker(c, 'billing', { image: IMAGE, connections: [api, api] });
  }, 'RS314', 'connections[1]', /acme\/dev\/main\/api is already connected as connections\[0\] under the same prefix "API"/],
  ['two targets under one env var prefix', Tier.DEVELOPMENT, c => {
    const api = new WebApp(c, 'api', { image: IMAGE, port: 8080 });
    const web = new WebApp(c, 'web', { image: IMAGE, port: 8080 });
    const worker = new Worker(c, 'billing', { image: IMAGE, connections: [api] });
    worker.connect(web, { envPrefix: 'API' });
  }, 'RS318', 'connections[1]', /env var prefix "API" is already used by connections\[0\]/],
  ['env var prefix that is not a name', Tier.DEVELOPMENT, c => {
    const api = new WebApp(c, 'api', { image: IMAGE, port: 8080 });
    new Worker(c, 'billing', { image: IMAGE }).connect(api, { envPrefix: 'my-api' });
  }, 'RS313', 'connections[0]', /env var prefix "my-api" does not make valid environment variable names/],
];

describe('bad input', () => {
  test.each(BAD_INPUT)('%s', (_name, tier, build, code, prop, message) => {
    // GIVEN
    const { platform, cluster } = testCluster(tier);
    build(cluster);
    // WHEN
    const problems = problemsOf(platform);
    // THEN
    const match = problems.filter(p => p.code === code);
    expect(match.map(p => ({ prop: p.prop, text: `${p.message}: ${p.fix}` }))).toContainEqual({ prop, text: expect.stringMatching(message) });
    expect(match[0].path).toMatch(/^acme\/dev\/main\//);
  });

  test('a connection to an app in another environment', () => {
    // GIVEN two environments, each with a cluster
    const { platform, cluster: prodCluster } = testCluster(Tier.PRODUCTION, { envId: 'prod' });
    const { cluster: stagingCluster } = testCluster(Tier.STAGING, { envId: 'staging', platform });
    const api = new WebApp(prodCluster, 'api', { image: IMAGE, port: 8080 });
    // WHEN a staging worker connects to the production app
    new Worker(stagingCluster, 'billing', { image: IMAGE, connections: [api] });
    // THEN
    expect(problemsOf(platform)).toEqual([expect.objectContaining({
      path: 'acme/staging/main/billing',
      code: 'RS124',
      prop: 'connections[0]',
      message: 'acme/prod/main/api runs in environment acme/prod, not in acme/staging where acme/staging/main/billing runs',
      fix: expect.stringMatching(/connect only to apps of the same cluster or Fargate runtime/),
    })]);
  });

  test('a connection to an app in another cluster of the same environment', () => {
    const { platform, cluster, environment } = testCluster(Tier.DEVELOPMENT);
    const other = new KubernetesCluster(environment, 'batch', { existing: { clusterName: 'acme-dev-batch' } });
    const api = new WebApp(cluster, 'api', { image: IMAGE, port: 8080 });
    new ScheduledJob(other, 'report', { image: IMAGE, schedule: '@daily', connections: [api] });
    expect(problemsOf(platform)).toEqual([expect.objectContaining({
      code: 'RS124',
      message: expect.stringMatching(/runs in runtime acme\/dev\/main, not in acme\/dev\/batch/),
    })]);
  });

  test('connection problems of other targets are reported with the connection\'s index', () => {
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT);
    const target = Object.assign(new WebApp(cluster, 'api', { image: IMAGE, port: 8080 }), {
      checkConnection: () => [{ code: 'RS499', prop: 'x', message: 'not reachable', fix: 'fix it' }],
    }) as IConnectable;
    new Worker(cluster, 'billing', { image: IMAGE, connections: [target] });
    expect(problemsOf(platform)).toEqual([expect.objectContaining({ code: 'RS499', prop: 'connections[0]' })]);
  });

  test('every problem of the graph is reported at once, and nothing is written', () => {
    // GIVEN
    const { platform, cluster } = testCluster(Tier.PRODUCTION);
    new WebApp(cluster, 'orders', { image: 'orders', port: 70000, host: 'bad host', env: { API_TOKEN: 'x' } });
    new ScheduledJob(cluster, 'report', { image: IMAGE, schedule: 'every day' });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'apps-bad-'));
    // WHEN
    let error: Error | undefined;
    try {
      platform.synth({ manifestsOutdir: path.join(outdir, 'dist'), cloudAssemblyOutdir: path.join(outdir, 'cdk.out') });
    } catch (e) {
      error = e as Error;
    }
    // THEN
    expect(error).toBeInstanceOf(RuntimeStackValidationError);
    expect((error as RuntimeStackValidationError).problems.map(p => `${p.path} ${p.code}`)).toEqual([
      'acme/dev/main/orders RS102',
      'acme/dev/main/orders RS116',
      'acme/dev/main/orders RS103',
      'acme/dev/main/orders RS104',
      'acme/dev/main/report RS118',
    ]);
    expect(error!.message).toMatch(/^5 problems in the runtime stack:\n {2}acme\/dev\/main\/orders {2}\[RS102\] image: /);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('unpinned images are fine outside PRODUCTION', () => {
    const { platform, cluster } = testCluster(Tier.STAGING);
    new WebApp(cluster, 'orders', { image: 'nginx', port: 8080 });
    new Worker(cluster, 'billing', { image: 'localhost:5000/acme/billing:latest' });
    expect(() => platform.render()).not.toThrow();
  });
});
