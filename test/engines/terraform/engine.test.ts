import { Aws, Duration } from 'aws-cdk-lib';
import { Testing } from 'cdktf';
import { addSampleIntents, address, quickstart, sampleDatabase, resource, resources, sampleWorkloadRole, terraformEngine, terraformJson, TerraformJson } from './fixtures';
import { CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, Tier } from '../../../lib';
import { cloudWatchRetention, partitionOf } from '../../../lib/core/policy';
import {
  POSTGRES_MASTER_USERNAME, POSTGRES_ROTATION_APPLICATION, TERRAFORM_AWS_PROVIDER_VERSION, TERRAFORM_RANDOM_PROVIDER_VERSION,
} from '../../../lib/private/catalog';

// GIVEN the quickstart (PRODUCTION) and a DEVELOPMENT environment, both with
// the Terraform engine, a workload role, a log group and a database —
// rendered once for the whole file.
const prod = quickstart(CloudEngine.TERRAFORM, {
  tags: { team: 'platform' },
  terraform: { s3Backend: { bucket: 'acme-terraform-state', dynamodbTable: 'terraform-locks' } },
});
sampleDatabase(prod.prod, prod.cluster);
prod.platform.render();
addSampleIntents(prod.prod, prod.cluster);
const prodJson = terraformJson(prod.prod);

const devPlatform = new Platform({ name: 'acme' });
const dev = new Environment(devPlatform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
const devCluster = new KubernetesCluster(dev, 'main', { adminRoleArns: ['arn:aws:iam::111111111111:role/platform-admin'] });
sampleDatabase(dev, devCluster);
devPlatform.render();
addSampleIntents(dev, devCluster);
const devJson = terraformJson(dev);

/** The keys of a `${jsonencode({...})}` secret string, sorted. */
function secretKeys(secretString: string): string[] {
  return [...secretString.matchAll(/"(\w+)" = /g)].map(m => m[1]).sort();
}

function policyOf(r: any): any {
  return JSON.parse(r.policy ?? r.assume_role_policy);
}

describe('Terraform engine: stack settings', () => {
  test('the AWS provider has the region, the account guard and the environment tags as default tags', () => {
    expect(prodJson.provider.aws).toEqual([{
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      default_tags: [{
        tags: {
          'runtime-stack:platform': 'acme',
          'runtime-stack:environment': 'prod',
          'runtime-stack:tier': 'production',
          'team': 'platform',
        },
      }],
    }]);
  });

  test('required_providers pins hashicorp/aws and (for database passwords) hashicorp/random from the catalog, and Terraform 1.10+', () => {
    expect(prodJson.terraform.required_providers).toEqual({
      aws: { source: 'hashicorp/aws', version: TERRAFORM_AWS_PROVIDER_VERSION },
      random: { source: 'hashicorp/random', version: TERRAFORM_RANDOM_PROVIDER_VERSION },
    });
    expect(prodJson.terraform.required_version).toBe('>= 1.10.0');
  });

  test('the random provider is declared (cdktf refuses resources of an undeclared provider)', () => {
    expect(prodJson.provider.random).toEqual([{}]);
    expect(() => Testing.synth(terraformEngine(prod.prod).terraformStack, true)).not.toThrow();
    expect(() => Testing.synth(terraformEngine(dev).terraformStack, true)).not.toThrow();
  });

  test('the S3 backend is encrypted and locked (lock file and DynamoDB), keyed by platform and environment', () => {
    expect(prodJson.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-terraform-state',
        key: 'acme/prod/terraform.tfstate',
        region: 'eu-west-1',
        encrypt: true,
        use_lockfile: true,
        dynamodb_table: 'terraform-locks',
      },
    });
  });

  test('without s3Backend, the state is local, in terraform.<stack>.tfstate (the path is made relative at synth)', () => {
    expect(devJson.terraform.backend).toEqual({ local: { path: 'terraform.acme-dev.tfstate' } });
  });

  test('partition and CloudWatch retention helpers', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
    expect(cloudWatchRetention(7)).toBe(7);
    expect(cloudWatchRetention(8)).toBe(14);
    expect(cloudWatchRetention(100000)).toBe(3653);
  });
});

