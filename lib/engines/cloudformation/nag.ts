import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges policy-validation findings (cdk-nag rules such as
 * `AwsSolutions-IAM4`, or `AwsSolutions-IAM5[Resource::*]` for one finding)
 * on a construct and everything below it, each with its reason. Uses
 * aws-cdk-lib's native `Validations` API, which cdk-nag v3 reads, so the
 * library needs no runtime dependency on cdk-nag.
 */
export function acknowledge(scope: IConstruct, rules: Array<[string, string]>): void {
  // aws-cdk-lib captures (and source-maps) a stack trace for every
  // acknowledgement, then drops it: the App turns stack traces off. With
  // a thousand of them that was 7% of a 200-service synth. No frames, same
  // metadata.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const [id, reason] of rules) {
      cdk.Validations.of(scope).acknowledge({ id, reason });
    }
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The acknowledgement of AwsSolutions-IAM4 for one AWS managed policy:
 * cdk-nag 3 reports (and acknowledges) one finding per policy, e.g.
 * `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy]`.
 */
export function managedPolicyFinding(policyName: string, reason: string): [string, string] {
  return [`AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policyName}]`, reason];
}
