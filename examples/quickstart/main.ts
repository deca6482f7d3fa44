// The quickstart: one platform, a production environment, an EKS cluster, an app and its database.
import { Environment, KubernetesCluster, ManagedPostgres, Platform, Tier, WebApp } from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
});

const cluster = new KubernetesCluster(prod, 'main');

// `host: 'orders.acme.example.com'` and `connections: [db]` join here once the
// cluster has SupportServices (routing, DNS, TLS) and a ManagedPostgres exists:
// a host without SupportServices is an error (RS030).
new WebApp(cluster, 'orders', {
  image: 'ghcr.io/acme/orders:1.4.2',
  port: 8080,
});

const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
// The database name is fixed at creation; changing it would replace the instance.
Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');

platform.synth();