describe('Terraform engine: network', () => {
  test('a VPC with DNS, public /24 and private /20 subnets per zone, as ec2.Vpc lays them out', () => {
    const vpc = resources(prodJson, 'aws_vpc');
    expect(vpc).toHaveLength(1);
    expect(vpc[0]).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true, tags: { Name: 'acme-prod' } });
    const subnets = resources(prodJson, 'aws_subnet');
    const pub = subnets.filter(s => s.tags['kubernetes.io/role/elb'] === '1');
    const priv = subnets.filter(s => s.tags['kubernetes.io/role/internal-elb'] === '1');
    // Nothing gets a public IP by being started in a subnet (CT.EC2.PR.11): NAT gateways have Elastic IPs.
    expect(subnets.map(s => s.map_public_ip_on_launch)).toEqual(subnets.map(() => false));
    expect(resources(prodJson, 'aws_eip')).toHaveLength(3);
    expect(pub.map(s => [s.availability_zone, s.cidr_block])).toEqual([
      ['eu-west-1a', '10.0.0.0/24'], ['eu-west-1b', '10.0.1.0/24'], ['eu-west-1c', '10.0.2.0/24'],
    ]);
    expect(priv.map(s => [s.availability_zone, s.cidr_block])).toEqual([
      ['eu-west-1a', '10.0.16.0/20'], ['eu-west-1b', '10.0.32.0/20'], ['eu-west-1c', '10.0.48.0/20'],
    ]);
    expect(pub.every(s => s.tags['kubernetes.io/role/elb'] === '1')).toBe(true);
    expect(priv.every(s => s.tags['kubernetes.io/role/internal-elb'] === '1')).toBe(true);
  });

  test('PRODUCTION: one NAT gateway per zone, each private route table to the NAT of its zone', () => {
    expect(resources(prodJson, 'aws_internet_gateway')).toHaveLength(1);
    expect(resources(prodJson, 'aws_nat_gateway')).toHaveLength(3);
    expect(resources(prodJson, 'aws_eip').every(e => e.domain === 'vpc')).toBe(true);
    for (const i of [1, 2, 3]) {
      const table = resource(prodJson, 'aws_route_table', `network/PrivateRouteTable${i}`);
      expect(table.route).toEqual([expect.objectContaining({ cidr_block: '0.0.0.0/0', nat_gateway_id: expect.stringMatching(new RegExp(`^\\$\\{aws_nat_gateway\\.network_NatGateway${i}_`)) })]);
      const pubTable = resource(prodJson, 'aws_route_table', `network/PublicRouteTable${i}`);
      expect(pubTable.route).toEqual([expect.objectContaining({ cidr_block: '0.0.0.0/0', gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\./) })]);
    }
    expect(resources(prodJson, 'aws_route_table_association')).toHaveLength(6);
  });

  test('DEVELOPMENT: one NAT gateway shared by every private subnet', () => {
    expect(resources(devJson, 'aws_nat_gateway')).toHaveLength(1);
    const nat = resources(devJson, 'aws_route_table').filter(t => t.route[0]?.nat_gateway_id).map(t => t.route[0].nat_gateway_id);
    expect(nat).toHaveLength(2);
    expect(new Set(nat).size).toBe(1);
  });

  test('rejected traffic is logged to a CloudWatch log group with the tier retention, by a least-privilege role', () => {
    const group = resource(prodJson, 'aws_cloudwatch_log_group', 'network/FlowLogs');
    expect(group).toMatchObject({ name: '/vpc/acme-prod/flow-logs', retention_in_days: 365, kms_key_id: '${aws_kms_key.logs_Key_BCE1D2AB.arn}' });
    const flowLog = resources(prodJson, 'aws_flow_log');
    expect(flowLog).toEqual([expect.objectContaining({ traffic_type: 'REJECT', log_destination_type: 'cloud-watch-logs' })]);
    const role = resource(prodJson, 'aws_iam_role', 'network/FlowLogRole');
    expect(policyOf(role).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: ['sts:AssumeRole'] }]);
    const policy = policyOf(resource(prodJson, 'aws_iam_role_policy', 'network/FlowLogPolicy'));
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Resource).toEqual([expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.network_FlowLogs_\w+\.arn\}:\*$/)]);
  });
});

