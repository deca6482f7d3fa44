import { SupportSettings } from './context';
import { arn } from '../../../core/policy';
import { PolicyStatementIntent } from '../../../engines/engine';

/**
 * Least-privilege Route 53 statements for a component that writes records
 * of the cluster's domains.
 *
 * With `hostedZoneId`, changes are allowed on that zone only. Without it,
 * synth cannot know the zone ids (no lookups), so changes are allowed on
 * any hosted zone of the account but only for record names inside the
 * configured domains (`route53:ChangeResourceRecordSetsNormalizedRecordNames`),
 * and SupportServices reports a warning.
 *
 * `recordPrefixes` narrows the names further, e.g. `_acme-challenge.` for
 * cert-manager's DNS-01 TXT records; `recordTypes` limits the record types.
 */
export function route53Statements(settings: SupportSettings, options: {
  readonly recordPrefixes: string[];
  readonly recordTypes?: string[];
  readonly listTags?: boolean;
}): PolicyStatementIntent[] {
  const zone = settings.hostedZoneId
    ? arn(settings.partition, 'route53', '', '', `hostedzone/${settings.hostedZoneId}`)
    : arn(settings.partition, 'route53', '', '', 'hostedzone/*');
  const names = settings.domains.flatMap(d => options.recordPrefixes.flatMap(p => [`${p}${d}`, `${p}*.${d}`]));
  const conditions: Record<string, Record<string, string | string[]>> = {
    'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names },
  };
  if (options.recordTypes) {
    conditions['ForAllValues:StringEquals'] = { 'route53:ChangeResourceRecordSetsRecordTypes': options.recordTypes };
  }
  return [
    {
      sid: 'ChangeRecordsOfTheDomains',
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [zone],
      conditions,
    },
    {
      sid: 'ReadRecordsOfTheZone',
      actions: ['route53:ListResourceRecordSets', ...(options.listTags ? ['route53:ListTagsForResource'] : [])],
      resources: [zone],
    },
    {
      sid: 'FindZonesAndChanges',
      actions: ['route53:ListHostedZones', 'route53:ListHostedZonesByName', 'route53:GetChange', ...(options.listTags ? ['route53:ListTagsForResources'] : [])],
      resources: ['*'],
    },
  ];
}

/** Why a Route 53 role keeps wildcards (cdk-nag AwsSolutions-IAM5). */
export function route53Acknowledgement(settings: SupportSettings): [string, string] {
  return ['AwsSolutions-IAM5', settings.hostedZoneId
    ? `Route 53 list actions (ListHostedZones, ListHostedZonesByName, GetChange, ListTagsForResources) support no resource-level permissions; record changes are limited to hosted zone ${settings.hostedZoneId} and to names in ${settings.domains.join(', ')}.`
    : `No hostedZoneId was given, so record changes are allowed on any hosted zone but only for names in ${settings.domains.join(', ')} (condition on normalized record names); Route 53 list actions support no resource-level permissions.`];
}
