import { CloudEngine } from './cloud-engine';
import { CLOUDFORMATION_PROVIDER } from './cloudformation/engine';
import { CloudEngineProvider } from './engine';
import { TERRAFORM_PROVIDER } from './terraform/provider';

export { terraformEngineLoadError } from './terraform/provider';

/**
 * Every engine, by `CloudEngine` value: the only place that knows which
 * engines exist. An engine's options, their checks, its limits and its
 * output live with the engine; `Environment` only looks it up here.
 */
const ENGINES: Record<CloudEngine, CloudEngineProvider<any>> = {
  [CloudEngine.CLOUDFORMATION]: CLOUDFORMATION_PROVIDER,
  [CloudEngine.TERRAFORM]: TERRAFORM_PROVIDER,
};

/** The provider of `engine`, or undefined for a value that is no engine. */
export function engineProvider(engine: CloudEngine): CloudEngineProvider<any> | undefined {
  return Object.prototype.hasOwnProperty.call(ENGINES, engine) ? ENGINES[engine] : undefined;
}

/** Every engine with its provider, in the enum's order. */
export function engineProviders(): Array<[CloudEngine, CloudEngineProvider<any>]> {
  return Object.values(CloudEngine).map(e => [e, ENGINES[e]]);
}
