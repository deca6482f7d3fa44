/**
 * The baseline: roughly the same stack written by hand with aws-cdk-lib and
 * cdk8s-plus-28 (VPC, EKS cluster and node group, one RDS PostgreSQL per
 * 10 apps; per app a namespace, service account, deployment, service and a
 * default-deny network policy). No validation, no support services, no
 * wiring: it shows what the library's extra work costs.
 */
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

export function synthHandWritten(apps: number, environments: string[], outdir: string): void {
  const app = new cdk.App({ outdir: `${outdir}/cdk.out`, context: { 'aws:cdk:disable-stack-trace': true } });
  const k8s = new cdk8s.App({ outdir: `${outdir}/dist` });
  for (const envName of environments) {
    const stack = new cdk.Stack(app, `hand-${envName}`, { env: { account: '111111111111', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], natGateways: 1 });
    const cluster = new eks.Cluster(stack, 'Cluster', {
      version: eks.KubernetesVersion.of('1.36'),
      vpc,
      defaultCapacity: 0,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      secretsEncryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    });
    cluster.addNodegroupCapacity('Nodes', { minSize: 2, maxSize: 6 });
    const chart = new cdk8s.Chart(k8s, `hand-${envName}`);
    for (let i = 0; i < apps; i++) {
      if (i % 10 === 0) {
        new rds.DatabaseInstance(stack, `Db${i}`, {
          engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
          vpc,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          storageEncrypted: true,
          credentials: rds.Credentials.fromGeneratedSecret('app'),
        });
      }
      const ns = new kplus.Namespace(chart, `ns-${i}`, { metadata: { name: `app-${i}` } });
      const deployment = new kplus.Deployment(chart, `app-${i}`, {
        metadata: { namespace: ns.name },
        replicas: 2,
        containers: [{ image: 'ghcr.io/acme/app:1.0.0', portNumber: 8080, securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true } }],
      });
      deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
      new kplus.NetworkPolicy(chart, `deny-${i}`, { metadata: { namespace: ns.name } });
    }
  }
  app.synth();
  k8s.synth();
}
