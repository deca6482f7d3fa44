import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { KEY_GRANTS_FOR_AWS_ONLY, Removal } from '../../core/policy';
import type { NetworkHandle, ServiceRoleIntent } from '../intents';

/** The CloudFormation engine's network: the engine-neutral handle and the VPC. */
export interface CloudFormationNetwork extends NetworkHandle {
  readonly vpc: ec2.IVpc;
  /**
   * The id of the network's security group for the functions that rotate
   * the environment's secrets: in the foundation with the network, and
   * exported while the network is there, so that removing the last
   * database that admits it never meets "export in use".
   */
  readonly rotationSecurityGroupId: string;
}

/** What a service's CloudFormation renderer gets from the engine. */
export interface CloudFormationContext {
  /** The stack the service renders into (its own, or the foundation for a shared part). */
  readonly stack: cdk.Stack;
  /** The ARN partition of the environment's region. */
  readonly partition: string;
  /** The environment's account. */
  readonly account: string;
  /** The environment's region. */
  readonly region: string;
  /** The name (and construct id) of the environment's foundation stack. */
  readonly foundationStackName: string;
  /** The construct in the service's stack under which an element's resources live; its id is the element's graph id. */
  scope(scopeId: string): Construct;
  /** The environment's key for log groups (created on first use). */
  logsKey(): kms.IKey;
  /**
   * The ARN of the environment's service role `intent` (created in the
   * foundation on first use), for a resource of the service's stack. The
   * ARN is built from the role's name, so no stack exports it and removing
   * the last resource that names it never meets "export in use"; the
   * service's stack deploys after the foundation.
   */
  serviceRoleArn(intent: ServiceRoleIntent): string;
  /**
   * What the services of a kind share in the environment, made once in
   * the foundation: the first call runs `make` on the construct
   * `Shared/<key>` of the foundation stack (a scope no element id can
   * take), every call returns what it made. The shared part exists while a
   * service of the environment asks for it: a stack of its own names it
   * (an ARN from its name), never imports it, or removing the last such
   * service would meet "export in use".
   */
  shared<T>(key: string, make: (scope: Construct) => T): T;
  /**
   * Exports a value of the foundation stack whether or not a stack of its
   * own imports it now, so that removing the last importer never meets
   * "export in use" (for what the foundation holds for elements with
   * stacks of their own, such as a runtime's load balancer).
   */
  pin(value: string): void;
  /**
   * Deploys the service's stack after the stack of the element `scopeId`
   * (a deployment order only, no reference: for what reads the other's
   * resources by name when it starts, such as a task's secrets). Nothing
   * when that element has no stack of its own.
   */
  deployAfter(scopeId: string, reason: string): void;
}

/**
 * Limits the creation of grants on `key` to AWS resources and services
 * (AWS Control Tower CT.KMS.PR.3); every key of the engine gets it.
 */
export function guardKeyGrants(key: kms.Key): kms.Key {
  key.addToResourcePolicy(iam.PolicyStatement.fromJson(KEY_GRANTS_FOR_AWS_ONLY));
  return key;
}

/**
 * `Names.uniqueId(construct)` as it is when the construct's stack is the
 * foundation: the id aws-cdk-lib gives some resources (the generated
 * secret of an RDS instance) includes the stack's construct id, and
 * would change when the service moved to a stack of its own. Renderers
 * pin such logical ids with it, so they never depend on the stack.
 */
export function uniqueIdInFoundation(ctx: CloudFormationContext, construct: IConstruct): string {
  return uniqueIdInStack(ctx.foundationStackName, construct);
}

/**
 * `Names.uniqueId(construct)` as it is when the construct's stack has the
 * construct id `stackId`, whichever stack it is in (see `uniqueIdInFoundation`).
 */
export function uniqueIdInStack(stackId: string, construct: IConstruct): string {
  const ids = construct.node.scopes.slice(1).map(c => c.node.id);
  ids[0] = stackId;
  let scope = new Construct(undefined as any, '');
  for (const id of ids) scope = new Construct(scope, id);
  return cdk.Names.uniqueId(scope);
}

/** Renders one managed service's intent with aws-cdk-lib. */
export type CloudFormationRenderer<I, H> = (ctx: CloudFormationContext, intent: I, network?: CloudFormationNetwork) => H;

/** The RemovalPolicy of a removal decision. */
export function removalPolicyOf(removal: Removal): cdk.RemovalPolicy {
  switch (removal) {
    case 'destroy': return cdk.RemovalPolicy.DESTROY;
    case 'snapshot': return cdk.RemovalPolicy.SNAPSHOT;
    default: return cdk.RemovalPolicy.RETAIN;
  }
}

/**
 * The typed retention of a CloudWatch Logs value (the intent already holds
 * one of the values CloudWatch accepts; `logs.RetentionDays` has them all).
 */
export function retentionDaysOf(days: number): logs.RetentionDays {
  return days as logs.RetentionDays;
}
