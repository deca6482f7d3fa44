import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CloudEngine, DataRemoval, Environment, ExistingNetworkAttributes, KubernetesCluster, ManagedPostgres, Platform, StackGroup, Tier, Worker } from '../../../lib';
import { checkWorkloadConnections, envPrefixOf, isValidEnvPrefix } from '../../../lib/core/connection-checks';
import { RuntimeStackValidationError } from '../../../lib/core/problems';
import { POSTGRES_PASSWORD_EXCLUDED_CHARACTERS, POSTGRES_ROTATION_APPLICATION } from '../../../lib/private/catalog';
import { resources, terraformJson } from '../../engines/terraform/fixtures';
import { FakeWorkload, fakeSupportServices } from '../../util/fake-workload';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
/** An existing VPC (two private subnets), for the environments that bring their own network. */
const EXISTING_VPC: ExistingNetworkAttributes = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.20.0.0/16',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
  privateSubnetCidrs: ['10.20.0.0/19', '10.20.32.0/19'],
};

function resourcesOf(template: Template, type: string): Array<[string, any]> {
  return Object.entries(template.findResources(type));
}

/** Unacknowledged cdk-nag AwsSolutions errors of a stack: `<rule> <construct path>`. */
function nagErrors(stack: cdk.Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations
    .filter(v => v.severity === 'error')
    .flatMap(v => v.violatingResources.map(r => `${v.ruleName} ${(r as any).constructPath}`));
}

/**
 * One platform with a database per tier; PRODUCTION also has a cluster and
 * a (test-only) workload connected to its database. Rendered once.
 */
