import * as cdk8s from 'cdk8s';
import { ConnectOptions, IConnectable } from './core/connections';
import { RuntimeStackConstruct } from './core/element';
import { RenderPhase } from './core/graph';
import { ProblemCollector } from './core/problems';
import type { KubernetesCluster } from './runtimes/kubernetes/kubernetes-cluster';
import { WorkloadCore } from './runtimes/kubernetes/workload-core';
import { WorkloadOptions } from './workload-options';

/**
 * What every workload (WebApp, Worker, ScheduledJob) has: its cluster,
 * namespace and service account, its connections, and the chart of its
 * Kubernetes objects. Subclasses add what their kind emits.
 */
export abstract class Workload extends RuntimeStackConstruct {
  /** The cluster the workload runs in. */
  public readonly cluster: KubernetesCluster;
  /** The workload's namespace (its id unless `namespace` is given). */
  public readonly namespace: string;
  /** The workload's Kubernetes service account (for Pod Identity and RBAC). */
  public readonly serviceAccountName: string;

  /** @internal */
  protected readonly _core: WorkloadCore;

  protected constructor(cluster: KubernetesCluster, id: string, kind: string, props: WorkloadOptions) {
    super(cluster, id);
    this.cluster = cluster;
    this._core = new WorkloadCore(this, cluster, kind, props);
    this.namespace = this._core.namespace;
    this.serviceAccountName = this._core.serviceAccountName;
    this._registerElement(RenderPhase.WORKLOAD, {
      validate: problems => this._validateWorkload(problems),
      render: () => this._renderWorkload(),
    });
  }

  /** Connects the workload to `target` (same as listing it in `connections`). */
  public connect(target: IConnectable, options: ConnectOptions = {}): void {
    this._core.connect(target, options);
  }

  /** The chart holding the workload's objects (after render). */
  public get chart(): cdk8s.Chart {
    return this._core.chart;
  }

  /**
   * Reports the workload's problems (the kind's own checks after the shared ones).
   * @internal
   */
  protected _validateWorkload(problems: ProblemCollector): void {
    this._core.validate(problems);
  }

  /**
   * Emits the workload's Kubernetes objects.
   * @internal
   */
  protected abstract _renderWorkload(): void;
}
