import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Access, CloudEngine, DataRemoval, Environment, KubernetesCluster, ObjectStore, Platform, Tier, WebApp, Worker } from '../../../lib';
import { resource, resources, terraformJson } from '../../engines/terraform/fixtures';
import { nagReportOf } from '../../util/nag';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const ACCOUNT = '111111111111';

/** A bucket an API writes to and a worker reads from. */
function program(tier: Tier, engine = CloudEngine.CLOUDFORMATION) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier, account: ACCOUNT, region: 'eu-west-1', engine });
  const cluster = new KubernetesCluster(env, 'main');
  const uploads = new ObjectStore(env, 'uploads');
  new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, connections: [uploads] });
  new Worker(cluster, 'thumbnails', { image: 'ghcr.io/acme/thumbs:1.0.0' }).connect(uploads, { access: Access.READ, envPrefix: 'SOURCE' });
  platform.render();
  return { platform, env, uploads, docs: platform.manifests()['shop/main'] };
}

const bucketsOf = (t: Template) => Object.values(t.findResources('AWS::S3::Bucket')) as any[];

describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('ObjectStore in %s (CloudFormation)', tier => {
  const { env, uploads } = program(tier);
  const template = environmentTemplate(env);
  const bucket = bucketsOf(template).find(b => b.Properties.BucketName === uploads.bucketName);
  const logs = bucketsOf(template).find(b => b.Properties.BucketName !== uploads.bucketName);

  test('a deterministic, account-unique name', () => {
    expect(uploads.bucketName).toBe('acme-shop-uploads-111111111111');
    expect(uploads.bucketArn).toBe('arn:aws:s3:::acme-shop-uploads-111111111111');
  });

  test('private, ACLs off, KMS with its own rotating key and bucket keys, TLS-only', () => {
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^uploadsKey/), 'Arn'] } },
    }]);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: `Encryption of S3 bucket ${uploads.bucketName}` });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme/shop/uploads' });
    const policy = (Object.values(template.findResources('AWS::S3::BucketPolicy')) as any[])
      .find(p => JSON.stringify(p.Properties.Bucket).includes('uploads'));
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
  });

  test('versioning and the expiry of old versions by tier; unfinished uploads aborted; access logs to the environment\'s log bucket', () => {
    const versioned = tier !== Tier.DEVELOPMENT;
    expect(bucket.Properties.VersioningConfiguration).toEqual(versioned ? { Status: 'Enabled' } : undefined);
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual([{
      Id: 'expire',
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
      ...(versioned ? { NoncurrentVersionExpiration: { NoncurrentDays: tier === Tier.STAGING ? 30 : 90 } } : {}),
    }]);
    // By name, not by reference: the bucket's own stack imports nothing from the foundation for it.
    expect(bucket.Properties.LoggingConfiguration).toEqual({ DestinationBucketName: 'acme-shop-s3-access-logs-111111111111', LogFilePrefix: `${uploads.bucketName}/` });
    expect(logs.Properties).toMatchObject({
      BucketName: 'acme-shop-s3-access-logs-111111111111',
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: {
        Rules: [{
          Id: 'expire',
          Status: 'Enabled',
          ExpirationInDays: { [Tier.DEVELOPMENT]: 7, [Tier.STAGING]: 30, [Tier.PRODUCTION]: 365 }[tier],
          // With versioning, an expired log leaves a noncurrent version: gone a day later.
          ...(versioned ? { NoncurrentVersionExpiration: { NoncurrentDays: 1 } } : {}),
        }],
      },
    });
    // The log bucket is versioned as the tier versions buckets (CT.S3.PR.11).
    expect(logs.Properties.VersioningConfiguration).toEqual(versioned ? { Status: 'Enabled' } : undefined);
  });

  test('both buckets send their object events to EventBridge, in the bucket resource (no Lambda-backed custom resource)', () => {
    for (const b of [bucket, logs]) {
      expect(b.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    }
    expect(template.findResources('Custom::S3BucketNotifications')).toEqual({});
    expect(template.findResources('AWS::Lambda::Function')).toEqual({});
  });

  test('the bucket key allows grants only for AWS resources (CT.KMS.PR.3)', () => {
    const key = (Object.values(template.findResources('AWS::KMS::Key')) as any[]).find(k => k.Properties.Description.includes(uploads.bucketName));
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'DenyGrantsExceptForAwsResources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    });
  });

  test('kept unless the tier destroys data; its key too', () => {
    const policy = tier === Tier.DEVELOPMENT ? 'Delete' : 'Retain';
    expect(bucket.DeletionPolicy).toBe(policy);
    const key = (Object.values(template.findResources('AWS::KMS::Key')) as any[]).find(k => k.Properties.Description.includes(uploads.bucketName));
    expect(key.DeletionPolicy).toBe(policy);
  });

  test('the VPC gets an S3 gateway endpoint on its private route tables', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')) as any[];
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0].Properties.VpcEndpointType).toBe('Gateway');
    expect(JSON.stringify(endpoints[0].Properties.ServiceName)).toContain('.s3');
    expect(endpoints[0].Properties.RouteTableIds).toHaveLength(tier === Tier.DEVELOPMENT ? 2 : 3);
  });

  test('cdk-nag AwsSolutions: no unacknowledged error', () => {
    const report = nagReportOf(env);
    expect(report.violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} at ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('connecting to an ObjectStore', () => {
  const { env, docs } = program(Tier.STAGING);
  const roles = env._engine().intents.filter(i => i.type === 'workload-role').map(i => i.intent as any);
  const statementsOf = (namespace: string) => roles.find(r => r.namespace === namespace).statements;
  const BUCKET = 'arn:aws:s3:::acme-shop-uploads-111111111111';
  const keyStatement = (actions: string[]) => ({
    sid: 'UploadsBucketKey',
    actions,
    resources: ['arn:aws:kms:eu-west-1:111111111111:key/*'],
    conditions: {
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme/shop/uploads' },
      'StringEquals': { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
    },
  });

  test('read-write (the default): object actions on this bucket\'s objects, listing of this bucket, its key through S3', () => {
    expect(statementsOf('api')).toEqual([
      { sid: 'UploadsBucketObjects', actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], resources: [`${BUCKET}/*`], conditions: undefined },
      { sid: 'UploadsBucketList', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [BUCKET], conditions: undefined },
      keyStatement(['kms:Decrypt', 'kms:GenerateDataKey']),
    ]);
  });

  test('read-only: get and list, decrypt only', () => {
    expect(statementsOf('thumbnails')).toEqual([
      { sid: 'UploadsBucketObjects', actions: ['s3:GetObject'], resources: [`${BUCKET}/*`], conditions: undefined },
      { sid: 'UploadsBucketList', actions: ['s3:ListBucket', 's3:GetBucketLocation'], resources: [BUCKET], conditions: undefined },
      keyStatement(['kms:Decrypt']),
    ]);
  });

  test('no data-plane action on a * resource', () => {
    for (const role of roles) {
      for (const st of role.statements) expect(st.resources.some((r: string) => r === '*')).toBe(false);
    }
  });

  test('the bucket\'s name and region under the connection\'s prefix, HTTPS egress', () => {
    const envOf = (name: string) => docs.find(d => d.kind === 'Deployment' && d.metadata.name === name).spec.template.spec.containers[0].env;
    const region = [{ name: 'AWS_REGION', value: 'eu-west-1' }, { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' }];
    expect(envOf('api')).toEqual([{ name: 'UPLOADS_BUCKET', value: 'acme-shop-uploads-111111111111' }, { name: 'UPLOADS_REGION', value: 'eu-west-1' }, ...region]);
    expect(envOf('thumbnails')).toEqual([{ name: 'SOURCE_BUCKET', value: 'acme-shop-uploads-111111111111' }, { name: 'SOURCE_REGION', value: 'eu-west-1' }, ...region]);
    const egress = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.name === 'api').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expectValidManifests(docs);
  });
});

describe('ObjectStore on the Terraform engine', () => {
  const cfn = program(Tier.PRODUCTION);
  const tf = program(Tier.PRODUCTION, CloudEngine.TERRAFORM);
  const json = terraformJson(tf.env);
  const name = 'acme-shop-uploads-111111111111';

  test('the same intents as CloudFormation', () => {
    expect(tf.env._engine().intents).toEqual(cfn.env._engine().intents);
  });

  test('the same bucket: private, ACLs off, KMS with bucket keys, versioned, expiring old versions, logged, TLS-only, never force-destroyed', () => {
    expect(resource(json, 'aws_s3_bucket', 'uploads/Resource')).toMatchObject({ bucket: name, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(resource(json, 'aws_s3_bucket_public_access_block', 'uploads/PublicAccessBlock')).toMatchObject({
      block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
    });
    expect(resource(json, 'aws_s3_bucket_ownership_controls', 'uploads/OwnershipControls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(resource(json, 'aws_s3_bucket_server_side_encryption_configuration', 'uploads/Encryption').rule).toEqual([{
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.uploads_Key_\w+\.arn/) },
      bucket_key_enabled: true,
    }]);
    expect(resource(json, 'aws_s3_bucket_versioning', 'uploads/Versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'uploads/Lifecycle').rule).toEqual([{
      id: 'expire',
      status: 'Enabled',
      filter: [{}],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
    }]);
    expect(resource(json, 'aws_s3_bucket_logging', 'uploads/Logging')).toMatchObject({ target_bucket: 'acme-shop-s3-access-logs-111111111111', target_prefix: `${name}/` });
    expect(JSON.parse(resource(json, 'aws_s3_bucket_policy', 'uploads/Policy').policy).Statement[0]).toMatchObject({
      Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(resource(json, 'aws_kms_alias', 'uploads/KeyAlias').name).toBe('alias/acme/shop/uploads');
    expect(resource(json, 'aws_kms_key', 'uploads/Key').lifecycle).toEqual({ prevent_destroy: true });
    // The same key policy as CloudFormation's: the account through IAM, grants only for AWS resources.
    expect(JSON.parse(resource(json, 'aws_kms_key', 'uploads/Key').policy).Statement).toEqual([
      { Sid: 'AccountAdministersThroughIam', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
      expect.objectContaining({ Sid: 'DenyGrantsExceptForAwsResources', Effect: 'Deny', Action: 'kms:CreateGrant' }),
    ]);
    // Events to EventBridge, for the bucket and the log bucket; the log bucket versioned like the bucket.
    expect(resource(json, 'aws_s3_bucket_notification', 'uploads/Notification')).toMatchObject({ eventbridge: true });
    expect(resource(json, 'aws_s3_bucket_notification', 's3-access-logs/Notification')).toMatchObject({ eventbridge: true });
    expect(resource(json, 'aws_s3_bucket_versioning', 's3-access-logs/Versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 's3-access-logs/Lifecycle').rule).toEqual([{
      id: 'expire', status: 'Enabled', filter: [{}], expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }],
    }]);
  });

  test('the log bucket admits S3 log delivery from this account\'s buckets of the environment only', () => {
    const policy = JSON.parse(resource(json, 'aws_s3_bucket_policy', 's3-access-logs/Policy').policy);
    expect(policy.Statement[1]).toEqual({
      Sid: 'S3ServerAccessLogsPolicy',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::acme-shop-s3-access-logs-111111111111/*',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-shop-*' } },
    });
  });

  test('the S3 gateway endpoint on the private route tables', () => {
    const [endpoint] = resources(json, 'aws_vpc_endpoint');
    expect(endpoint).toMatchObject({ service_name: 'com.amazonaws.eu-west-1.s3', vpc_endpoint_type: 'Gateway' });
    expect(endpoint.route_table_ids).toHaveLength(3);
  });
});

describe('Object Lock (opt-in)', () => {
  function lockedBucket(engine: CloudEngine) {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', {
      tier: Tier.PRODUCTION,
      account: ACCOUNT,
      region: 'eu-west-1',
      engine,
      ...(engine === CloudEngine.TERRAFORM ? { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } } : {}),
    });
    new ObjectStore(env, 'ledger', { objectLockRetention: s3.ObjectLockRetention.compliance(cdk.Duration.days(2555)) });
    platform.render();
    return env;
  }

  test('CloudFormation: Object Lock on, compliance mode, the retention in days', () => {
    const template = environmentTemplate(lockedBucket(CloudEngine.CLOUDFORMATION));
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: Match.stringLikeRegexp('^acme-prod-ledger-'),
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  test('Terraform: the lock configuration resource, after versioning; the bucket itself untouched (no replacement)', () => {
    const json = terraformJson(lockedBucket(CloudEngine.TERRAFORM));
    const lock = resource(json, 'aws_s3_bucket_object_lock_configuration', 'ledger/ObjectLock');
    expect(lock).toMatchObject({ object_lock_enabled: 'Enabled', rule: { default_retention: { mode: 'COMPLIANCE', days: 2555 } } });
    expect(lock.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\.ledger_Versioning_/)]);
    expect(resource(json, 'aws_s3_bucket', 'ledger/Resource').object_lock_enabled).toBeUndefined();
  });
});

describe('ObjectStore without a VPC', () => {
  test('an environment with a bucket and nothing else gets no VPC and no endpoint', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'data', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: 'eu-west-1' });
    new ObjectStore(env, 'archive');
    platform.render();
    const template = environmentTemplate(env);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });
});

describe('bad input', () => {
  function errorsOf(build: (env: Environment) => void, tier = Tier.DEVELOPMENT): string {
    const platform = new Platform({ name: 'acme' });
    build(new Environment(platform, 'dev', { tier, account: ACCOUNT, region: 'eu-west-1' }));
    try {
      platform.render();
    } catch (e) {
      return (e as Error).message;
    }
    return platform.warnings.join('\n');
  }

  test.each<[string, (env: Environment) => void, RegExp]>([
    ['an invalid bucket id', env => new ObjectStore(env, 'Uploads_1'), /acme\/dev\/Uploads_1 {2}\[RS002\] id: ObjectStore id "Uploads_1" is not a lowercase DNS label/],
    ['a bucket id over 40 characters', env => new ObjectStore(env, 'a'.repeat(41)), /\[RS003\] id: ObjectStore id "a{41}" is 41 characters long, more than 40/],
    ['the id of the access-log bucket', env => new ObjectStore(env, 's3-access-logs'), /\[RS702\] id: "s3-access-logs" is the environment's access-log bucket/],
    ['old versions expire without versioning', env => new ObjectStore(env, 'uploads', { versioned: false, noncurrentVersionExpiration: cdk.Duration.days(30) }),
      /\[RS703\] noncurrentVersionExpiration: noncurrent versions expire, but the bucket is not versioned/],
    ['Object Lock without versioning (DEVELOPMENT does not version)', env => new ObjectStore(env, 'uploads', { objectLockRetention: s3.ObjectLockRetention.governance(cdk.Duration.days(30)) }),
      /\[RS707\] objectLockRetention: Object Lock needs versioning, and the bucket is not versioned: set versioned: true/],
    ['a removal policy that is no DataRemoval', env => new ObjectStore(env, 'uploads', { removalPolicy: 'shred' as DataRemoval }),
      /\[RS704\] removalPolicy: "shred" is not a DataRemoval/],
    ['a connection across environments', env => {
      const other = new Environment(env.platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: 'eu-west-1' });
      new Worker(new KubernetesCluster(env, 'main'), 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [new ObjectStore(other, 'uploads')] });
    }, /\[RS705\] connections\[0\]: acme\/dev\/main\/billing runs in environment "dev" but bucket acme\/prod\/uploads is in environment "prod"/],
    ['scaling on a bucket', env => {
      new Worker(new KubernetesCluster(env, 'main'), 'billing', { image: 'ghcr.io/acme/billing:1.0.0' }).connect(new ObjectStore(env, 'uploads'), { scaling: { maxReplicas: 3 } });
    }, /\[RS131\] connections\[0\]: bucket acme\/dev\/uploads has no backlog to scale on/],
  ])('%s', (_name, build, expected) => {
    expect(errorsOf(build)).toMatch(expected);
  });

  test('a PRODUCTION bucket that would be destroyed is a warning (RS706)', () => {
    expect(errorsOf(env => new ObjectStore(env, 'uploads', { removalPolicy: DataRemoval.DESTROY }), Tier.PRODUCTION)).toMatch(/\[RS706\] removalPolicy: a PRODUCTION bucket would be deleted/);
  });
});
