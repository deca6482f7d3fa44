import { SupportSettings } from '../../../../lib/runtimes/kubernetes/support/context';
import { domainOf, domainPlans, httpsApexListenerName, tlsSecretName } from '../../../../lib/runtimes/kubernetes/support/domains';
import { route53Statements } from '../../../../lib/runtimes/kubernetes/support/route53';

function settings(overrides: Partial<SupportSettings> = {}): SupportSettings {
  return {
    domains: ['acme.example.com', 'example.com'],
    acmeEmail: 'platform@acme.example.com',
    acmeStaging: false,
    http01: false,
    flux: false,
    logDestination: 'cloudwatch',
    logRetentionDays: 7,
    installed: {
      routing: true,
      dns: true,
      tls: true,
      secrets: false,
      metrics: false,
      metricsServer: false,
      events: false,
      databases: false,
      logs: true,
      storage: true,
    },
    hosts: [],
    proxyReplicas: 1,
    partition: 'aws',
    ...overrides,
  };
}

describe('domains', () => {
  test('a host belongs to the longest matching domain', () => {
    expect(domainOf('orders.acme.example.com', ['example.com', 'acme.example.com'])).toBe('acme.example.com');
    expect(domainOf('www.example.com', ['example.com', 'acme.example.com'])).toBe('example.com');
    expect(domainOf('acme.example.com.', ['acme.example.com'])).toBe('acme.example.com');
    expect(domainOf('notacme.example.com', ['acme.example.com'])).toBeUndefined();
  });

  test('names of listeners and secrets', () => {
    expect(tlsSecretName('acme.example.com')).toBe('tls-acme-example-com');
    expect(httpsApexListenerName('acme.example.com')).toBe('https-acme-example-com-apex');
    expect(httpsApexListenerName(`${'a'.repeat(70)}.com`).length).toBeLessThanOrEqual(63);
  });

  test('DNS-01: a wildcard certificate per domain, plus apex and deeper hosts', () => {
    const plans = domainPlans(settings({ hosts: ['a.b.acme.example.com', 'acme.example.com', 'shop.acme.example.com'] }));
    expect(plans.map(p => [p.domain, p.dnsNames, p.listeners.map(l => l.name)])).toEqual([
      ['acme.example.com', ['*.acme.example.com', 'a.b.acme.example.com', 'acme.example.com'], ['https-acme-example-com', 'https-acme-example-com-apex']],
      ['example.com', ['*.example.com'], ['https-example-com']],
    ]);
  });

  test('HTTP-01: certificates name exactly the hosts; domains without hosts are left out', () => {
    const plans = domainPlans(settings({ http01: true, hosts: ['shop.acme.example.com'] }));
    expect(plans.map(p => [p.domain, p.dnsNames])).toEqual([['acme.example.com', ['shop.acme.example.com']]]);
  });
});

describe('route53Statements', () => {
  test('changes are limited to the zone and to names in the domains; list actions need *', () => {
    const [change, read, list] = route53Statements(settings({ hostedZoneId: 'Z1' }), { recordPrefixes: ['_acme-challenge.'], recordTypes: ['TXT'] });
    expect(change).toEqual({
      sid: 'ChangeRecordsOfTheDomains',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: ['arn:aws:route53:::hostedzone/Z1'],
      conditions: {
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [
            '_acme-challenge.acme.example.com', '_acme-challenge.*.acme.example.com', '_acme-challenge.example.com', '_acme-challenge.*.example.com',
          ],
        },
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
      },
    });
    expect(read.resources).toEqual(['arn:aws:route53:::hostedzone/Z1']);
    expect(list.resources).toEqual(['*']);
    expect(list.actions.every(a => /^route53:(List|Get)/.test(a))).toBe(true);
  });

  test('without a zone id: any zone, still limited by record name', () => {
    const [change] = route53Statements(settings(), { recordPrefixes: [''] });
    expect(change.resources).toEqual(['arn:aws:route53:::hostedzone/*']);
    expect(change.conditions?.['ForAllValues:StringLike']).toEqual({
      'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['acme.example.com', '*.acme.example.com', 'example.com', '*.example.com'],
    });
  });
});
