import { Construct } from 'constructs';
import { claimId, GraphElement, recordRequestedId, RenderPhase } from './graph';
import { Platform } from './platform';

/**
 * A construct of the runtime-stack graph (an environment, a cluster, a
 * managed service, a workload, ...): it claims its id, so that a
 * duplicate becomes a coded error reported with every other problem
 * instead of an exception, records the id the user asked for, and
 * registers its validation and rendering with the platform, which runs
 * them for the whole graph in order.
 */
export abstract class RuntimeStackConstruct extends Construct {
  protected constructor(scope: Construct, id: string) {
    super(scope, claimId(scope, id));
    recordRequestedId(this, id);
  }

  /**
   * Registers this construct's checks and rendering with its platform.
   * @internal
   */
  protected _registerElement(phase: RenderPhase, hooks: Omit<GraphElement, 'scope' | 'phase'>): void {
    Platform.of(this)._register({ scope: this, phase, ...hooks });
  }
}
