/**
 * The baseline: the benchmark's system (bench/shape.ts) written by hand
 * with aws-cdk-lib's L2 constructs and cdk8s-plus-28, splitting its
 * databases into stacks of at most 25 (the 500-resource limit): per
 * environment a network stack (VPC, EKS cluster, node group, KMS key) and
 * database stacks; per app a namespace, deployment, service, autoscaler,
 * default-deny network policy, an HTTPRoute and an ExternalSecret for the
 * database credentials. No validation, no support services, no wiring of
 * its own: it shows what the library's extra work costs.
 *
 * With `sameDatabases` (variant `hand-written-same-databases`), its
 * databases have the library's settings of each tier, written with the L2s
 * a user would use for them: a KMS key per database (storage and
 * Performance Insights), a parameter group forcing TLS, the log groups
 * RDS exports to, owned with the tier's retention and the environment's
 * logs key, IAM authentication, enhanced monitoring through one role per
 * environment, backups, storage autoscaling, the tier's removal policy,
 * and single-user rotation every 30 days in PRODUCTION by one rotation
 * function per environment (AWS's application, in the network stack). The same
 * CloudFormation resources per database as the library's, so the two
 * compare at the same work on the AWS side.
 */
import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sam from 'aws-cdk-lib/aws-sam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { BenchEnvironment, ENVIRONMENTS, appName, domainOf } from './shape';

/** Databases per stack: 25 keeps a stack of PRODUCTION databases under 500 resources. */
const DATABASES_PER_STACK = 25;

/**
 * `databasesPerStack` 1 is the library's layout (a stack per database):
 * the same system, to tell what that layout costs from what the library
 * adds (variant `hand-written-per-service`).
 */
export function synthHandWritten(apps: number, outdir: string, validation: boolean, databasesPerStack = DATABASES_PER_STACK, sameDatabases = false): void {
  const app = new cdk.App({
    outdir: `${outdir}/cdk.out`,
    builtinCloudFormationValidation: validation,
    context: { 'aws:cdk:disable-stack-trace': true },
  });
  const k8s = new cdk8s.App({ outdir: `${outdir}/dist` });
  for (const e of ENVIRONMENTS) {
    const env = { account: e.account, region: e.region };
    const network = new cdk.Stack(app, `hand-${e.id}`, { env });
    network.node.setContext(`availability-zones:account=${e.account}:region=${e.region}`, e.zones);
    const vpc = new ec2.Vpc(network, 'Vpc', { availabilityZones: e.zones, natGateways: e.tier === 'production' ? 3 : 1 });
    const cluster = new eks.Cluster(network, 'Cluster', {
      version: eks.KubernetesVersion.of('1.36'),
      vpc,
      defaultCapacity: 0,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      secretsEncryptionKey: new kms.Key(network, 'Key', { enableKeyRotation: true }),
    });
    cluster.addNodegroupCapacity('Nodes', { minSize: 2, maxSize: 6 });
    const shared = sameDatabases ? environmentShared(network, e, vpc) : undefined;
    let dbStack: cdk.Stack | undefined;
    const chart = new cdk8s.Chart(k8s, `hand-${e.id}`);
    for (let i = 0; i < apps; i++) {
      const name = appName(i);
      if (i % databasesPerStack === 0) {
        dbStack = new cdk.Stack(app, `hand-${e.id}-databases-${i / databasesPerStack}`, { env });
        dbStack.addStackDependency(network);
      }
      const sg = new ec2.SecurityGroup(dbStack!, `${name}-sg`, { vpc, allowAllOutbound: false });
      sg.addIngressRule(ec2.Peer.securityGroupId(cluster.clusterSecurityGroupId), ec2.Port.tcp(5432));
      const props: rds.DatabaseInstanceProps = {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [sg],
        storageEncrypted: true,
        multiAz: e.tier === 'production',
        deletionProtection: e.tier === 'production',
        credentials: rds.Credentials.fromGeneratedSecret('app', { secretName: `bench/${e.id}/${name}-db` }),
      };
      if (shared) sameDatabase(dbStack!, `${name}-db`, `bench-${e.id}-${name}-db`, e, props, shared);
      else new rds.DatabaseInstance(dbStack!, `${name}-db`, props);
      const ns = new kplus.Namespace(chart, `ns-${name}`, { metadata: { name } });
      const deployment = new kplus.Deployment(chart, `app-${name}`, {
        metadata: { namespace: ns.name, name },
        containers: [{
          image: `ghcr.io/acme/${name}:1.0.0`,
          portNumber: 8080,
          securityContext: { ensureNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
          envFrom: [kplus.Env.fromSecret(kplus.Secret.fromSecretName(chart, `db-${name}`, `${name}-db`))],
        }],
      });
      const service = deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
      new kplus.HorizontalPodAutoscaler(chart, `hpa-${name}`, {
        metadata: { namespace: ns.name },
        target: deployment,
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
      });
      new kplus.NetworkPolicy(chart, `deny-${name}`, { metadata: { namespace: ns.name } });
      new cdk8s.ApiObject(chart, `route-${name}`, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { namespace: ns.name, name },
        spec: {
          parentRefs: [{ name: 'public', namespace: 'gateway' }],
          hostnames: [`${name}.${domainOf(e)}`],
          rules: [{ backendRefs: [{ name: service.name, port: 80 }] }],
        },
      });
      new cdk8s.ApiObject(chart, `secret-${name}`, {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { namespace: ns.name, name: `${name}-db` },
        spec: {
          secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws' },
          target: { name: `${name}-db` },
          dataFrom: [{ extract: { key: `bench/${e.id}/${name}-db` } }],
        },
      });
    }
  }
  app.synth();
  k8s.synth();
}

