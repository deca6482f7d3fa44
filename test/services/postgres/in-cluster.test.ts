import {
  CloudEngine, DatabasePlacement, DataRemoval, Environment, GitOpsDelivery, KubernetesCluster, ManagedPostgres, Platform,
  SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { resources, terraformJson } from '../../engines/terraform/fixtures';
import { deployabilityProblems, secretNamesOfCloudFormation, secretNamesOfTerraform } from '../../util/deployability';
import { expectRestricted } from '../../util/pod-security';
import { validationErrorOf } from '../../util/problems';
import { validateManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const SUPPORT = { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

interface ProgramOptions {
  readonly placement?: DatabasePlacement;
  readonly engine?: CloudEngine;
  readonly tier?: Tier;
  readonly db?: ConstructorParameters<typeof ManagedPostgres>[2];
}

/** An API and a worker sharing a database, and a worker that does not use it. */
function program(o: ProgramOptions = {}) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', {
    tier: o.tier ?? Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: o.engine, databasePlacement: o.placement,
  });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', SUPPORT);
  const db = new ManagedPostgres(env, 'orders-db', o.db);
  new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', connections: [db] });
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [db] });
  new Worker(cluster, 'mailer', { image: 'ghcr.io/acme/mailer:1.0.0' });
  return { platform, env, cluster, db };
}

function rendered(o: ProgramOptions = {}) {
  const p = program(o);
  p.platform.render();
  return { ...p, docs: p.cluster.manifests() };
}

const problemsOf = validationErrorOf;

interface Pod { readonly namespace: string; readonly labels: Record<string, string> }

/**
 * Whether NetworkPolicies let `from` open a TCP connection to `to` on
 * `port` (Kubernetes semantics: a pod selected by no policy of a direction
 * is open in it; else some rule of a selecting policy must allow the peer
 * and the port). Namespaces are matched by their name label only.
 */
function reachable(docs: any[], from: Pod, to: Pod, port: number): boolean {
  const selects = (sel: any, labels: Record<string, string>) => Object.entries(sel?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const peerMatches = (peer: any, pod: Pod, policyNs: string) => {
    if (peer.ipBlock) return false;
    const ns = peer.namespaceSelector ? selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace }) : pod.namespace === policyNs;
    return ns && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
  };
  const portMatches = (rule: any) => !rule.ports || rule.ports.some((p: any) => (p.protocol ?? 'TCP') === 'TCP' && p.port === port);
  const allowed = (pod: Pod, other: Pod, type: 'Ingress' | 'Egress') => {
    const policies = docs.filter(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === pod.namespace
      && selects(d.spec.podSelector, pod.labels) && (d.spec.policyTypes ?? ['Ingress']).includes(type));
    if (policies.length === 0) return true;
    const key = type === 'Ingress' ? 'from' : 'to';
    return policies.some(pol => (pol.spec[type.toLowerCase()] ?? []).some((rule: any) =>
      portMatches(rule) && (!rule[key] || rule[key].some((peer: any) => peerMatches(peer, other, pod.namespace)))));
  };
  return allowed(from, to, 'Egress') && allowed(to, from, 'Ingress');
}

const envNames = (docs: any[], name: string): string[] =>
  docs.find(d => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0].env.map((e: any) => e.name);

