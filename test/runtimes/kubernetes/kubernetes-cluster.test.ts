import { Match, Template } from 'aws-cdk-lib/assertions';
import { Environment, KubernetesCluster, Platform, Tier } from '../../../lib';
import { awsSolutionsFindings } from '../../util/nag';
import { environmentTemplate } from '../../util/templates';

function build(tier: Tier, props: ConstructorParameters<typeof KubernetesCluster>[2] = {}) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main', props);
  platform.render();
  return { platform, env, cluster, template: environmentTemplate(env) };
}

describe('KubernetesCluster (new EKS cluster)', () => {
  const prod = build(Tier.PRODUCTION);
  const dev = build(Tier.DEVELOPMENT);

  test('has a deterministic name and a supported version', () => {
    expect(prod.cluster.clusterName).toBe('acme-prod-main');
    prod.template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'acme-prod-main',
      Version: '1.36',
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      BootstrapSelfManagedAddons: false,
    });
  });

  test('envelope-encrypts secrets with a rotating KMS key', () => {
    prod.template.hasResourceProperties('AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^mainSecretsKey'), 'Arn'] } }, Resources: ['secrets'] }],
    });
    prod.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    // The key encrypts only the cluster's own secrets (in etcd), which end with the cluster.
    prod.template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('turns on every control-plane log type, into a group with the tier retention', () => {
    prod.template.hasResourceProperties('AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map(Type => ({ Type })) } },
    });
    prod.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/acme-prod-main/cluster', RetentionInDays: 365 });
    dev.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/acme-prod-main/cluster', RetentionInDays: 7 });
  });

  test('keeps the API endpoint private in PRODUCTION and public (plus private) below', () => {
    prod.template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
    });
    dev.template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['0.0.0.0/0'] }),
    });
  });

  test('runs a managed node group sized by tier, in private subnets', () => {
    prod.template.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'acme-prod-main-nodes-lt',
      InstanceTypes: ['m6i.xlarge'],
      ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 12 },
      AmiType: 'AL2023_x86_64_STANDARD',
    });
    dev.template.hasResourceProperties('AWS::EKS::Nodegroup', { InstanceTypes: ['t3.large'], ScalingConfig: { MinSize: 1, DesiredSize: 2, MaxSize: 3 } });
    const privateSubnets = Object.keys(prod.template.findResources('AWS::EC2::Subnet', { Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Private' }]) } }));
    const nodegroup = Object.values(prod.template.findResources('AWS::EKS::Nodegroup'))[0] as any;
    expect(nodegroup.Properties.Subnets.map((s: any) => s.Ref).sort()).toEqual(privateSubnets.sort());
  });

  test('nodes start from a launch template: IMDSv2 with hop limit 1, encrypted gp3 root volume, detailed monitoring in PRODUCTION', () => {
    const [[templateId, template]] = Object.entries(prod.template.findResources('AWS::EC2::LaunchTemplate')) as [string, any][];
    expect(template.Properties).toEqual({
      LaunchTemplateName: 'acme-prod-main-nodes',
      LaunchTemplateData: {
        MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } }],
        Monitoring: { Enabled: true },
      },
    });
    const nodegroup = Object.values(prod.template.findResources('AWS::EKS::Nodegroup'))[0] as any;
    expect(nodegroup.Properties.LaunchTemplate).toEqual({ Id: { Ref: templateId }, Version: { 'Fn::GetAtt': [templateId, 'LatestVersionNumber'] } });
    expect(nodegroup.Properties.DiskSize).toBeUndefined();
    dev.template.hasResourceProperties('AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ Monitoring: { Enabled: false } }) });
  });

  test('builds a VPC over explicit zones: 3 in PRODUCTION with a NAT gateway each, 2 with one NAT in DEVELOPMENT', () => {
    prod.template.resourceCountIs('AWS::EC2::Subnet', 6);
    prod.template.resourceCountIs('AWS::EC2::NatGateway', 3);
    dev.template.resourceCountIs('AWS::EC2::Subnet', 4);
    dev.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    prod.template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
  });

  test('installs the basic EKS managed add-ons with pinned versions, Pod Identity agent included', () => {
    for (const name of ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent']) {
      prod.template.hasResourceProperties('AWS::EKS::Addon', {
        AddonName: name,
        AddonVersion: Match.stringLikeRegexp('^v\\d+\\.\\d+\\.\\d+-eksbuild\\.\\d+$'),
        ClusterName: { Ref: Match.stringLikeRegexp('^main') },
      });
    }
    prod.template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'kube-proxy', AddonVersion: Match.stringLikeRegexp('^v1\\.36\\.') });
  });

  test('the VPC CNI enforces network policies (its add-on turns the network policy agent on)', () => {
    for (const t of [prod.template, dev.template]) {
      const cni = Object.values(t.findResources('AWS::EKS::Addon')).map((r: any) => r.Properties).find(p => p.AddonName === 'vpc-cni');
      expect(JSON.parse(cni.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    }
    // An overridden version keeps the configuration.
    const custom = build(Tier.DEVELOPMENT, { addonVersions: { 'vpc-cni': 'v1.21.1-eksbuild.1' } });
    custom.template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni', AddonVersion: 'v1.21.1-eksbuild.1', ConfigurationValues: '{"enableNetworkPolicy":"true"}',
    });
  });

  test('addonVersions replaces the pinned version of a named add-on, and only that one', () => {
    const custom = build(Tier.DEVELOPMENT, { addonVersions: { 'vpc-cni': 'v1.21.1-eksbuild.1' } });
    custom.template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'vpc-cni', AddonVersion: 'v1.21.1-eksbuild.1' });
    const pinned = (t: Template, name: string) => Object.values(t.findResources('AWS::EKS::Addon'))
      .map((r: any) => r.Properties).find(p => p.AddonName === name).AddonVersion;
    expect(pinned(custom.template, 'coredns')).toBe(pinned(dev.template, 'coredns'));
    expect(pinned(dev.template, 'vpc-cni')).not.toBe('v1.21.1-eksbuild.1');
  });

  test('grants cluster-admin only to the roles named in adminRoleArns, through access entries', () => {
    const withAdmins = build(Tier.STAGING, { adminRoleArns: ['arn:aws:iam::111111111111:role/platform-admin'] });
    withAdmins.template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: 'arn:aws:iam::111111111111:role/platform-admin',
      AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'cluster' } })],
    });
    const entry = Object.values(withAdmins.template.findResources('AWS::EKS::AccessEntry'))[0];
    expect(JSON.stringify(entry)).toContain(':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    prod.template.resourceCountIs('AWS::EKS::AccessEntry', 0);
  });

  test('passes cdk-nag AwsSolutions with every acknowledgement reasoned', () => {
    expect(awsSolutionsFindings(build(Tier.PRODUCTION).platform)).toEqual([]);
    expect(awsSolutionsFindings(build(Tier.DEVELOPMENT).platform)).toEqual([]);
  });
});

