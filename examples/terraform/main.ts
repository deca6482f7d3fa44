// The quickstart with the Terraform engine: the AWS side becomes a Terraform
// stack (cdktf.out/), the Kubernetes side the same YAML as the quickstart (dist/).
import { CloudEngine, Environment, KubernetesCluster, Platform, Tier } from 'cdk-runtime-stack';

const platform = new Platform({ name: 'acme' });

const prod = new Environment(platform, 'prod', {
  tier: Tier.PRODUCTION,
  account: '111111111111',
  region: 'eu-west-1',
  engine: CloudEngine.TERRAFORM,
  terraform: {
    // State in S3, locked with a lock file (Terraform 1.10+).
    s3Backend: { bucket: 'acme-terraform-state' },
  },
});

new KubernetesCluster(prod, 'main');

platform.synth();
