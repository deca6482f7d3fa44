import { Construct, IConstruct } from 'constructs';
import { NeedRecord, SupportNeed } from './connections';
import { RuntimeStackConstruct } from './element';

/**
 * What every place workloads run on (a `KubernetesCluster`, a
 * `FargateRuntime`) keeps: the needs its workloads and their connections
 * record (routing, DNS, TLS, secrets, metrics, autoscaling, ...). Each
 * runtime decides how it meets them, or reports the ones it cannot.
 */
export abstract class WorkloadRuntimeConstruct extends RuntimeStackConstruct {
  private readonly needRecords: NeedRecord[] = [];

  protected constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  /**
   * Records that `requester` needs `need` from this runtime. Workloads and
   * connections call it; the runtime (on Kubernetes, its SupportServices)
   * meets the need or reports what it cannot provide.
   */
  public addNeed(need: SupportNeed, requester: IConstruct, host?: string, reason?: string): void {
    this.needRecords.push({ need, requester, host, reason });
  }

  /** Every need recorded on this runtime, in the order recorded. */
  public get needs(): NeedRecord[] {
    return [...this.needRecords];
  }
}
