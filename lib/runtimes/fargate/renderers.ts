import type * as cloudformation from './cloudformation';
import type { FargateRuntimeHandle, FargateRuntimeIntent, FargateScheduleIntent, FargateServiceIntent } from './intent';
import type { ServiceRenderers } from '../../engines/engine';

/**
 * The Fargate runtime's renderers. CloudFormation only: a FargateRuntime
 * in a Terraform environment is reported (RS156) before anything renders,
 * so the Terraform renderer is never reached.
 */
function noTerraform(): never {
  throw new Error('The Fargate runtime renders with CloudFormation only (validation reports RS156 for a Terraform environment).');
}

/* eslint-disable @typescript-eslint/no-require-imports */
const cfn = () => require('./cloudformation') as typeof cloudformation;

export const FARGATE_RUNTIME_RENDERERS: ServiceRenderers<FargateRuntimeIntent, FargateRuntimeHandle> = {
  type: 'fargate-runtime',
  grain: 'foundation',
  cloudFormation: () => cfn().renderFargateRuntime,
  terraform: noTerraform,
};

/** A service or schedule intent with the references of its runtime. */
export type WithRuntime<I> = I & { readonly runtime: FargateRuntimeHandle };

export const FARGATE_SERVICE_RENDERERS: ServiceRenderers<WithRuntime<FargateServiceIntent>, void> = {
  type: 'fargate-service',
  cloudFormation: () => cfn().renderFargateService,
  terraform: noTerraform,
};

export const FARGATE_SCHEDULE_RENDERERS: ServiceRenderers<WithRuntime<FargateScheduleIntent>, void> = {
  type: 'fargate-schedule',
  cloudFormation: () => cfn().renderFargateSchedule,
  terraform: noTerraform,
};