describe.each([CloudEngine.CLOUDFORMATION, CloudEngine.TERRAFORM])('an in-cluster database (%s)', engine => {
  const { env, cluster, db, docs } = rendered({ placement: DatabasePlacement.IN_CLUSTER, engine });
  const cnpg = docs.find(d => d.apiVersion === 'postgresql.cnpg.io/v1' && d.kind === 'Cluster');

  test('is a CloudNativePG Cluster in a namespace of its own, with the RDS default major, on gp3, TLS only, no superuser', () => {
    expect(db.inCluster).toBe(true);
    expect(db.cluster).toBe(cluster);
    expect(cnpg.metadata).toMatchObject({ name: 'orders-db', namespace: 'postgres-orders-db' });
    expect(cnpg.spec).toMatchObject({
      instances: 1,
      imageName: `ghcr.io/cloudnative-pg/postgresql:${db.engineVersion}-standard-trixie`,
      // A lone primary gets no budget: it would block every node drain.
      enablePDB: false,
      storage: { size: '20Gi', storageClass: 'gp3' },
      bootstrap: { initdb: { database: 'orders_db', owner: 'orders_db' } },
      enableSuperuserAccess: false,
      postgresql: { pg_hba: ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'] },
    });
    expect(db.engineVersion.split('.')[0]).toBe(new ManagedPostgres(new Environment(new Platform({ name: 'x' }), 'e', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }), 'd').engineVersion.split('.')[0]);
    const ns = docs.find(d => d.kind === 'Namespace' && d.metadata.name === 'postgres-orders-db');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === 'postgres-orders-db' && d.metadata.name === 'default-deny').spec)
      .toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('every object validates (the Cluster against the vendored CloudNativePG CRD), every pod is restricted, every reference resolves', () => {
    expect(validateManifests(docs)).toEqual([]);
    expectRestricted(docs);
    const awsSecretNames = engine === CloudEngine.CLOUDFORMATION
      ? secretNamesOfCloudFormation(environmentTemplate(env).toJSON())
      : secretNamesOfTerraform(terraformJson(env));
    expect(deployabilityProblems(docs, { awsSecretNames, preExistingNamespaces: ['argocd'] })).toEqual([]);
  });

  test('SupportServices install the CloudNativePG operator', () => {
    expect((cluster.node.findChild('support') as SupportServices).installedComponents).toContain('databases');
    expect(docs.some(d => d.kind === 'Application' && d.spec.source.chart === 'cloudnative-pg')).toBe(true);
  });

  test('nothing on the AWS side: no instance, key, secret, security group or log group of the database', () => {
    if (engine === CloudEngine.CLOUDFORMATION) {
      const template = environmentTemplate(env);
      for (const type of ['AWS::RDS::DBInstance', 'AWS::RDS::DBSubnetGroup', 'AWS::RDS::DBParameterGroup']) template.resourceCountIs(type, 0);
      const ids = Object.keys(template.toJSON().Resources);
      expect(ids.filter(id => /ordersdb/i.test(id))).toEqual([]);
      expect(secretNamesOfCloudFormation(template.toJSON())).not.toContain('acme/dev/orders-db');
    } else {
      const json = terraformJson(env);
      expect(resources(json, 'aws_db_instance')).toEqual([]);
      expect(JSON.stringify(json)).not.toContain('orders-db');
    }
    expect(env._engine().intents.filter(i => i.type === 'database-access')).toEqual([]);
  });

  test('connected workloads read host, port, database, user, password and URL through the database\'s own store', () => {
    const es = docs.find(d => d.kind === 'ExternalSecret' && d.metadata.namespace === 'api');
    expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'postgres-orders-db' });
    expect(es.spec.data.map((d: any) => d.remoteRef)).toEqual(['port', 'dbname', 'username', 'password'].map(property => ({ key: 'orders-db-app', property })));
    expect(es.spec.target.template.data).toEqual({
      host: 'orders-db-rw.postgres-orders-db.svc',
      url: 'postgresql://{{ .username }}:{{ .password }}@orders-db-rw.postgres-orders-db.svc:{{ .port }}/{{ .dbname }}?sslmode=require',
    });
    const store = docs.find(d => d.kind === 'ClusterSecretStore' && d.metadata.name === 'postgres-orders-db');
    // Only the connected namespaces may use the store; its reader may get the application Secret only.
    expect(store.spec.conditions).toEqual([{ namespaces: ['api', 'billing'] }]);
    expect(store.spec.provider.kubernetes).toMatchObject({ remoteNamespace: 'postgres-orders-db', auth: { serviceAccount: { name: 'orders-db-credentials-reader', namespace: 'postgres-orders-db' } } });
    const role = docs.find(d => d.kind === 'Role' && d.metadata.namespace === 'postgres-orders-db');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['orders-db-app'], verbs: ['get'] }]);
  });

  test('network policies: the database admits exactly the connected workloads, the operator and its own instances; the workloads may reach it', () => {
    const policy = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === 'postgres-orders-db' && d.metadata.name === 'orders-db');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'orders-db' } });
    const from = (rule: any) => rule.from.map((f: any) => `${f.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] ?? '(own)'}:${JSON.stringify(f.podSelector?.matchLabels)}`);
    const ports = (rule: any) => rule.ports.map((p: any) => p.port);
    expect(policy.spec.ingress.map((r: any) => [from(r), ports(r)])).toEqual([
      [['(own):{"cnpg.io/cluster":"orders-db"}'], [5432, 8000]],
      [['cnpg-system:{"app.kubernetes.io/instance":"cnpg","app.kubernetes.io/name":"cloudnative-pg"}'], [5432, 8000]],
      [['api:{"app.kubernetes.io/name":"api"}', 'billing:{"app.kubernetes.io/name":"billing"}'], [5432]],
    ]);
    expect(JSON.stringify(policy.spec.ingress)).not.toContain('mailer');
    for (const name of ['api', 'billing']) {
      const egress = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === name && d.metadata.name === name).spec.egress;
      expect(egress).toContainEqual({
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'postgres-orders-db' } }, podSelector: { matchLabels: { 'cnpg.io/cluster': 'orders-db' } } }],
        ports: [{ protocol: 'TCP', port: 5432 }],
      });
    }
    const mailer = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.namespace === 'mailer' && d.metadata.name === 'mailer');
    expect(JSON.stringify(mailer.spec)).not.toContain('postgres-orders-db');
  });

  test('the network policies hold: who can reach the database, on which port', () => {
    const pod = (namespace: string, labels: Record<string, string>): Pod => ({ namespace, labels });
    const database = pod('postgres-orders-db', { 'cnpg.io/cluster': 'orders-db', 'cnpg.io/instanceRole': 'primary' });
    const standby = pod('postgres-orders-db', { 'cnpg.io/cluster': 'orders-db', 'cnpg.io/instanceRole': 'replica' });
    const operator = pod('cnpg-system', { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cnpg' });
    const api = pod('api', { 'app.kubernetes.io/name': 'api' });
    const billing = pod('billing', { 'app.kubernetes.io/name': 'billing' });
    const mailer = pod('mailer', { 'app.kubernetes.io/name': 'mailer' });
    const stranger = pod('postgres-orders-db', { app: 'debug' });
    expect({
      api: reachable(docs, api, database, 5432),
      billing: reachable(docs, billing, database, 5432),
      apiOnStatusPort: reachable(docs, api, database, 8000),
      mailer: reachable(docs, mailer, database, 5432),
      otherPodOfTheNamespace: reachable(docs, stranger, database, 5432),
      operator: reachable(docs, operator, database, 8000),
      replication: reachable(docs, standby, database, 5432),
      databaseToApi: reachable(docs, database, api, 8080),
    }).toEqual({
      api: true,
      billing: true,
      apiOnStatusPort: false,
      mailer: false,
      otherPodOfTheNamespace: false,
      operator: true,
      replication: true,
      databaseToApi: false,
    });
  });
});

