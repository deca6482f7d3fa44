import { Certificate, CertificateSpecPrivateKeyRotationPolicy } from '../../../kubernetes/imports/certificates-cert-manager.io';
import { ClusterIssuer, ClusterIssuerSpecAcmeSolvers } from '../../../kubernetes/imports/clusterissuers-cert-manager.io';
import { CLUSTER_ISSUER_NAME, GATEWAY_NAME, GATEWAY_NAMESPACE, HTTP_LISTENER_NAME, MANAGED_BY_LABEL } from '../conventions';
import { ManifestLayer } from '../manifests';
import { SupportContext } from './context';
import { domainPlans } from './domains';
import { route53Acknowledgement, route53Statements } from './route53';
import { ENVOY_GATEWAY_RELEASE } from './routing';
import { HELM_CHARTS } from '../../../private/catalog';

export const CERT_MANAGER_NAMESPACE = 'cert-manager';
export const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';
export const CERT_MANAGER_RELEASE = 'cert-manager';
export const LETSENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
export const LETSENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

/** Values of the `cert-manager` chart (the parts the library sets). */
export interface CertManagerValues {
  readonly crds: { readonly enabled: boolean; readonly keep: boolean };
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly config: {
    readonly apiVersion: string;
    readonly kind: string;
    /** Gateway API support (`enableGatewayAPI` is deprecated since 1.21). */
    readonly gatewayAPI: { readonly enabled: boolean };
  };
  readonly webhook: { readonly replicaCount: number; readonly podDisruptionBudget: { readonly enabled: boolean } };
  readonly cainjector: { readonly replicaCount: number; readonly podDisruptionBudget: { readonly enabled: boolean } };
  readonly prometheus: { readonly enabled: boolean; readonly servicemonitor: { readonly enabled: boolean } };
}

/**
 * TLS: cert-manager, the `letsencrypt` ClusterIssuer (DNS-01 on Route 53 or
 * HTTP-01 through the Gateway) and one Certificate per Gateway domain.
 */
export function renderTls(ctx: SupportContext): void {
  const s = ctx.settings;
  const namespace = ctx.namespace(CERT_MANAGER_NAMESPACE, 'restricted');
  const replicas = ctx.controllerReplicas;
  const values: CertManagerValues = {
    crds: { enabled: true, keep: true },
    replicaCount: replicas,
    podDisruptionBudget: { enabled: replicas > 1 },
    serviceAccount: { create: true, name: CERT_MANAGER_SERVICE_ACCOUNT },
    config: {
      apiVersion: 'controller.config.cert-manager.io/v1alpha1',
      kind: 'ControllerConfiguration',
      // Needs the Gateway API CRDs, which Envoy Gateway's chart brings.
      gatewayAPI: { enabled: s.installed.routing },
    },
    // Every replicated component keeps one pod through a node drain.
    webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1 } },
    cainjector: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1 } },
    prometheus: { enabled: s.installed.metrics, servicemonitor: { enabled: s.installed.metrics } },
  };
  ctx.helm('tls', HELM_CHARTS.certManager, {
    releaseName: CERT_MANAGER_RELEASE,
    namespace,
    values,
    wave: 5,
    createsServiceMonitors: true,
    dependsOn: s.installed.routing ? [ENVOY_GATEWAY_RELEASE] : undefined,
  });

  if (!s.http01) {
    ctx.role({
      component: 'cert-manager',
      namespace,
      serviceAccount: CERT_MANAGER_SERVICE_ACCOUNT,
      description: 'cert-manager DNS-01 challenges',
      statements: route53Statements(s, { recordPrefixes: ['_acme-challenge.'], recordTypes: ['TXT'] }),
      acknowledgements: [route53Acknowledgement(s)],
    });
  }

  const solver: ClusterIssuerSpecAcmeSolvers = s.http01
    ? {
      http01: {
        gatewayHttpRoute: {
          parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: GATEWAY_NAME, namespace: GATEWAY_NAMESPACE, sectionName: HTTP_LISTENER_NAME }],
        },
      },
    }
    : {
      dns01: { route53: { region: ctx.environment.region, hostedZoneId: s.hostedZoneId } },
      selector: { dnsZones: s.domains },
    };
  const config = ctx.chart(ManifestLayer.SUPPORT_CONFIG, 'tls');
  new ClusterIssuer(config, 'issuer', {
    metadata: { name: CLUSTER_ISSUER_NAME, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      acme: {
        server: s.acmeStaging ? LETSENCRYPT_STAGING : LETSENCRYPT_PRODUCTION,
        email: s.acmeEmail,
        privateKeySecretRef: { name: `${CLUSTER_ISSUER_NAME}-account-key` },
        solvers: [solver],
      },
    },
  });

  if (!s.installed.routing) return;
  for (const plan of domainPlans(s)) {
    new Certificate(config, plan.secretName, {
      metadata: { name: plan.secretName, namespace: GATEWAY_NAMESPACE, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
      spec: {
        secretName: plan.secretName,
        dnsNames: plan.dnsNames,
        issuerRef: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: CLUSTER_ISSUER_NAME },
        privateKey: { rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
      },
    });
  }
}