describe('Terraform engine: cluster', () => {
  const cluster = resource(prodJson, 'aws_eks_cluster', 'main/Resource');

  test('EKS cluster: KMS-encrypted secrets with a rotated key, all five log types, API auth, no self-managed add-ons', () => {
    expect(cluster).toMatchObject({
      name: 'acme-prod-main',
      version: '1.36',
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      encryption_config: { resources: ['secrets'], provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.main_SecretsKey_\w+\.arn\}$/) } },
      access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false },
      bootstrap_self_managed_addons: false,
    });
    expect(resource(prodJson, 'aws_kms_key', 'main/SecretsKey')).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('PRODUCTION: private endpoint only; DEVELOPMENT: public endpoint limited to the given CIDRs', () => {
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.vpc_config.subnet_ids).toEqual([
      expect.stringMatching(/aws_subnet\.network_PrivateSubnet1_/), expect.stringMatching(/aws_subnet\.network_PrivateSubnet2_/), expect.stringMatching(/aws_subnet\.network_PrivateSubnet3_/),
    ]);
    const devCl = resource(devJson, 'aws_eks_cluster', 'main/Resource');
    expect(devCl.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] });
  });

  test('the control-plane log group exists before the cluster, with the tier retention', () => {
    const logs = resource(prodJson, 'aws_cloudwatch_log_group', 'main/ControlPlaneLogs');
    expect(logs).toMatchObject({ name: '/aws/eks/acme-prod-main/cluster', retention_in_days: 365, kms_key_id: '${aws_kms_key.logs_Key_BCE1D2AB.arn}' });
    expect(cluster.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\.main_ControlPlaneLogs_/)]));
  });

  test('cluster and node roles trust only their service and carry the AWS managed policies EKS documents', () => {
    const clusterRole = resource(prodJson, 'aws_iam_role', 'main/ClusterRole');
    expect(policyOf(clusterRole).Statement[0].Principal).toEqual({ Service: 'eks.amazonaws.com' });
    const nodeRole = resource(prodJson, 'aws_iam_role', 'main/NodeRole');
    expect(policyOf(nodeRole).Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(resources(prodJson, 'aws_iam_role_policy_attachment').map(a => a.policy_arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      // the environment's enhanced-monitoring role
      'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    ]);
  });

  test('managed node group on the private subnets with the tier sizes', () => {
    const nodes = resource(prodJson, 'aws_eks_node_group', 'main/Nodes');
    expect(nodes).toMatchObject({
      node_group_name: 'acme-prod-main-nodes-lt',
      instance_types: ['m6i.xlarge'],
      ami_type: 'AL2023_x86_64_STANDARD',
      scaling_config: { min_size: 3, desired_size: 3, max_size: 12 },
      // a renamed group comes up before the old one drains
      lifecycle: { create_before_destroy: true },
    });
    expect(nodes.subnet_ids).toEqual(cluster.vpc_config.subnet_ids);
  });

  test('nodes start from a launch template: IMDSv2 with hop limit 1, encrypted gp3 root volume, detailed monitoring by tier', () => {
    const nodes = resource(prodJson, 'aws_eks_node_group', 'main/Nodes');
    const template = resource(prodJson, 'aws_launch_template', 'main/NodesLaunchTemplate');
    expect(nodes.launch_template).toEqual({
      id: expect.stringMatching(/^\$\{aws_launch_template\.main_NodesLaunchTemplate_\w+\.id\}$/),
      version: expect.stringMatching(/^\$\{aws_launch_template\.main_NodesLaunchTemplate_\w+\.latest_version\}$/),
    });
    expect(nodes.disk_size).toBeUndefined();
    expect(template).toMatchObject({
      name: 'acme-prod-main-nodes',
      metadata_options: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 },
      block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }],
      monitoring: { enabled: true },
    });
    expect(template.image_id).toBeUndefined();
    expect(template.user_data).toBeUndefined();
    expect(resource(devJson, 'aws_launch_template', 'main/NodesLaunchTemplate').monitoring).toEqual({ enabled: false });
  });

  test('managed add-ons with pinned versions, after the nodes', () => {
    const addons = resources(prodJson, 'aws_eks_addon');
    expect(addons.map(a => a.addon_name).sort()).toEqual(['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    for (const a of addons) {
      expect(a.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(a).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
      expect(a.depends_on).toEqual([expect.stringMatching(/^aws_eks_node_group\./)]);
    }
    expect(resources(prodJson, 'aws_eks_addon').find(a => a.addon_name === 'kube-proxy').addon_version).toMatch(/^v1\.36\./);
  });

  test('the VPC CNI add-on turns network policy enforcement on, as in CloudFormation', () => {
    const cni = resources(prodJson, 'aws_eks_addon').find(a => a.addon_name === 'vpc-cni');
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    for (const a of resources(prodJson, 'aws_eks_addon').filter(x => x.addon_name !== 'vpc-cni')) {
      expect(a.configuration_values).toBeUndefined();
    }
  });

  test('admins get cluster-admin through access entries', () => {
    expect(resources(prodJson, 'aws_eks_access_entry')).toHaveLength(0);
    expect(resources(devJson, 'aws_eks_access_entry')).toEqual([expect.objectContaining({ principal_arn: 'arn:aws:iam::111111111111:role/platform-admin', type: 'STANDARD' })]);
    expect(resources(devJson, 'aws_eks_access_policy_association')).toEqual([expect.objectContaining({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    })]);
  });
});

