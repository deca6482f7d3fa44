import * as path from 'path';
import { synthRestricted } from './restricted-app';
import { builtinKinds, expectValidManifests, validateManifests } from './schema';

const CRDS = path.join(__dirname, '..', '..', 'crds');
const opts = { crdDirs: CRDS };

type Obj = Record<string, unknown>;
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function find(docs: Obj[], kind: string): Obj {
  const d = docs.find((x) => x.kind === kind);
  if (!d) throw new Error(`no ${kind}`);
  return d;
}
/** Walks `a.b.0.c` style paths for quick fixture mutation. */
function at(obj: unknown, dotted: string): Obj {
  let cur: unknown = obj;
  for (const key of dotted.split('.')) cur = (cur as Obj)[key];
  return cur as Obj;
}

describe('built-in kinds (Kubernetes 1.28 from cdk8s-plus-28)', () => {
  const docs = synthRestricted();

  test('knows the expected built-in apiVersion/kinds', () => {
    const kinds = builtinKinds();
    for (const k of [
      'v1/Namespace', 'v1/ServiceAccount', 'apps/v1/Deployment', 'v1/Service', 'autoscaling/v2/HorizontalPodAutoscaler',
      'policy/v1/PodDisruptionBudget', 'networking.k8s.io/v1/NetworkPolicy', 'batch/v1/CronJob',
      'storage.k8s.io/v1/StorageClass', 'v1/ConfigMap', 'v1/Secret', 'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding', 'apps/v1/StatefulSet', 'batch/v1/Job',
    ]) {
      expect(kinds).toContain(k);
    }
    // removed before 1.28: must be unknown
    expect(kinds).not.toContain('policy/v1beta1/PodDisruptionBudget');
    expect(kinds).not.toContain('autoscaling/v2beta2/HorizontalPodAutoscaler');
  });

  test('a cdk8s-plus-28 chart (13 kinds) validates', () => {
    expect(docs.length).toBeGreaterThanOrEqual(13);
    expect(validateManifests(docs, opts)).toEqual([]);
    expectValidManifests(docs, opts);
  });

  test('1.28-only field is accepted (sidecar restartPolicy on initContainers)', () => {
    const d = clone(find(docs, 'Deployment'));
    at(d, 'spec.template.spec').initContainers = [{ name: 'sidecar', image: 'busybox', restartPolicy: 'Always' }];
    expect(validateManifests([d], opts)).toEqual([]);
  });

  test('field added after 1.28 is rejected (securityContext.appArmorProfile is 1.30)', () => {
    const d = clone(find(docs, 'Deployment'));
    at(d, 'spec.template.spec.securityContext').appArmorProfile = { type: 'RuntimeDefault' };
    expect(validateManifests([d], opts)).toEqual([
      expect.stringMatching(/^apps\/v1 Deployment app\/\S+: \/spec\/template\/spec\/securityContext: unknown field "appArmorProfile"$/),
    ]);
  });

  test('unknown field (typo) is rejected, with path and object name', () => {
    const d = clone(find(docs, 'Deployment'));
    at(d, 'spec').replcias = 3;
    at(d, 'spec.template.spec.containers.0').imagePullPolicyy = 'Always';
    const problems = validateManifests([d], opts);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^apps\/v1 Deployment app\/\S+: \/spec: unknown field "replcias"$/);
    expect(problems[1]).toMatch(/\/spec\/template\/spec\/containers\/0: unknown field "imagePullPolicyy"$/);
  });

  test('unknown field in metadata is rejected', () => {
    const d = clone(find(docs, 'Service'));
    at(d, 'metadata').label = { a: 'b' };
    expect(validateManifests([d], opts)).toEqual([expect.stringMatching(/\/metadata: unknown field "label"$/)]);
  });

  test('wrong type is rejected', () => {
    const d = clone(find(docs, 'Service'));
    at(d, 'spec.ports.0').port = '80';
    const cm = clone(find(docs, 'ConfigMap'));
    at(cm, 'data')['app.conf'] = 1;
    expect(validateManifests([d, cm], opts)).toEqual([
      expect.stringMatching(/v1 Service .*: \/spec\/ports\/0\/port: must be number$/),
      expect.stringMatching(/v1 ConfigMap .*: \/data\/app.conf: must be string$/),
    ]);
  });

  test('IntOrString accepts both, rejects other types', () => {
    const pdb = clone(find(docs, 'PodDisruptionBudget'));
    at(pdb, 'spec').minAvailable = '50%';
    expect(validateManifests([pdb], opts)).toEqual([]);
    at(pdb, 'spec').minAvailable = true;
    expect(validateManifests([pdb], opts)).toEqual([expect.stringMatching(/\/spec\/minAvailable: must be integer,string$/)]);
  });

  test('missing required field is rejected', () => {
    const d = clone(find(docs, 'Deployment'));
    delete at(d, 'spec').selector;
    delete at(d, 'spec.template.spec.containers.0').name;
    const rb = clone(find(docs, 'RoleBinding'));
    delete rb.roleRef;
    expect(validateManifests([d, rb], opts)).toEqual([
      expect.stringMatching(/\/spec: missing required field "selector"$/),
      expect.stringMatching(/\/spec\/template\/spec\/containers\/0: missing required field "name"$/),
      expect.stringMatching(/RoleBinding .*: \/: missing required field "roleRef"$/),
    ]);
  });

  test('unknown apiVersion/kind is a problem, not a pass', () => {
    const problems = validateManifests([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } },
      { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'old' } },
      { kind: 'ConfigMap' },
      'not an object',
    ], opts);
    expect(problems).toEqual([
      'example.com/v1 Widget w: unknown apiVersion/kind (not a Kubernetes 1.28.0 built-in and no CRD found)',
      'apps/v1 Deploymnet x: unknown apiVersion/kind (not a Kubernetes 1.28.0 built-in and no CRD found)',
      'policy/v1beta1 PodDisruptionBudget old: unknown apiVersion/kind (not a Kubernetes 1.28.0 built-in and no CRD found)',
      'document #3: missing apiVersion or kind',
      'document #4: not an object',
    ]);
  });

  test('expectValidManifests throws with the list of problems', () => {
    expect(() => expectValidManifests([{ apiVersion: 'v1', kind: 'Nope', metadata: { name: 'n' } }], opts)).toThrow(
      /1 schema problem\(s\):\n {2}- v1 Nope n: unknown apiVersion\/kind/,
    );
  });
});

