/**
 * Deployability of the Kubernetes output: everything it references exists
 * in the same output or in the environment's cloud output (see
 * test/util/deployability.ts for what is followed). First the checker's
 * own cases — each kind of dangling reference is found — then the library's
 * output: every support component and workload kind, Argo CD and Flux, both
 * engines.
 */
import {
  DatabasePlacement,
  Access, Cache, CloudEngine, Environment, GitOpsDelivery, KubernetesCluster, LogDestination, ManagedPostgres, ObjectStore, Platform, Queue,
  ScheduledJob, SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { terraformJson } from '../../engines/terraform/fixtures';
import { deployabilityProblems, hostnameCovers, secretNamesOfCloudFormation, secretNamesOfTerraform } from '../../util/deployability';
import { environmentTemplate } from '../../util/templates';

describe('the checker finds each kind of dangling reference', () => {
  const ns = (name: string, labels?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  const deployment = (name: string, extra: any = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'app' },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { serviceAccountName: name, containers: [{ name, image: 'x', ...extra }] } } },
  });
  const sa = (name: string) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'app' } });

  test.each<[string, any[], RegExp]>([
    ['a missing namespace', [{ kind: 'ConfigMap', metadata: { name: 'c', namespace: 'nowhere' } }], /ConfigMap nowhere\/c: namespace nowhere does not exist/],
    ['a missing service account', [ns('app'), deployment('api')], /Deployment app\/api: service account app\/api does not exist/],
    ['a Secret nobody produces', [ns('app'), sa('api'), deployment('api', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] })],
      /Secret app\/db is neither in the output nor produced/],
    ['a key the ExternalSecret does not write', [ns('app'), sa('api'),
      { kind: 'ClusterSecretStore', metadata: { name: 'store' } },
      { kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'app' }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' }, data: [{ secretKey: 'host', remoteRef: { key: 'acme/dev/db' } }] } },
      deployment('api', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] })],
    /Secret app\/db will have no key "password" \(it has host\)/],
    ['a remote key of another environment, a missing store', [ns('app'),
      { kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'app' }, spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' }, data: [{ secretKey: 'host', remoteRef: { key: 'acme/prod/db' } }] } }],
    /ClusterSecretStore store does not exist[\s\S]*remote key acme\/prod\/db is not a Secrets Manager secret of the environment/],
    ['a Service selecting no pod', [ns('app'), { kind: 'Service', metadata: { name: 's', namespace: 'app' }, spec: { selector: { app: 'other' }, ports: [{ port: 80 }] } }],
      /Service app\/s: selector \{"app":"other"\} matches no pod/],
    ['a PDB selecting no pod', [ns('app'), { kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'app' }, spec: { selector: { matchLabels: { app: 'x' } } } }],
      /PodDisruptionBudget app\/p: selector matches no pod/],
    ['a ScaledObject without target or authentication', [ns('app'), { kind: 'ScaledObject', metadata: { name: 'w', namespace: 'app' }, spec: { scaleTargetRef: { name: 'w' }, triggers: [{ type: 'aws-sqs-queue', authenticationRef: { kind: 'ClusterTriggerAuthentication', name: 'aws' } }] } }],
      /ClusterTriggerAuthentication aws does not exist[\s\S]*scale target Deployment w does not exist/],
    ['a route the listener does not admit, on a hostname it does not cover, to a missing backend', [ns('app'), ns('gw'),
      { kind: 'GatewayClass', metadata: { name: 'c' } },
      { kind: 'Gateway', metadata: { name: 'g', namespace: 'gw' }, spec: { gatewayClassName: 'c', listeners: [{ name: 'https', hostname: '*.acme.example.com', allowedRoutes: { namespaces: { from: 'Same' } } }] } },
      { kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'app' }, spec: { hostnames: ['api.other.example.com'], parentRefs: [{ name: 'g', namespace: 'gw', sectionName: 'https' }], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] } }],
    /backend Service app\/api does not exist[\s\S]*does not cover hostname api.other.example.com[\s\S]*does not admit routes from namespace app/],
    ['a listener Secret no Certificate issues, a Certificate of a missing issuer', [ns('gw'),
      { kind: 'GatewayClass', metadata: { name: 'c' } },
      { kind: 'Gateway', metadata: { name: 'g', namespace: 'gw' }, spec: { gatewayClassName: 'c', listeners: [{ name: 'https', tls: { certificateRefs: [{ name: 'tls' }] } }] } },
      { kind: 'Certificate', metadata: { name: 'other', namespace: 'gw' }, spec: { secretName: 'other', issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' } } }],
    /ClusterIssuer letsencrypt does not exist[\s\S]*listener https: Secret gw\/tls is issued by no Certificate/],
    ['a budget over pods a chart release does not make (another release name)', [ns('cnpg-system'),
      { kind: 'Application', metadata: { name: 'cnpg', namespace: 'argocd' }, spec: { destination: { namespace: 'cnpg-system' }, source: { chart: 'cloudnative-pg', helm: { releaseName: 'cnpg' } } } },
      { kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'cnpg-system' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'other' } } } }],
    /PodDisruptionBudget cnpg-system\/p: selector matches no pod/],
    ['a Flux release without its source', [ns('flux-apps'), { kind: 'HelmRelease', metadata: { name: 'x', namespace: 'flux-apps' }, spec: { chartRef: { kind: 'OCIRepository', name: 'x' } } }],
      /source OCIRepository flux-apps\/x does not exist/],
  ])('%s', (_name, docs, expected) => {
    expect(deployabilityProblems(docs, { awsSecretNames: ['acme/dev/db'] }).join('\n')).toMatch(expected);
  });

  test('a budget over the pods of a known chart\'s release is satisfied (its pods are not in the output)', () => {
    const docs = [ns('cnpg-system'),
      { kind: 'Application', metadata: { name: 'cnpg', namespace: 'argocd' }, spec: { destination: { namespace: 'cnpg-system' }, source: { chart: 'cloudnative-pg', helm: { releaseName: 'cnpg' } } } },
      { kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'cnpg-system' }, spec: { selector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cnpg' } } } }];
    expect(deployabilityProblems(docs, { awsSecretNames: [], preExistingNamespaces: ['argocd'] })).toEqual([]);
  });

  test('wildcard listener hostnames are suffix matches', () => {
    expect(hostnameCovers('*.acme.example.com', 'api.acme.example.com')).toBe(true);
    expect(hostnameCovers('*.acme.example.com', 'a.b.acme.example.com')).toBe(true);
    expect(hostnameCovers('*.acme.example.com', 'acme.example.com')).toBe(false);
    expect(hostnameCovers('api.acme.example.com', 'web.acme.example.com')).toBe(false);
    expect(hostnameCovers(undefined, 'anything.example.com')).toBe(true);
  });
});