describe('Terraform engine: workload roles and log groups', () => {
  test('the role trusts only EKS Pod Identity (AssumeRole + TagSession), with a named inline policy', () => {
    const role = resource(prodJson, 'aws_iam_role', 'orders/Role');
    expect(role.name).toBe('acme-prod-main-orders');
    expect(policyOf(role).Statement).toEqual([{
      Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'],
    }]);
    const policy = policyOf(resource(prodJson, 'aws_iam_role_policy', 'orders/Policy'));
    expect(policy.Statement).toEqual([{
      Sid: 'ReadConnectionSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: ['arn:aws:secretsmanager:eu-west-1:111111111111:secret:acme/prod/orders-db-??????'],
    }]);
  });

  test('the Pod Identity association binds the service account to the role, after the add-ons', () => {
    const assoc = resources(prodJson, 'aws_eks_pod_identity_association');
    expect(assoc).toEqual([expect.objectContaining({
      cluster_name: expect.stringMatching(/^\$\{aws_eks_cluster\.main_\w+\.name\}$/),
      namespace: 'orders',
      service_account: 'orders',
      role_arn: expect.stringMatching(/^\$\{aws_iam_role\.orders_Role_\w+\.arn\}$/),
    })]);
    expect(assoc[0].depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/aws_eks_addon\.main_Addon-eks-pod-identity-agent_/)]));
  });

  test('no workload or flow-log policy grants every action', () => {
    for (const json of [prodJson, devJson]) {
      for (const p of resources(json, 'aws_iam_role_policy')) {
        for (const s of policyOf(p).Statement) {
          expect(s.Action).not.toContain('*');
          expect(s.Resource).not.toContain('*');
        }
      }
    }
  });

  test('a retained log group is skipped on destroy (PRODUCTION); a DEVELOPMENT one is not', () => {
    expect(resource(prodJson, 'aws_cloudwatch_log_group', 'orders/LogGroup')).toMatchObject({ name: '/acme/prod/orders', retention_in_days: 365, skip_destroy: true });
    const devGroup = resource(devJson, 'aws_cloudwatch_log_group', 'orders/LogGroup');
    expect(devGroup).toMatchObject({ retention_in_days: 7 });
    expect(devGroup.skip_destroy).toBeUndefined();
  });
});

