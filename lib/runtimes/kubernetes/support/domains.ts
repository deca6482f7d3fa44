import { httpsListenerName } from '../conventions';
import { SupportSettings } from './context';
import { domainOf } from '../../../private/validation';

/** Name of the Gateway's HTTPS listener for the apex of `domain` (only when a host is the apex itself). */
export function httpsApexListenerName(domain: string): string {
  return `${httpsListenerName(domain).slice(0, 58).replace(/-+$/, '')}-apex`;
}

/** Name of the TLS Secret (and its Certificate) of `domain`'s HTTPS listeners. */
export function tlsSecretName(domain: string): string {
  return `tls-${domain.replace(/\./g, '-')}`.slice(0, 253).replace(/-+$/, '');
}

export { domainOf };

/** One HTTPS listener of the Gateway. */
export interface ListenerPlan {
  readonly name: string;
  readonly hostname: string;
}

/** What the Gateway and cert-manager do for one domain. */
export interface DomainPlan {
  readonly domain: string;
  readonly secretName: string;
  /** HTTPS listeners: `*.domain`, plus the apex when a host is the apex. */
  readonly listeners: ListenerPlan[];
  /** Names on the domain's certificate. */
  readonly dnsNames: string[];
}

/**
 * The domains served by the Gateway, with their listeners and certificate
 * names. With DNS-01 every domain gets a wildcard certificate (plus the apex
 * and deeper names a host needs); with HTTP-01 wildcards cannot be issued,
 * so a certificate names exactly the hosts, and domains without hosts are
 * left out.
 */
export function domainPlans(settings: SupportSettings): DomainPlan[] {
  const plans: DomainPlan[] = [];
  for (const domain of settings.domains) {
    const hosts = settings.hosts.filter(h => domainOf(h, settings.domains) === domain);
    const needsApex = hosts.includes(domain);
    if (settings.http01 && hosts.length === 0) continue;
    const listeners: ListenerPlan[] = [{ name: httpsListenerName(domain), hostname: `*.${domain}` }];
    if (needsApex) listeners.push({ name: httpsApexListenerName(domain), hostname: domain });
    const dnsNames = settings.http01
      ? hosts
      : unique([`*.${domain}`, ...hosts.filter(h => h === domain || h.slice(0, -domain.length - 1).includes('.'))]);
    plans.push({ domain, secretName: tlsSecretName(domain), listeners, dnsNames });
  }
  return plans;
}

/** The values of `items` in first-seen order without repeats. */
export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
