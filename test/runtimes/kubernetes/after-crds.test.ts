import {
  Access, DatabasePlacement, Environment, GitOpsDelivery, KubernetesCluster, ManagedPostgres, Platform, Queue, ScheduledJob, SupportServices, Tier,
  WebApp, Worker,
} from '../../../lib';

/** API groups Kubernetes serves itself; everything else comes from a CRD a support chart installs. */
const BUILT_IN = new Set(['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1']);

function program(delivery: GitOpsDelivery) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'staging', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', delivery });
  const db = new ManagedPostgres(env, 'orders-db');
  const local = new ManagedPostgres(env, 'cart-db', { placement: DatabasePlacement.IN_CLUSTER });
  Platform.acknowledgeWarning(local, 'RS327', 'test program');
  const jobs = new Queue(env, 'jobs');
  new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 8080, host: 'orders.acme.example.com', metrics: { port: 9090 }, connections: [db, local] });
  const worker = new Worker(cluster, 'worker', { image: 'ghcr.io/acme/worker:1.0.0', metrics: { port: 9090 }, connections: [db] });
  worker.connect(jobs, { access: Access.READ, scaling: { maxReplicas: 5 } });
  new ScheduledJob(cluster, 'nightly', { image: 'ghcr.io/acme/nightly:1.0.0', schedule: '0 3 * * *', connections: [db] });
  return platform.manifests()['staging/main'];
}

describe('custom resources of apps and services wait for their CRDs under Argo CD', () => {
  test('with Argo CD, every custom resource carries the after-CRDs annotations (sync wave 10, no dry run while the CRD is missing)', () => {
    const custom = program(GitOpsDelivery.ARGO_CD).filter(o => !BUILT_IN.has(o.apiVersion) && !o.apiVersion.startsWith('argoproj.io/'));
    const kinds = new Set(custom.map(o => o.kind));
    for (const kind of ['ExternalSecret', 'HTTPRoute', 'ServiceMonitor', 'PodMonitor', 'ScaledObject', 'Cluster', 'ClusterSecretStore']) {
      expect(kinds).toContain(kind);
    }
    for (const o of custom) {
      expect({ kind: o.kind, name: o.metadata.name, annotations: o.metadata.annotations }).toEqual({
        kind: o.kind,
        name: o.metadata.name,
        annotations: expect.objectContaining({ 'argocd.argoproj.io/sync-wave': '10', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' }),
      });
    }
  });

  test('with Flux, none does (Flux applies a HelmRelease\'s CRDs first)', () => {
    const custom = program(GitOpsDelivery.FLUX).filter(o => !BUILT_IN.has(o.apiVersion));
    expect(custom.length).toBeGreaterThan(5);
    for (const o of custom) {
      expect({ kind: o.kind, argo: Object.keys(o.metadata.annotations ?? {}).filter(k => k.startsWith('argocd.')) }).toEqual({ kind: o.kind, argo: [] });
    }
  });
});
