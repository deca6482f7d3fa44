import { Construct } from 'constructs';
import { Environment, GitOpsDelivery, KubernetesCluster, Platform, SupportNeed, SupportServices, SupportServicesProps, Tier } from '../../../../lib';
import { HELM_CHARTS } from '../../../../lib/private/catalog';
import { CNPG_NAMESPACE, CNPG_OPERATOR_POD_LABELS, CNPG_RELEASE } from '../../../../lib/runtimes/kubernetes/support/databases';
import { deployabilityProblems, secretNamesOfCloudFormation } from '../../../util/deployability';
import { expectRestricted } from '../../../util/pod-security';
import { expectValidManifests } from '../../../util/schema';
import { environmentTemplate } from '../../../util/templates';

const DOMAIN = 'acme.example.com';
const EMAIL = 'platform@acme.example.com';
const ZONE = 'Z0123456789ABCDEFGHIJ';

/** The labels the chart's templates put on the operator's pods (templates/_helpers.tpl, selectorLabels). */
const CHART_POD_LABELS = { 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': 'cnpg' };

/** A platform with one cluster; `postgres` records a need of an in-cluster database (what a ManagedPostgres placed in the cluster records). */
function build(options: { tier?: Tier; props?: Partial<SupportServicesProps>; postgres?: boolean; metrics?: boolean } = {}) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: options.tier ?? Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  if (options.postgres ?? true) cluster.addNeed(SupportNeed.POSTGRES, new Construct(cluster, 'orders-db'), undefined, 'test');
  if (options.metrics) cluster.addNeed(SupportNeed.METRICS, new Construct(cluster, 'api'));
  const support = new SupportServices(cluster, 'support', { domain: DOMAIN, acmeEmail: EMAIL, hostedZoneId: ZONE, ...options.props });
  return { platform, env, cluster, support };
}

