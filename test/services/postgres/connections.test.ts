import { CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, Tier, WebApp, Worker } from '../../../lib';
import { resources, terraformJson } from '../../engines/terraform/fixtures';
import { environmentTemplate } from '../../util/templates';

/**
 * The most common shape of a real program: an API and a worker sharing a
 * database, and a second cluster using it too. The database admits each
 * cluster once, on both engines (Terraform used to crash on the second
 * workload of a cluster with a duplicate construct id).
 */
function program(engine: CloudEngine) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine });
  const blue = new KubernetesCluster(env, 'blue');
  const green = new KubernetesCluster(env, 'green');
  for (const cluster of [blue, green]) {
    new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  }
  const db = new ManagedPostgres(env, 'orders-db');
  new WebApp(blue, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, connections: [db] });
  new Worker(blue, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [db] });
  new Worker(green, 'reports', { image: 'ghcr.io/acme/reports:1.0.0', connections: [db] });
  platform.render();
  return { platform, env, blue, green };
}

describe.each([CloudEngine.CLOUDFORMATION, CloudEngine.TERRAFORM])('one database, three workloads in two clusters (%s)', engine => {
  // WHEN
  const { platform, env } = program(engine);

  test('renders, and records one database access per cluster', () => {
    const access = env._engine().intents.filter(i => i.type === 'database-access').map(i => i.intent);
    expect(access).toEqual([
      { identifier: 'acme-dev-orders-db', source: 'acme-dev-blue', port: 5432 },
      { identifier: 'acme-dev-orders-db', source: 'acme-dev-green', port: 5432 },
    ]);
  });

  test('the database admits the two clusters\' security groups, once each, on its port only', () => {
    if (engine === CloudEngine.CLOUDFORMATION) {
      const groups = Object.entries(environmentTemplate(env).findResources('AWS::EC2::SecurityGroup'))
        .filter(([id]) => id.startsWith('ordersdbSecurityGroup'));
      expect(groups).toHaveLength(1);
      const ingress = (groups[0][1] as any).Properties.SecurityGroupIngress;
      expect(ingress).toEqual([
        { Description: 'PostgreSQL from the pods and nodes of EKS cluster acme-dev-blue', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^blue/), 'ClusterSecurityGroupId'] } },
        { Description: 'PostgreSQL from the pods and nodes of EKS cluster acme-dev-green', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^green/), 'ClusterSecurityGroupId'] } },
      ]);
    } else {
      const rules = resources(terraformJson(env), 'aws_vpc_security_group_ingress_rule');
      expect(rules.map(r => ({
        path: r['//'].metadata.path,
        from: r.referenced_security_group_id,
        ports: [r.from_port, r.to_port],
        description: r.description,
      }))).toEqual([
        { path: 'acme-dev/orders-db/From-acme-dev-blue', from: expect.stringMatching(/^\$\{aws_eks_cluster\.blue_\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/), ports: [5432, 5432], description: 'PostgreSQL from the pods and nodes of EKS cluster acme-dev-blue' },
        { path: 'acme-dev/orders-db/From-acme-dev-green', from: expect.stringMatching(/^\$\{aws_eks_cluster\.green_\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/), ports: [5432, 5432], description: 'PostgreSQL from the pods and nodes of EKS cluster acme-dev-green' },
      ]);
    }
  });

  test('each workload gets its own credentials Secret and egress to the database', () => {
    const manifests = platform.manifests();
    const secrets = Object.entries(manifests).flatMap(([folder, docs]) => docs
      .filter(d => d.kind === 'ExternalSecret').map(d => `${folder}:${d.metadata.namespace}/${d.metadata.name}`));
    expect(secrets).toEqual(['dev/blue:api/api-orders-db', 'dev/blue:billing/billing-orders-db', 'dev/green:reports/reports-orders-db']);
    for (const [folder, name] of [['dev/blue', 'api'], ['dev/blue', 'billing'], ['dev/green', 'reports']]) {
      const policy = manifests[folder].find(d => d.kind === 'NetworkPolicy' && d.metadata.name === name);
      expect(policy.spec.egress).toContainEqual({ to: env._network().privateSubnetCidrs.map(cidr => ({ ipBlock: { cidr } })), ports: [{ protocol: 'TCP', port: 5432 }] });
    }
  });
});
