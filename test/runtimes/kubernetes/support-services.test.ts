import { Match } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import {
  AcmeChallenge, Environment, GitOpsDelivery, KubernetesCluster, LogDestination, Platform, SupportNeed,
  SupportServices, SupportServicesProps, Tier,
} from '../../../lib';
import { HELM_CHARTS } from '../../../lib/private/catalog';
import { nagReportOf } from '../../util/nag';
import { expectRestricted } from '../../util/pod-security';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const DOMAIN = 'acme.example.com';
const EMAIL = 'platform@acme.example.com';
const ZONE = 'Z0123456789ABCDEFGHIJ';

interface Fixture {
  readonly platform: Platform;
  readonly env: Environment;
  readonly cluster: KubernetesCluster;
  readonly support: SupportServices;
}

/** A platform with one cluster; `needs` records what workloads would (WebApp is built elsewhere). */
function build(options: {
  tier?: Tier;
  props?: Partial<SupportServicesProps>;
  needs?: (cluster: KubernetesCluster) => void;
} = {}): Fixture {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: options.tier ?? Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  options.needs?.(cluster);
  const support = new SupportServices(cluster, 'support', { domain: DOMAIN, acmeEmail: EMAIL, ...options.props });
  return { platform, env, cluster, support };
}

/** Records the needs of a hosted web app (what WebApp records for `host`). */
function hostedApp(cluster: KubernetesCluster, id: string, host: string): Construct {
  const app = new Construct(cluster, id);
  cluster.addNeed(SupportNeed.ROUTING, app, host);
  cluster.addNeed(SupportNeed.DNS, app, host);
  cluster.addNeed(SupportNeed.TLS, app, host);
  return app;
}

function everyNeed(cluster: KubernetesCluster): void {
  const app = hostedApp(cluster, 'orders', `orders.${DOMAIN}`);
  cluster.addNeed(SupportNeed.SECRETS, app, undefined, 'connection to orders-db');
  cluster.addNeed(SupportNeed.METRICS, app);
  cluster.addNeed(SupportNeed.AUTOSCALING, app);
}

function ofKind(docs: any[], kind: string): any[] {
  return docs.filter(d => d.kind === kind);
}

