import { Construct } from 'constructs';
import { SupportNeed, Tier, WebApp, Worker } from '../lib';
import { expectRestricted } from './util/pod-security';
import { expectValidManifests } from './util/schema';
import { objectOf, objectsOf, testCluster } from './util/workloads';

describe('WebApp in DEVELOPMENT with a host and metrics', () => {
  // GIVEN
  const { platform, cluster } = testCluster(Tier.DEVELOPMENT);
  // WHEN
  const app = new WebApp(cluster, 'orders', {
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    host: 'orders.acme.example.com',
    env: { LOG_LEVEL: 'info' },
    secretEnv: { DB_PASSWORD: { secretName: 'orders-db', key: 'password' } },
    metrics: { port: 9090 },
  });
  const docs = platform.manifests()['dev/main'];
  const deployment = objectOf(docs, 'Deployment', 'orders', 'orders');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  test('every object is schema-valid and every pod restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });

  test('a namespace of its own, restricted by Pod Security admission and denying all traffic by default', () => {
    const ns = objectOf(docs, 'Namespace', 'orders');
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const deny = objectOf(docs, 'NetworkPolicy', 'default-deny', 'orders');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    // namespaces come first in apply order
    expect(docs.indexOf(ns)).toBeLessThan(docs.indexOf(deployment));
  });

  test('a service account without an automounted token', () => {
    const sa = objectOf(docs, 'ServiceAccount', 'orders', 'orders');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('orders');
    expect(app.serviceAccountName).toBe('orders');
    expect(app.namespace).toBe('orders');
  });

  test('a Deployment with the tier replicas, resources, restricted security and a writable /tmp', () => {
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(container.image).toBe('ghcr.io/acme/orders:1.4.2');
    expect(container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(pod.topologySpreadConstraints).toBeUndefined();
  });

  test('HTTP startup, readiness and liveness probes on the port', () => {
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]);
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/', port: 'http' } });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/', port: 'http' } });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/', port: 'http' }, periodSeconds: 10, failureThreshold: 30 });
  });

  test('plain env and secret references, never secret values', () => {
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
    ]);
  });

  test('a ClusterIP Service on the port', () => {
    const svc = objectOf(docs, 'Service', 'orders', 'orders');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'orders' },
      ports: [
        { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' },
      ],
    });
    expect(app.url).toBe('http://orders.orders.svc.cluster.local:8080');
  });

  test('an HTTPRoute on the HTTPS listener of the Gateway for the host\'s domain', () => {
    const route = objectOf(docs, 'HTTPRoute', 'orders', 'orders');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toEqual({
      parentRefs: [{ name: 'platform', namespace: 'gateway-system', sectionName: 'https-acme-example-com' }],
      hostnames: ['orders.acme.example.com'],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        backendRefs: [{ name: 'orders', port: 8080 }],
      }],
    });
  });

  test('a NetworkPolicy: ingress from the gateway on the port and from monitoring on the metrics port; DNS egress', () => {
    const np = objectOf(docs, 'NetworkPolicy', 'orders', 'orders');
    expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway-system' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('a ServiceMonitor on the metrics port', () => {
    const sm = objectOf(docs, 'ServiceMonitor', 'orders', 'orders');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      endpoints: [{ port: 'metrics', path: '/metrics' }],
    });
  });

  test('no autoscaler and no disruption budget in DEVELOPMENT', () => {
    expect(objectsOf(docs, 'HorizontalPodAutoscaler')).toEqual([]);
    expect(objectsOf(docs, 'PodDisruptionBudget')).toEqual([]);
  });

  test('its needs are recorded on the cluster', () => {
    expect(cluster.needs.filter(n => n.requester === app).map(n => [n.need, n.host])).toEqual([
      [SupportNeed.ROUTING, 'orders.acme.example.com'],
      [SupportNeed.DNS, 'orders.acme.example.com'],
      [SupportNeed.TLS, 'orders.acme.example.com'],
      [SupportNeed.METRICS, undefined],
    ]);
  });

  test('escape hatches reach the rendered objects', () => {
    expect(app.deployment.name).toBe('orders');
    expect(app.service.name).toBe('orders');
    expect(app.route?.kind).toBe('HTTPRoute');
    expect(app.serviceMonitor?.kind).toBe('ServiceMonitor');
    expect(app.autoscaler).toBeUndefined();
    expect(app.disruptionBudget).toBeUndefined();
  });
});

