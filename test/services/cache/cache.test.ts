import { Template } from 'aws-cdk-lib/assertions';
import { Cache, CacheEngine, CloudEngine, DataRemoval, Environment, KubernetesCluster, Platform, SupportServices, Tier, Worker } from '../../../lib';
import { resource, resources, terraformJson } from '../../engines/terraform/fixtures';
import { nagReportOf } from '../../util/nag';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

const ACCOUNT = '111111111111';
const SUPPORT = { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };

function program(tier: Tier, engine = CloudEngine.CLOUDFORMATION) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier, account: ACCOUNT, region: 'eu-west-1', engine });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', SUPPORT);
  const sessions = new Cache(env, 'sessions');
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [sessions] });
  platform.render();
  return { platform, env, sessions, docs: platform.manifests()['shop/main'] };
}

const only = (t: Template, type: string) => {
  const found = Object.values(t.findResources(type)) as any[];
  expect(found).toHaveLength(1);
  return found[0];
};

describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('Cache in %s (CloudFormation)', tier => {
  const { env, sessions } = program(tier);
  const template = environmentTemplate(env);
  const group = only(template, 'AWS::ElastiCache::ReplicationGroup');
  const expected = {
    [Tier.DEVELOPMENT]: { node: 'cache.t4g.micro', nodes: 1, snapshots: 0, policy: 'Delete', keep: 'Delete' },
    [Tier.STAGING]: { node: 'cache.t4g.medium', nodes: 1, snapshots: 1, policy: 'Snapshot', keep: 'Retain' },
    [Tier.PRODUCTION]: { node: 'cache.m7g.large', nodes: 2, snapshots: 7, policy: 'Retain', keep: 'Retain' },
  }[tier];

  test('Valkey in the private subnets, TLS required, encrypted with its own key, AUTH from a generated secret', () => {
    expect(group.Properties).toMatchObject({
      ReplicationGroupId: 'acme-shop-sessions',
      Engine: 'valkey',
      EngineVersion: '8.0',
      CacheNodeType: expected.node,
      NumCacheClusters: expected.nodes,
      AutomaticFailoverEnabled: expected.nodes >= 2,
      MultiAZEnabled: expected.nodes >= 2,
      Port: 6379,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^sessionsKey/), 'Arn'] },
      SnapshotRetentionLimit: expected.snapshots,
    });
    // The token is only ever a dynamic reference resolved by CloudFormation.
    expect(JSON.stringify(group.Properties.AuthToken)).toMatch(/\{\{resolve:secretsmanager:.*:SecretString:token::\}\}/);
    const token = (Object.values(template.findResources('AWS::SecretsManager::Secret')) as any[]).find(s => s.Properties.Name === sessions.tokenSecretName);
    expect(token.Properties.GenerateSecretString).toMatchObject({ GenerateStringKey: 'token', PasswordLength: 64, ExcludePunctuation: true });
    expect(token.Properties.SecretString).toBeUndefined();
    const subnets = only(template, 'AWS::ElastiCache::SubnetGroup');
    expect(subnets.Properties.SubnetIds).toHaveLength(tier === Tier.DEVELOPMENT ? 2 : 3);
  });

  test('the endpoint goes into its own secret, written from the group\'s attributes (no credential in it)', () => {
    const endpoint = (Object.values(template.findResources('AWS::SecretsManager::Secret')) as any[]).find(s => s.Properties.Name === sessions.endpointSecretName);
    expect(sessions.endpointSecretName).toBe('acme/shop/sessions/endpoint');
    expect(JSON.stringify(endpoint.Properties.SecretString)).toContain('PrimaryEndPoint.Address');
    expect(JSON.stringify(endpoint.Properties.SecretString)).not.toMatch(/token/i);
  });

  test('removal: snapshot or keep by tier; key and secrets outlive the group unless it is destroyed', () => {
    expect(group.DeletionPolicy).toBe(expected.policy);
    const own = (type: string) => (Object.entries(template.findResources(type)) as any[]).filter(([id]) => id.startsWith('sessions')).map(([, r]) => r);
    expect(own('AWS::KMS::Key')).toHaveLength(1);
    expect(own('AWS::SecretsManager::Secret')).toHaveLength(2);
    for (const r of [...own('AWS::KMS::Key'), ...own('AWS::SecretsManager::Secret')]) expect(r.DeletionPolicy).toBe(expected.keep);
  });

  test('the security group admits only the cluster, on the cache port', () => {
    const sg = (Object.entries(template.findResources('AWS::EC2::SecurityGroup')) as any[]).find(([id]) => id.startsWith('sessionsSecurityGroup'))[1];
    expect(sg.Properties.SecurityGroupIngress).toEqual([{
      Description: 'Cache from the pods and nodes of EKS cluster acme-shop-main',
      FromPort: 6379,
      ToPort: 6379,
      IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^main/), 'ClusterSecurityGroupId'] },
    }]);
    expect(sg.Properties.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged error', () => {
    const report = nagReportOf(env);
    expect(report.violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} at ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('connecting to a Cache', () => {
  const { env, docs } = program(Tier.STAGING);

  test('an ExternalSecret reads the token and the endpoint from their secrets and composes a rediss:// URL', () => {
    const es = docs.find(d => d.kind === 'ExternalSecret' && d.metadata.name === 'billing-sessions');
    expect(es.metadata.namespace).toBe('billing');
    expect(es.spec.data).toEqual([
      { secretKey: 'host', remoteRef: { key: 'acme/shop/sessions/endpoint', property: 'host' } },
      { secretKey: 'port', remoteRef: { key: 'acme/shop/sessions/endpoint', property: 'port' } },
      { secretKey: 'token', remoteRef: { key: 'acme/shop/sessions', property: 'token' } },
    ]);
    expect(es.spec.target.template.data).toEqual({ url: 'rediss://:{{ .token }}@{{ .host }}:{{ .port }}' });
  });

  test('env vars from that Secret, REDIS_URL for the one cache; egress to the private subnets on the port; no IAM', () => {
    const vars = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'billing').spec.template.spec.containers[0].env;
    expect(vars).toEqual([
      ...[['SESSIONS_HOST', 'host'], ['SESSIONS_PORT', 'port'], ['SESSIONS_TOKEN', 'token'], ['SESSIONS_URL', 'url'], ['REDIS_URL', 'url']]
        .map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 'billing-sessions', key } } })),
    ]);
    const egress = docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.name === 'billing').spec.egress;
    expect(egress).toContainEqual({ to: env._network().privateSubnetCidrs.map(cidr => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 6379 }] });
    expect(env._engine().intents.filter(i => i.type === 'workload-role')
      .map(i => (i.intent as any).namespace)).not.toContain('billing');
    expectValidManifests(docs);
  });

  test('no secret material in the YAML', () => {
    expect(JSON.stringify(docs)).not.toMatch(/"token":\s*"[A-Za-z0-9]{20,}"/);
  });
});

