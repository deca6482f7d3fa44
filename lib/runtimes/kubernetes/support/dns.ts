import { SupportContext } from './context';
import { route53Acknowledgement, route53Statements } from './route53';
import { ENVOY_GATEWAY_RELEASE } from './routing';
import { HELM_CHARTS } from '../../../private/catalog';

export const EXTERNAL_DNS_NAMESPACE = 'external-dns';
export const EXTERNAL_DNS_SERVICE_ACCOUNT = 'external-dns';
export const EXTERNAL_DNS_RELEASE = 'external-dns';

/** Values of the `external-dns` chart (the parts the library sets). */
export interface ExternalDnsValues {
  readonly provider: { readonly name: string };
  readonly env: Array<{ readonly name: string; readonly value: string }>;
  readonly sources: string[];
  readonly domainFilters: string[];
  readonly txtOwnerId: string;
  readonly registry: string;
  readonly policy: string;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly extraArgs: string[];
  readonly serviceMonitor: { readonly enabled: boolean };
}

/**
 * DNS: external-dns on Route 53, limited to the configured domains (and the
 * hosted zone when given), publishing the hosts of the Gateway's
 * HTTPRoutes, owning its records with the cluster's name as TXT owner id.
 */
export function renderDns(ctx: SupportContext): void {
  const s = ctx.settings;
  const namespace = ctx.namespace(EXTERNAL_DNS_NAMESPACE, 'restricted');
  const values: ExternalDnsValues = {
    provider: { name: 'aws' },
    env: [{ name: 'AWS_DEFAULT_REGION', value: ctx.environment.region }],
    sources: ['gateway-httproute'],
    domainFilters: s.domains,
    txtOwnerId: ctx.cluster.clusterName,
    registry: 'txt',
    policy: 'sync',
    serviceAccount: { create: true, name: EXTERNAL_DNS_SERVICE_ACCOUNT },
    extraArgs: [
      '--aws-zone-type=public',
      ...(s.hostedZoneId ? [`--zone-id-filter=${s.hostedZoneId}`] : []),
    ],
    serviceMonitor: { enabled: s.installed.metrics },
  };
  ctx.helm('dns', HELM_CHARTS.externalDns, {
    releaseName: EXTERNAL_DNS_RELEASE,
    namespace,
    values,
    wave: 5,
    createsServiceMonitors: true,
    // The gateway-httproute source needs the Gateway API CRDs.
    dependsOn: s.installed.routing ? [ENVOY_GATEWAY_RELEASE] : undefined,
  });
  ctx.role({
    component: 'external-dns',
    namespace,
    serviceAccount: EXTERNAL_DNS_SERVICE_ACCOUNT,
    description: 'external-dns records of the cluster\'s hosts',
    statements: route53Statements(s, { recordPrefixes: ['', 'a-', 'aaaa-', 'cname-'], listTags: true }),
    acknowledgements: [route53Acknowledgement(s)],
  });
}