test('the same program with RDS and in-cluster placement gives the workloads the same variables', () => {
  const rds = rendered({ placement: DatabasePlacement.RDS }).docs;
  const inCluster = rendered({ placement: DatabasePlacement.IN_CLUSTER }).docs;
  for (const name of ['api', 'billing']) {
    expect(envNames(inCluster, name)).toEqual(envNames(rds, name));
  }
  expect(envNames(inCluster, 'api')).toEqual([
    'ORDERS_DB_HOST', 'ORDERS_DB_PORT', 'ORDERS_DB_DATABASE', 'ORDERS_DB_USER', 'ORDERS_DB_PASSWORD', 'ORDERS_DB_URL', 'DATABASE_URL',
  ]);
});

test('the database\'s own placement wins over the environment\'s, and an explicit cluster picks one of two', () => {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', databasePlacement: DatabasePlacement.IN_CLUSTER });
  const blue = new KubernetesCluster(env, 'blue');
  const green = new KubernetesCluster(env, 'green');
  new SupportServices(blue, 'support', SUPPORT);
  new SupportServices(green, 'support', SUPPORT);
  const local = new ManagedPostgres(env, 'orders-db', { cluster: green });
  const managed = new ManagedPostgres(env, 'billing-db', { placement: DatabasePlacement.RDS });
  new Worker(green, 'reports', { image: 'ghcr.io/acme/reports:1.0.0', connections: [local, managed] });
  platform.render();
  expect(local.cluster).toBe(green);
  expect(managed.inCluster).toBe(false);
  expect(green.manifests().some(d => d.kind === 'Cluster' && d.metadata.name === 'orders-db')).toBe(true);
  expect(blue.manifests().some(d => d.kind === 'Cluster')).toBe(false);
  environmentTemplate(env).resourceCountIs('AWS::RDS::DBInstance', 1);
});

test('the volumes follow the database\'s data removal: kept with RETAIN in DEVELOPMENT (a gp3 class that retains)', () => {
  const { docs } = rendered({ placement: DatabasePlacement.IN_CLUSTER, db: { removalPolicy: DataRemoval.RETAIN } });
  const cnpg = docs.find(d => d.kind === 'Cluster');
  expect(cnpg.spec.storage.storageClass).toBe('gp3-retain');
  expect(docs.find(d => d.kind === 'StorageClass' && d.metadata.name === 'gp3-retain')).toMatchObject({ reclaimPolicy: 'Retain', provisioner: 'ebs.csi.aws.com', parameters: { encrypted: 'true' } });
  expect(docs.find(d => d.kind === 'StorageClass' && d.metadata.name === 'gp3').reclaimPolicy).toBe('Delete');
  expect(validateManifests(docs)).toEqual([]);
});

