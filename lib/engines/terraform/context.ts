import type { Construct } from 'constructs';
import type { NetworkHandle, ServiceRoleIntent } from '../intents';

/** The Terraform engine's network: the engine-neutral handle and its references. */
export interface TerraformNetwork extends NetworkHandle {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** Route tables of the private subnets (of a network the engine made; none known for an existing one). */
  readonly privateRouteTableIds?: string[];
}

/**
 * What a service's Terraform renderer gets from the engine. Typed without
 * cdktf, so this file can be imported anywhere; the renderers themselves
 * import @cdktf/provider-aws and are loaded only by the Terraform engine.
 */
export interface TerraformContext {
  /** The environment's Terraform stack (a cdktf `TerraformStack`). */
  readonly stack: Construct;
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** The construct under which an element's resources live; its id is the element's graph id. */
  scope(scopeId: string): Construct;
  /** Declares a provider the stack's resources need (`required_providers`). */
  requireProvider(name: string, source: string, version: string): void;
  /** ARN (a reference) of the environment's key for log groups (created on first use). */
  logsKeyArn(): string;
  /** The environment's service role `intent` (created on first use). */
  serviceRole(intent: ServiceRoleIntent): TerraformServiceRole;
  /**
   * What the services of a kind share in the environment, made once: the
   * first call runs `make` on the construct `Shared/<key>` of the stack (a
   * scope no element id can take), every call returns what it made.
   */
  shared<T>(key: string, make: (scope: Construct) => T): T;
}

/** A service role of the environment in Terraform. */
export interface TerraformServiceRole {
  /** Its ARN (a reference). */
  readonly arn: string;
  /**
   * What a resource that names the role must depend on: its policy
   * attachments, which the ARN alone does not order before the resource
   * (a service may check the role's permissions when the resource is
   * created, as RDS does for enhanced monitoring).
   */
  readonly dependsOn: TerraformDependable[];
}

/** A resource another can depend on: cdktf's `ITerraformDependable`, by its shape (this file imports no cdktf). */
export interface TerraformDependable {
  /** Its address in the configuration. */
  readonly fqn: string;
}

/** Renders one managed service's intent with @cdktf/provider-aws. */
export type TerraformRenderer<I, H> = (ctx: TerraformContext, intent: I, network?: TerraformNetwork) => H;