/** A cluster that needs every support component, with every workload kind and every managed service. */
function everything(engine: CloudEngine, delivery: GitOpsDelivery, tier: Tier) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', {
    tier,
    account: '111111111111',
    region: 'eu-west-1',
    engine,
    ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
  });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', {
    domain: 'acme.example.com',
    additionalDomains: ['acme.example.org'],
    acmeEmail: 'ops@acme.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    delivery,
    logs: tier === Tier.DEVELOPMENT ? { destination: LogDestination.LOKI } : undefined,
  });
  const db = new ManagedPostgres(env, 'orders-db');
  const uploads = new ObjectStore(env, 'uploads');
  const jobs = new Queue(env, 'jobs');
  const sessions = new Cache(env, 'sessions');
  const api = new WebApp(cluster, 'api', {
    image: 'ghcr.io/acme/api:1.0.0',
    port: 8080,
    host: 'api.acme.example.com',
    connections: [db, uploads, sessions],
    autoscaling: { maxReplicas: 6 },
    metrics: { port: 9090 },
  });
  api.connect(jobs, { access: Access.WRITE });
  // A database inside the cluster (CloudNativePG), acknowledged outside DEVELOPMENT.
  const cart = new ManagedPostgres(env, 'cart-db', { placement: DatabasePlacement.IN_CLUSTER });
  if (tier !== Tier.DEVELOPMENT) Platform.acknowledgeWarning(cart, 'RS327', 'the deployability test covers in-cluster databases in every tier');
  new WebApp(cluster, 'site', { image: 'ghcr.io/acme/site:1.0.0', port: 8080, host: 'www.acme.example.org', connections: [cart] });
  new Worker(cluster, 'fulfilment', { image: 'ghcr.io/acme/worker:1.0.0', connections: [db] })
    .connect(jobs, { access: Access.READ, scaling: { maxReplicas: 8 } });
  new ScheduledJob(cluster, 'report', { image: 'ghcr.io/acme/report:1.0.0', schedule: '30 3 * * *', timeZone: 'Europe/Berlin', connections: [db] });
  platform.render();
  return { platform, env };
}

