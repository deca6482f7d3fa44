import { Construct } from 'constructs';
import {
  CloudEngine, ConnectionProblem, Environment, IConnectable, IWorkloadBinding, KubernetesCluster, Platform, SupportNeed, Tier, Worker,
} from '../../../lib';
import { resources, terraformJson } from '../../engines/terraform/fixtures';
import { nagReportOf } from '../../util/nag';
import { expectRestricted } from '../../util/pod-security';
import { expectValidManifests } from '../../util/schema';
import { environmentTemplate } from '../../util/templates';

/**
 * A workload's own AWS identity: created only when a connection grants it a
 * permission, bound by EKS Pod Identity to the workload's service account
 * in its namespace, with a policy naming only the target's resources, and
 * egress to the Pod Identity agent.
 */

const BUCKET_ARN = 'arn:aws:s3:::acme-dev-uploads';

/** TEST-ONLY stand-in for a bucket: grants read access to itself. */
class FakeBucket extends Construct implements IConnectable {
  public readonly connectionEnvPrefix = 'UPLOADS';
  public checkConnection(): ConnectionProblem[] {
    return [];
  }
  public connectionNeeds(): SupportNeed[] {
    return [];
  }
  public bindConnection(binding: IWorkloadBinding): void {
    binding.grant({
      sid: 'ReadTheBucket',
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: [BUCKET_ARN, `${BUCKET_ARN}/*`],
      wildcardReason: 'the objects of the bucket are named by the app at run time',
    });
    binding.addEnvironment(`${binding.envPrefix}_BUCKET`, 'acme-dev-uploads');
  }
}

function program(engine: CloudEngine) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine });
  const cluster = new KubernetesCluster(env, 'main');
  const bucket = new FakeBucket(env, 'uploads');
  new Worker(cluster, 'thumbnails', { image: 'ghcr.io/acme/thumbnails:1.0.0', namespace: 'media', connections: [bucket] });
  new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0' });
  platform.render();
  return { platform, env, cluster, docs: platform.manifests()['dev/main'] };
}

test('an AWS_REGION the workload sets itself wins over the environment\'s', () => {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new Worker(cluster, 'thumbnails', { image: 'ghcr.io/acme/thumbnails:1.0.0', env: { AWS_REGION: 'us-east-1' }, connections: [new FakeBucket(env, 'uploads')] });
  platform.render();
  const vars = platform.manifests()['dev/main'].find(d => d.kind === 'Deployment').spec.template.spec.containers[0].env;
  expect(vars.filter((v: any) => v.name === 'AWS_REGION')).toEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
  expect(vars.filter((v: any) => v.name === 'AWS_DEFAULT_REGION')).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' }]);
});

const policyOf = (docs: any[], name: string) => docs.find(d => d.kind === 'NetworkPolicy' && d.metadata.name === name);
const AGENT_EGRESS = {
  to: [{ ipBlock: { cidr: '169.254.170.23/32' } }, { ipBlock: { cidr: 'fd00:ec2::23/128' } }],
  ports: [{ protocol: 'TCP', port: 80 }],
};

describe('workload identity on the CloudFormation engine', () => {
  const { env, docs } = program(CloudEngine.CLOUDFORMATION);
  const template = environmentTemplate(env);

  test('a workload granted a permission gets a role, a Pod Identity association for its namespace and service account, and a policy naming the target only', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'acme-dev-main-app-thumbnails',
      AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRole', 'sts:TagSession'], Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' } }] },
    });
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'acme-dev-main', Namespace: 'media', ServiceAccount: 'thumbnails' });
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p: any) => JSON.stringify(p).includes('thumbnails'));
    expect(policies).toHaveLength(1);
    expect((policies[0] as any).Properties.PolicyDocument.Statement).toEqual([
      { Sid: 'ReadTheBucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`] },
    ]);
  });

  test('it may reach the Pod Identity agent; its service account is the one the association names', () => {
    expect(policyOf(docs, 'thumbnails').spec.egress).toContainEqual(AGENT_EGRESS);
    expect(docs.find(d => d.kind === 'ServiceAccount' && d.metadata.name === 'thumbnails').metadata.namespace).toBe('media');
    const pod = docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'thumbnails').spec.template.spec;
    expect(pod.serviceAccountName).toBe('thumbnails');
    // The region for the AWS SDKs, which cannot ask the node's instance metadata (hop limit 1).
    expect(pod.containers[0].env).toEqual([
      { name: 'UPLOADS_BUCKET', value: 'acme-dev-uploads' },
      { name: 'AWS_REGION', value: 'eu-west-1' },
      { name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' },
    ]);
    expectValidManifests(docs);
    expectRestricted(docs);
  });

  test('cdk-nag AwsSolutions: the grant\'s wildcard is acknowledged with the target\'s reason, nothing else is reported', () => {
    const report = nagReportOf(env);
    expect(report.violations.filter(v => v.severity === 'error').map(v => `${v.ruleName} at ${v.violatingResources.map(r => r.constructPath).join(', ')}`)).toEqual([]);
  });

  test('a workload without grants gets no role, no association and no agent egress', () => {
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { RoleName: 'acme-dev-main-app-billing' }, 0);
    expect(policyOf(docs, 'billing').spec.egress).not.toContainEqual(AGENT_EGRESS);
  });
});

describe('workload identity on the Terraform engine', () => {
  const { env, docs } = program(CloudEngine.TERRAFORM);
  const json = terraformJson(env);

  test('the same role, association and policy', () => {
    const roles = resources(json, 'aws_iam_role').filter(r => r.name.includes('-app-'));
    expect(roles.map(r => r.name)).toEqual(['acme-dev-main-app-thumbnails']);
    expect(JSON.parse(roles[0].assume_role_policy).Statement[0].Principal).toEqual({ Service: 'pods.eks.amazonaws.com' });
    expect(resources(json, 'aws_eks_pod_identity_association').map(a => [a.namespace, a.service_account])).toEqual([['media', 'thumbnails']]);
    const policy = resources(json, 'aws_iam_role_policy').find(p => p.name.startsWith('acme-dev-main-app-thumbnails'));
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: 'ReadTheBucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`] },
    ]);
    expect(policyOf(docs, 'thumbnails').spec.egress).toContainEqual(AGENT_EGRESS);
    expect(policyOf(docs, 'billing').spec.egress).not.toContainEqual(AGENT_EGRESS);
  });
});
