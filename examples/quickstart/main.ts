// The quickstart: one platform, a production environment, an EKS cluster, a database.
import { Environment, KubernetesCluster, ManagedPostgres, Platform, Tier } from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
});

new KubernetesCluster(prod, 'main');

const db = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
// The database name is fixed at creation; changing it would replace the instance.
Platform.acknowledgeWarning(db, 'RS315', 'orders is the database name since the first deploy; it never changes.');

platform.synth();
