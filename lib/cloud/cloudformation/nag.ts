import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag findings on a construct and everything below it,
 * each with its reason. Writes the `cdk_nag` metadata cdk-nag reads, so the
 * library needs no runtime dependency on cdk-nag.
 */
export function acknowledge(scope: IConstruct, rules: Array<[string, string]>): void {
  if (rules.length === 0) return;
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
