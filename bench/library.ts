/**
 * The library variant: the quickstart shape, N apps per environment, each
 * with a public host and metrics, connected to one of ceil(N / 10) databases
 * (a database per app would pass CloudFormation's 500 resources per stack
 * at about 30 apps in PRODUCTION, which the library reports as RS019).
 */
import { Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp } from '../lib';

export function synthLibrary(apps: number, environments: string[], outdir: string): void {
  const platform = new Platform({ name: 'bench' });
  for (const envName of environments) {
    const env = new Environment(platform, envName, {
      tier: envName === 'prod' ? Tier.PRODUCTION : Tier.STAGING,
      account: '111111111111',
      region: 'eu-west-1',
    });
    const cluster = new KubernetesCluster(env, 'main');
    new SupportServices(cluster, 'support', { domain: `${envName}.bench.example.com`, acmeEmail: 'platform@bench.example.com' });
    const dbs = Array.from({ length: Math.ceil(apps / 10) }, (_, d) => new ManagedPostgres(env, `db${d}`, {}));
    for (let i = 0; i < apps; i++) {
      const db = dbs[Math.floor(i / 10)];
      new WebApp(cluster, `app${i}`, {
        image: 'ghcr.io/acme/app:1.0.0',
        port: 8080,
        host: `app${i}.${envName}.bench.example.com`,
        metrics: { port: 9090 },
        connections: [db],
      });
    }
  }
  platform.synth({ cloudAssemblyOutdir: `${outdir}/cdk.out`, manifestsOutdir: `${outdir}/dist` });
}