describe('ManagedPostgres per tier', () => {
  const platform = new Platform({ name: 'acme' });
  const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
  const staging = new Environment(platform, 'staging', { tier: Tier.STAGING, account: ACCOUNT, region: REGION });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
  const devDb = new ManagedPostgres(dev, 'orders-db');
  const stagingDb = new ManagedPostgres(staging, 'orders-db');
  const prodDb = new ManagedPostgres(prod, 'orders-db', { databaseName: 'orders' });
  const cluster = new KubernetesCluster(prod, 'main');
  fakeSupportServices(cluster);
  const workload = new FakeWorkload(cluster, 'orders', [{ target: prodDb }]);
  // The same connection from a real workload: what the Kubernetes runtime makes of it.
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:3.1.0', connections: [prodDb] });
  platform.render();
  const templates = {
    [Tier.DEVELOPMENT]: environmentTemplate(dev),
    [Tier.STAGING]: environmentTemplate(staging),
    [Tier.PRODUCTION]: environmentTemplate(prod),
  };
  const prodTemplate = templates[Tier.PRODUCTION];
  const manifests = platform.manifests()['prod/main'];

  describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('security properties (%s)', tier => {
    const t = templates[tier];

    test('the instance is private, encrypted with its own rotating KMS key, gp3 with autoscaling', () => {
      // THEN
      const [[keyId]] = resourcesOf(t, 'AWS::KMS::Key').filter(([id]) => id.startsWith('ordersdbKey'));
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('PostgreSQL') });
      t.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        EngineVersion: '17.9',
        PubliclyAccessible: false,
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        StorageType: 'gp3',
        MaxAllocatedStorage: Match.anyValue(),
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        Port: '5432',
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
      });
    });

    test('TLS is enforced by the parameter group', () => {
      t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
        Family: 'postgres17',
        Parameters: { 'rds.force_ssl': '1' },
      });
    });

    test('the subnet group holds only private subnets', () => {
      const [[, group]] = resourcesOf(t, 'AWS::RDS::DBSubnetGroup');
      const refs: string[] = group.Properties.SubnetIds.map((s: any) => s.Ref);
      expect(refs.length).toBeGreaterThanOrEqual(2);
      for (const ref of refs) {
        expect(ref).toMatch(/^networkprivateSubnet/);
      }
    });

    test('logs go to CloudWatch log groups with the tier retention, encrypted with the environment\'s logs key', () => {
      const retention = { [Tier.DEVELOPMENT]: 7, [Tier.STAGING]: 30, [Tier.PRODUCTION]: 365 }[tier];
      const [[logsKey]] = resourcesOf(t, 'AWS::KMS::Key').filter(([id]) => id.startsWith('logsKey'));
      for (const type of ['postgresql', 'upgrade']) {
        t.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/rds/instance/acme-${tier === Tier.DEVELOPMENT ? 'dev' : tier === Tier.STAGING ? 'staging' : 'prod'}-orders-db/${type}`,
          RetentionInDays: retention,
          KmsKeyId: { 'Fn::GetAtt': [logsKey, 'Arn'] },
        });
      }
    });

    test('IAM authentication is available; enhanced monitoring every 60 s through the environment\'s role, except in DEVELOPMENT', () => {
      const [[, instance]] = resourcesOf(t, 'AWS::RDS::DBInstance');
      expect(instance.Properties.EnableIAMDatabaseAuthentication).toBe(true);
      const roles = resourcesOf(t, 'AWS::IAM::Role').filter(([id]) => id.includes('Monitoring') || id.includes('monitoring'));
      if (tier === Tier.DEVELOPMENT) {
        expect(instance.Properties.MonitoringInterval).toBeUndefined();
        expect(roles).toEqual([]);
        return;
      }
      const env = tier === Tier.STAGING ? staging : prod;
      expect(instance.Properties.MonitoringInterval).toBe(60);
      // Named, not referenced: no export for a role every database names.
      expect(instance.Properties.MonitoringRoleArn).toBe(`arn:aws:iam::${ACCOUNT}:role/acme-${env.id}-rds-monitoring-role`);
      expect(roles.map(([id]) => id)).toEqual([expect.stringMatching(/^ServiceRolesrdsenhancedmonitoring[0-9A-F]{8}$/)]);
      // In the foundation, made once for the environment.
      expect(Object.keys(Template.fromStack(env.stack).findResources('AWS::IAM::Role'))).toContain(roles[0][0]);
      expect(roles[0][1].Properties).toEqual({
        RoleName: `acme-${env.id}-rds-monitoring-role`,
        Description: `Enhanced monitoring of the RDS instances of acme-${env.id}`,
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' } }],
          Version: '2012-10-17',
        },
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole']] }],
      });
    });

    test('credentials are generated into Secrets Manager under <platform>/<environment>/<id>; no password in the template', () => {
      const envId = { [Tier.DEVELOPMENT]: 'dev', [Tier.STAGING]: 'staging', [Tier.PRODUCTION]: 'prod' }[tier];
      // The attachment adds engine, host, port and dbInstanceIdentifier;
      // dbname (read by the ExternalSecret) comes from the template.
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: `acme/${envId}/orders-db`,
        GenerateSecretString: Match.objectLike({
          GenerateStringKey: 'password',
          SecretStringTemplate: JSON.stringify({ username: 'dbadmin', dbname: tier === Tier.PRODUCTION ? 'orders' : 'orders_db' }),
        }),
      });
      t.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', { TargetType: 'AWS::RDS::DBInstance' });
      const [[, instance]] = resourcesOf(t, 'AWS::RDS::DBInstance');
      expect(JSON.stringify(instance.Properties.MasterUserPassword)).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:password::\}\}/);
      for (const [, secret] of resourcesOf(t, 'AWS::SecretsManager::Secret')) {
        expect(secret.Properties.SecretString).toBeUndefined();
      }
    });

    test('cdk-nag AwsSolutions: no unacknowledged error', () => {
      expect(nagErrors({ [Tier.DEVELOPMENT]: dev, [Tier.STAGING]: staging, [Tier.PRODUCTION]: prod }[tier].stack)).toEqual([]);
    });
  });

  test.each([
    // tier, multiAz, deletionProtection, backups, class, storage, max, DeletionPolicy, PI
    [Tier.DEVELOPMENT, false, false, 1, 'db.t4g.micro', '20', 100, 'Delete', false],
    [Tier.STAGING, false, false, 7, 'db.t4g.medium', '50', 250, 'Snapshot', true],
    [Tier.PRODUCTION, true, true, 14, 'db.m7g.large', '100', 1000, 'Retain', true],
  ] as const)('tier defaults of %s', (tier, multiAz, deletionProtection, backups, instanceClass, storage, max, policy, pi) => {
    const t = templates[tier];
    // THEN
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: multiAz,
      DeletionProtection: deletionProtection,
      BackupRetentionPeriod: backups,
      DBInstanceClass: instanceClass,
      AllocatedStorage: storage,
      MaxAllocatedStorage: max,
      EnablePerformanceInsights: pi,
    });
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: policy, UpdateReplacePolicy: policy });
    // The key and the secret outlive the instance's snapshots unless data may be destroyed.
    const keep = policy === 'Delete' ? 'Delete' : 'Retain';
    t.hasResource('AWS::KMS::Key', { DeletionPolicy: keep, UpdateReplacePolicy: keep, Properties: Match.objectLike({ Description: Match.stringLikeRegexp('PostgreSQL') }) });
    t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: keep, UpdateReplacePolicy: keep });
  });

  test('credentials rotate every 30 days in PRODUCTION only (single-user rotation from the AWS Serverless Application Repository)', () => {
    prodTemplate.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    prodTemplate.resourceCountIs('AWS::Serverless::Application', 1);
    templates[Tier.DEVELOPMENT].resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    templates[Tier.STAGING].resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  test('the environment\'s one rotation function rotates the secret: in the foundation, admitted by the database, named by its ARN', () => {
    const foundation = Template.fromStack(prod.stacks[0]);
    const own = Template.fromStack(prod.stacks.find(s => s.stackName === 'acme-prod-orders-db')!);
    // The function: AWS's application of the partition, in the private subnets, with a security group of its own.
    const [[groupId, group]] = resourcesOf(foundation, 'AWS::EC2::SecurityGroup').filter(([id]) => id.startsWith('networkRotationSecurityGroup'));
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(resourcesOf(foundation, 'AWS::Serverless::Application').map(([, r]) => r.Properties)).toEqual([{
      Location: {
        ApplicationId: POSTGRES_ROTATION_APPLICATION.aws.applicationId,
        SemanticVersion: POSTGRES_ROTATION_APPLICATION.aws.semanticVersion,
      },
      Parameters: {
        endpoint: { 'Fn::Join': ['', ['https://secretsmanager.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
        functionName: 'acme-prod-postgres-rotation',
        vpcSubnetIds: { 'Fn::Join': [',', [expect.objectContaining({ Ref: expect.stringMatching(/^networkprivateSubnet1/) }), expect.anything(), expect.anything()]] },
        vpcSecurityGroupIds: { 'Fn::GetAtt': [groupId, 'GroupId'] },
        excludeCharacters: POSTGRES_PASSWORD_EXCLUDED_CHARACTERS,
      },
    }]);
    expect(foundation.toJSON().Transform).toBe('AWS::Serverless-2016-10-31');
    // The database's stack: no application, no transform, no mapping; the rule that admits the function, on the
    // database port, and the schedule that names it.
    expect(own.toJSON().Transform).toBeUndefined();
    expect(own.toJSON().Mappings).toBeUndefined();
    own.resourceCountIs('AWS::Serverless::Application', 0);
    own.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    const [[ruleId, rule]] = resourcesOf(own, 'AWS::EC2::SecurityGroupIngress');
    expect(rule.Properties).toEqual({
      Description: 'PostgreSQL from the secret rotation function acme-prod-postgres-rotation',
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
      GroupId: { 'Fn::GetAtt': ['ordersdbSecurityGroup5410B6D4', 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::ImportValue': expect.stringMatching(/^acme-prod:ExportsOutputFnGetAttnetworkRotationSecurityGroup/) },
    });
    const [[, schedule]] = resourcesOf(own, 'AWS::SecretsManager::RotationSchedule');
    expect(schedule).toEqual({
      Type: 'AWS::SecretsManager::RotationSchedule',
      Properties: {
        RotationLambdaARN: 'arn:aws:lambda:eu-west-1:111111111111:function:acme-prod-postgres-rotation',
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
        SecretId: { Ref: 'ordersdbSecretAttachment1C5E973B' },
      },
      // The first rotation runs when the schedule is made: after the rule that lets the function connect.
      DependsOn: [ruleId],
    });
    // The import is an export of the foundation, which CloudFormation resolves to the function's group.
    expect(Object.values(foundation.toJSON().Outputs).map((o: any) => o.Value)).toContainEqual({ 'Fn::GetAtt': [groupId, 'GroupId'] });
    // Nobody may delete the secret while rotation is in place, as aws-cdk-lib's SecretRotation sets it.
    own.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      SecretId: { Ref: 'ordersdbSecretAttachment1C5E973B' },
      ResourcePolicy: { Statement: [{ Action: 'secretsmanager:DeleteSecret', Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Resource: '*' }], Version: '2012-10-17' },
    });
    // No rotation, no function (the network's group for it is there, with no members, exported).
    for (const tier of [Tier.DEVELOPMENT, Tier.STAGING]) {
      const groups = resourcesOf(templates[tier], 'AWS::EC2::SecurityGroup').filter(([id]) => id.startsWith('networkRotationSecurityGroup'));
      expect(groups).toHaveLength(1);
      expect(Object.values(templates[tier].toJSON().Outputs).map((o: any) => o.Value)).toContainEqual({ 'Fn::GetAtt': [groups[0][0], 'GroupId'] });
      templates[tier].resourceCountIs('AWS::Serverless::Application', 0);
      templates[tier].resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
      expect(templates[tier].toJSON().Transform).toBeUndefined();
    }
  });

  describe('a connection from a workload', () => {
    test('the database security group admits only the cluster security group, on the database port', () => {
      const [[, sg]] = resourcesOf(prodTemplate, 'AWS::EC2::SecurityGroup')
        .filter(([id]) => id.startsWith('ordersdbSecurityGroup'));
      expect(sg.Properties.SecurityGroupIngress).toEqual([{
        Description: 'PostgreSQL from the pods and nodes of EKS cluster acme-prod-main',
        FromPort: 5432,
        ToPort: 5432,
        IpProtocol: 'tcp',
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^main/), 'ClusterSecurityGroupId'] },
      }]);
      // No CIDR anywhere in the database's ingress; the only other rule is the rotation function's (PRODUCTION).
      const extra = resourcesOf(prodTemplate, 'AWS::EC2::SecurityGroupIngress')
        .filter(([, r]) => JSON.stringify(r.Properties.GroupId).includes('ordersdbSecurityGroup'));
      expect(extra.map(([id]) => id)).toEqual([expect.stringMatching(/^ordersdbSecurityGroupFromRotation/)]);
      expect(JSON.stringify(sg.Properties)).not.toMatch(/CidrIp":"0\.0\.0\.0\/0/);
      // No outbound from the database.
      expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
    });

    test('the workload may egress to the private subnets on the database port', () => {
      expect(workload.egress).toEqual([{ cidrs: [expect.stringMatching(/^10\.0\.\d+\.0\/20$/), expect.anything(), expect.anything()], port: 5432 }]);
      expect(workload.egress[0].cidrs).toEqual(prod._network().privateSubnetCidrs);
    });

    test('on Kubernetes, an ExternalSecret (v1) in the app namespace materialises the credentials from the ClusterSecretStore', () => {
      const secrets = manifests.filter(o => o.kind === 'ExternalSecret');
      expect(secrets).toHaveLength(1);
      const [es] = secrets;
      expect(es.apiVersion).toEqual('external-secrets.io/v1');
      expect(es.metadata).toEqual(expect.objectContaining({ name: 'billing-orders-db', namespace: 'billing' }));
      expect(es.spec.secretStoreRef).toEqual({ kind: 'ClusterSecretStore', name: 'aws-secrets-manager' });
      expect(es.spec.target.name).toEqual('billing-orders-db');
      expect(es.spec.data).toEqual(['host', 'port', 'dbname', 'username', 'password'].map(k => ({
        secretKey: k,
        remoteRef: { key: 'acme/prod/orders-db', property: k },
      })));
      expect(es.spec.target.template.data).toEqual({
        url: 'postgresql://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require',
      });
      expect(es.spec.target.template.mergePolicy).toEqual('Merge');
      expectValidManifests(secrets);
      // The env vars read it, and DATABASE_URL is the one database's URL.
      const env = manifests.find(o => o.kind === 'Deployment' && o.metadata.name === 'billing').spec.template.spec.containers[0].env;
      expect(env.map((e: any) => e.name)).toEqual(['ORDERS_DB_HOST', 'ORDERS_DB_PORT', 'ORDERS_DB_DATABASE', 'ORDERS_DB_USER', 'ORDERS_DB_PASSWORD', 'ORDERS_DB_URL', 'DATABASE_URL']);
      expect(env[6]).toEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'billing-orders-db', key: 'url' } } });
    });

    test('env vars come from the database\'s Secrets Manager secret, under the connection prefix; DATABASE_URL is offered', () => {
      expect(workload.secretEnv).toEqual([{
        secretName: 'acme/prod/orders-db',
        variables: {
          ORDERS_DB_HOST: 'host',
          ORDERS_DB_PORT: 'port',
          ORDERS_DB_DATABASE: 'dbname',
          ORDERS_DB_USER: 'username',
          ORDERS_DB_PASSWORD: 'password',
          ORDERS_DB_URL: 'url',
        },
        composed: { url: 'postgresql://{username}:{password}@{host}:{port}/{dbname}?sslmode=require' },
      }]);
      expect(workload.offers).toEqual([{ name: 'DATABASE_URL', fromVariable: 'ORDERS_DB_URL' }]);
      expect(workload.plainEnv).toEqual({});
      // A database grants no IAM permission: credentials come from the secret.
      expect(workload.grants).toEqual([]);
    });

    test('a connection needs the cluster\'s secret sync', () => {
      expect(prodDb.connectionNeeds()).toEqual(['secrets']);
      expect(cluster.needs.map(n => [n.need, n.requester.node.id])).toEqual([['secrets', 'orders'], ['secrets', 'billing']]);
    });
  });

  test('escape hatches and deterministic names', () => {
    expect(prodDb.secretName).toEqual('acme/prod/orders-db');
    expect(prodDb.databaseName).toEqual('orders');
    expect(devDb.databaseName).toEqual('orders_db');
    expect(prodDb.port).toEqual(5432);
    expect(prodDb.instanceIdentifier).toEqual('acme-prod-orders-db');
    expect(prodDb.connectionEnvPrefix).toEqual('ORDERS_DB');
    expect(prodDb.instance.dbInstanceIdentifier).toEqual('acme-prod-orders-db');
    expect(prodDb.instance.cfnResourceType).toEqual('AWS::RDS::DBInstance');
    expect(prodDb.secret.secretArn).toBeDefined();
    expect(prodDb.connections.securityGroups).toHaveLength(1);
    expect(stagingDb.engineVersion).toEqual('17.9');
  });

  test('PRODUCTION warns that an explicit databaseName is fixed at creation (RS315)', () => {
    expect(platform.warnings).toEqual([expect.stringContaining('acme/prod/orders-db  [RS315] databaseName')]);
  });
});

describe('ManagedPostgres props', () => {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
  const db = new ManagedPostgres(prod, 'ledger', {
    engineVersion: '16',
    instanceSize: 'r7g.xlarge',
    allocatedStorage: 200,
    maxAllocatedStorage: 500,
    multiAz: false,
    backupRetention: cdk.Duration.days(30),
    removalPolicy: DataRemoval.SNAPSHOT,
    performanceInsights: false,
    credentialRotation: false,
    parameters: { log_min_duration_statement: '500' },
    port: 5433,
    monitoringInterval: cdk.Duration.seconds(0),
  });
  Platform.acknowledgeWarning(db, 'RS317', 'test');
  platform.render();
  const t = environmentTemplate(prod);

  test('every prop reaches the instance', () => {
    t.hasResourceProperties('AWS::RDS::DBInstance', {
      EngineVersion: '16.13',
      DBInstanceClass: 'db.r7g.xlarge',
      AllocatedStorage: '200',
      MaxAllocatedStorage: 500,
      MultiAZ: false,
      DeletionProtection: true,
      BackupRetentionPeriod: 30,
      EnablePerformanceInsights: false,
      Port: '5433',
      DBName: 'ledger',
      MonitoringInterval: Match.absent(),
    });
    expect(resourcesOf(t, 'AWS::IAM::Role').filter(([id]) => id.includes('monitoring') || id.includes('Monitoring'))).toEqual([]);
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Family: 'postgres16',
      Parameters: { 'log_min_duration_statement': '500', 'rds.force_ssl': '1' },
    });
    t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  test('nag acknowledgements follow the props (Multi-AZ off, rotation off acknowledged; non-default port needs none)', () => {
    expect(nagErrors(prod.stack)).toEqual([]);
    const acknowledged = db.instance.node.metadata
      .filter(m => m.type === cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.keys(m.data));
    expect(acknowledged.map(k => k.replace(/^annotation::/i, ''))).toEqual(['AwsSolutions-RDS3']);
  });

  test('no default-name warning when databaseName is derived; RS317 acknowledged', () => {
    expect(platform.warnings).toEqual([]);
  });
});

describe('the enhanced-monitoring role: one per environment, whatever stack its databases are in', () => {
  const platform = new Platform({ name: 'acme' });
  const staging = new Environment(platform, 'staging', { tier: Tier.STAGING, account: ACCOUNT, region: REGION });
  const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
  const team = new StackGroup(staging, 'payments');
  const dbs = [
    new ManagedPostgres(staging, 'orders-db'),
    new ManagedPostgres(staging, 'ledger-db', { stackGroup: team }),
    new ManagedPostgres(staging, 'refunds-db', { stackGroup: team }),
    new ManagedPostgres(staging, 'audit-db', { monitoringInterval: cdk.Duration.seconds(0) }),
    new ManagedPostgres(dev, 'orders-db', { monitoringInterval: cdk.Duration.seconds(15) }),
    new ManagedPostgres(dev, 'ledger-db'),
  ];
  platform.render();
  const rolesOf = (stack: cdk.Stack) => Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Role'))
    .filter(r => r.Properties.AssumeRolePolicyDocument.Statement[0].Principal.Service === 'monitoring.rds.amazonaws.com');
  const instanceOf = (db: ManagedPostgres) => Object.values<any>(Template.fromStack(db.instance.stack).findResources('AWS::RDS::DBInstance'))
    .find(r => r.Properties.DBInstanceIdentifier === db.instanceIdentifier);

  test('one role in each environment\'s foundation that monitors a database, none in the database stacks', () => {
    expect(rolesOf(staging.stack).map(r => r.Properties.RoleName)).toEqual(['acme-staging-rds-monitoring-role']);
    expect(rolesOf(dev.stack).map(r => r.Properties.RoleName)).toEqual(['acme-dev-rds-monitoring-role']);
    for (const db of dbs) expect(rolesOf(db.instance.stack)).toEqual([]);
  });

  test('every monitored database names its environment\'s role; one with monitoring off names none', () => {
    expect(dbs.map(db => [db.node.path, instanceOf(db).Properties.MonitoringInterval ?? 0, instanceOf(db).Properties.MonitoringRoleArn ?? '-'])).toEqual([
      ['acme/staging/orders-db', 60, `arn:aws:iam::${ACCOUNT}:role/acme-staging-rds-monitoring-role`],
      ['acme/staging/ledger-db', 60, `arn:aws:iam::${ACCOUNT}:role/acme-staging-rds-monitoring-role`],
      ['acme/staging/refunds-db', 60, `arn:aws:iam::${ACCOUNT}:role/acme-staging-rds-monitoring-role`],
      ['acme/staging/audit-db', 0, '-'],
      ['acme/dev/orders-db', 15, `arn:aws:iam::${ACCOUNT}:role/acme-dev-rds-monitoring-role`],
      ['acme/dev/ledger-db', 0, '-'],
    ]);
  });

  test('each database stack deploys after its foundation and imports nothing for the role', () => {
    for (const db of dbs) {
      const stack = db.instance.stack;
      expect(stack).not.toBe(db.environment.stack);
      expect(stack.dependencies).toContain(db.environment.stack);
      expect(JSON.stringify(instanceOf(db).Properties.MonitoringRoleArn ?? '')).not.toContain('ImportValue');
    }
  });

  test('an environment with no monitored database has no role', () => {
    const p = new Platform({ name: 'acme' });
    const prod = new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    new ManagedPostgres(prod, 'orders-db', { monitoringInterval: cdk.Duration.seconds(0) });
    p.render();
    expect(rolesOf(prod.stack)).toEqual([]);
  });

  test('cdk-nag: the role\'s AWS managed policy is acknowledged with its reason', () => {
    expect(nagErrors(staging.stack)).toEqual([]);
  });

  test('no database\'s role of its own from before (`<identifier>-monitoring`) has the role\'s name, which the foundation makes while those still exist', () => {
    const p = new Platform({ name: 'acme' });
    const prod = new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    const db = new ManagedPostgres(prod, 'rds-enhanced');
    p.render();
    const [name] = rolesOf(prod.stack).map(r => r.Properties.RoleName);
    expect(db.instanceIdentifier).toBe('acme-prod-rds-enhanced');
    expect(name).toBe('acme-prod-rds-monitoring-role');
  });
});

describe('escape hatches after render', () => {
  test('the instance is its L1 resource: an override, a connection rule and a grant on the secret reach the template', () => {
    const platform = new Platform({ name: 'acme' });
    const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    const db = new ManagedPostgres(prod, 'ledger');
    platform.render();
    db.instance.addPropertyOverride('PreferredMaintenanceWindow', 'sun:03:00-sun:04:00');
    db.connections.allowDefaultPortFrom(cdk.aws_ec2.Peer.ipv4('10.9.0.0/16'), 'the VPN');
    const reader = new cdk.aws_iam.Role(db.instance.stack, 'Reader', { assumedBy: new cdk.aws_iam.AccountRootPrincipal() });
    db.secret.grantRead(reader);

    const t = Template.fromStack(db.instance.stack);
    t.hasResourceProperties('AWS::RDS::DBInstance', { PreferredMaintenanceWindow: 'sun:03:00-sun:04:00', DBInstanceIdentifier: 'acme-prod-ledger' });
    // The connections' default port is the instance's, as aws-cdk-lib's DatabaseInstance gives it.
    t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      CidrIp: '10.9.0.0/16',
      Description: 'the VPN',
      FromPort: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ledger'), 'Endpoint.Port'] },
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ledgerSecurityGroup'), 'GroupId'] },
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] })]) },
    });
  });
});

describe('data-safety warnings', () => {
  test('PRODUCTION with removalPolicy DESTROY or no deletion protection warns (RS317)', () => {
    const platform = new Platform({ name: 'acme' });
    const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    new ManagedPostgres(prod, 'a', { removalPolicy: DataRemoval.DESTROY });
    new ManagedPostgres(prod, 'b', { deletionProtection: false });
    platform.render();
    expect(platform.warnings).toEqual([
      expect.stringContaining('acme/prod/a  [RS317] removalPolicy'),
      expect.stringContaining('acme/prod/b  [RS317] deletionProtection'),
    ]);
  });
});

/** Renders a graph and returns the codes and props of its errors. */
function errorsOf(build: (platform: Platform) => void): Array<[string, string]> {
  const platform = new Platform({ name: 'acme' });
  build(platform);
  try {
    platform.render();
  } catch (e) {
    if (e instanceof RuntimeStackValidationError) {
      return e.problems.map(p => [p.code, p.prop]);
    }
    throw e;
  }
  return [];
}

const env = (platform: Platform, id = 'prod', tier = Tier.PRODUCTION) =>
  new Environment(platform, id, { tier, account: ACCOUNT, region: REGION });

describe('bad input', () => {
  test.each<[string, (p: Platform) => void, Array<[string, string]>]>([
    ['database name with upper case', p => new ManagedPostgres(env(p), 'db', { databaseName: 'Orders' }), [['RS301', 'databaseName']]],
    ['database name starting with a digit', p => new ManagedPostgres(env(p), 'db', { databaseName: '1orders' }), [['RS301', 'databaseName']]],
    ['database name with a hyphen', p => new ManagedPostgres(env(p), 'db', { databaseName: 'orders-db' }), [['RS301', 'databaseName']]],
    ['database name of 64 characters', p => new ManagedPostgres(env(p), 'db', { databaseName: 'a'.repeat(64) }), [['RS301', 'databaseName']]],
    ['reserved name postgres', p => new ManagedPostgres(env(p), 'db', { databaseName: 'postgres' }), [['RS302', 'databaseName']]],
    ['reserved name template0', p => new ManagedPostgres(env(p), 'db', { databaseName: 'template0' }), [['RS302', 'databaseName']]],
    ['reserved name template1', p => new ManagedPostgres(env(p), 'db', { databaseName: 'template1' }), [['RS302', 'databaseName']]],
    ['reserved name rdsadmin', p => new ManagedPostgres(env(p), 'db', { databaseName: 'rdsadmin' }), [['RS302', 'databaseName']]],
    ['reserved name derived from the id', p => new ManagedPostgres(env(p, 'dev', Tier.DEVELOPMENT), 'postgres'), [['RS302', 'databaseName (derived from the id)']]],
    ['unsupported major', p => new ManagedPostgres(env(p), 'db', { engineVersion: '12' }), [['RS303', 'engineVersion']]],
    ['unsupported minor', p => new ManagedPostgres(env(p), 'db', { engineVersion: '17.1' }), [['RS303', 'engineVersion']]],
    ['storage below 20 GiB', p => new ManagedPostgres(env(p), 'db', { allocatedStorage: 10 }), [['RS304', 'allocatedStorage']]],
    ['storage not whole', p => new ManagedPostgres(env(p), 'db', { allocatedStorage: 20.5, maxAllocatedStorage: 100 }), [['RS304', 'allocatedStorage']]],
    ['max below allocated', p => new ManagedPostgres(env(p), 'db', { allocatedStorage: 100, maxAllocatedStorage: 50 }), [['RS305', 'maxAllocatedStorage']]],
    ['max not 10% above allocated', p => new ManagedPostgres(env(p), 'db', { allocatedStorage: 100, maxAllocatedStorage: 105 }), [['RS305', 'maxAllocatedStorage']]],
    ['backup retention above 35 days', p => new ManagedPostgres(env(p), 'db', { backupRetention: cdk.Duration.days(36) }), [['RS306', 'backupRetention']]],
    ['backup retention not whole days', p => new ManagedPostgres(env(p), 'db', { backupRetention: cdk.Duration.hours(36) }), [['RS306', 'backupRetention']]],
    ['no backups in PRODUCTION', p => new ManagedPostgres(env(p), 'db', { backupRetention: cdk.Duration.days(0) }), [['RS307', 'backupRetention']]],
    ['instance class with db. prefix', p => new ManagedPostgres(env(p), 'db', { instanceSize: 'db.t4g.micro' }), [['RS308', 'instanceSize']]],
    ['instance class not a class', p => new ManagedPostgres(env(p), 'db', { instanceSize: 'large' }), [['RS308', 'instanceSize']]],
    ['port outside RDS range', p => new ManagedPostgres(env(p), 'db', { port: 80 }), [['RS309', 'port']]],
    ['monitoring interval RDS does not offer', p => new ManagedPostgres(env(p), 'db', { monitoringInterval: cdk.Duration.seconds(20) }), [['RS320', 'monitoringInterval']]],
    ['monitoring interval below a second', p => new ManagedPostgres(env(p), 'db', { monitoringInterval: cdk.Duration.millis(500) }), [['RS320', 'monitoringInterval']]],
    ['rds.force_ssl turned off', p => new ManagedPostgres(env(p), 'db', { parameters: { 'rds.force_ssl': '0' } }), [['RS310', 'parameters.rds.force_ssl']]],
    ['parameter name invalid', p => new ManagedPostgres(env(p), 'db', { parameters: { 'Work Mem': '4MB' } }), [['RS310', 'parameters.Work Mem']]],
    ['id with two hyphens', p => new ManagedPostgres(env(p), 'orders--db'), [['RS316', 'id']]],
    ['id not a DNS label', p => new ManagedPostgres(env(p), 'Orders', { databaseName: 'orders' }), [['RS002', 'id']]],
    ['duplicate id', p => { const e = env(p); new ManagedPostgres(e, 'db'); new ManagedPostgres(e, 'db'); }, [['RS004', 'id']]],
    ['a connection to a database in another environment', p => {
      const dev = env(p, 'dev', Tier.DEVELOPMENT);
      const prod = env(p);
      const db = new ManagedPostgres(dev, 'orders-db');
      const cluster = new KubernetesCluster(prod, 'main');
      fakeSupportServices(cluster);
      new FakeWorkload(cluster, 'orders', [{ target: db }]);
    }, [['RS311', 'connections[0]']]],
    ['a connection from an existing cluster without a security group', p => {
      const e = env(p);
      const db = new ManagedPostgres(e, 'orders-db');
      const cluster = KubernetesCluster.fromClusterAttributes(e, 'legacy', { clusterName: 'legacy' });
      fakeSupportServices(cluster);
      new FakeWorkload(cluster, 'orders', [{ target: db }]);
    }, [['RS312', 'connections[0]']]],
    ['an env var prefix that is not an env var name', p => {
      const e = env(p);
      const db = new ManagedPostgres(e, 'orders-db');
      const cluster = new KubernetesCluster(e, 'main');
      fakeSupportServices(cluster);
      new FakeWorkload(cluster, 'orders', [{ target: db, envPrefix: 'orders-db' }]);
    }, [['RS313', 'connections[0]']]],
    ['the same database twice under the same prefix', p => {
      const e = env(p);
      const db = new ManagedPostgres(e, 'orders-db');
      const cluster = new KubernetesCluster(e, 'main');
      fakeSupportServices(cluster);
      new FakeWorkload(cluster, 'orders', [{ target: db }, { target: db }]);
    }, [['RS314', 'connections[1]']]],
    ['two databases under one prefix', p => {
      const e = env(p);
      const a = new ManagedPostgres(e, 'a-db');
      const b = new ManagedPostgres(e, 'b-db');
      const cluster = new KubernetesCluster(e, 'main');
      fakeSupportServices(cluster);
      new FakeWorkload(cluster, 'orders', [{ target: a, envPrefix: 'DB' }, { target: b, envPrefix: 'DB' }]);
    }, [['RS318', 'connections[1]']]],
  ])('%s', (_name, build, expected) => {
    expect(errorsOf(build)).toEqual(expected);
  });

  test('every problem is reported at once', () => {
    const errors = errorsOf(p => new ManagedPostgres(env(p), 'db', {
      databaseName: 'postgres',
      engineVersion: '9.6',
      allocatedStorage: 5,
      backupRetention: cdk.Duration.days(40),
      port: 22,
    }));
    expect(errors.map(([code]) => code)).toEqual(['RS302', 'RS303', 'RS304', 'RS306', 'RS309']);
  });

  test('error messages name the prop, the problem and the fix', () => {
    expect(() => {
      const platform = new Platform({ name: 'acme' });
      new ManagedPostgres(env(platform), 'db', { databaseName: 'template1' });
      platform.render();
    }).toThrow(/acme\/prod\/db {2}\[RS302\] databaseName: "template1" is reserved by PostgreSQL or RDS: choose another name/);
  });
});

describe('connection helpers', () => {
  test.each([
    ['orders-db', 'ORDERS_DB'],
    ['db', 'DB'],
    ['a-1-b', 'A_1_B'],
  ])('envPrefixOf(%s) = %s', (id, prefix) => {
    expect(envPrefixOf(id)).toEqual(prefix);
    expect(isValidEnvPrefix(prefix)).toBe(true);
  });

  test.each(['orders-db', '1DB', 'DB_', '', 'db'])('"%s" is not a valid prefix', prefix => {
    expect(isValidEnvPrefix(prefix)).toBe(false);
  });

  test('different prefixes for one database are allowed', () => {
    const platform = new Platform({ name: 'acme' });
    const db = new ManagedPostgres(env(platform), 'orders-db');
    expect(checkWorkloadConnections([
      { target: db, envPrefix: 'READ', prop: 'connections[0]' },
      { target: db, envPrefix: 'WRITE', prop: 'connections[1]' },
    ])).toEqual([]);
  });
});

describe('existing network and existing cluster', () => {
  // GIVEN an environment on an existing VPC and an existing EKS cluster with a known security group
  const platform = new Platform({ name: 'acme' });
  const e = new Environment(platform, 'prod', {
    tier: Tier.PRODUCTION,
    account: ACCOUNT,
    region: REGION,
    network: { existing: EXISTING_VPC },
  });
  const db = new ManagedPostgres(e, 'orders-db');
  const cluster = KubernetesCluster.fromClusterAttributes(e, 'legacy', { clusterName: 'legacy', clusterSecurityGroupId: 'sg-0123456789abcdef0' });
  fakeSupportServices(cluster);
  const workload = new FakeWorkload(cluster, 'orders', [{ target: db, envPrefix: 'DB' }]);
  // WHEN
  platform.render();
  const t = environmentTemplate(e);

  test('the database lives in the given private subnets', () => {
    t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'] });
  });

  test('the database admits the existing cluster\'s security group only', () => {
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0123456789abcdef0',
      SecurityGroupIngress: [Match.objectLike({ SourceSecurityGroupId: 'sg-0123456789abcdef0', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' })],
    });
  });

  test('egress goes to the given private subnet CIDRs; env vars use the chosen prefix', () => {
    expect(workload.egress).toEqual([{ cidrs: ['10.20.0.0/19', '10.20.32.0/19'], port: 5432 }]);
    expect(Object.keys(workload.secretEnv[0].variables)).toEqual(['DB_HOST', 'DB_PORT', 'DB_DATABASE', 'DB_USER', 'DB_PASSWORD', 'DB_URL']);
  });

  test('engine intents record the database and its access', () => {
    const intents = e._engine().intents.filter(i => i.type === 'postgres' || i.type === 'database-access');
    expect(intents.map(i => i.type)).toEqual(['postgres', 'database-access']);
    expect(intents[0].intent).toEqual(expect.objectContaining({
      identifier: 'acme-prod-orders-db',
      secretName: 'acme/prod/orders-db',
      parameters: { 'rds.force_ssl': '1' },
      rotation: expect.objectContaining({ days: 30 }),
      removal: { resource: 'retain', key: 'retain', secret: 'retain', logs: 'retain' },
    }));
    expect(intents[1].intent).toEqual({ identifier: 'acme-prod-orders-db', source: 'legacy', port: 5432 });
  });
});

test('two renders of the same program give the same template', () => {
  const build = () => {
    const platform = new Platform({ name: 'acme' });
    const e = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
    new ManagedPostgres(e, 'orders-db');
    platform.render();
    return JSON.stringify(environmentTemplate(e).toJSON());
  };
  expect(build()).toEqual(build());
});

describe('rotation: one function per environment, whichever number of databases rotate', () => {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
  const other = new Environment(platform, 'prod-us', { tier: Tier.PRODUCTION, account: ACCOUNT, region: 'us-east-1' });
  const tf = new Environment(platform, 'prod-tf', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION, engine: CloudEngine.TERRAFORM });
  for (const e of [prod, other, tf]) {
    new ManagedPostgres(e, 'a-db');
    new ManagedPostgres(e, 'b-db', { port: 5433 });
    new ManagedPostgres(e, 'c-db', { credentialRotation: false });
  }
  platform.render();
  const stack = (e: Environment, name: string) => Template.fromStack(e.stacks.find(s => s.stackName === name)!);

  test('CloudFormation: one application in each foundation, named after its environment; each rotated database names it and admits it on its own port', () => {
    for (const [e, region] of [[prod, REGION], [other, 'us-east-1']] as const) {
      const name = `acme-${e.node.id}-postgres-rotation`;
      const foundation = Template.fromStack(e.stack);
      expect(resourcesOf(foundation, 'AWS::Serverless::Application').map(([, r]) => r.Properties.Parameters.functionName)).toEqual([name]);
      for (const [db, port] of [['a-db', 5432], ['b-db', 5433]] as const) {
        const own = stack(e, `acme-${e.node.id}-${db}`);
        own.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationLambdaARN: `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}` });
        own.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: port, ToPort: port, SourceSecurityGroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('RotationSecurityGroup') } });
      }
      const c = stack(e, `acme-${e.node.id}-c-db`);
      c.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
      c.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    }
  });

  test('CloudFormation: a rotated database\'s stack holds 12 resources (its own function and security group were 2 more)', () => {
    expect(Object.keys(stack(prod, 'acme-prod-a-db').toJSON().Resources)).toHaveLength(12);
  });

  test('CloudFormation: the foundation\'s exports are the same whichever databases rotate, so the last one to stop never meets "export in use"', () => {
    const outputsOf = (rotate: boolean[]) => {
      const p = new Platform({ name: 'acme' });
      const e = new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: REGION });
      rotate.forEach((r, i) => new ManagedPostgres(e, `db${i}`, { credentialRotation: r }));
      p.render();
      return Template.fromStack(e.stack).toJSON().Outputs;
    };
    const both = outputsOf([true, true]);
    expect(outputsOf([true, false])).toEqual(both);
    expect(outputsOf([false, false])).toEqual(both);
    expect(JSON.stringify(both)).toMatch(/networkRotationSecurityGroup/);
  });

  test('CloudFormation: in an existing VPC, the rotation function runs in its private subnets with the group made for it there', () => {
    const p = new Platform({ name: 'acme' });
    const e = new Environment(p, 'prod', {
      tier: Tier.PRODUCTION,
      account: ACCOUNT,
      region: REGION,
      network: { existing: EXISTING_VPC },
    });
    new ManagedPostgres(e, 'orders-db');
    p.render();
    const foundation = Template.fromStack(e.stack);
    const [[groupId, group]] = resourcesOf(foundation, 'AWS::EC2::SecurityGroup');
    expect(group.Properties.VpcId).toBe(EXISTING_VPC.vpcId);
    expect(resourcesOf(foundation, 'AWS::Serverless::Application').map(([, r]) => [r.Properties.Parameters.vpcSubnetIds, r.Properties.Parameters.vpcSecurityGroupIds]))
      .toEqual([[EXISTING_VPC.privateSubnetIds.join(','), { 'Fn::GetAtt': [groupId, 'GroupId'] }]]);
  });

  test('Terraform: the same one function, its group reaching each rotated database on its port, each database admitting it', () => {
    const json = terraformJson(tf);
    const apps = resources(json, 'aws_serverlessapplicationrepository_cloudformation_stack');
    expect(apps.map(a => a.parameters.functionName)).toEqual(['acme-prod-tf-postgres-rotation']);
    const [groupRef] = apps.map(a => a.parameters.vpcSecurityGroupIds);
    const group = groupRef.replace(/^\$\{(.*)\.id\}$/, '$1');
    expect(resources(json, 'aws_vpc_security_group_egress_rule').filter(r => `\${${group}.id}` === r.security_group_id)
      .map(r => [r.from_port, r.referenced_security_group_id ?? r.cidr_ipv4]).sort()).toEqual([
      [443, '0.0.0.0/0'],
      [5432, expect.stringMatching(/a-db_SecurityGroup/)],
      [5433, expect.stringMatching(/b-db_SecurityGroup/)],
    ]);
    expect(resources(json, 'aws_vpc_security_group_ingress_rule').filter(r => r.referenced_security_group_id === groupRef)
      .map(r => [r.from_port, r.security_group_id]).sort()).toEqual([
      [5432, expect.stringMatching(/a-db_SecurityGroup/)],
      [5433, expect.stringMatching(/b-db_SecurityGroup/)],
    ]);
    // Its group's name is none a database's group can have (the database's identifier).
    expect(resources(json, 'aws_security_group').map(g => g.name).sort())
      .toEqual(['acme-prod-tf-a-db', 'acme-prod-tf-b-db', 'acme-prod-tf-c-db', 'acme-prod-tf-postgres-rotation.function']);
    expect(resources(json, 'aws_secretsmanager_secret_rotation').map(r => r.rotation_lambda_arn)).toEqual([
      expect.stringMatching(/Shared_postgres-rotation_\w+\.outputs\["RotationLambdaARN"\]/),
      expect.stringMatching(/Shared_postgres-rotation_\w+\.outputs\["RotationLambdaARN"\]/),
    ]);
  });
});
