/**
 * The cloud side, engine-neutral. Public constructs describe *intents*
 * (plain data: a network, a cluster, a workload role, a database, ...) and
 * hand them to the environment's engine, which renders them with
 * aws-cdk-lib (CloudFormation) or cdktf (Terraform).
 *
 * An engine keeps only the core every environment has (its stack, the
 * network, clusters, roles, log groups, limits, output); managed services
 * bring their own renderers, one per engine (`ServiceRenderers`), from
 * their folder under `lib/services/`. Intents are complete and free of
 * policy: every decision (removal, retention, partition) is made before an
 * engine sees it, in `lib/core/policy.ts`.
 */
import type { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { CloudFormationRenderer } from './cloudformation/context';
import type {
  ClusterHandle, ClusterIntent, ExistingNetworkIntent, ImportedClusterIntent, LogGroupIntent, NetworkHandle, NetworkIntent,
  RecordedIntent, RoleHandle, ServiceIntentBase, WorkloadRoleIntent,
} from './intents';
import type { TerraformRenderer } from './terraform/context';
import type { Removal } from '../core/policy';
import type { ProblemCollector } from '../core/problems';
import type { StackGrain } from '../core/stack-layout';
import type { Tier } from '../core/tier';

export * from './intents';

/**
 * A managed service's renderers, one per engine, each loaded only by its
 * engine (the Terraform one requires @cdktf/provider-aws). A service folder
 * exports one of these; no engine file names any service.
 */
export interface ServiceRenderers<I extends ServiceIntentBase, H> {
  /** The intent type recorded for parity checks, e.g. `postgres`. */
  readonly type: string;
  /**
   * Where a CloudFormation engine puts the service: `own` (the default) is
   * a stack of the service's own, named after its scope id; `foundation`
   * is the environment's foundation stack, for what the environment holds
   * once for all its services (the S3 access-log bucket, the S3 endpoint).
   * See `lib/core/stack-layout.ts`.
   */
  readonly grain?: StackGrain;
  readonly cloudFormation: () => CloudFormationRenderer<I, H>;
  readonly terraform: () => TerraformRenderer<I, H>;
}

/**
 * One environment's cloud side. Implemented by the CloudFormation engine
 * (`lib/engines/cloudformation/`) and the Terraform engine
 * (`lib/engines/terraform/`).
 */
export interface ICloudEngine {
  /** The engine's name, for messages. */
  readonly kind: string;
  /** Every intent this engine was given, in order. */
  readonly intents: RecordedIntent[];
  /** The environment's foundation CloudFormation stack, when the engine writes CloudFormation. */
  readonly cloudFormationStack?: Stack;
  /** Every CloudFormation stack of the environment, the foundation first, when the engine writes CloudFormation. */
  readonly cloudFormationStacks?: Stack[];
  /** Records an intent that a service rendered through a handle (for parity checks). */
  record(type: string, intent: unknown): void;
  network(intent: NetworkIntent): NetworkHandle;
  existingNetwork(intent: ExistingNetworkIntent): NetworkHandle;
  cluster(intent: ClusterIntent, network: NetworkHandle): ClusterHandle;
  importedCluster(intent: ImportedClusterIntent): ClusterHandle;
  workloadRole(intent: WorkloadRoleIntent, cluster: ClusterHandle): RoleHandle;
  logGroup(intent: LogGroupIntent): void;
  /** Renders a managed service with its renderer for this engine. */
  service<I extends ServiceIntentBase, H>(renderers: ServiceRenderers<I, H>, intent: I, network?: NetworkHandle): H;
  /** Completes the output once every element rendered (for example: never an empty stack). */
  finalize(): void;
  /** Reports limits only the rendered output shows (before anything is written). */
  checkLimits(scope: IConstruct, problems: ProblemCollector): void;
  /** The stacks of the rendered output with their resources, for the synth summary. */
  stacks(): Array<{ readonly name: string; readonly resources: number }>;
}

/** What an engine knows of its environment: plain values. */
export interface EngineEnvironment {
  /** `<platform>/<environment>`. */
  readonly path: string;
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly description: string;
  readonly tags: Record<string, string>;
  /** Every zone of the region (the answer to zone lookups, so synth stays hermetic). */
  readonly regionZones: string[];
  /** The environment's key for log groups (created when the first log group needs it). */
  readonly logsKey: LogsKeyIntent;
}

/** The KMS key that encrypts every log group of an environment. */
export interface LogsKeyIntent {
  readonly alias: string;
  readonly removal: Removal;
}

/** Writes one engine's output into a staging folder during `Platform.synth()`. */
export interface OutputBackend {
  /** Which output folder it writes. */
  readonly output: 'cloudAssembly' | 'terraform';
  write(staging: string): void;
}

/** What an engine may ask of the platform it runs in. */
export interface EngineHost {
  /** Whether the CloudFormation engine runs aws-cdk-lib's built-in template validation. */
  readonly cloudFormationValidation: boolean;
  /** Registers how the engine's output is written (once per platform and engine). */
  _addOutputBackend(backend: OutputBackend): void;
}

/** What an engine checks of an environment's props before anything renders. */
export interface EngineCheckInput<O> {
  readonly tier: Tier;
  readonly options?: O;
}

/**
 * An engine as `Environment` sees it: its options, their checks, and how
 * it is created. `lib/engines/registry.ts` lists them.
 */
export interface CloudEngineProvider<O = unknown> {
  /** The `EnvironmentProps` key holding this engine's options, if it has any. */
  readonly optionsProp?: string;
  /** Reports every problem of the environment's engine options (never throws). */
  validate(scope: IConstruct, problems: ProblemCollector, input: EngineCheckInput<O>): void;
  create(host: EngineHost, env: EngineEnvironment, options?: O): ICloudEngine;
}
