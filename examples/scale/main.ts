// Scale: 200 services, each a web app at a public host with a PostgreSQL
// database of its own and autoscaling, in three environments (accounts and
// regions of their own). Every database gets a CloudFormation stack of its
// own beside its environment's foundation stack (see "Stack layout" in the
// README), so each stack stays far from CloudFormation's limits:
//
//   cdk synth                       # 603 stacks
//   cdk deploy --all --concurrency 10
//   cdk deploy -e acme-prod-svc042-db   # one service's stack alone
//
// SCALE_SERVICES=20 cdk synth makes a smaller one. SCALE_TEAM_SIZE=25 cdk synth
// declares the services in teams of 25, each team's databases in a StackGroup
// of its own (27 stacks: acme-prod-team0 ... acme-prod-team7):
//
//   SCALE_TEAM_SIZE=25 cdk deploy -e acme-prod-team1   # one team's databases alone
import {
  Environment, KubernetesCluster, ManagedPostgres, Platform, StackGroup, SupportServices, Tier, WebApp,
} from 'cdk-runtime-stack';

const services = Number(process.env.SCALE_SERVICES ?? 200);
const teamSize = process.env.SCALE_TEAM_SIZE ? Number(process.env.SCALE_TEAM_SIZE) : undefined;
const platform = new Platform({ name: 'acme' });

const environments = [
  { id: 'dev', tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' },
  { id: 'staging', tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1' },
  { id: 'prod', tier: Tier.PRODUCTION, account: '333333333333', region: 'us-east-1' },
];

for (const e of environments) {
  const env = new Environment(platform, e.id, { tier: e.tier, account: e.account, region: e.region });
  const cluster = new KubernetesCluster(env, 'main');
  const domain = `${e.id}.acme.example.com`;
  new SupportServices(cluster, 'support', { domain, acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const teams: StackGroup[] = [];
  for (let i = 0; i < services; i++) {
    const name = `svc${String(i).padStart(3, '0')}`;
    // The team follows from the service's number, part of its name (never from its position among
    // the others), and never changes: a service that changed teams would move to another stack.
    const team = teamSize ? Math.floor(i / teamSize) : undefined;
    if (team !== undefined && !teams[team]) teams[team] = new StackGroup(env, `team${team}`);
    const db = new ManagedPostgres(env, `${name}-db`, { databaseName: name, stackGroup: team !== undefined ? teams[team] : undefined });
    Platform.acknowledgeWarning(db, 'RS315', `${name} is the database name since the first deploy; it never changes.`);
    new WebApp(cluster, name, {
      image: `ghcr.io/acme/${name}:1.0.0`,
      port: 8080,
      host: `${name}.${domain}`,
      autoscaling: { minReplicas: 2, maxReplicas: 10 },
      connections: [db],
    });
  }
}

platform.synth();
