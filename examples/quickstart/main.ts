// The quickstart: one platform, a production environment, an EKS cluster.
import { Environment, KubernetesCluster, Platform, SupportServices, Tier } from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
});

const cluster = new KubernetesCluster(prod, 'main');

new SupportServices(cluster, 'support', {
  domain: 'acme.example.com',              // the Route 53 zone for DNS + certificates
  acmeEmail: 'platform@acme.example.com',
});

platform.synth();