test('multiAz gives a standby in another zone; PostgreSQL parameters pass through (rds.force_ssl is RDS\'s)', () => {
  const { docs } = rendered({ placement: DatabasePlacement.IN_CLUSTER, db: { multiAz: true, parameters: { log_min_duration_statement: '500' } } });
  const cnpg = docs.find(d => d.kind === 'Cluster');
  expect(cnpg.spec.instances).toBe(2);
  expect(cnpg.spec.enablePDB).toBe(true);
  expect(cnpg.spec.affinity).toEqual({ enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone', podAntiAffinityType: 'required' });
  expect(cnpg.spec.postgresql.parameters).toEqual({ log_min_duration_statement: '500' });
});

test('with Argo CD its custom resources wait for their CRDs (no dry run while missing) and sync with the apps (wave 20), after SupportServices\' own (wave 10); with Flux they need nothing', () => {
  const argo = rendered({ placement: DatabasePlacement.IN_CLUSTER }).docs;
  const crs = (docs: any[]) => docs.filter(d => (d.kind === 'Cluster' && d.apiVersion === 'postgresql.cnpg.io/v1') || (d.kind === 'ClusterSecretStore' && d.metadata.name === 'postgres-orders-db'));
  expect(crs(argo).map(d => [d.kind, d.metadata.annotations])).toEqual([
    ['Cluster', { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', 'argocd.argoproj.io/sync-wave': '20' }],
    ['ClusterSecretStore', { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true', 'argocd.argoproj.io/sync-wave': '20' }],
  ]);
  // SupportServices' own custom resources come a wave earlier.
  const awsStore = argo.find(d => d.kind === 'ClusterSecretStore' && d.metadata.name === 'aws-secrets-manager');
  expect(awsStore.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '10', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });

  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', databasePlacement: DatabasePlacement.IN_CLUSTER });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { ...SUPPORT, delivery: GitOpsDelivery.FLUX });
  const db = new ManagedPostgres(env, 'orders-db');
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [db] });
  platform.render();
  expect(crs(cluster.manifests()).map(d => d.metadata.annotations)).toEqual([undefined, undefined]);
});

describe('an in-cluster database outside DEVELOPMENT', () => {
  test('is a warning (RS327) that can be acknowledged', () => {
    const p = program({ placement: DatabasePlacement.IN_CLUSTER, tier: Tier.STAGING });
    p.platform.render();
    expect(p.platform.warnings).toEqual([expect.stringContaining('acme/dev/orders-db  [RS327] placement: an in-cluster database in staging')]);

    const q = program({ placement: DatabasePlacement.IN_CLUSTER, tier: Tier.STAGING });
    Platform.acknowledgeWarning(q.db, 'RS327', 'a preview environment, rebuilt every night');
    q.platform.render();
    expect(q.platform.warnings).toEqual([]);
  });
});

describe('bad input', () => {
  const cases: Array<{ name: string; build: (p: Platform) => void; code: string; path: string; text: RegExp }> = [
    {
      name: 'in-cluster without a cluster',
      build: p => new ManagedPostgres(new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }), 'orders-db', { placement: DatabasePlacement.IN_CLUSTER }),
      code: 'RS322',
      path: 'acme/dev/orders-db',
      text: /cluster: an in-cluster database needs a cluster, but environment acme\/dev has no Kubernetes cluster to run the database in: add a KubernetesCluster/,
    },
    {
      name: 'in-cluster by the environment, with two clusters and no choice',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', databasePlacement: DatabasePlacement.IN_CLUSTER });
        for (const id of ['blue', 'green']) new SupportServices(new KubernetesCluster(env, id), 'support', SUPPORT);
        new ManagedPostgres(env, 'orders-db');
      },
      code: 'RS322',
      path: 'acme/dev/orders-db',
      text: /has 2 clusters \(blue, green\): name the one to run the database in with cluster: <KubernetesCluster>/,
    },
    {
      name: 'a cluster of another environment',
      build: p => {
        const other = new KubernetesCluster(new Environment(p, 'other', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }), 'main');
        new ManagedPostgres(new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }), 'orders-db', { placement: DatabasePlacement.IN_CLUSTER, cluster: other });
      },
      code: 'RS322',
      path: 'acme/dev/orders-db',
      text: /acme\/other\/main is in environment "other", not "dev"/,
    },
    {
      name: 'a cluster without SupportServices',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
        new KubernetesCluster(env, 'main');
        new ManagedPostgres(env, 'orders-db', { placement: DatabasePlacement.IN_CLUSTER });
      },
      code: 'RS323',
      path: 'acme/dev/orders-db',
      text: /cluster: cluster acme\/dev\/main has no SupportServices, which install the CloudNativePG operator .*: add new SupportServices\(cluster, 'support', \{ \.\.\. \}\) to acme\/dev\/main/,
    },
    {
      name: 'a connection from a workload on another cluster',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
        const blue = new KubernetesCluster(env, 'blue');
        const green = new KubernetesCluster(env, 'green');
        new SupportServices(blue, 'support', SUPPORT);
        new SupportServices(green, 'support', SUPPORT);
        const db = new ManagedPostgres(env, 'orders-db', { placement: DatabasePlacement.IN_CLUSTER, cluster: blue });
        new Worker(green, 'reports', { image: 'ghcr.io/acme/reports:1.0.0', connections: [db] });
      },
      code: 'RS324',
      path: 'acme/dev/green/reports',
      text: /acme\/dev\/green\/reports runs on acme\/dev\/green but database acme\/dev\/orders-db runs inside acme\/dev\/blue: run the workload on acme\/dev\/blue, or place the database on Amazon RDS/,
    },
    {
      name: 'an in-cluster database on a cluster whose storage is turned off',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
        new SupportServices(new KubernetesCluster(env, 'main'), 'support', { ...SUPPORT, storage: { enabled: false } });
        new ManagedPostgres(env, 'orders-db', { placement: DatabasePlacement.IN_CLUSTER });
      },
      code: 'RS509',
      path: 'acme/dev/main/support',
      text: /storage: in-cluster databases keep their data on gp3 EBS volumes but storage is turned off: turn storage on/,
    },
    {
      name: 'an RDS-only prop on an in-cluster database',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
        new SupportServices(new KubernetesCluster(env, 'main'), 'support', SUPPORT);
        new ManagedPostgres(env, 'orders-db', { placement: DatabasePlacement.IN_CLUSTER, instanceSize: 't4g.large' });
      },
      code: 'RS325',
      path: 'acme/dev/orders-db',
      text: /instanceSize: instanceSize is an Amazon RDS setting; the database runs inside the cluster: remove instanceSize/,
    },
    {
      name: 'a cluster for an RDS database',
      build: p => {
        const env = new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
        new ManagedPostgres(env, 'orders-db', { cluster: new KubernetesCluster(env, 'main') });
      },
      code: 'RS326',
      path: 'acme/dev/orders-db',
      text: /cluster: cluster is set but the database is on Amazon RDS: remove cluster, or add placement: DatabasePlacement.IN_CLUSTER/,
    },
    {
      name: 'a placement that is not a DatabasePlacement (JavaScript)',
      build: p => new ManagedPostgres(new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' }), 'orders-db', { placement: 'k8s' as DatabasePlacement }),
      code: 'RS321',
      path: 'acme/dev/orders-db',
      text: /placement: "k8s" is not a DatabasePlacement: use DatabasePlacement.RDS or DatabasePlacement.IN_CLUSTER/,
    },
    {
      name: 'an environment placement that is not a DatabasePlacement (JavaScript)',
      build: p => new Environment(p, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', databasePlacement: 'cluster' as DatabasePlacement }),
      code: 'RS018',
      path: 'acme/dev',
      text: /databasePlacement: "cluster" is not a database placement/,
    },
  ];

  test.each(cases)('$name → $code', ({ build, code, path: where, text }) => {
    const platform = new Platform({ name: 'acme' });
    build(platform);
    const error = problemsOf(platform);
    const problem = error.problems.find(p => p.code === code);
    expect(problem).toBeDefined();
    expect(problem!.path).toBe(where);
    expect(error.message).toMatch(text);
  });

  test('every RDS-only prop is reported, all at once', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new SupportServices(new KubernetesCluster(env, 'main'), 'support', SUPPORT);
    new ManagedPostgres(env, 'orders-db', {
      placement: DatabasePlacement.IN_CLUSTER,
      instanceSize: 't4g.large',
      port: 5433,
      credentialRotation: true,
      parameters: { 'rds.logical_replication': '1', 'listen_addresses': '*', 'work_mem': '64MB' },
    });
    const error = problemsOf(platform);
    expect(error.problems.filter(p => p.code === 'RS325').map(p => p.prop))
      .toEqual(['instanceSize', 'credentialRotation', 'port', 'parameters.rds.logical_replication', 'parameters.listen_addresses']);
    expect(error.message).toMatch(/parameters\.listen_addresses: listen_addresses is set by CloudNativePG, whose admission webhook rejects it in a Cluster: remove parameters\.listen_addresses/);
  });
});
