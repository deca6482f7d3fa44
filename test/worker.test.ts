import { Construct } from 'constructs';
import { ConnectionProblem, IConnectable, IWorkloadBinding, SupportNeed, Tier, Worker } from '../lib';
import { expectRestricted } from './util/pod-security';
import { expectValidManifests } from './util/schema';
import { objectOf, objectsOf, testCluster } from './util/workloads';

describe('Worker with metrics', () => {
  // GIVEN
  const { platform, cluster } = testCluster(Tier.STAGING);
  // WHEN
  const worker = new Worker(cluster, 'indexer', { image: 'ghcr.io/acme/indexer:2.0.1', metrics: { port: 9090, path: '/stats' } });
  const docs = platform.manifests()['dev/main'];

  test('a PodMonitor scrapes the named metrics port of its pods (a worker has no Service)', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
    const monitor = objectOf(docs, 'PodMonitor', 'indexer', 'indexer');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'indexer' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/stats' }],
    });
    const container = objectOf(docs, 'Deployment', 'indexer', 'indexer').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }]);
    expect(worker.podMonitor).toBeDefined();
  });

  test('only the monitoring namespace may reach it, only on the metrics port', () => {
    const policy = objectsOf(docs, 'NetworkPolicy').find(p => p.metadata.namespace === 'indexer' && p.metadata.name !== 'default-deny');
    expect(policy.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 9090 }],
    }]);
  });

  test('records the metrics need for SupportServices', () => {
    expect(cluster.needs.filter(n => n.requester === worker).map(n => n.need)).toEqual([SupportNeed.METRICS]);
  });

  test('metrics without a port is an error: a worker has no other port', () => {
    const other = testCluster(Tier.DEVELOPMENT);
    new Worker(other.cluster, 'indexer', { image: 'ghcr.io/acme/indexer:2.0.1', metrics: { path: '/stats' } });
    expect(() => other.platform.render()).toThrow(/acme\/dev\/main\/indexer {2}\[RS128\] metrics\.port: no metrics port given: give the port the worker serves metrics on/);
  });
});