/** The tiers' database settings, as the library's defaults give them. */
const TIERS = {
  development: { instance: 't4g.micro', storage: 20, maxStorage: 100, backupDays: 1, insights: false, monitoring: false, rotation: false, logDays: logs.RetentionDays.ONE_WEEK, removal: cdk.RemovalPolicy.DESTROY },
  staging: { instance: 't4g.medium', storage: 50, maxStorage: 250, backupDays: 7, insights: true, monitoring: true, rotation: false, logDays: logs.RetentionDays.ONE_MONTH, removal: cdk.RemovalPolicy.SNAPSHOT },
  production: { instance: 'm7g.large', storage: 100, maxStorage: 1000, backupDays: 14, insights: true, monitoring: true, rotation: true, logDays: logs.RetentionDays.ONE_YEAR, removal: cdk.RemovalPolicy.RETAIN },
};

interface EnvironmentShared {
  readonly logsKey: kms.IKey;
  readonly monitoringRole?: iam.IRole;
  /** The environment's rotation function and its security group (PRODUCTION). */
  readonly rotation?: { readonly functionArn: string; readonly securityGroup: ec2.ISecurityGroup };
}

/** What the environment's databases share: the key of their log groups, the enhanced-monitoring role and the rotation function. */
function environmentShared(network: cdk.Stack, e: BenchEnvironment, vpc: ec2.IVpc): EnvironmentShared {
  const logsKey = new kms.Key(network, 'LogsKey', { enableKeyRotation: true });
  logsKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${e.region}.amazonaws.com`));
  const monitoringRole = TIERS[e.tier].monitoring
    ? new iam.Role(network, 'RdsMonitoring', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
    })
    : undefined;
  let rotation: EnvironmentShared['rotation'];
  if (TIERS[e.tier].rotation) {
    const securityGroup = new ec2.SecurityGroup(network, 'RotationSecurityGroup', { vpc });
    const functionName = `bench-${e.id}-postgres-rotation`;
    const app = secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER;
    new sam.CfnApplication(network, 'Rotation', {
      location: { applicationId: app.applicationArnForPartition('aws'), semanticVersion: app.semanticVersionForPartition('aws') },
      parameters: {
        endpoint: `https://secretsmanager.${e.region}.${cdk.Aws.URL_SUFFIX}`,
        functionName,
        vpcSubnetIds: vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds.join(','),
        vpcSecurityGroupIds: securityGroup.securityGroupId,
      },
    });
    rotation = { functionArn: `arn:aws:lambda:${e.region}:${network.account}:function:${functionName}`, securityGroup };
  }
  return { logsKey, monitoringRole, rotation };
}

