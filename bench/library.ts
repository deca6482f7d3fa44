/**
 * The library variant of the benchmark's system (bench/shape.ts): what a
 * user writes.
 */
import { ENVIRONMENTS, appName, domainOf } from './shape';
import { CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, StackGroup, SupportServices, Tier, WebApp } from '../lib';

const TIERS = { development: Tier.DEVELOPMENT, staging: Tier.STAGING, production: Tier.PRODUCTION };

/** Services of a team, in the `library-grouped` variant: 25 databases a stack, as the hand-written system packs them. */
const TEAM_SIZE = 25;

/**
 * `grouped`: the variant `library-grouped`, where the services are declared
 * in teams of 25, each team's databases in a StackGroup of its own (what
 * the hand-written system packs by count, the user declares by team).
 */
export function synthLibrary(apps: number, outdir: string, validation: boolean, engineName: 'cloudformation' | 'terraform' = 'cloudformation', grouped = false): void {
  const engine = engineName === 'terraform' ? CloudEngine.TERRAFORM : CloudEngine.CLOUDFORMATION;
  const platform = new Platform({ name: 'bench', cloudFormationValidation: validation });
  for (const e of ENVIRONMENTS) {
    const env = new Environment(platform, e.id, {
      tier: TIERS[e.tier], account: e.account, region: e.region, engine,
      // One state per environment, in S3 (PRODUCTION asks for a backend: RS608).
      ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: `bench-${e.id}-terraform-state` } } } : {}),
    });
    const cluster = new KubernetesCluster(env, 'main');
    new SupportServices(cluster, 'support', { domain: domainOf(e), acmeEmail: 'platform@bench.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const teams: StackGroup[] = [];
    for (let i = 0; i < apps; i++) {
      const name = appName(i);
      const team = Math.floor(i / TEAM_SIZE);
      if (grouped && !teams[team]) teams[team] = new StackGroup(env, `team${team}`);
      const db = new ManagedPostgres(env, `${name}-db`, { stackGroup: grouped ? teams[team] : undefined });
      Platform.acknowledgeWarning(db, 'RS315', 'benchmark');
      new WebApp(cluster, name, {
        image: `ghcr.io/acme/${name}:1.0.0`,
        port: 8080,
        host: `${name}.${domainOf(e)}`,
        autoscaling: { minReplicas: 2, maxReplicas: 10 },
        connections: [db],
      });
    }
  }
  platform.synth({ cloudAssemblyOutdir: `${outdir}/cdk.out`, manifestsOutdir: `${outdir}/dist`, terraformOutdir: `${outdir}/cdktf.out`, summary: false });
}

/** The quickstart (examples/quickstart/main.ts), as a baseline. */
export function synthQuickstart(outdir: string, validation: boolean): void {
  const platform = new Platform({ name: 'acme', cloudFormationValidation: validation });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(prod, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com' });
  const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');
  new WebApp(cluster, 'orders', { image: 'ghcr.io/acme/orders:1.4.2', port: 8080, host: 'orders.acme.example.com', connections: [db] });
  platform.synth({ cloudAssemblyOutdir: `${outdir}/cdk.out`, manifestsOutdir: `${outdir}/dist`, summary: false });
}