function named(docs: any[], kind: string, name: string): any {
  const found = docs.find(d => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${docs.map(d => `${d.kind}/${d.metadata.name}`).join(', ')}`);
  return found;
}

function errorsOf(f: Fixture): string {
  try {
    f.platform.render();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('SupportServices on a cluster whose app needs everything (Argo CD, PRODUCTION)', () => {
  // GIVEN one hosted app needing routing, DNS, TLS, secrets, metrics and autoscaling
  const f = build({ props: { hostedZoneId: ZONE }, needs: everyNeed });
  f.platform.render();
  const docs = f.cluster.manifests();
  const template = environmentTemplate(f.env);

  test('every object is schema-valid and emits no pod below "restricted"', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });

  test('installs the needed components plus the baseline', () => {
    expect(f.support.installedComponents).toEqual(['routing', 'dns', 'tls', 'secrets', 'metrics', 'metricsServer', 'logs', 'storage']);
    expect(ofKind(docs, 'Application').map(a => a.metadata.name).sort()).toEqual([
      'cert-manager', 'envoy-gateway', 'external-dns', 'external-secrets', 'fluent-bit', 'kube-prometheus-stack', 'metrics-server',
    ]);
  });

  test('Applications pin the catalog chart and carry typed values objects', () => {
    const cm = named(docs, 'Application', 'cert-manager');
    expect(cm.metadata.namespace).toBe('argocd');
    expect(cm.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'cert-manager' });
    expect(cm.spec.source).toMatchObject({
      repoURL: HELM_CHARTS.certManager.repository.url,
      chart: 'cert-manager',
      targetRevision: HELM_CHARTS.certManager.version,
    });
    expect(cm.spec.source.helm.values).toBeUndefined();
    expect(cm.spec.source.helm.valuesObject).toMatchObject({
      crds: { enabled: true },
      replicaCount: 2,
      serviceAccount: { name: 'cert-manager' },
      config: { gatewayAPI: { enabled: true } },
    });
    expect(cm.spec.source.helm.valuesObject.config.enableGatewayAPI).toBeUndefined();
    for (const app of ofKind(docs, 'Application')) {
      expect(typeof app.spec.source.helm.valuesObject).toBe('object');
      expect(app.spec.source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
    // Envoy Gateway comes from an OCI registry: Argo CD gets a (credential-less) repository entry.
    const repo = docs.find(d => d.kind === 'Secret' && d.metadata.name === 'repo-envoyproxy');
    expect(repo.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repository');
    expect(repo.stringData).toEqual({ type: 'helm', name: 'envoyproxy', url: 'registry-1.docker.io/envoyproxy', enableOCI: 'true' });
  });

  test('every replicated controller has a disruption budget (cert-manager, External Secrets, their webhooks and helpers)', () => {
    const values = (name: string) => named(docs, 'Application', name).spec.source.helm.valuesObject;
    const cm = values('cert-manager');
    expect([cm.replicaCount, cm.webhook.replicaCount, cm.cainjector.replicaCount]).toEqual([2, 2, 2]);
    const on = { enabled: true };
    expect([cm.podDisruptionBudget, cm.webhook.podDisruptionBudget, cm.cainjector.podDisruptionBudget]).toEqual([on, on, on]);
    const eso = values('external-secrets');
    expect([eso.replicaCount, eso.webhook.replicaCount, eso.certController.replicaCount]).toEqual([2, 2, 2]);
    expect([eso.podDisruptionBudget, eso.webhook.podDisruptionBudget, eso.certController.podDisruptionBudget]).toEqual([on, on, on]);
  });

  test('order that holds: every Application skips the dry run of kinds not yet known and retries without giving up', () => {
    for (const app of ofKind(docs, 'Application')) {
      expect(app.spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
      expect(app.spec.syncPolicy.retry).toEqual({ limit: -1, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } });
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    // The charts whose ServiceMonitors need kube-prometheus-stack's CRD are among them.
    expect(named(docs, 'Application', 'cert-manager').spec.source.helm.valuesObject.prometheus.servicemonitor.enabled).toBe(true);
  });

  test('charts whose CRDs are too large for a client-side apply sync with server-side apply; the others do not', () => {
    const ssa = (name: string) => (named(docs, 'Application', name).spec.syncPolicy.syncOptions ?? []).includes('ServerSideApply=true');
    // Envoy Gateway (envoyproxies 568 KB, experimental httproutes 291 KB), External Secrets
    // (secretstores, clustersecretstores 349 KB each), kube-prometheus-stack (prometheuses).
    expect(ssa('envoy-gateway')).toBe(true);
    expect(ssa('external-secrets')).toBe(true);
    expect(ssa('kube-prometheus-stack')).toBe(true);
    for (const name of ['cert-manager', 'external-dns', 'metrics-server', 'fluent-bit']) {
      expect(ssa(name)).toBe(false);
    }
    // The rule is the catalog's table, for every Application.
    const charts = Object.values(HELM_CHARTS);
    for (const app of ofKind(docs, 'Application')) {
      const entry = charts.find(c => c.chart === app.spec.source.chart)!;
      expect({ app: app.metadata.name, ssa: ssa(app.metadata.name) }).toEqual({ app: app.metadata.name, ssa: entry.largeCrds.length > 0 });
    }
  });

  test('routing: GatewayClass, Gateway "platform" with an HTTPS listener per domain and an HTTP listener that only redirects', () => {
    expect(named(docs, 'GatewayClass', 'envoy-gateway').spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    const gw = named(docs, 'Gateway', 'platform');
    expect(gw.metadata.namespace).toBe('gateway-system');
    // Argo CD applies the custom resources after the charts that bring their CRDs.
    expect(gw.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '10',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
    expect(gw.spec.listeners).toEqual([
      { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https-acme-example-com',
        protocol: 'HTTPS',
        port: 443,
        hostname: '*.acme.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'tls-acme-example-com' }] },
        allowedRoutes: { namespaces: { from: 'All' } },
      },
    ]);
    const redirect = named(docs, 'HTTPRoute', 'https-redirect');
    expect(redirect.spec.parentRefs).toEqual([{ name: 'platform', namespace: 'gateway-system', sectionName: 'http' }]);
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  });

  test('the data plane is highly available: an EnvoyProxy with 3 proxies over zones and nodes, a budget, and an NLB; the GatewayClass uses it', () => {
    const proxy = named(docs, 'EnvoyProxy', 'platform-proxy');
    expect(proxy.apiVersion).toBe('gateway.envoyproxy.io/v1alpha1');
    expect(proxy.metadata.namespace).toBe('gateway-system');
    expect(named(docs, 'GatewayClass', 'envoy-gateway').spec.parametersRef).toEqual({
      group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'platform-proxy', namespace: 'gateway-system',
    });
    const k = proxy.spec.provider.kubernetes;
    expect(proxy.spec.provider.type).toBe('Kubernetes');
    expect(k.envoyDeployment.replicas).toBe(3);
    const selector = { matchLabels: { 'gateway.envoyproxy.io/owning-gateway-name': 'platform', 'gateway.envoyproxy.io/owning-gateway-namespace': 'gateway-system' } };
    expect(k.envoyDeployment.pod.topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
    ]);
    expect(k.envoyPDB).toEqual({ maxUnavailable: 1 });
    // A Network Load Balancer, not the Classic Load Balancer EKS's cloud controller makes by default.
    expect(k.envoyService).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
        'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
      },
    });
    // Argo CD applies it with the other custom resources, after the chart brought its CRD.
    expect(proxy.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('SkipDryRunOnMissingResource=true');
    // The controller's own replicas are separate (the chart's deployment.replicas).
    expect(named(docs, 'Application', 'envoy-gateway').spec.source.helm.valuesObject.deployment).toEqual({ replicas: 2 });
  });

  test('TLS: ClusterIssuer "letsencrypt" (production, DNS-01 on the zone) and the listener certificate', () => {
    const issuer = named(docs, 'ClusterIssuer', 'letsencrypt');
    expect(issuer.spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(issuer.spec.acme.email).toBe(EMAIL);
    expect(issuer.spec.acme.solvers).toEqual([{
      dns01: { route53: { region: 'eu-west-1', hostedZoneID: ZONE } },
      selector: { dnsZones: [DOMAIN] },
    }]);
    const cert = named(docs, 'Certificate', 'tls-acme-example-com');
    expect(cert.metadata.namespace).toBe('gateway-system');
    expect(cert.spec).toMatchObject({
      secretName: 'tls-acme-example-com',
      dnsNames: ['*.acme.example.com'],
      issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
    });
  });

  test('DNS: external-dns limited to the domain and zone, owned by the cluster', () => {
    const values = named(docs, 'Application', 'external-dns').spec.source.helm.valuesObject;
    expect(values).toMatchObject({
      provider: { name: 'aws' },
      sources: ['gateway-httproute'],
      domainFilters: [DOMAIN],
      txtOwnerId: f.cluster.clusterName,
      serviceAccount: { name: 'external-dns' },
    });
    expect(values.extraArgs).toContain(`--zone-id-filter=${ZONE}`);
  });

  test('secrets: ClusterSecretStore "aws-secrets-manager" in the environment region, no static credentials', () => {
    const store = named(docs, 'ClusterSecretStore', 'aws-secrets-manager');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'eu-west-1' } });
  });

  test('metrics: kube-prometheus-stack picks up every ServiceMonitor; metrics-server for autoscaling', () => {
    const kps = named(docs, 'Application', 'kube-prometheus-stack');
    expect(kps.spec.destination.namespace).toBe('monitoring');
    expect(kps.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(kps.spec.source.helm.valuesObject.prometheus.prometheusSpec).toMatchObject({
      serviceMonitorSelectorNilUsesHelmValues: false,
      podMonitorSelectorNilUsesHelmValues: false,
    });
    expect(kps.spec.source.helm.valuesObject).toMatchObject({
      alertmanager: { enabled: true }, nodeExporter: { enabled: true }, kubeStateMetrics: { enabled: true },
    });
    expect(named(docs, 'Application', 'metrics-server').spec.destination.namespace).toBe('kube-system');
  });

  test('storage: encrypted gp3 default StorageClass, WaitForFirstConsumer, retained in PRODUCTION', () => {
    const sc = named(docs, 'StorageClass', 'gp3');
    expect(sc.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
    expect(sc).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Retain',
    });
  });

  test('apply order: namespaces, storage class, GitOps resources, then custom resources', () => {
    const files = (f.platform as any).manifestSets[0].files().map((x: any) => x.file);
    expect(files).toEqual([
      '00-support-namespaces.k8s.yaml',
      '10-support-storage.k8s.yaml',
      '20-support-dns.k8s.yaml',
      '20-support-logs.k8s.yaml',
      '20-support-metrics.k8s.yaml',
      '20-support-metrics-server.k8s.yaml',
      '20-support-repositories.k8s.yaml',
      '20-support-routing.k8s.yaml',
      '20-support-secrets.k8s.yaml',
      '20-support-tls.k8s.yaml',
      '30-support-routing.k8s.yaml',
      '30-support-secrets.k8s.yaml',
      '30-support-tls.k8s.yaml',
    ]);
    const ns = ofKind(docs, 'Namespace');
    expect(ns.map(n => n.metadata.name).sort()).toEqual(['cert-manager', 'external-dns', 'external-secrets', 'gateway-system', 'logging', 'monitoring']);
    expect(named(docs, 'Namespace', 'cert-manager').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('each AWS-calling component has its own role bound to its namespace and service account', () => {
    for (const [namespace, sa] of [
      ['cert-manager', 'cert-manager'], ['external-dns', 'external-dns'], ['external-secrets', 'external-secrets'],
      ['logging', 'fluent-bit'], ['kube-system', 'ebs-csi-controller-sa'],
    ]) {
      template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
        ClusterName: f.cluster.clusterName, Namespace: namespace, ServiceAccount: sa,
      });
    }
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 5);
  });

  test('Route 53 changes are scoped to the hosted zone and the domain\'s names', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'route53:ChangeResourceRecordSets',
          Resource: `arn:aws:route53:::hostedzone/${ZONE}`,
          Condition: {
            'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.acme.example.com', '_acme-challenge.*.acme.example.com'] },
            'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
          },
        })]),
      },
    });
  });

  test('External Secrets reads only the environment\'s secrets; Fluent Bit writes only the cluster\'s log group', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Effect: 'Allow',
          Resource: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme/prod/*',
          Sid: 'ReadTheEnvironmentSecrets',
        }],
      },
    });
    const group = `/eks/${f.cluster.clusterName}/containers`;
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: group, RetentionInDays: 365 });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [Match.objectLike({
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: [`arn:aws:logs:eu-west-1:111111111111:log-group:${group}:*`, `arn:aws:logs:eu-west-1:111111111111:log-group:${group}:log-stream:*`],
        })],
      },
    });
  });

  test('no policy allows * actions on *', () => {
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy')) as any[]) {
      for (const st of policy.Properties.PolicyDocument.Statement) {
        const actions = [st.Action].flat();
        expect(actions.some((a: string) => a === '*' || a.endsWith(':*'))).toBe(false);
      }
    }
  });

  test('the EBS CSI driver is an EKS managed add-on with a pinned version', () => {
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver', AddonVersion: Match.stringLikeRegexp('^v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+$') });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'ManageOwnVolumes',
          Condition: { StringEquals: { 'aws:ResourceTag/ebs.csi.aws.com/cluster': 'true' } },
        })]),
      },
    });
  });

  test('cdk-nag AwsSolutions: no unacknowledged error on the environment stack', () => {
    // cdk-nag 3 is a policy-validation plugin (it reads Validations.of().acknowledge()),
    // so the pack is run on the stack directly rather than as an Aspect.
    const report = nagReportOf(f.env);
    const errors = report.violations.filter(v => v.severity === 'error');
    expect(errors.map(v => `${v.ruleName} at ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('tripwire: the set of object kinds', () => {
    expect([...new Set(docs.map(d => `${d.apiVersion}/${d.kind}`))].sort()).toMatchSnapshot();
  });
});

