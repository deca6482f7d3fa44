import {
  Access, DatabasePlacement, Environment, GitOpsDelivery, KubernetesCluster, ManagedPostgres, Platform, Queue, ScheduledJob, SupportServices, Tier,
  WebApp, Worker,
} from '../../../lib';

/** API groups Kubernetes serves itself; everything else comes from a CRD a support chart installs. */
const BUILT_IN = new Set(['v1', 'apps/v1', 'batch/v1', 'policy/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1']);
const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';

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

const waveOf = (o: any) => Number(o.metadata.annotations?.[WAVE] ?? 0);
const podSpecOf = (o: any) => o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
const secretsOf = (pod: any): string[] => [
  ...pod.containers.flatMap((c: any) => [
    ...(c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name),
    ...(c.envFrom ?? []).map((e: any) => e.secretRef?.name),
  ]),
  ...(pod.volumes ?? []).map((v: any) => v.secret?.secretName),
].filter(Boolean);

describe('Argo CD sync waves: everything an object needs is applied in its wave or before', () => {
  const argo = program(GitOpsDelivery.ARGO_CD);

  test('custom resources of apps and in-cluster databases skip the dry run while their CRD is missing', () => {
    const custom = argo.filter(o => !BUILT_IN.has(o.apiVersion) && !o.apiVersion.startsWith('argoproj.io/'));
    const kinds = new Set(custom.map(o => o.kind));
    for (const kind of ['ExternalSecret', 'HTTPRoute', 'ServiceMonitor', 'PodMonitor', 'ScaledObject', 'Cluster', 'ClusterSecretStore', 'Gateway']) {
      expect(kinds).toContain(kind);
    }
    for (const o of custom) {
      expect({ kind: o.kind, name: o.metadata.name, options: o.metadata.annotations?.[OPTIONS] })
        .toEqual({ kind: o.kind, name: o.metadata.name, options: 'SkipDryRunOnMissingResource=true' });
    }
  });

  test('support charts first, their custom resources in wave 10, in-cluster databases and apps (every object) in wave 20', () => {
    // (A namespace and its default-deny policy are in 00-namespaces, wave 0: denying before anything runs is safe.)
    const apps = argo.filter(o => ['orders', 'worker', 'nightly', 'postgres-cart-db'].includes(o.metadata.namespace)
      && !(o.kind === 'NetworkPolicy' && o.metadata.name === 'default-deny'));
    expect(apps.length).toBeGreaterThan(20);
    for (const o of apps) expect({ kind: o.kind, name: o.metadata.name, wave: waveOf(o) }).toEqual({ kind: o.kind, name: o.metadata.name, wave: 20 });
    const gateway = argo.find(o => o.kind === 'Gateway')!;
    expect(waveOf(gateway)).toBe(10);
    for (const app of argo.filter(o => o.kind === 'Application')) expect(waveOf(app)).toBeLessThan(10);
  });

  test('a pod\'s Secrets come from ExternalSecrets of its wave or earlier, each through a store of its wave or earlier', () => {
    const externalSecrets = argo.filter(o => o.kind === 'ExternalSecret');
    const stores = argo.filter(o => o.kind === 'ClusterSecretStore');
    let checked = 0;
    for (const o of argo) {
      const pod = podSpecOf(o);
      if (!pod) continue;
      for (const secret of secretsOf(pod)) {
        const source = externalSecrets.find(e => e.metadata.namespace === o.metadata.namespace && e.spec.target.name === secret);
        if (!source) continue; // a Secret some chart makes
        checked++;
        expect({ pod: o.metadata.name, secret, ok: waveOf(source) <= waveOf(o) }).toEqual({ pod: o.metadata.name, secret, ok: true });
        const store = stores.find(s => s.metadata.name === source.spec.secretStoreRef.name)!;
        expect({ secret, store: store.metadata.name, ok: waveOf(store) <= waveOf(source) }).toEqual({ secret, store: store.metadata.name, ok: true });
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  test('with Flux, no Argo CD annotation anywhere (Flux applies a HelmRelease\'s CRDs first; dependsOn orders releases)', () => {
    const flux = program(GitOpsDelivery.FLUX);
    expect(flux.length).toBeGreaterThan(20);
    for (const o of flux) {
      expect({ kind: o.kind, argo: Object.keys(o.metadata.annotations ?? {}).filter(k => k.startsWith('argocd.')) }).toEqual({ kind: o.kind, argo: [] });
    }
  });
});
