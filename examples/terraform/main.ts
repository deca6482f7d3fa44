// The quickstart (examples/quickstart/main.ts) with the Terraform engine:
// the AWS side becomes a Terraform stack (cdktf.out/), the Kubernetes side
// the same YAML as the quickstart (dist/). One platform, a production
// environment, an EKS cluster with its support services, a PostgreSQL
// database, and a web app that is reachable at a public host and connects
// to the database.
import {
  CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp,
} from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
  engine: CloudEngine.TERRAFORM,
  terraform: {
    // State in S3, locked with a lock file (Terraform 1.10+), encrypted:
    // it holds the generated database password.
    s3Backend: { bucket: 'acme-terraform-state' },
  },
});

const cluster = new KubernetesCluster(prod, 'main');

new SupportServices(cluster, 'support', {
  domain: 'acme.example.com',              // the Route 53 zone for DNS + certificates
  acmeEmail: 'platform@acme.example.com',
});

const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
// The database name is fixed at creation (changing it replaces the
// instance), so PRODUCTION asks for an acknowledgement (RS315).
Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');

new WebApp(cluster, 'orders', {
  image: 'ghcr.io/acme/orders:1.4.2',
  port: 8080,
  host: 'orders.acme.example.com',
  connections: [db],
});

platform.synth();