/** A database with the library's settings of its tier, written with L2s. */
function sameDatabase(stack: cdk.Stack, id: string, identifier: string, e: BenchEnvironment, props: rds.DatabaseInstanceProps, shared: EnvironmentShared): void {
  const tier = TIERS[e.tier];
  const key = new kms.Key(stack, `${id}-key`, { enableKeyRotation: true, removalPolicy: tier.removal === cdk.RemovalPolicy.DESTROY ? tier.removal : cdk.RemovalPolicy.RETAIN });
  const exports = ['postgresql', 'upgrade'];
  const groups = exports.map(type => new logs.LogGroup(stack, `${id}-logs-${type}`, {
    logGroupName: `/aws/rds/instance/${identifier}/${type}`,
    retention: tier.logDays,
    encryptionKey: shared.logsKey,
    removalPolicy: tier.removal === cdk.RemovalPolicy.RETAIN ? tier.removal : cdk.RemovalPolicy.DESTROY,
  }));
  const db = new rds.DatabaseInstance(stack, id, {
    ...props,
    instanceIdentifier: identifier,
    instanceType: new ec2.InstanceType(tier.instance),
    allocatedStorage: tier.storage,
    maxAllocatedStorage: tier.maxStorage,
    storageEncryptionKey: key,
    parameters: { 'rds.force_ssl': '1' },
    caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
    cloudwatchLogsExports: exports,
    iamAuthentication: true,
    backupRetention: cdk.Duration.days(tier.backupDays),
    enablePerformanceInsights: tier.insights,
    performanceInsightEncryptionKey: tier.insights ? key : undefined,
    monitoringInterval: tier.monitoring ? cdk.Duration.seconds(60) : undefined,
    monitoringRole: shared.monitoringRole,
    removalPolicy: tier.removal,
  });
  groups.forEach(g => db.node.addDependency(g));
  if (shared.rotation) {
    db.connections.allowDefaultPortFrom(shared.rotation.securityGroup);
    db.secret!.addRotationSchedule('Rotation', {
      rotationLambda: lambda.Function.fromFunctionArn(stack, `${id}-rotation-function`, shared.rotation.functionArn),
      automaticallyAfter: cdk.Duration.days(30),
    });
    db.secret!.denyAccountRootDelete();
  }
}

/** The floor of loading aws-cdk-lib: one stack with one resource. */
export function synthOneResource(outdir: string, validation: boolean): void {
  const app = new cdk.App({ outdir: `${outdir}/cdk.out`, builtinCloudFormationValidation: validation });
  const stack = new cdk.Stack(app, 'one', { env: { account: '111111111111', region: 'eu-west-1' } });
  new cdk.CfnWaitConditionHandle(stack, 'One');
  app.synth();
}

/**
 * aws-cdk-lib's own cost per stack: the same 6,000 resources (named SNS
 * topics, L1s) in `stacks` stacks, with the App settings the library uses
 * (no analytics, no tree.json). Variants `bare-600-stacks` and
 * `bare-24-stacks`: the difference is what 576 more stacks cost, whoever
 * writes them.
 */
export function synthBareStacks(outdir: string, stacks: number): void {
  const app = new cdk.App({
    outdir: `${outdir}/cdk.out`,
    builtinCloudFormationValidation: false,
    analyticsReporting: false,
    treeMetadata: false,
    context: { 'aws:cdk:disable-stack-trace': true },
  });
  const perStack = BARE_RESOURCES / stacks;
  for (let s = 0; s < stacks; s++) {
    const stack = new cdk.Stack(app, `bare-${s}`, { env: { account: '111111111111', region: 'eu-west-1' } });
    for (let i = 0; i < perStack; i++) new sns.CfnTopic(stack, `Topic${i}`, { topicName: `bare-${s}-${i}` });
  }
  app.synth();
}

/** Resources of the bare-stacks baselines: 6,000 is 600 stacks of 10 or 24 stacks of 250. */
const BARE_RESOURCES = 6000;