describe('Terraform engine: PostgreSQL', () => {
  const prodDb = resource(prodJson, 'aws_db_instance', 'orders-db/Resource');
  const devDb = resource(devJson, 'aws_db_instance', 'orders-db/Resource');

  test('IAM authentication available; enhanced monitoring through the environment\'s role in PRODUCTION, none in DEVELOPMENT', () => {
    expect(prodDb.iam_database_authentication_enabled).toBe(true);
    expect(devDb.iam_database_authentication_enabled).toBe(true);
    expect(prodDb.monitoring_interval).toBe(60);
    expect(prodDb.monitoring_role_arn).toMatch(/^\$\{aws_iam_role\.ServiceRoles_rds-enhanced-monitoring_[0-9A-F]{8}\.arn\}$/);
    const role = resource(prodJson, 'aws_iam_role', 'ServiceRoles/rds-enhanced-monitoring/Resource');
    expect(role.name).toBe('acme-prod-rds-monitoring-role');
    expect(role.description).toBe('Enhanced monitoring of the RDS instances of acme-prod');
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'monitoring.rds.amazonaws.com' }, Action: ['sts:AssumeRole'] }]);
    expect(resource(prodJson, 'aws_iam_role_policy_attachment', 'ServiceRoles/rds-enhanced-monitoring/Policy0')).toMatchObject({
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
    });
    // RDS checks the role's permissions when it creates the instance: the
    // instance waits for the policy attachment, not only for the role.
    expect(prodDb.depends_on).toContain(address(prodJson, 'aws_iam_role_policy_attachment', 'ServiceRoles/rds-enhanced-monitoring/Policy0'));
    expect(devDb.monitoring_interval).toBeUndefined();
    expect(resources(devJson, 'aws_iam_role').filter(r => String(r.name).includes('monitoring'))).toEqual([]);
  });

  test('one enhanced-monitoring role for every database of the environment, each after its policy', () => {
    const platform = new Platform({ name: 'acme' });
    const staging = new Environment(platform, 'staging', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
    for (const id of ['orders-db', 'ledger-db', 'refunds-db']) new ManagedPostgres(staging, id);
    new ManagedPostgres(staging, 'audit-db', { monitoringInterval: Duration.seconds(0) });
    platform.render();
    const json = terraformJson(staging);
    const roles = Object.keys(json.resource.aws_iam_role).filter(name => name.startsWith('ServiceRoles_'));
    expect(roles).toEqual([expect.stringMatching(/^ServiceRoles_rds-enhanced-monitoring_[0-9A-F]{8}$/)]);
    const attachments = Object.keys(json.resource.aws_iam_role_policy_attachment).filter(name => name.startsWith('ServiceRoles_'));
    expect(attachments).toHaveLength(1);
    const dbs = ['orders-db', 'ledger-db', 'refunds-db', 'audit-db'].map(id => resource(json, 'aws_db_instance', `${id}/Resource`));
    expect(dbs.map(db => db.monitoring_role_arn ?? '-')).toEqual([...Array(3).fill(`\${aws_iam_role.${roles[0]}.arn}`), '-']);
    expect(dbs.map(db => (db.depends_on ?? []).includes(`aws_iam_role_policy_attachment.${attachments[0]}`))).toEqual([true, true, true, false]);
  });

  test('private, encrypted with a customer key, TLS-only, in the private subnets', () => {
    for (const [db, env] of [[prodDb, 'prod'], [devDb, 'dev']]) {
      expect(db).toMatchObject({
        identifier: `acme-${env}-orders-db`,
        engine: 'postgres',
        engine_version: '17.9',
        db_name: 'orders',
        port: 5432,
        publicly_accessible: false,
        storage_encrypted: true,
        storage_type: 'gp3',
        kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.orders-db_Key_\w+\.arn\}$/),
        enabled_cloudwatch_logs_exports: ['postgresql', 'upgrade'],
        performance_insights_enabled: true,
        copy_tags_to_snapshot: true,
      });
    }
    const params = resource(prodJson, 'aws_db_parameter_group', 'orders-db/ParameterGroup');
    expect(params.family).toBe('postgres17');
    expect(params.parameter).toContainEqual({ name: 'rds.force_ssl', value: '1', apply_method: 'pending-reboot' });
    const subnetGroup = resource(prodJson, 'aws_db_subnet_group', 'orders-db/SubnetGroup');
    expect(subnetGroup.subnet_ids).toEqual(resource(prodJson, 'aws_eks_cluster', 'main/Resource').vpc_config.subnet_ids);
    expect(resource(prodJson, 'aws_kms_key', 'orders-db/Key')).toMatchObject({ enable_key_rotation: true });
  });

  test('storage: the tier size, autoscaling up to the given ceiling', () => {
    expect(prodDb).toMatchObject({ allocated_storage: 100, max_allocated_storage: 1000 });
    expect(devDb).toMatchObject({ allocated_storage: 20, max_allocated_storage: 100 });
  });

  test('PRODUCTION: Multi-AZ, deletion protection, prevent_destroy, final snapshot, 14 days of backups', () => {
    expect(prodDb).toMatchObject({
      instance_class: 'db.m7g.large',
      multi_az: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'acme-prod-orders-db-final',
      delete_automated_backups: false,
      backup_retention_period: 14,
      lifecycle: { prevent_destroy: true },
    });
    expect(resource(prodJson, 'aws_kms_key', 'orders-db/Key').lifecycle).toEqual({ prevent_destroy: true });
    expect(resource(prodJson, 'aws_secretsmanager_secret', 'orders-db/Secret').lifecycle).toEqual({ prevent_destroy: true });
  });

  test('DEVELOPMENT: single-AZ, no protection, no final snapshot, destroyable', () => {
    expect(devDb).toMatchObject({
      instance_class: 'db.t4g.micro',
      multi_az: false,
      deletion_protection: false,
      skip_final_snapshot: true,
      backup_retention_period: 1,
    });
    expect(devDb.final_snapshot_identifier).toBeUndefined();
    expect(devDb.lifecycle).toBeUndefined();
  });

  test('the master password is generated by Terraform (random_password, as aws-cdk-lib generates it) and set by reference', () => {
    const passwords = resources(prodJson, 'random_password');
    expect(passwords).toHaveLength(1);
    expect(passwords[0]).toMatchObject({ length: 30, special: true, override_special: ',-.=^_' });
    const ref = /^\$\{random_password\.orders-db_Password_\w+\.result\}$/;
    expect(prodDb).toMatchObject({ username: POSTGRES_MASTER_USERNAME, password: expect.stringMatching(ref) });
    expect(devDb).toMatchObject({ username: POSTGRES_MASTER_USERNAME, password: expect.stringMatching(ref) });
    // Not the RDS-managed secret: its name is not under the environment's prefix.
    expect(prodDb.manage_master_user_password).toBeUndefined();
    expect(prodDb.master_user_secret_kms_key_id).toBeUndefined();
  });

  test('the connection secret: named by the intent, AWS-managed key, the keys of the CloudFormation secret', () => {
    const secret = resource(prodJson, 'aws_secretsmanager_secret', 'orders-db/Secret');
    expect(secret).toMatchObject({ name: 'acme/prod/orders-db', recovery_window_in_days: 30 });
    // The AWS-managed key aws/secretsmanager, as CloudFormation's generated secret.
    expect(secret.kms_key_id).toBeUndefined();
    expect(resource(devJson, 'aws_secretsmanager_secret', 'orders-db/Secret')).toMatchObject({ recovery_window_in_days: 0 });
    const value = resource(prodJson, 'aws_secretsmanager_secret_version', 'orders-db/SecretValue').secret_string as string;
    expect(secretKeys(value)).toEqual(['dbInstanceIdentifier', 'dbname', 'engine', 'host', 'password', 'port', 'username']);
    expect(value).toMatch(/"engine" = "postgres"/);
    expect(value).toMatch(/"host" = aws_db_instance\.orders-db_\w+\.address/);
    expect(value).toMatch(/"port" = 5432/);
    expect(value).toMatch(/"dbname" = "orders"/);
    expect(value).toMatch(/"username" = "dbadmin"/);
    expect(value).toMatch(/"password" = random_password\.orders-db_Password_\w+\.result/);
    expect(value).toMatch(/"dbInstanceIdentifier" = aws_db_instance\.orders-db_\w+\.identifier/);
  });

  test('PRODUCTION: rotation every 30 days by the environment\'s one function, the SAR application aws-cdk-lib deploys; Terraform then leaves the password alone', () => {
    const app = resource(prodJson, 'aws_serverlessapplicationrepository_cloudformation_stack', 'Shared/postgres-rotation/Resource');
    expect(resources(prodJson, 'aws_serverlessapplicationrepository_cloudformation_stack')).toHaveLength(1);
    expect(app).toMatchObject({
      name: 'acme-prod-postgres-rotation',
      application_id: POSTGRES_ROTATION_APPLICATION.aws.applicationId,
      semantic_version: POSTGRES_ROTATION_APPLICATION.aws.semanticVersion,
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'],
      parameters: {
        endpoint: 'https://secretsmanager.eu-west-1.amazonaws.com',
        functionName: 'acme-prod-postgres-rotation',
        vpcSubnetIds: expect.stringMatching(/^\$\{join\(",", \[aws_subnet\.network_PrivateSubnet1_\w+\.id, /),
        vpcSecurityGroupIds: expect.stringMatching(/^\$\{aws_security_group\.Shared_postgres-rotation_SecurityGroup_\w+\.id\}$/),
        excludeCharacters: ' %+~`#$&*()|[]{}:;<>?!\'/@"\\',
      },
    });
    expect(resources(prodJson, 'aws_secretsmanager_secret_rotation')).toEqual([expect.objectContaining({
      secret_id: expect.stringMatching(/^\$\{aws_secretsmanager_secret\.orders-db_Secret_\w+\.id\}$/),
      rotation_lambda_arn: expect.stringMatching(/Shared_postgres-rotation_\w+\.outputs\["RotationLambdaARN"\]\}$/),
      rotation_rules: { automatically_after_days: 30 },
      // The first rotation runs when rotation is set up: after the rules that let the function connect.
      depends_on: [expect.stringMatching(/^aws_vpc_security_group_egress_rule\.orders-db_RotationToDatabase_/), expect.stringMatching(/^aws_vpc_security_group_ingress_rule\.orders-db_FromRotation_/)],
    })]);
    // The rotation function reaches Secrets Manager over HTTPS and the database on its port, nothing else.
    const egress = resources(prodJson, 'aws_vpc_security_group_egress_rule').map(r => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4 ?? 'sg']);
    expect(egress.sort()).toEqual([['tcp', 443, 443, '0.0.0.0/0'], ['tcp', 5432, 5432, 'sg']]);
    // Rotation owns the password after creation.
    expect(prodDb.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['password'] });
    expect(resource(prodJson, 'aws_secretsmanager_secret_version', 'orders-db/SecretValue').lifecycle).toEqual({ ignore_changes: ['secret_string'] });
  });

  test('DEVELOPMENT: no rotation, Terraform owns the password', () => {
    for (const type of ['aws_secretsmanager_secret_rotation', 'aws_serverlessapplicationrepository_cloudformation_stack', 'aws_vpc_security_group_egress_rule']) {
      expect(resources(devJson, type)).toHaveLength(0);
    }
    expect(resource(devJson, 'aws_secretsmanager_secret_version', 'orders-db/SecretValue').lifecycle).toBeUndefined();
  });

  test('the database admits PostgreSQL only from the cluster security group', () => {
    const sg = resource(prodJson, 'aws_security_group', 'orders-db/SecurityGroup');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(resources(devJson, 'aws_vpc_security_group_ingress_rule')).toEqual([expect.objectContaining({
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: expect.stringMatching(/^\$\{aws_eks_cluster\.main_\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/),
    })]);
    // PRODUCTION adds the rotation function's group.
    expect(resources(prodJson, 'aws_vpc_security_group_ingress_rule').map(r => r.referenced_security_group_id)).toEqual([
      expect.stringMatching(/^\$\{aws_security_group\.Shared_postgres-rotation_SecurityGroup_\w+\.id\}$/),
      expect.stringMatching(/^\$\{aws_eks_cluster\.main_\w+\.vpc_config\[0\]\.cluster_security_group_id\}$/),
    ]);
    for (const json of [prodJson, devJson]) {
      expect(resources(json, 'aws_vpc_security_group_ingress_rule').filter(r => r.cidr_ipv4 !== undefined)).toEqual([]);
    }
  });

  test('the exported log groups exist before the database, with the tier retention', () => {
    const groups = ['postgresql', 'upgrade'].map(t => resource(prodJson, 'aws_cloudwatch_log_group', `orders-db/Logs-${t}`));
    expect(groups.map(g => [g.name, g.retention_in_days])).toEqual([
      ['/aws/rds/instance/acme-prod-orders-db/postgresql', 365],
      ['/aws/rds/instance/acme-prod-orders-db/upgrade', 365],
    ]);
    expect(prodDb.depends_on).toEqual([
      address(prodJson, 'aws_cloudwatch_log_group', 'orders-db/Logs-postgresql'),
      address(prodJson, 'aws_cloudwatch_log_group', 'orders-db/Logs-upgrade'),
      address(prodJson, 'aws_iam_role_policy_attachment', 'ServiceRoles/rds-enhanced-monitoring/Policy0'),
    ]);
  });
});