describe('WebApp tier differences', () => {
  function render(tier: Tier) {
    const { platform, cluster } = testCluster(tier, { supportStub: false });
    new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080 });
    return platform.manifests()['dev/main'];
  }
  const byTier = {
    [Tier.DEVELOPMENT]: render(Tier.DEVELOPMENT),
    [Tier.STAGING]: render(Tier.STAGING),
    [Tier.PRODUCTION]: render(Tier.PRODUCTION),
  };

  test.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('%s: schema-valid and restricted', tier => {
    expectValidManifests(byTier[tier]);
    expectRestricted(byTier[tier]);
  });

  test.each([
    [Tier.DEVELOPMENT, 1, false, false, '100m', '500m'],
    [Tier.STAGING, 2, true, false, '250m', '1'],
    [Tier.PRODUCTION, 3, true, true, '500m', '1'],
  ])('%s: %d replicas, disruption budget %s, zone spread %s, cpu %s/%s', (tier, replicas, pdb, spread, cpuRequest, cpuLimit) => {
    const docs = byTier[tier];
    const deployment = objectOf(docs, 'Deployment', 'orders');
    expect(deployment.spec.replicas).toBe(replicas);
    expect(deployment.spec.template.spec.containers[0].resources.requests.cpu).toBe(cpuRequest);
    expect(deployment.spec.template.spec.containers[0].resources.limits.cpu).toBe(cpuLimit);
    expect(objectsOf(docs, 'PodDisruptionBudget').map(p => p.spec)).toEqual(pdb
      ? [{ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } } }]
      : []);
    expect(deployment.spec.template.spec.topologySpreadConstraints).toEqual(spread
      ? [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      }]
      : undefined);
  });

  test('without host: no route, and no ingress allowed at all', () => {
    const docs = byTier[Tier.PRODUCTION];
    expect(objectsOf(docs, 'HTTPRoute')).toEqual([]);
    expect(objectOf(docs, 'NetworkPolicy', 'orders').spec.ingress).toEqual([]);
  });
});

describe('WebApp with autoscaling', () => {
  const { platform, cluster } = testCluster(Tier.PRODUCTION);
  const app = new WebApp(cluster, 'orders', {
    image: 'ghcr.io/acme/orders@sha256:' + 'a'.repeat(64),
    port: 8080,
    autoscaling: { maxReplicas: 10, targetCpuUtilization: 60 },
  });
  const docs = platform.manifests()['dev/main'];

  test('a HorizontalPodAutoscaler (autoscaling/v2) from the tier replicas, and no fixed replicas', () => {
    const hpa = objectOf(docs, 'HorizontalPodAutoscaler', 'orders', 'orders');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(objectOf(docs, 'Deployment', 'orders').spec.replicas).toBeUndefined();
    expectValidManifests(docs);
  });

  test('records the AUTOSCALING need', () => {
    expect(cluster.needs.filter(n => n.requester === app).map(n => n.need)).toEqual([SupportNeed.AUTOSCALING]);
  });
});

describe('app-to-app connections', () => {
  // GIVEN
  const { platform, cluster } = testCluster(Tier.STAGING, { supportStub: false });
  const orders = new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080 });
  // WHEN
  new WebApp(cluster, 'shop', { image: 'ghcr.io/acme/shop:2.0.0', port: 3000, connections: [orders] });
  const billing = new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0' });
  billing.connect(orders);
  const docs = platform.manifests()['dev/main'];

  test('the client gets <ID>_URL with the in-cluster URL', () => {
    const shop = objectOf(docs, 'Deployment', 'shop');
    expect(shop.spec.template.spec.containers[0].env).toEqual([
      { name: 'ORDERS_URL', value: 'http://orders.orders.svc.cluster.local:8080' },
    ]);
  });

  test('the client may reach the server\'s pods on its port', () => {
    const np = objectOf(docs, 'NetworkPolicy', 'billing', 'billing');
    expect(np.spec.egress).toContainEqual({
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders' } },
      }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    });
  });

  test('the server admits the clients\' pods on its port', () => {
    const np = objectOf(docs, 'NetworkPolicy', 'orders', 'orders');
    expect(np.spec.ingress).toEqual([{
      from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'billing' } } },
      ],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('a connection to an app brings no support need', () => {
    expect(cluster.needs).toEqual([]);
    expectValidManifests(docs);
    expectRestricted(docs);
  });
});

