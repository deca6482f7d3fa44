/**
 * TEST-ONLY: a minimal workload that connects to IConnectable targets the
 * way WebApp/Worker/ScheduledJob do (checkConnection at validation,
 * connectionNeeds as cluster needs, bindConnection at render), and records
 * what the binding was asked to do. Not part of the library.
 */
import { Construct, IConstruct } from 'constructs';
import { checkWorkloadConnections } from '../../lib/core/connection-checks';
import { IamGrant, IConnectable, IWorkloadBinding, NetworkSource, SecretEnvironment } from '../../lib/core/connections';
import { RenderPhase } from '../../lib/core/graph';
import { KubernetesCluster } from '../../lib/runtimes/kubernetes/kubernetes-cluster';

export interface FakeConnection {
  readonly target: IConnectable;
  readonly envPrefix?: string;
}

/** TEST-ONLY fake workload: records what its connections ask of the binding. */
export class FakeWorkload extends Construct {
  public readonly plainEnv: Record<string, string> = {};
  public readonly secretEnv: SecretEnvironment[] = [];
  public readonly offers: Array<{ name: string; fromVariable: string }> = [];
  public readonly grants: IamGrant[] = [];
  public readonly egress: Array<{ cidrs: string[]; port: number }> = [];
  public readonly sources: NetworkSource[] = [];

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
        for (const c of resolved) {
          c.target.bindConnection(this.binding(cluster, c.envPrefix));
        }
      },
    });
  }

  private binding(cluster: KubernetesCluster, envPrefix: string): IWorkloadBinding {
    const self = this;
    const networkSource = { key: cluster.clusterName, description: `the pods and nodes of EKS cluster ${cluster.clusterName}`, securityGroupId: cluster._handle.securityGroupId };
    self.sources.push(networkSource);
    return {
      workload: self as IConstruct,
      runtime: cluster,
      envPrefix,
      options: {},
      networkSource,
      grant(permission: IamGrant) { self.grants.push(permission); },
      addEnvironment(name: string, value: string) { self.plainEnv[name] = value; },
      addSecretEnvironment(secret: SecretEnvironment) { self.secretEnv.push(secret); },
      offerEnvironment(name: string, fromVariable: string) { self.offers.push({ name, fromVariable }); },
      allowEgress(cidrs: string[], port: number) { self.egress.push({ cidrs, port }); },
      allowEgressToWorkload() { throw new Error('not in a fake'); },
      allowEgressToPods() { throw new Error('not in a fake'); },
      scaleOnQueueDepth() { throw new Error('not in a fake'); },
    };
  }
}

/** TEST-ONLY stand-in for SupportServices, so clusters with needs validate. */
export function fakeSupportServices(cluster: KubernetesCluster): void {
  cluster._setSupportServices(new Construct(cluster, 'fake-support'));
}
