import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { ConnectOptions, IConnectable, IWorkloadRuntime } from './core/connections';
import { RuntimeStackConstruct } from './core/element';
import { RenderPhase } from './core/graph';
import { ProblemCollector } from './core/problems';
import { WorkloadBase } from './core/workload-base';
import { WorkloadOptions } from './core/workload-options';
import { FargateRuntime } from './runtimes/fargate/fargate-runtime';
import { FargateWorkload } from './runtimes/fargate/fargate-workload';
import { KubernetesCluster } from './runtimes/kubernetes/kubernetes-cluster';
import { WorkloadCore } from './runtimes/kubernetes/workload-core';

/**
 * What every workload (WebApp, Worker, ScheduledJob) has: where it runs
 * (a `KubernetesCluster` or a `FargateRuntime`, the same props on both),
 * its connections, and what its runtime renders of it. Subclasses add
 * what their kind emits.
 */
export abstract class Workload extends RuntimeStackConstruct {
  /** Where the workload runs: a `KubernetesCluster` or a `FargateRuntime`. */
  public readonly runtime: IWorkloadRuntime;
  /** The cluster the workload runs in (on Kubernetes). */
  public readonly cluster?: KubernetesCluster;
  /** The workload's namespace (on Kubernetes: its id unless `namespace` is given). */
  public readonly namespace?: string;
  /** The workload's Kubernetes service account (on Kubernetes, for Pod Identity and RBAC). */
  public readonly serviceAccountName?: string;
  /** The container image (for checks of your own, see `Platform.addCheck`). */
  public readonly image: string;

  /** @internal */
  protected readonly _base: WorkloadBase<any>;
  /** @internal */
  protected readonly _kubernetes?: WorkloadCore;
  /** @internal */
  protected readonly _fargate?: FargateWorkload;

  protected constructor(runtime: IWorkloadRuntime, id: string, kind: string, props: WorkloadOptions) {
    super(runtime as unknown as Construct, id);
    this.runtime = runtime;
    this.image = props.image;
    if (runtime instanceof KubernetesCluster) {
      this.cluster = runtime;
      this._kubernetes = new WorkloadCore(this, runtime, kind, props);
      this._base = this._kubernetes;
      this.namespace = this._kubernetes.namespace;
      this.serviceAccountName = this._kubernetes.serviceAccountName;
    } else if (runtime instanceof FargateRuntime) {
      this._fargate = new FargateWorkload(this, runtime, kind, props);
      this._base = this._fargate;
    } else {
      throw new Error(`${this.node.path}: a ${kind} runs on a KubernetesCluster or a FargateRuntime; ${runtime?.node?.path ?? String(runtime)} is neither. `
        + `Create it as new ${kind}(cluster, '${id}', { ... }) or new ${kind}(fargateRuntime, '${id}', { ... }).`);
    }
    this._registerElement(RenderPhase.WORKLOAD, {
      validate: problems => this._validateWorkload(problems),
      render: () => this._fargate ? this._renderOnFargate(this._fargate) : this._renderWorkload(),
      checkRendered: problems => this._fargate?.checkRendered(problems),
      describe: () => ({ kind, role: 'workload', host: (props as { host?: string }).host, connections: this._base.connections }),
    });
  }

  /** Connects the workload to `target` (same as listing it in `connections`). */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    this._base.connect(target, options);
  }

  /** The chart holding the workload's objects (after render; on Kubernetes). */
  public get chart(): cdk8s.Chart {
    return this._core.chart;
  }

  /**
   * The Kubernetes core; an error on Fargate, where the workload has no
   * Kubernetes objects.
   * @internal
   */
  protected get _core(): WorkloadCore {
    if (!this._kubernetes) {
      throw new Error(`${this.node.path} runs on Fargate (${this.runtime.node.path}): it has no Kubernetes objects`);
    }
    return this._kubernetes;
  }

  /**
   * Reports the workload's problems (the kind's own checks after the shared ones).
   * @internal
   */
  protected _validateWorkload(problems: ProblemCollector): void {
    this._base.validate(problems);
  }

  /**
   * Emits the workload's Kubernetes objects.
   * @internal
   */
  protected abstract _renderWorkload(): void;

  /**
   * Renders the workload on Fargate.
   * @internal
   */
  protected abstract _renderOnFargate(fargate: FargateWorkload): void;
}