describe.each([
  [CloudEngine.CLOUDFORMATION, GitOpsDelivery.ARGO_CD, Tier.PRODUCTION],
  [CloudEngine.CLOUDFORMATION, GitOpsDelivery.FLUX, Tier.STAGING],
  [CloudEngine.TERRAFORM, GitOpsDelivery.ARGO_CD, Tier.STAGING],
  [CloudEngine.TERRAFORM, GitOpsDelivery.FLUX, Tier.DEVELOPMENT],
])('the output of %s with %s in %s', (engine, delivery, tier) => {
  const { platform, env } = everything(engine, delivery, tier);
  const docs = Object.values(platform.manifests()).flat();
  const awsSecretNames = engine === CloudEngine.CLOUDFORMATION
    ? secretNamesOfCloudFormation(environmentTemplate(env).toJSON())
    : secretNamesOfTerraform(terraformJson(env));

  test('references only what exists', () => {
    const gitOpsNamespace = delivery === GitOpsDelivery.FLUX ? 'flux-system' : 'argocd';
    expect(deployabilityProblems(docs, { awsSecretNames, preExistingNamespaces: [gitOpsNamespace] })).toEqual([]);
  });

  test('taking away any one object something refers to is found', () => {
    const gitOpsNamespace = delivery === GitOpsDelivery.FLUX ? 'flux-system' : 'argocd';
    const referred = ['Namespace', 'ServiceAccount', 'ExternalSecret', 'Service', 'Certificate', 'ClusterIssuer', 'GatewayClass', 'Gateway',
      'ClusterSecretStore', 'EnvoyProxy', 'ClusterTriggerAuthentication', 'HelmRepository', 'OCIRepository', 'Deployment'];
    const missed: string[] = [];
    let tried = 0;
    for (const [i, d] of docs.entries()) {
      if (!referred.includes(d.kind)) continue;
      // A Namespace nothing lives in, or a Deployment nothing targets, is not referred to.
      if (d.kind === 'Namespace' && !docs.some(o => o.metadata?.namespace === d.metadata.name)) continue;
      tried++;
      const rest = docs.filter((_, j) => j !== i);
      if (deployabilityProblems(rest, { awsSecretNames, preExistingNamespaces: [gitOpsNamespace] }).length === 0) missed.push(`${d.kind} ${d.metadata.name}`);
    }
    expect(tried).toBeGreaterThan(20);
    expect(missed).toEqual([]);
    // and a remote key of another environment
    expect(deployabilityProblems(docs, { awsSecretNames: awsSecretNames.filter(n => n !== 'acme/shop/orders-db'), preExistingNamespaces: [gitOpsNamespace] }))
      .toEqual(expect.arrayContaining([expect.stringMatching(/remote key acme\/shop\/orders-db is not a Secrets Manager secret/)]));
  });

  test('has what the checks follow (so they do not pass on an empty output)', () => {
    const kinds = new Set(docs.map(d => d.kind));
    const followed = ['Gateway', 'HTTPRoute', 'Certificate', 'ExternalSecret', 'ScaledObject', 'HorizontalPodAutoscaler', 'ServiceMonitor', 'CronJob'];
    // DEVELOPMENT runs single replicas: no disruption budgets.
    for (const kind of tier === Tier.DEVELOPMENT ? followed : [...followed, 'PodDisruptionBudget']) {
      expect({ kind, present: kinds.has(kind) }).toEqual({ kind, present: true });
    }
    expect(kinds.has(delivery === GitOpsDelivery.FLUX ? 'HelmRelease' : 'Application')).toBe(true);
    expect(awsSecretNames).toEqual(expect.arrayContaining(['acme/shop/orders-db', 'acme/shop/sessions', 'acme/shop/sessions/endpoint']));
  });
});
