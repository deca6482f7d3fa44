// A shop on the runtime stack: an API and a worker sharing a PostgreSQL
// database, a bucket, a queue and a cache. The API takes orders on a public
// host, stores uploads and sends jobs; the worker consumes the jobs, scaling
// on the queue's depth. The same shape runs in a STAGING environment on the
// Terraform engine and a PRODUCTION environment on CloudFormation.
import {
  Access, Cache, CloudEngine, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue,
  SupportServices, Tier, WebApp, Worker,
} from 'cdk-runtime-stack';

/** The shop's services and workloads in one environment. */
function shop(env: Environment): void {
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', {
    domain: 'shop.example.com',
    acmeEmail: 'platform@shop.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  });

  const db = new ManagedPostgres(env, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');
  const uploads = new ObjectStore(env, 'uploads');
  const jobs = new Queue(env, 'jobs');
  const sessions = new Cache(env, 'sessions');

  const api = new WebApp(cluster, 'api', {
    image: 'ghcr.io/acme/shop-api:2.3.0',
    port: 8080,
    host: env.tier === Tier.PRODUCTION ? 'api.shop.example.com' : `api-${env.id}.shop.example.com`,
    connections: [db, uploads, sessions],
  });
  api.connect(jobs, { access: Access.WRITE });

  const worker = new Worker(cluster, 'fulfilment', {
    image: 'ghcr.io/acme/shop-worker:2.3.0',
    connections: [db],
  });
  worker.connect(uploads, { access: Access.READ });
  worker.connect(jobs, { access: Access.READ, scaling: { maxReplicas: 20, messagesPerReplica: 10 } });
}

/** The platform: STAGING on Terraform, PRODUCTION on CloudFormation. */
export function shopPlatform(): Platform {
  const platform = new Platform({ name: 'shop' });
  shop(new Environment(platform, 'staging', {
    tier: Tier.STAGING,
    account: '222222222222',
    region: 'eu-west-1',
    engine: CloudEngine.TERRAFORM,
    terraform: { s3Backend: { bucket: 'shop-terraform-state' } },
  }));
  shop(new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: '333333333333',
    region: 'eu-west-1',
  }));
  return platform;
}
