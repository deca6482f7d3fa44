// The runtime continuum: one PRODUCTION environment with an EKS cluster and
// a Fargate runtime. The same app definition (`ordersApp`) is placed on
// both; both copies share one PostgreSQL database. On Fargate a worker
// consumes a queue the app sends to, and a nightly job runs on EventBridge
// Scheduler. Only the parent changes between the two placements.
import {
  Access, ConcurrencyPolicy, Environment, FargateRuntime, IWorkloadRuntime, KubernetesCluster, ManagedPostgres, Platform, Queue,
  ScheduledJob, SupportServices, Tier, WebApp, Worker,
} from 'cdk-runtime-stack';

/** The orders app, the same props wherever it runs. */
export function ordersApp(runtime: IWorkloadRuntime, host: string, db: ManagedPostgres, jobs: Queue): WebApp {
  const app = new WebApp(runtime, 'orders', {
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    host,
    env: { LOG_LEVEL: 'info' },
    healthCheck: { path: '/healthz' },
    autoscaling: { maxReplicas: 6 },
    connections: [db],
  });
  app.connect(jobs, { access: Access.WRITE });
  return app;
}

export function continuumPlatform(): Platform {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '444444444444', region: 'eu-west-1' });

  const db = new ManagedPostgres(env, 'orders-db', { databaseName: 'orders' });
  Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');
  const jobs = new Queue(env, 'jobs');

  // Kubernetes: the main platform.
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', {
    domain: 'acme.example.com',
    acmeEmail: 'platform@acme.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  });
  ordersApp(cluster, 'orders.acme.example.com', db, jobs);

  // Fargate: the same app, a queue consumer and a nightly job, no cluster to run.
  const fargate = new FargateRuntime(env, 'edge', {
    domain: 'edge.acme.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
  });
  const onFargate = ordersApp(fargate, 'orders.edge.acme.example.com', db, jobs);
  const fulfilment = new Worker(fargate, 'fulfilment', {
    image: 'ghcr.io/acme/fulfilment:1.4.2',
    connections: [db],
  });
  fulfilment.connect(jobs, { access: Access.READ, scaling: { minReplicas: 2, maxReplicas: 20, messagesPerReplica: 10 } });
  const report = new ScheduledJob(fargate, 'nightly-report', {
    image: 'ghcr.io/acme/reports:1.4.2',
    schedule: '30 2 * * *',
    timeZone: 'Europe/Paris',
    concurrencyPolicy: ConcurrencyPolicy.ALLOW,
    connections: [db],
  });
  // Fargate sets the database's parts, not ORDERS_DB_URL / DATABASE_URL (RS160): these images build their URL from them.
  for (const workload of [onFargate, fulfilment, report]) {
    Platform.acknowledgeWarning(workload, 'RS160', 'the image builds its database URL from ORDERS_DB_HOST, _PORT, _DATABASE, _USER and _PASSWORD');
  }
  return platform;
}