function named(docs: any[], kind: string, name: string): any {
  const found = docs.find(d => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${docs.map(d => `${d.kind}/${d.metadata.name}`).join(', ')}`);
  return found;
}

function errorsOf(platform: Platform): string {
  try {
    platform.render();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

function expectDeployable(f: ReturnType<typeof build>, delivery: GitOpsDelivery): void {
  const docs = f.cluster.manifests();
  const awsSecretNames = secretNamesOfCloudFormation(environmentTemplate(f.env).toJSON());
  expect(deployabilityProblems(docs, { awsSecretNames, preExistingNamespaces: [delivery === GitOpsDelivery.FLUX ? 'flux-system' : 'argocd'] })).toEqual([]);
}

describe('SupportServices installs the CloudNativePG operator for a cluster with an in-cluster database (Argo CD, PRODUCTION)', () => {
  // GIVEN a cluster that needs PostgreSQL inside it, and metrics
  const f = build({ metrics: true });
  // WHEN
  f.platform.render();
  const docs = f.cluster.manifests();

  test('the component is installed, in its own restricted namespace', () => {
    expect(f.support.installedComponents).toEqual(['metrics', 'databases', 'logs', 'storage']);
    expect(CNPG_NAMESPACE).toBe('cnpg-system');
    expect(named(docs, 'Namespace', 'cnpg-system').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('an Application "cnpg" pins the catalog chart (0.29.0, operator 1.30.0) from the cnpg repository', () => {
    const app = named(docs, 'Application', CNPG_RELEASE);
    expect(app.metadata.namespace).toBe('argocd');
    expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'cnpg-system' });
    expect(app.spec.source).toMatchObject({
      repoURL: 'https://cloudnative-pg.github.io/charts',
      chart: 'cloudnative-pg',
      targetRevision: '0.29.0',
      helm: { releaseName: 'cnpg' },
    });
    expect(HELM_CHARTS.cloudnativePg.version).toBe('0.29.0');
  });

  test('its CRDs are too large for a client-side apply: the Application syncs server-side, and still skips dry runs and retries', () => {
    const options = named(docs, 'Application', 'cnpg').spec.syncPolicy.syncOptions;
    expect(options).toEqual(['ServerSideApply=true', 'SkipDryRunOnMissingResource=true']);
    // The rule is the catalog's table: the Cluster CRD (vendored, measured) and poolers.
    expect(HELM_CHARTS.cloudnativePg.largeCrds.map(c => c.name)).toEqual(['clusters.postgresql.cnpg.io', 'poolers.postgresql.cnpg.io']);
    expect(named(docs, 'Application', 'cnpg').spec.syncPolicy.retry.limit).toBe(-1);
  });

  test('values: two operator replicas, the CRDs, every namespace watched, a PodMonitor when metrics are installed', () => {
    expect(named(docs, 'Application', 'cnpg').spec.source.helm.valuesObject).toEqual({
      replicaCount: 2,
      crds: { create: true },
      config: { clusterWide: true },
      monitoring: { podMonitorEnabled: true },
    });
  });

  test('a disruption budget keeps one operator pod through a node drain (the chart has none), selecting the chart\'s operator pods', () => {
    const pdb = named(docs, 'PodDisruptionBudget', 'cnpg-operator');
    expect(pdb.metadata.namespace).toBe('cnpg-system');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: CHART_POD_LABELS } });
    expect(CNPG_OPERATOR_POD_LABELS).toEqual(CHART_POD_LABELS);
  });

  test('the Application and the budget go into 20-support-databases.k8s.yaml', () => {
    const files = (f.platform as any).manifestSets[0].files().map((x: any) => x.file);
    expect(files).toContain('20-support-databases.k8s.yaml');
  });

  test('the operator calls no AWS API: no role, no Pod Identity association', () => {
    environmentTemplate(f.env).resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { Namespace: 'cnpg-system' }, 0);
  });

  test('every object is schema-valid, no pod below "restricted", and everything referred to exists', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
    expectDeployable(f, GitOpsDelivery.ARGO_CD);
  });
});

describe('SupportServices installs the CloudNativePG operator with Flux', () => {
  test('a HelmRelease "cnpg" and the HelmRepository "cnpg"; without metrics no PodMonitor and no dependency', () => {
    // GIVEN a DEVELOPMENT cluster with an in-cluster database, delivered by Flux
    const f = build({ tier: Tier.DEVELOPMENT, props: { delivery: GitOpsDelivery.FLUX } });
    // WHEN
    f.platform.render();
    const docs = f.cluster.manifests();
    // THEN
    const hr = named(docs, 'HelmRelease', 'cnpg');
    expect(hr.metadata.namespace).toBe('flux-system');
    expect(hr.spec).toMatchObject({
      releaseName: 'cnpg',
      targetNamespace: 'cnpg-system',
      storageNamespace: 'cnpg-system',
      chart: { spec: { chart: 'cloudnative-pg', version: '0.29.0', sourceRef: { kind: 'HelmRepository', name: 'cnpg', namespace: 'flux-system' } } },
      install: { crds: 'CreateReplace' },
      upgrade: { crds: 'CreateReplace' },
    });
    expect(hr.spec.values).toEqual({
      replicaCount: 1, crds: { create: true }, config: { clusterWide: true }, monitoring: { podMonitorEnabled: false },
    });
    expect(hr.spec.dependsOn).toBeUndefined();
    expect(named(docs, 'HelmRepository', 'cnpg').spec).toEqual({ interval: '1h', url: 'https://cloudnative-pg.github.io/charts' });
    expect(docs.filter(d => d.kind === 'Application')).toEqual([]);
    expectValidManifests(docs);
    expectRestricted(docs);
    expectDeployable(f, GitOpsDelivery.FLUX);
  });

  test('with metrics, the release waits for kube-prometheus-stack (the PodMonitor CRD)', () => {
    const f = build({ tier: Tier.STAGING, props: { delivery: GitOpsDelivery.FLUX }, metrics: true });
    f.platform.render();
    const docs = f.cluster.manifests();
    const hr = named(docs, 'HelmRelease', 'cnpg');
    expect(hr.spec.values.monitoring).toEqual({ podMonitorEnabled: true });
    expect(hr.spec.dependsOn).toEqual([{ name: 'kube-prometheus-stack', namespace: 'flux-system' }]);
    expectValidManifests(docs);
    expectDeployable(f, GitOpsDelivery.FLUX);
  });
});

describe('operator replicas and disruption budget follow the tier', () => {
  test.each<[Tier, number, boolean]>([
    [Tier.DEVELOPMENT, 1, false],
    [Tier.STAGING, 2, true],
    [Tier.PRODUCTION, 2, true],
  ])('%s: %d replica(s), budget %s', (tier, replicas, budget) => {
    const f = build({ tier });
    f.platform.render();
    const docs = f.cluster.manifests();
    expect(named(docs, 'Application', 'cnpg').spec.source.helm.valuesObject.replicaCount).toBe(replicas);
    expect(docs.some(d => d.kind === 'PodDisruptionBudget' && d.metadata.namespace === 'cnpg-system')).toBe(budget);
    expectValidManifests(docs);
    expectDeployable(f, GitOpsDelivery.ARGO_CD);
  });
});

describe('the operator follows the need', () => {
  test('no in-cluster database: no operator, no namespace, no budget', () => {
    const f = build({ postgres: false });
    f.platform.render();
    const docs = f.cluster.manifests();
    expect(f.support.installedComponents).not.toContain('databases');
    const cnpg = docs.filter(d => d.metadata?.namespace === 'cnpg-system' || d.metadata?.name === 'cnpg-system' || d.metadata?.name === 'cnpg');
    expect(cnpg).toEqual([]);
  });

  test('turned off with no database: nothing installed, no error', () => {
    const f = build({ postgres: false, props: { databases: { enabled: false } } });
    expect(errorsOf(f.platform)).toBe('');
    expect(f.support.installedComponents).not.toContain('databases');
  });

  test('turned off while a database needs it: RS510 on the database, naming the need and the prop to change', () => {
    const f = build({ props: { databases: { enabled: false } } });
    const message = errorsOf(f.platform);
    expect(message).toContain('1 problem in the runtime stack');
    expect(message).toContain(
      'acme/prod/main/orders-db  [RS510] postgres: needs postgres (test), but the CloudNativePG operator is turned off in acme/prod/main/support (databases: { enabled: false }): '
      + 'remove databases: { enabled: false } from acme/prod/main/support, or place acme/prod/main/orders-db on Amazon RDS (placement: DatabasePlacement.RDS)');
  });
});