describe('custom resources from CRD files', () => {
  const certificate = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'web', namespace: 'app' },
    spec: { secretName: 'web-tls', dnsNames: ['web.example.com'], issuerRef: { name: 'le', kind: 'ClusterIssuer' } },
  };
  const externalSecret = {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'db', namespace: 'app' },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
      target: { name: 'db-creds' },
      data: [{ secretKey: 'password', remoteRef: { key: 'db/password' } }],
    },
  };
  const serviceMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', namespace: 'app' },
    spec: { selector: { matchLabels: { app: 'web' } }, endpoints: [{ port: 'http', targetPort: 8080, interval: '30s' }] },
  };
  const helmRelease = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'redis', namespace: 'app' },
    spec: {
      interval: '10m',
      chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'bitnami' } } },
      values: { anything: { goes: [1, 'two', { three: true }] } }, // x-kubernetes-preserve-unknown-fields
    },
  };

  test('valid custom resources pass', () => {
    expect(validateManifests([certificate, externalSecret, serviceMonitor, helmRelease], opts)).toEqual([]);
  });

  test('unknown field in a CR is rejected (structural schema made strict)', () => {
    const c = clone(certificate);
    at(c, 'spec').dnsName = ['typo'];
    at(c, 'spec.issuerRef').knd = 'Issuer';
    expect(validateManifests([c], opts)).toEqual([
      'cert-manager.io/v1 Certificate app/web: /spec: unknown field "dnsName"',
      'cert-manager.io/v1 Certificate app/web: /spec/issuerRef: unknown field "knd"',
    ]);
  });

  test('CR metadata is checked against the real ObjectMeta', () => {
    const c = clone(certificate);
    at(c, 'metadata').labelz = {};
    expect(validateManifests([c], opts)).toEqual(['cert-manager.io/v1 Certificate app/web: /metadata: unknown field "labelz"']);
  });

  test('missing required / wrong type in a CR is rejected', () => {
    const c = clone(certificate);
    delete at(c, 'spec').secretName;
    const sm = clone(serviceMonitor);
    at(sm, 'spec.endpoints.0').targetPort = true; // x-kubernetes-int-or-string
    expect(validateManifests([c, sm], opts)).toEqual([
      'cert-manager.io/v1 Certificate app/web: /spec: missing required field "secretName"',
      'monitoring.coreos.com/v1 ServiceMonitor app/web: /spec/endpoints/0/targetPort: must match a schema in anyOf',
      'monitoring.coreos.com/v1 ServiceMonitor app/web: /spec/endpoints/0/targetPort: must be an integer or a string',
    ]);
  });

  test('a CRD version with served: false is rejected', () => {
    const es = { ...clone(externalSecret), apiVersion: 'external-secrets.io/v1beta1' };
    expect(validateManifests([es], opts)).toEqual([
      'external-secrets.io/v1beta1 ExternalSecret app/db: version "v1beta1" of CRD externalsecrets.external-secrets.io has served: false (external-secrets.io_externalsecrets.yaml)',
    ]);
  });

  test('a version missing from the CRD is rejected', () => {
    const c = { ...clone(certificate), apiVersion: 'cert-manager.io/v1alpha2' };
    expect(validateManifests([c], opts)).toEqual([
      'cert-manager.io/v1alpha2 Certificate app/web: version "v1alpha2" does not exist in CRD certificates.cert-manager.io (served: v1)',
    ]);
  });

  test('without the CRD directory a CR is unknown', () => {
    expect(validateManifests([certificate], { crdDirs: [] })).toEqual([
      'cert-manager.io/v1 Certificate app/web: unknown apiVersion/kind (not a Kubernetes 1.28.0 built-in and no CRD found)',
    ]);
  });
});

describe('performance', () => {
  test('validates a few hundred objects quickly (cached validators)', () => {
    const docs = synthRestricted(25); // 25 x 13 = 325 objects
    const crs = Array.from({ length: 50 }, (_, i) => ({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: `c${i}`, namespace: 'app' },
      spec: { secretName: `s${i}`, issuerRef: { name: 'le' }, dnsNames: [`h${i}.example.com`] },
    }));
    const all = [...docs, ...crs];
    validateManifests(all.slice(0, 1), opts); // warm-up for the same registry (jsii + CRDs already loaded)
    const t0 = process.hrtime.bigint();
    const problems = validateManifests(all, opts);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    validateManifests(all, opts);
    const msWarm = Number(process.hrtime.bigint() - t1) / 1e6;
    // eslint-disable-next-line no-console
    console.log(`validated ${all.length} objects: ${ms.toFixed(1)} ms (incl. compiling new kinds), ${msWarm.toFixed(1)} ms warm`);
    expect(problems).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(msWarm).toBeLessThan(1000);
  });
});