describe('SupportServices with Flux delivery', () => {
  const f = build({
    tier: Tier.DEVELOPMENT,
    props: { delivery: GitOpsDelivery.FLUX, tls: { staging: true } },
    needs: everyNeed,
  });
  f.platform.render();
  const docs = f.cluster.manifests();

  test('every object is schema-valid', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
    expect(ofKind(docs, 'Application')).toEqual([]);
  });

  test('HelmRelease per chart with pinned version and values object; one HelmRepository per repository', () => {
    const hr = named(docs, 'HelmRelease', 'cert-manager');
    expect(hr.metadata.namespace).toBe('flux-system');
    expect(hr.spec).toMatchObject({
      releaseName: 'cert-manager',
      targetNamespace: 'cert-manager',
      chart: { spec: { chart: 'cert-manager', version: HELM_CHARTS.certManager.version, sourceRef: { kind: 'HelmRepository', name: 'jetstack' } } },
      values: { crds: { enabled: true }, replicaCount: 1 },
    });
    expect(named(docs, 'HelmRepository', 'envoyproxy').spec).toEqual({ interval: '1h', url: 'oci://registry-1.docker.io/envoyproxy', type: 'oci' });
    const repos = ofKind(docs, 'HelmRepository').map(r => r.metadata.name);
    expect(new Set(repos).size).toBe(repos.length);
  });

  test('dependsOn orders releases that need CRDs from others', () => {
    expect(named(docs, 'HelmRelease', 'external-dns').spec.dependsOn).toEqual([
      { name: 'kube-prometheus-stack', namespace: 'flux-system' },
      { name: 'envoy-gateway', namespace: 'flux-system' },
    ]);
    expect(named(docs, 'HelmRelease', 'cert-manager').spec.dependsOn).toEqual([
      { name: 'kube-prometheus-stack', namespace: 'flux-system' },
      { name: 'envoy-gateway', namespace: 'flux-system' },
    ]);
    expect(named(docs, 'HelmRelease', 'envoy-gateway').spec.dependsOn).toBeUndefined();
    expect(named(docs, 'Gateway', 'platform').metadata.annotations).toBeUndefined();
  });

  test('DEVELOPMENT: one replica of each controller, so no disruption budgets (they would block node drains)', () => {
    const cm = named(docs, 'HelmRelease', 'cert-manager').spec.values;
    const off = { enabled: false };
    expect([cm.podDisruptionBudget, cm.webhook.podDisruptionBudget, cm.cainjector.podDisruptionBudget]).toEqual([off, off, off]);
  });

  test('DEVELOPMENT: one Envoy proxy, no budget, no spread; still behind an NLB', () => {
    const k = named(docs, 'EnvoyProxy', 'platform-proxy').spec.provider.kubernetes;
    expect(k.envoyDeployment).toEqual({ replicas: 1, pod: {} });
    expect(k.envoyPDB).toBeUndefined();
    expect(k.envoyService.annotations['service.beta.kubernetes.io/aws-load-balancer-type']).toBe('nlb');
  });

  test('staging issuer; volumes deleted with the claim in DEVELOPMENT; 7-day log retention', () => {
    expect(named(docs, 'ClusterIssuer', 'letsencrypt').spec.acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
    expect(named(docs, 'StorageClass', 'gp3').reclaimPolicy).toBe('Delete');
    environmentTemplate(f.env).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('cdk-nag AwsSolutions: no unacknowledged error (DEVELOPMENT, public endpoint, no hosted zone id)', () => {
    const report = nagReportOf(f.env);
    expect(report.violations.filter(v => v.severity === 'error').map(v => v.ruleName)).toEqual([]);
  });

  test('without hostedZoneId: Route 53 changes limited by record name, and warning RS520', () => {
    expect(f.platform.warnings.join('\n')).toMatch(/\[RS520\] hostedZoneId: no hosted zone id/);
    environmentTemplate(f.env).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'route53:ChangeResourceRecordSets',
          Resource: 'arn:aws:route53:::hostedzone/*',
          Condition: { 'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': Match.arrayWith(['acme.example.com', '*.acme.example.com']) } },
        })]),
      },
    });
  });
});