describe('Terraform engine: nothing secret in the JSON', () => {
  test.each([['PRODUCTION', prodJson], ['DEVELOPMENT', devJson]] as Array<[string, TerraformJson]>)('%s: passwords only as references to random_password results', (_tier, json) => {
    const passwordRef = /^random_password\.[\w-]+\.result$/;
    // Every value of a key named like a password is a reference, never a literal.
    const found: string[] = [];
    const walk = (value: unknown, key: string): void => {
      if (typeof value === 'string' && /password/i.test(key) && !/^\$\{random_password\.[\w-]+\.result\}$/.test(value)) found.push(`${key}=${value}`);
      else if (Array.isArray(value)) value.forEach(v => walk(v, key));
      else if (value && typeof value === 'object') Object.entries(value).forEach(([k, v]) => walk(v, k));
    };
    walk(json.resource, '');
    expect(found).toEqual([]);
    for (const v of resources(json, 'aws_secretsmanager_secret_version')) {
      const m = /"password" = ([^,}]+)/.exec(v.secret_string);
      expect(m?.[1]).toMatch(passwordRef);
    }
    // No write-only or plaintext variants.
    expect(JSON.stringify(json)).not.toMatch(/"(master_password|password_wo|secret_string_wo|secret_binary)"/);
  });
});

