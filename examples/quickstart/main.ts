// The quickstart: one platform, a production environment, an EKS cluster.
import { Environment, KubernetesCluster, Platform, Tier } from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
});

new KubernetesCluster(prod, 'main');

platform.synth();
