/**
 * TEST-ONLY: a minimal workload that connects to IConnectable targets the
 * way WebApp/Worker/ScheduledJob do (checkConnection at validation,
 * connectionNeeds as cluster needs, bindConnection at render), and records
 * what the binding was asked to do. Not part of the library.
 */
import * as cdk8s from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkWorkloadConnections } from '../../lib/core/connection-checks';
import { IConnectable, IWorkloadBinding } from '../../lib/core/connections';
import { RenderPhase } from '../../lib/core/graph';
import { KubernetesCluster } from '../../lib/runtimes/kubernetes/kubernetes-cluster';
import { ManifestLayer } from '../../lib/runtimes/kubernetes/manifests';

export interface FakeConnection {
  readonly target: IConnectable;
  readonly envPrefix?: string;
}

export interface RecordedSecretEnv {
  readonly name: string;
  readonly secretName: string;
  readonly key: string;
}

/** TEST-ONLY fake workload. */
export class FakeWorkload extends Construct {
  public readonly plainEnv: Record<string, string> = {};
  public readonly secretEnv: RecordedSecretEnv[] = [];
  public readonly egress: Array<{ cidrs: string[]; port: number }> = [];
  public chart?: cdk8s.Chart;

  constructor(cluster: KubernetesCluster, id: string, connections: FakeConnection[]) {
    super(cluster, id);
    for (const c of connections) {
      for (const need of c.target.connectionNeeds()) {
        cluster.addNeed(need, this, undefined, `connection to ${c.target.node.path}`);
      }
    }
    const resolved = connections.map((c, i) => ({
      target: c.target,
      envPrefix: c.envPrefix ?? c.target.connectionEnvPrefix,
      prop: `connections[${i}]`,
    }));
    cluster.environment.platform._register({
      scope: this,
      phase: RenderPhase.WORKLOAD,
      validate: problems => {
        const all = [
          ...resolved.flatMap(c => c.target.checkConnection(this, cluster).map(p => ({ ...p, prop: c.prop }))),
          ...checkWorkloadConnections(resolved),
        ];
        for (const p of all) problems.error(this, p.code, p.prop, p.message, p.fix);
      },
      render: () => {
        const chart = cluster._manifests.chart(ManifestLayer.APPS, id, id);
        this.chart = chart;
        for (const c of resolved) {
          c.target.bindConnection(this.binding(cluster, chart, c.envPrefix));
        }
      },
    });
  }

  private binding(cluster: KubernetesCluster, chart: cdk8s.Chart, envPrefix: string): IWorkloadBinding {
    const self = this;
    return {
      workload: self as IConstruct,
      cluster,
      namespace: this.node.id,
      serviceAccountName: this.node.id,
      chart,
      envPrefix,
      addEnvironment(name: string, value: string) { self.plainEnv[name] = value; },
      addSecretEnvironment(name: string, secretName: string, key: string) { self.secretEnv.push({ name, secretName, key }); },
      allowEgress(cidrs: string[], port: number) { self.egress.push({ cidrs, port }); },
    };
  }
}

/** TEST-ONLY stand-in for SupportServices, so clusters with needs validate. */
export function fakeSupportServices(cluster: KubernetesCluster): void {
  cluster._setSupportServices(new Construct(cluster, 'fake-support'));
}