describe('Terraform engine: intents are plain data', () => {
  test('an aws-cdk-lib token in an intent fails loudly instead of writing garbage', () => {
    // GIVEN
    const { platform, prod: env, cluster } = quickstart(CloudEngine.TERRAFORM, { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } });
    platform.render();
    // WHEN a statement names a resource with Aws.PARTITION
    const intent = { ...sampleWorkloadRole(), statements: [{ actions: ['s3:GetObject'], resources: [`arn:${Aws.PARTITION}:s3:::bucket/*`] }] };
    // THEN
    expect(() => env._engine().workloadRole(intent, cluster._handle)).toThrow(/unresolved aws-cdk-lib token at statements\[0\]\.resources\[0\]/);
  });
});

describe('Terraform engine: stable addresses of stateful resources', () => {
  // A changed address makes Terraform destroy and re-create the resource.
  // These follow from the graph ids and the engine's construct ids: a test
  // failure here means data loss for users — never update it silently.
  test.each([
    ['aws_db_instance', 'orders-db_B2DFA5EA'],
    ['aws_kms_key', 'orders-db_Key_3FBC1548'],
    ['aws_secretsmanager_secret', 'orders-db_Secret_9F5F1396'],
    // A new address would generate a new password and write it to the database and the secret.
    ['random_password', 'orders-db_Password_8C59F981'],
    ['aws_secretsmanager_secret_version', 'orders-db_SecretValue_7CF846BE'],
    ['aws_kms_key', 'main_SecretsKey_78794AA8'],
    ['aws_eks_cluster', 'main_7AD10839'],
    ['aws_vpc', 'network_39EEAA36'],
    ['aws_subnet', 'network_PrivateSubnet1_28751580'],
  ])('%s.%s', (type, name) => {
    expect(Object.keys(prodJson.resource[type])).toContain(name);
  });
});

