import { IConstruct } from 'constructs';
import { httpsListenerName } from '../runtimes/kubernetes/conventions';
import type { KubernetesCluster } from '../runtimes/kubernetes/kubernetes-cluster';
import { httpsApexListenerName } from '../runtimes/kubernetes/support/domains';

/**
 * What a cluster's SupportServices may offer to workloads that route a
 * public host: the configured domain (DNS zone) that serves `host`, so the
 * route attaches to that domain's HTTPS listener of the shared Gateway.
 *
 * SupportServices implements it by returning the longest of its domains
 * that equals `host` or is a suffix of it (`undefined` when none is).
 */
export interface RoutingDomains {
  domainFor(host: string): string | undefined;
}

function isRoutingDomains(s: IConstruct | undefined): s is IConstruct & RoutingDomains {
  return s !== undefined && typeof (s as Partial<RoutingDomains>).domainFor === 'function';
}

/**
 * The domain whose HTTPS listener serves `host` on `cluster`'s Gateway,
 * resolved at render: the SupportServices' answer when it has one, else the
 * host's parent domain (`orders.acme.example.com` → `acme.example.com`; a
 * two-label host is its own domain).
 */
export function domainFor(cluster: KubernetesCluster, host: string): string {
  const support = cluster._supportServices;
  const answer = isRoutingDomains(support) ? support.domainFor(host) : undefined;
  if (answer) return answer;
  const labels = host.split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : host;
}

/**
 * The Gateway listener a route for `host` attaches to: the domain's
 * wildcard HTTPS listener, or its apex listener when the host is the domain
 * itself (the Gateway has one only then).
 */
export function listenerFor(cluster: KubernetesCluster, host: string): string {
  const domain = domainFor(cluster, host);
  return host.toLowerCase().replace(/\.$/, '') === domain ? httpsApexListenerName(domain) : httpsListenerName(domain);
}
