/**
 * Shared fixtures of the Terraform engine tests: environments rendered with
 * either engine, sample intents, and the parsed Terraform JSON.
 */
import {
  CloudEngine, Environment, EnvironmentProps, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { DataRemoval } from '../../../lib/core/tier';
import { ICloudEngine, WorkloadRoleIntent } from '../../../lib/engines/engine';
import { TerraformEngine } from '../../../lib/engines/terraform/engine';
import { fakeSupportServices } from '../../util/fake-workload';

/** A Terraform stack's JSON: `resource.<type>.<name>` and the rest. */
export interface TerraformJson {
  readonly provider: Record<string, any[]>;
  readonly terraform: Record<string, any>;
  readonly resource: Record<string, Record<string, any>>;
}

/**
 * The Terraform JSON of a Terraform environment (after render), as
 * `cdk.tf.json` holds it (with the `//` metadata naming each resource's
 * construct path).
 */
export function terraformJson(env: Environment): TerraformJson {
  return JSON.parse(JSON.stringify(terraformEngine(env).terraformStack.toTerraform())) as TerraformJson;
}

export function terraformEngine(env: Environment): TerraformEngine {
  const engine = env._engine();
  if (!(engine instanceof TerraformEngine)) {
    throw new Error(`${env.node.path} does not use the Terraform engine`);
  }
  return engine;
}

/** Every resource of `type`, as a list. */
export function resources(json: TerraformJson, type: string): any[] {
  return Object.values(json.resource[type] ?? {});
}

/** The one resource of `type` whose construct path ends with `pathSuffix`, with its name. */
function theOne(json: TerraformJson, type: string, pathSuffix: string): [string, any] {
  const found = Object.entries<any>(json.resource[type] ?? {}).filter(([, r]) => String(r['//']?.metadata?.path).endsWith(pathSuffix));
  if (found.length !== 1) {
    throw new Error(`expected one ${type} at */${pathSuffix}, found ${found.length}`);
  }
  return found[0];
}

/** The one resource of `type` whose construct path ends with `pathSuffix`. */
export function resource(json: TerraformJson, type: string, pathSuffix: string): any {
  return theOne(json, type, pathSuffix)[1];
}

/** The address (`<type>.<name>`, as in `depends_on`) of the one resource of `type` whose construct path ends with `pathSuffix`. */
export function address(json: TerraformJson, type: string, pathSuffix: string): string {
  return `${type}.${theOne(json, type, pathSuffix)[0]}`;
}

/**
 * The quickstart (examples/quickstart/main.ts) in one engine: platform
 * `acme`, a PRODUCTION environment `prod`, cluster `main`.
 */
export function quickstart(engine: CloudEngine, props: Partial<EnvironmentProps> = {}) {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: '111111111111',
    region: 'eu-west-1',
    engine,
    ...props,
  });
  const cluster = new KubernetesCluster(prod, 'main');
  return { platform, prod, cluster };
}

/**
 * The whole quickstart program (examples/quickstart/main.ts, and
 * examples/terraform/main.ts for Terraform) in one engine: SupportServices,
 * a ManagedPostgres and a WebApp with a public host connected to it.
 * Not rendered.
 */
export function fullQuickstart(engine: CloudEngine) {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: '111111111111',
    region: 'eu-west-1',
    engine,
    ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
  });
  const cluster = new KubernetesCluster(prod, 'main');
  new SupportServices(cluster, 'support', {
    domain: 'acme.example.com',
    acmeEmail: 'platform@acme.example.com',
  });
  const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');
  const app = new WebApp(cluster, 'orders', {
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    host: 'orders.acme.example.com',
    connections: [db],
  });
  return { platform, prod, cluster, db, app };
}

/** A workload role as a connection to a database would ask for it. */
export function sampleWorkloadRole(): WorkloadRoleIntent {
  return {
    scopeId: 'orders',
    grain: 'own',
    roleName: 'acme-prod-main-orders',
    namespace: 'orders',
    serviceAccount: 'orders',
    description: 'Pod Identity role of orders in acme-prod-main',
    statements: [{
      sid: 'ReadConnectionSecret',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: ['arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme/prod/orders-db-??????'],
    }],
  };
}

/**
 * Before render: a database with sample props (a parameter, Performance
 * Insights on) and a worker connected to it, so that the database admits
 * the cluster. The cluster gets a stand-in for SupportServices if it has none.
 */
export function sampleDatabase(env: Environment, cluster: KubernetesCluster): ManagedPostgres {
  if (!cluster._supportServices) fakeSupportServices(cluster);
  const db = new ManagedPostgres(env, 'orders-db', {
    databaseName: 'orders',
    performanceInsights: true,
    parameters: { log_min_duration_statement: '1000' },
  });
  new Worker(cluster, 'orders-worker', { image: 'ghcr.io/acme/orders:1.4.2', connections: [db] });
  return db;
}

/** After render: adds the sample workload role and a log group to an environment. */
export function addSampleIntents(env: Environment, cluster: KubernetesCluster): ICloudEngine {
  const engine = env._engine();
  engine.workloadRole(sampleWorkloadRole(), cluster._handle);
  engine.logGroup({ scopeId: 'orders', name: '/acme/prod/orders', retentionDays: env.defaults.logRetentionDays, removal: env.defaults.dataRemoval === DataRemoval.RETAIN ? 'retain' : 'destroy' });
  return engine;
}
