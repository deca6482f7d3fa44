import { CloudFormationEngine } from './cloudformation/engine';
import { ICloudEngine } from './engine';
import { defaultAvailabilityZones } from '../core/regions';
import type { Environment } from '../environment';

/**
 * Creates the cloud engine of an environment. The only place that knows
 * which engines exist.
 */
export function createCloudEngine(env: Environment): ICloudEngine {
  return new CloudFormationEngine(env.platform._cloudFormationApp(), {
    stackName: env.stackName,
    account: env.account,
    region: env.region,
    description: `cdk-runtime-stack: ${env.platform.name}/${env.id} (${env.tier})`,
    tags: env.tags,
    availabilityZones: defaultAvailabilityZones(env.region, 26),
  });
}
