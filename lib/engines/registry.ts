import { CloudFormationEngine } from './cloudformation/engine';
import { ICloudEngine } from './engine';
import type { Environment } from '../core/environment';
import { defaultAvailabilityZones } from '../core/regions';
import type * as terraform from './terraform/engine';

/** The packages the Terraform engine needs; optional peer dependencies of the library. */
const TERRAFORM_PACKAGES = ['cdktf', '@cdktf/provider-aws'];

let terraformModule: typeof terraform | undefined;

/**
 * Loads the Terraform engine (and with it cdktf and @cdktf/provider-aws).
 * Only called for environments that ask for Terraform, so a
 * CloudFormation-only program never loads those packages.
 */
function loadTerraformEngine(): typeof terraform {
  if (!terraformModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    terraformModule = require('./terraform/engine') as typeof terraform;
  }
  return terraformModule;
}

/**
 * Why the Terraform engine cannot be loaded (a missing package), or
 * undefined when it can. Other load failures are real bugs and are thrown.
 */
export function terraformEngineLoadError(): string | undefined {
  try {
    loadTerraformEngine();
    return undefined;
  } catch (e: any) {
    const message = String(e?.message ?? e);
    const missing = TERRAFORM_PACKAGES.find(p => message.includes(`'${p}`));
    if (e?.code === 'MODULE_NOT_FOUND' && missing) {
      return `${missing} is not installed`;
    }
    throw e;
  }
}

/**
 * Creates the cloud engine of an environment. The only place that knows
 * which engines exist.
 */
export function createCloudEngine(env: Environment): ICloudEngine {
  if ((env.engine as string) === 'terraform') {
    return loadTerraformEngine().createTerraformEngine(env);
  }
  return new CloudFormationEngine(env.platform._cloudFormationApp(), {
    stackName: env.stackName,
    account: env.account,
    region: env.region,
    description: `cdk-runtime-stack: ${env.platform.name}/${env.id} (${env.tier})`,
    tags: env.tags,
    availabilityZones: defaultAvailabilityZones(env.region, 26),
  });
}
