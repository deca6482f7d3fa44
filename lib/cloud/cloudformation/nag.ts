import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything below it,
 * each with its reason. cdk-nag 3 reads acknowledgements made with
 * `Validations.of(scope).acknowledge()` (a finding of a multi-finding rule
 * such as `AwsSolutions-IAM5[Resource::*]` needs its own id); the `cdk_nag`
 * metadata of cdk-nag 2 is written too, as an audit trail in the template.
 * The library needs no runtime dependency on cdk-nag.
 */
export function acknowledge(scope: IConstruct, rules: Array<[string, string]>): void {
  if (rules.length === 0) return;
  for (const [id, reason] of rules) {
    cdk.Validations.of(scope).acknowledge({ id, reason });
  }
  for (const child of scope.node.findAll()) {
    if (!cdk.CfnResource.isCfnResource(child)) continue;
    const existing = (child.getMetadata('cdk_nag')?.rules_to_suppress ?? []) as Array<{ id: string; reason: string }>;
    const merged = [...existing];
    for (const [id, reason] of rules) {
      if (!merged.some(r => r.id === id)) merged.push({ id, reason });
    }
    child.addMetadata('cdk_nag', { rules_to_suppress: merged });
  }
}

/**
 * Acknowledgements of AwsSolutions-IAM4 for AWS managed policies: cdk-nag 3
 * reports (and acknowledges) one finding per policy, e.g.
 * `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]`.
 */
export function managedPolicyFindings(policyNames: string[], reason: string): Array<[string, string]> {
  return [
    ['AwsSolutions-IAM4', reason],
    ...policyNames.map(n => [`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${n}]`, reason] as [string, string]),
  ];
}