describe('Terraform engine: existing network and existing cluster', () => {
  // GIVEN an environment on an existing VPC, with an existing cluster
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shared', {
    tier: Tier.STAGING,
    account: '111111111111',
    region: 'eu-west-1',
    engine: CloudEngine.TERRAFORM,
    network: {
      existing: {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.20.0.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1b'],
        privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
        privateSubnetCidrs: ['10.20.0.0/19', '10.20.32.0/19'],
      },
    },
  });
  const cluster = KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy-eks', clusterSecurityGroupId: 'sg-0123456789abcdef0' });
  sampleDatabase(env, cluster);
  platform.render();
  addSampleIntents(env, cluster);
  const json = terraformJson(env);

  test('no VPC or cluster is created; the network handle carries the given CIDRs', () => {
    expect(resources(json, 'aws_vpc')).toHaveLength(0);
    expect(resources(json, 'aws_eks_cluster')).toHaveLength(0);
    expect(env._network().privateSubnetCidrs).toEqual(['10.20.0.0/19', '10.20.32.0/19']);
  });

  test('roles associate with the existing cluster by name', () => {
    expect(resources(json, 'aws_eks_pod_identity_association')).toEqual([expect.objectContaining({ cluster_name: 'legacy-eks', service_account: 'orders' })]);
  });

  test('the database uses the given subnets and VPC and admits the given cluster security group', () => {
    expect(resource(json, 'aws_db_subnet_group', 'orders-db/SubnetGroup').subnet_ids).toEqual(['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
    expect(resource(json, 'aws_security_group', 'orders-db/SecurityGroup').vpc_id).toBe('vpc-0123456789abcdef0');
    expect(resources(json, 'aws_vpc_security_group_ingress_rule')).toEqual([expect.objectContaining({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 5432 })]);
  });

  test('STAGING: snapshot on removal, destroyable; the key and the secret the snapshot needs are kept', () => {
    const db = resource(json, 'aws_db_instance', 'orders-db/Resource');
    expect(db).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: 'acme-shared-orders-db-final', deletion_protection: false });
    expect(db.lifecycle).toBeUndefined();
    // Without its key the final snapshot could not be restored.
    expect(resource(json, 'aws_kms_key', 'orders-db/Key').lifecycle).toEqual({ prevent_destroy: true });
    expect(resource(json, 'aws_secretsmanager_secret', 'orders-db/Secret')).toMatchObject({ recovery_window_in_days: 30, lifecycle: { prevent_destroy: true } });
    // Logs go with the instance (nothing exports into them any more).
    expect(resource(json, 'aws_cloudwatch_log_group', 'orders-db/Logs-postgresql').skip_destroy).toBeUndefined();
  });
});
