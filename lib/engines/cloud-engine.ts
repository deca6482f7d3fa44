/**
 * The engine that renders an environment's AWS resources.
 */
export enum CloudEngine {
  /** A CloudFormation stack built with aws-cdk-lib (`cdk deploy`). */
  CLOUDFORMATION = 'cloudformation',
  /**
   * A Terraform stack (JSON) built with cdktf and @cdktf/provider-aws
   * (`cdktf synth`, `cdktf deploy`). Needs the optional packages `cdktf` and
   * `@cdktf/provider-aws`.
   */
  TERRAFORM = 'terraform',
}