describe('SupportServices follows the needs', () => {
  test('a cluster with only an internal app gets no Gateway, DNS or TLS components', () => {
    // GIVEN an app with no host that reads a secret
    const f = build({
      needs: c => c.addNeed(SupportNeed.SECRETS, new Construct(c, 'worker')),
      props: { hostedZoneId: ZONE },
    });
    // WHEN
    const docs = f.cluster.manifests();
    // THEN
    expect(f.support.installedComponents).toEqual(['secrets', 'logs', 'storage']);
    expect(ofKind(docs, 'Gateway')).toEqual([]);
    expect(ofKind(docs, 'ClusterIssuer')).toEqual([]);
    expect(ofKind(docs, 'Certificate')).toEqual([]);
    expect(ofKind(docs, 'Application').map(a => a.metadata.name).sort()).toEqual(['external-secrets', 'fluent-bit']);
    const template = environmentTemplate(f.env);
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    expectValidManifests(docs);
  });

  test('adding a hosted app brings routing, DNS and TLS', () => {
    const f = build({
      needs: c => {
        c.addNeed(SupportNeed.SECRETS, new Construct(c, 'worker'));
        hostedApp(c, 'shop', `shop.${DOMAIN}`);
      },
      props: { hostedZoneId: ZONE },
    });
    const docs = f.cluster.manifests();
    expect(f.support.installedComponents).toEqual(['routing', 'dns', 'tls', 'secrets', 'logs', 'storage']);
    expect(ofKind(docs, 'Gateway')).toHaveLength(1);
    expect(ofKind(docs, 'ClusterIssuer')).toHaveLength(1);
    expect(ofKind(docs, 'Application').map(a => a.metadata.name)).toEqual(expect.arrayContaining(['envoy-gateway', 'cert-manager', 'external-dns']));
  });

  test('an apex host and a deeper host get their own listener and certificate names', () => {
    const f = build({
      needs: c => {
        hostedApp(c, 'home', DOMAIN);
        hostedApp(c, 'api', `api.eu.${DOMAIN}`);
      },
      props: { hostedZoneId: ZONE, additionalDomains: ['acme.example.org'] },
    });
    const docs = f.cluster.manifests();
    expectValidManifests(docs);
    const listeners = named(docs, 'Gateway', 'platform').spec.listeners.map((l: any) => `${l.name}=${l.hostname ?? ''}`);
    expect(listeners).toEqual([
      'http=',
      'https-acme-example-com=*.acme.example.com',
      'https-acme-example-com-apex=acme.example.com',
      'https-acme-example-org=*.acme.example.org',
    ]);
    expect(named(docs, 'Certificate', 'tls-acme-example-com').spec.dnsNames).toEqual(['*.acme.example.com', 'acme.example.com', 'api.eu.acme.example.com']);
  });

  test('HTTP-01: solver through the Gateway HTTP listener, certificates name the hosts, no cert-manager role', () => {
    const f = build({
      needs: c => hostedApp(c, 'shop', `shop.${DOMAIN}`),
      props: { tls: { challenge: AcmeChallenge.HTTP01 }, dns: { enabled: true } },
    });
    const docs = f.cluster.manifests();
    expectValidManifests(docs);
    expect(named(docs, 'ClusterIssuer', 'letsencrypt').spec.acme.solvers).toEqual([{
      http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'platform', namespace: 'gateway-system', sectionName: 'http' }] } },
    }]);
    expect(named(docs, 'Certificate', 'tls-acme-example-com').spec.dnsNames).toEqual(['shop.acme.example.com']);
    environmentTemplate(f.env).resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { Namespace: 'cert-manager' }, 0);
  });

  test('Loki instead of CloudWatch: no log group, no Fluent Bit role', () => {
    const f = build({ props: { logs: { destination: LogDestination.LOKI } } });
    const docs = f.cluster.manifests();
    expectValidManifests(docs);
    expect(named(docs, 'Application', 'loki').spec.destination.namespace).toBe('logging');
    expect(named(docs, 'Application', 'fluent-bit').spec.source.helm.valuesObject.config.outputs).toContain('Name loki');
    const template = environmentTemplate(f.env);
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('containers') }, 0);
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { Namespace: 'logging' }, 0);
  });

  test('an existing cluster keeps its storage driver: StorageClass but no EBS CSI role; other roles bind to it', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'legacy', { existing: { clusterName: 'legacy-eks' } });
    cluster.addNeed(SupportNeed.SECRETS, new Construct(cluster, 'worker'));
    new SupportServices(cluster, 'support', { domain: DOMAIN, acmeEmail: EMAIL });
    const docs = cluster.manifests();
    expectValidManifests(docs);
    expect(named(docs, 'StorageClass', 'gp3').reclaimPolicy).toBe('Retain');
    const template = environmentTemplate(env);
    template.resourceCountIs('AWS::EKS::Addon', 0);
    template.resourcePropertiesCountIs('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system' }, 0);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'legacy-eks', Namespace: 'external-secrets', ServiceAccount: 'external-secrets' });
  });

  test('an existing cluster: warning RS521 (network policy enforcement cannot be checked), acknowledgeable; none on a new cluster', () => {
    // GIVEN SupportServices on an existing cluster
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'legacy', { existing: { clusterName: 'legacy-eks' } });
    new SupportServices(cluster, 'support', { domain: DOMAIN, acmeEmail: EMAIL });
    // WHEN rendered
    platform.render();
    // THEN the warning names the cluster, the risk and the fix
    const warning = platform.warnings.find(w => w.includes('[RS521]'));
    expect(warning).toMatch(/acme\/prod\/legacy\/support +\[RS521\] cluster: cluster acme\/prod\/legacy is an existing cluster: the library cannot check that its CNI enforces NetworkPolicies/);
    expect(warning).toContain('{"enableNetworkPolicy": "true"}');

    // An acknowledged warning is not printed.
    const acked = new Platform({ name: 'acme' });
    const env2 = new Environment(acked, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
    const support2 = new SupportServices(new KubernetesCluster(env2, 'legacy', { existing: { clusterName: 'legacy-eks' } }), 'support', { domain: DOMAIN, acmeEmail: EMAIL });
    Platform.acknowledgeWarning(support2, 'RS521', 'the cluster runs the VPC CNI with enableNetworkPolicy');
    acked.render();
    expect(acked.warnings.filter(w => w.includes('[RS521]'))).toEqual([]);

    // A cluster the library creates has enforcement on: no warning.
    const created = build({ props: { hostedZoneId: ZONE } });
    created.platform.render();
    expect(created.platform.warnings.filter(w => w.includes('[RS521]'))).toEqual([]);
  });

  test('storage turned off: no StorageClass and no EBS CSI add-on', () => {
    const f = build({ props: { storage: { enabled: false } } });
    const docs = f.cluster.manifests();
    expect(ofKind(docs, 'StorageClass')).toEqual([]);
    environmentTemplate(f.env).resourcePropertiesCountIs('AWS::EKS::Addon', { AddonName: 'aws-ebs-csi-driver' }, 0);
  });
});