describe('KubernetesCluster.fromClusterAttributes (existing cluster)', () => {
  test('produces no cluster, VPC or node group', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    const cluster = KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy-eks' });
    platform.render();

    expect(cluster.imported).toBe(true);
    expect(cluster.clusterName).toBe('legacy-eks');
    const template = environmentTemplate(env);
    for (const type of ['AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::EC2::VPC', 'AWS::KMS::Key', 'AWS::EKS::Addon']) {
      template.resourceCountIs(type, 0);
    }
    // Its Kubernetes side still has a folder of its own.
    expect(Object.keys(platform.manifests())).toEqual(['prod/legacy']);
  });

  test('an environment that needs nothing from AWS still deploys: one placeholder that creates nothing, never an empty template', () => {
    // GIVEN an existing cluster and nothing that calls AWS
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    KubernetesCluster.fromClusterAttributes(env, 'legacy', { clusterName: 'legacy-eks' });
    // WHEN
    platform.render();
    // THEN CloudFormation gets a template with a resource section
    const template = environmentTemplate(env).toJSON();
    expect(Object.values(template.Resources).map((r: any) => r.Type)).toEqual(['AWS::CloudFormation::WaitConditionHandle']);
    expect(awsSolutionsFindings(platform)).toEqual([]);
  });

  test('a stack with resources gets no placeholder', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new KubernetesCluster(env, 'main');
    platform.render();
    environmentTemplate(env).resourceCountIs('AWS::CloudFormation::WaitConditionHandle', 0);
  });
});