describe('Worker', () => {
  // GIVEN
  const { platform, cluster } = testCluster(Tier.PRODUCTION);
  // WHEN
  const worker = new Worker(cluster, 'billing', {
    image: 'ghcr.io/acme/billing:3.1.0',
    livenessCommand: ['/app/healthcheck'],
    env: { QUEUE: 'invoices' },
    namespace: 'payments',
    autoscaling: { minReplicas: 2, maxReplicas: 6 },
  });
  const docs = platform.manifests()['dev/main'];
  const deployment = objectOf(docs, 'Deployment', 'billing', 'payments');
  const container = deployment.spec.template.spec.containers[0];

  test('every object is schema-valid and every pod restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });

  test('a Deployment in the given namespace, without Service or route', () => {
    expect(objectsOf(docs, 'Service')).toEqual([]);
    expect(objectsOf(docs, 'HTTPRoute')).toEqual([]);
    expect(objectOf(docs, 'Namespace', 'payments')).toBeDefined();
    expect(objectOf(docs, 'ServiceAccount', 'billing', 'payments').automountServiceAccountToken).toBe(false);
    expect(worker.namespace).toBe('payments');
    expect(worker.serviceAccountName).toBe('billing');
    expect(container.env).toEqual([{ name: 'QUEUE', value: 'invoices' }]);
    expect(container.ports).toBeUndefined();
  });

  test('a liveness command, PRODUCTION resources and zone spread', () => {
    expect(container.livenessProbe).toEqual({ exec: { command: ['/app/healthcheck'] }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 3 });
    expect(container.resources).toEqual({ requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } });
    expect(deployment.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
  });

  test('autoscaling and a disruption budget', () => {
    expect(objectOf(docs, 'HorizontalPodAutoscaler', 'billing').spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(objectOf(docs, 'PodDisruptionBudget', 'billing').spec.maxUnavailable).toBe(1);
    expect(cluster.needs.map(n => n.need)).toEqual([SupportNeed.AUTOSCALING]);
    expect(worker.autoscaler?.kind).toBe('HorizontalPodAutoscaler');
    expect(worker.disruptionBudget?.kind).toBe('PodDisruptionBudget');
  });

  test('a NetworkPolicy that admits nothing and allows DNS egress only', () => {
    const np = objectOf(docs, 'NetworkPolicy', 'billing', 'payments');
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
    expect(worker.networkPolicy.name).toBe('billing');
  });
});

describe('Worker tier defaults', () => {
  test.each([
    [Tier.DEVELOPMENT, 1, 0],
    [Tier.STAGING, 2, 1],
    [Tier.PRODUCTION, 3, 1],
  ])('%s: %d replicas, %d disruption budget(s)', (tier, replicas, pdbs) => {
    const { platform, cluster } = testCluster(tier, { supportStub: false });
    new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:3.1.0' });
    const docs = platform.manifests()['dev/main'];
    expect(objectOf(docs, 'Deployment', 'billing').spec.replicas).toBe(replicas);
    expect(objectsOf(docs, 'PodDisruptionBudget')).toHaveLength(pdbs);
    expect(objectOf(docs, 'Deployment', 'billing').spec.template.spec.containers[0].livenessProbe).toBeUndefined();
    expectValidManifests(docs);
    expectRestricted(docs);
  });
});

describe('connections to targets outside the cluster (the IWorkloadBinding contract)', () => {
  // GIVEN a stand-in for a database: a plain variable, keys of a Secrets
  // Manager secret, CIDR egress and a SECRETS need
  class FakeDatabase extends Construct implements IConnectable {
    public readonly connectionEnvPrefix = 'ORDERS_DB';
    public bound?: IWorkloadBinding;
    public checkConnection(): ConnectionProblem[] {
      return [];
    }
    public connectionNeeds(): SupportNeed[] {
      return [SupportNeed.SECRETS];
    }
    public bindConnection(binding: IWorkloadBinding): void {
      this.bound = binding;
      binding.addEnvironment(`${binding.envPrefix}_HOST`, 'orders-db.internal');
      binding.addSecretEnvironment({ secretName: 'dev/orders-db', variables: { [`${binding.envPrefix}_PASSWORD`]: 'password' } });
      binding.allowEgress(['10.0.0.0/16'], 5432);
    }
  }
  const { platform, cluster, environment } = testCluster(Tier.STAGING);
  const db = new FakeDatabase(environment, 'orders-db');
  const worker = new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:3.1.0', connections: [db] });
  const docs = platform.manifests()['dev/main'];

  test('the target gets a binding for the workload on its runtime, with the runtime\'s network source', () => {
    expect(db.bound).toMatchObject({ workload: worker, runtime: cluster, envPrefix: 'ORDERS_DB' });
    expect(db.bound!.networkSource).toMatchObject({ key: cluster.clusterName, description: `the pods and nodes of EKS cluster ${cluster.clusterName}` });
  });

  test('its env vars, secret keys (through an ExternalSecret) and egress reach the pod and the policy', () => {
    const container = objectOf(docs, 'Deployment', 'billing').spec.template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'ORDERS_DB_HOST', value: 'orders-db.internal' },
      { name: 'ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'billing-orders-db', key: 'password' } } },
    ]);
    expect(objectOf(docs, 'ExternalSecret', 'billing-orders-db').spec).toMatchObject({
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
      target: { name: 'billing-orders-db', creationPolicy: 'Owner' },
      data: [{ secretKey: 'password', remoteRef: { key: 'dev/orders-db', property: 'password' } }],
    });
    expect(objectOf(docs, 'ExternalSecret', 'billing-orders-db').spec.target.template).toBeUndefined();
    expect(objectOf(docs, 'NetworkPolicy', 'billing').spec.egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '10.0.0.0/16' } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    });
    expectValidManifests(docs);
  });

  test('its needs are recorded for the workload', () => {
    expect(cluster.needs.map(n => [n.need, n.requester])).toEqual([[SupportNeed.SECRETS, worker]]);
  });
});