describe('Cache on the Terraform engine', () => {
  const cfn = program(Tier.PRODUCTION);
  const tf = program(Tier.PRODUCTION, CloudEngine.TERRAFORM);
  const json = terraformJson(tf.env);

  test('the same intents as CloudFormation', () => {
    expect(tf.env._engine().intents).toEqual(cfn.env._engine().intents);
  });

  test('the same group: TLS required, encrypted, Multi-AZ in PRODUCTION, AUTH from random_password, kept', () => {
    expect(resource(json, 'aws_elasticache_replication_group', 'sessions/Resource')).toMatchObject({
      replication_group_id: 'acme-shop-sessions',
      engine: 'valkey',
      engine_version: '8.0',
      node_type: 'cache.m7g.large',
      num_cache_clusters: 2,
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      transit_encryption_enabled: true,
      transit_encryption_mode: 'required',
      at_rest_encryption_enabled: 'true',
      auth_token: expect.stringMatching(/^\$\{random_password\.sessions_TokenValue_\w+\.result\}$/),
      final_snapshot_identifier: 'acme-shop-sessions-final',
      snapshot_retention_limit: 7,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(json, 'aws_secretsmanager_secret_version', 'sessions/TokenVersion').secret_string).toMatch(/"token" = random_password\.sessions_TokenValue_\w+\.result/);
    expect(resource(json, 'aws_secretsmanager_secret_version', 'sessions/EndpointVersion').secret_string).toMatch(/"host" = aws_elasticache_replication_group\.sessions_\w+\.primary_endpoint_address/);
    expect(resources(json, 'aws_vpc_security_group_ingress_rule').map(r => r['//'].metadata.path)).toContain('acme-shop/sessions/From-acme-shop-main');
  });

  test('identical Kubernetes YAML', () => {
    expect(tf.platform.manifests()).toEqual(cfn.platform.manifests());
  });
});

describe('bad input', () => {
  function errorsOf(build: (env: Environment, cluster: KubernetesCluster) => void, tier = Tier.DEVELOPMENT): string {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier, account: ACCOUNT, region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'main');
    new SupportServices(cluster, 'support', SUPPORT);
    build(env, cluster);
    try {
      platform.render();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  }
  test.each<[string, (env: Environment, cluster: KubernetesCluster) => void, RegExp]>([
    ['a node type that does not exist', env => new Cache(env, 'sessions', { nodeType: 'cache.x9.huge' }),
      /acme\/dev\/sessions {2}\[RS901\] nodeType: "cache\.x9\.huge" is not an ElastiCache node type: use cache\.<family>\.<size>/],
    ['a burstable node that is too large', env => new Cache(env, 'sessions', { nodeType: 'cache.t4g.xlarge' }), /\[RS901\] nodeType: "cache\.t4g\.xlarge"/],
    ['an engine version ElastiCache does not offer', env => new Cache(env, 'sessions', { engine: CacheEngine.REDIS, engineVersion: '8.0' }),
      /\[RS902\] engineVersion: redis "8\.0" is not supported: use one of 6\.2, 7\.0, 7\.1/],
    ['seven nodes', env => new Cache(env, 'sessions', { nodes: 7 }), /\[RS903\] nodes: 7 is not a whole number of nodes from 1 to 6/],
    ['snapshots kept 40 days', env => new Cache(env, 'sessions', { snapshotRetentionDays: 40 }), /\[RS904\] snapshotRetentionDays: 40 is not a whole number of days from 0 to 35/],
    ['a removal policy that is no DataRemoval', env => new Cache(env, 'sessions', { removalPolicy: 'flush' as DataRemoval }), /\[RS905\] removalPolicy: "flush" is not a DataRemoval/],
    ['a privileged port', env => new Cache(env, 'sessions', { port: 80 }), /\[RS906\] port: 80 is outside 1024-65535/],
    ['an engine that is no CacheEngine', env => new Cache(env, 'sessions', { engine: 'memcached' as CacheEngine }), /\[RS908\] engine: "memcached" is not a CacheEngine/],
    ['two hyphens in the id', env => new Cache(env, 'user--sessions'), /\[RS910\] id: "user--sessions" has two hyphens in a row/],
    ['a connection across environments', (env, cluster) => {
      const prod = new Environment(env.platform, 'prod', { tier: Tier.PRODUCTION, account: ACCOUNT, region: 'eu-west-1' });
      new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [new Cache(prod, 'sessions')] });
    }, /\[RS907\] connections\[0\]: acme\/dev\/main\/billing runs in environment "dev" but cache acme\/prod\/sessions is in environment "prod"/],
  ])('%s', (_name, build, expected) => {
    expect(errorsOf(build)).toMatch(expected);
  });

  test('one node in PRODUCTION', () => {
    expect(errorsOf(env => new Cache(env, 'sessions', { nodes: 1 }), Tier.PRODUCTION)).toMatch(/\[RS903\] nodes: 1 node in PRODUCTION: no failover when it is lost/);
  });

  test('an existing cluster without its security group', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: 'eu-west-1' });
    const cluster = KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy-eks' });
    new SupportServices(cluster, 'support', SUPPORT);
    new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [new Cache(env, 'sessions')] });
    expect(() => platform.render()).toThrow(/\[RS909\] connections\[0\]: existing cluster acme\/dev\/legacy has no clusterSecurityGroupId, so cache acme\/dev\/sessions cannot admit its pods/);
  });
});