describe('WebApp routing details', () => {
  test('the listener follows the domain SupportServices reports for the host', () => {
    // GIVEN a stand-in SupportServices that knows two domains
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT, { domains: ['example.com', 'eu.example.com'] });
    new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.shop.eu.example.com', path: '/api' });
    // WHEN
    const route = objectOf(platform.manifests()['dev/main'], 'HTTPRoute', 'orders');
    // THEN the longest matching domain wins
    expect(route.spec.parentRefs[0].sectionName).toBe('https-eu-example-com');
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
  });

  test('apps naming one namespace share it and its default-deny policy', () => {
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT, { supportStub: false });
    new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, namespace: 'shop' });
    new WebApp(cluster, 'cart', { image: 'ghcr.io/acme/cart:1.0.0', port: 8080, namespace: 'shop' });
    const docs = platform.manifests()['dev/main'];
    expect(objectsOf(docs, 'Namespace').map(n => n.metadata.name)).toEqual(['shop']);
    expect(objectsOf(docs, 'NetworkPolicy', 'default-deny')).toHaveLength(1);
    expect(objectsOf(docs, 'Deployment').map(d => `${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual(['shop/cart', 'shop/orders']);
  });

  test('escape hatches are not available before render', () => {
    const { cluster } = testCluster(Tier.DEVELOPMENT, { supportStub: false });
    const app = new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080 });
    expect(() => app.deployment).toThrow(/call platform.render\(\)/);
  });

  test('escape hatches can patch the output', () => {
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT, { supportStub: false });
    const app = new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080 });
    platform.render();
    app.deployment.metadata.addAnnotation('example.com/owner', 'team-orders');
    expect(objectOf(cluster.manifests(), 'Deployment', 'orders').metadata.annotations).toEqual({ 'example.com/owner': 'team-orders' });
  });

  test('custom health check paths and resources are written as given', () => {
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT, { supportStub: false });
    new WebApp(cluster, 'orders', {
      image: 'ghcr.io/acme/orders:1.4.2',
      port: 8080,
      healthCheck: { path: '/ready', livenessPath: '/live', startupTimeoutSeconds: 60 },
      resources: { cpuRequest: '0.25', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' },
      command: ['/app/server'],
      args: ['--port', '8080'],
    });
    const c = objectOf(platform.manifests()['dev/main'], 'Deployment', 'orders').spec.template.spec.containers[0];
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.livenessProbe.httpGet.path).toBe('/live');
    expect(c.startupProbe.failureThreshold).toBe(6);
    expect(c.resources).toEqual({ requests: { cpu: '0.25', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(c.command).toEqual(['/app/server']);
    expect(c.args).toEqual(['--port', '8080']);
  });

  test('a cluster without SupportServices reports the needs of a routed app (RS030)', () => {
    const { platform, cluster } = testCluster(Tier.DEVELOPMENT, { supportStub: false });
    new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.acme.example.com' });
    expect(() => platform.render()).toThrow(/RS030/);
  });

  test('the stand-in SupportServices is only a construct', () => {
    // guards the test fixture: it must not pretend to render anything
    const { cluster } = testCluster(Tier.DEVELOPMENT);
    expect(cluster._supportServices).toBeInstanceOf(Construct);
  });
});

describe('WebApp output stability', () => {
  function build() {
    const { platform, cluster } = testCluster(Tier.PRODUCTION);
    const api = new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', metrics: {} });
    new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [api] });
    return platform.manifests()['dev/main'];
  }

  test('the same program gives the same objects twice', () => {
    expect(JSON.stringify(build())).toEqual(JSON.stringify(build()));
  });

  test('tripwire: the PRODUCTION Deployment of a routed app', () => {
    // explicit assertions are above; this only flags unexpected drift
    expect(objectOf(build(), 'Deployment', 'api')).toMatchSnapshot();
  });
});