describe('SupportServices reports what it cannot provide', () => {
  test('TLS turned off with a hosted app: error naming the workload, the need and the fix', () => {
    const f = build({ needs: c => hostedApp(c, 'orders', `orders.${DOMAIN}`), props: { tls: { enabled: false }, hostedZoneId: ZONE } });
    const message = errorsOf(f);
    expect(message).toContain('1 problem in the runtime stack');
    expect(message).toContain('acme/prod/main/orders  [RS510] tls: needs tls for orders.acme.example.com, but cert-manager is turned off in acme/prod/main/support (tls: { enabled: false }): remove tls: { enabled: false } from acme/prod/main/support');
  });

  test('autoscaling with metrics-server turned off', () => {
    const f = build({
      needs: c => c.addNeed(SupportNeed.AUTOSCALING, new Construct(c, 'api')),
      props: { metrics: { metricsServer: false } },
    });
    expect(errorsOf(f)).toContain('acme/prod/main/api  [RS510] autoscaling: needs autoscaling, but metrics-server is turned off in acme/prod/main/support (metrics.metricsServer: false)');
  });

  test('a host outside every configured domain', () => {
    const f = build({ needs: c => hostedApp(c, 'cart', 'cart.elsewhere.net'), props: { hostedZoneId: ZONE } });
    expect(errorsOf(f)).toContain('acme/prod/main/cart  [RS512] host: host "cart.elsewhere.net" is outside every domain of this cluster\'s SupportServices (acme.example.com)');
  });

  test('a second SupportServices on the same cluster', () => {
    const f = build();
    new SupportServices(f.cluster, 'more', { domain: DOMAIN, acmeEmail: EMAIL });
    expect(errorsOf(f)).toContain('acme/prod/main/more  [RS500] cluster: cluster acme/prod/main already has SupportServices (acme/prod/main/support)');
  });

  test('bad props, all at once', () => {
    const f = build({
      props: {
        domain: 'https://acme.example.com',
        acmeEmail: 'platform',
        hostedZoneId: '/hostedzone/Z123',
        additionalDomains: ['*.acme.example.org'],
        logs: { retentionDays: 10 },
      },
    });
    const message = errorsOf(f);
    for (const code of ['RS501] domain', 'RS501] additionalDomains[0]', 'RS502] acmeEmail', 'RS503] hostedZoneId', 'RS507] logs.retentionDays']) {
      expect(message).toContain(code);
    }
  });

  test('routing.replicas: a whole number; at least 2 in PRODUCTION; given, it sets the proxies', () => {
    expect(errorsOf(build({ props: { hostedZoneId: ZONE, routing: { replicas: 1 } } })))
      .toContain('acme/prod/main/support  [RS514] routing.replicas: 1 Envoy proxy in PRODUCTION: every public host would go down with one pod: run at least 2 proxies in PRODUCTION');
    expect(errorsOf(build({ tier: Tier.STAGING, props: { routing: { replicas: 1.5 } } })))
      .toContain('[RS514] routing.replicas: 1.5 is not a whole number of proxies, 1 or more');
    const f = build({ tier: Tier.STAGING, props: { hostedZoneId: ZONE, routing: { replicas: 4 } }, needs: c => hostedApp(c, 'orders', `orders.${DOMAIN}`) });
    const proxy = named(f.cluster.manifests(), 'EnvoyProxy', 'platform-proxy');
    expect(proxy.spec.provider.kubernetes.envoyDeployment.replicas).toBe(4);
    // STAGING does not spread over zones, but does over nodes.
    expect(proxy.spec.provider.kubernetes.envoyDeployment.pod.topologySpreadConstraints.map((c: any) => c.topologyKey)).toEqual(['kubernetes.io/hostname']);
  });

  test('needs without SupportServices keep the foundation error RS030', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'main');
    hostedApp(cluster, 'orders', `orders.${DOMAIN}`);
    expect(() => platform.render()).toThrow(/RS030/);
  });
});
