/**
 * Test fixtures for workloads: a platform with one environment and one
 * (existing, so rendering is fast) cluster, optionally with a stand-in for
 * SupportServices.
 */
import { Construct } from 'constructs';
import { Environment, KubernetesCluster, Platform, Tier } from '../../lib';

export interface TestCluster {
  readonly platform: Platform;
  readonly environment: Environment;
  readonly cluster: KubernetesCluster;
}

export interface TestClusterOptions {
  /** Environment id. @default 'dev' */
  readonly envId?: string;
  /** Reuse a platform (for graphs with several environments). */
  readonly platform?: Platform;
  /**
   * Register a stand-in for SupportServices so that workloads with needs
   * (host, metrics, autoscaling) pass RS030. TEST ONLY: the real
   * SupportServices construct is built in its own issue.
   * @default true
   */
  readonly supportStub?: boolean;
  /** A `domainFor(host)` answer the stand-in gives (see lib/private/routing.ts). */
  readonly domains?: string[];
}

export function testCluster(tier: Tier = Tier.DEVELOPMENT, options: TestClusterOptions = {}): TestCluster {
  const platform = options.platform ?? new Platform({ name: 'acme' });
  const envId = options.envId ?? 'dev';
  const environment = new Environment(platform, envId, { tier, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(environment, 'main', { existing: { clusterName: `acme-${envId}-main` } });
  if (options.supportStub ?? true) {
    // Stand-in for SupportServices (test only).
    const stub = new Construct(cluster, 'support-stub');
    const domains = options.domains;
    if (domains) {
      Object.assign(stub, {
        domainFor: (host: string) => domains
          .filter(d => host === d || host.endsWith(`.${d}`))
          .sort((a, b) => b.length - a.length)[0],
      });
    }
    cluster._setSupportServices(stub);
  }
  return { platform, environment, cluster };
}

/** The objects of `kind` (and `name`, when given). */
export function objectsOf(docs: any[], kind: string, name?: string): any[] {
  return docs.filter(d => d.kind === kind && (name === undefined || d.metadata?.name === name));
}

/** The one object of `kind` named `name` (in `namespace`, when given); fails otherwise. */
export function objectOf(docs: any[], kind: string, name: string, namespace?: string): any {
  const found = objectsOf(docs, kind, name).filter(d => namespace === undefined || d.metadata?.namespace === namespace);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${namespace ?? '*'}/${name}, found ${found.length}: ${docs.map(d => `${d.kind} ${d.metadata?.namespace}/${d.metadata?.name}`).join(', ')}`);
  }
  return found[0];
}
