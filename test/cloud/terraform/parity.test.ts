import { Template } from 'aws-cdk-lib/assertions';
import { addSampleIntents, quickstart, resources, terraformJson } from './fixtures';
import { CloudEngine } from '../../../lib';
import { RecordedIntent, WorkloadRoleIntent } from '../../../lib/cloud/engine';

// GIVEN the quickstart rendered with each engine, plus the same workload
// role and log group that a connected workload would add.
const backend = { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } };
const cfn = quickstart(CloudEngine.CLOUDFORMATION);
const tf = quickstart(CloudEngine.TERRAFORM, backend);
for (const q of [cfn, tf]) {
  q.platform.render();
  // The CloudFormation engine's postgres is ManagedPostgres's to write: no database here.
  addSampleIntents(q.prod, q.cluster, false);
}
const cfnIntents = cfn.prod._engine().intents;
// Synthesizing the EKS stack takes seconds: once per file.
let cfnTemplate: Template | undefined;
const template = () => cfnTemplate ??= Template.fromStack(cfn.prod.stack);
const tfIntents = tf.prod._engine().intents;

function countByType(intents: RecordedIntent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of intents) counts[i.type] = (counts[i.type] ?? 0) + 1;
  return counts;
}

function actionsPerRole(intents: RecordedIntent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of intents.filter(x => x.type === 'workload-role')) {
    const role = i.intent as WorkloadRoleIntent;
    out[role.roleName] = role.statements.flatMap(s => s.actions).sort();
  }
  return out;
}

describe('parity of the CloudFormation and Terraform engines (quickstart)', () => {
  test('the engines are the ones asked for', () => {
    expect(cfn.prod._engine().kind).toBe('cloudformation');
    expect(tf.prod._engine().kind).toBe('terraform');
  });

  test('the same intents, in the same order, with the same data', () => {
    expect(countByType(tfIntents)).toEqual(countByType(cfnIntents));
    expect(countByType(tfIntents)).toEqual({ 'network': 1, 'cluster': 1, 'addon': 4, 'workload-role': 1, 'log-group': 1 });
    expect(tfIntents).toEqual(cfnIntents);
  });

  test('the same IAM actions per role', () => {
    expect(actionsPerRole(tfIntents)).toEqual(actionsPerRole(cfnIntents));
    expect(Object.keys(actionsPerRole(tfIntents))).toEqual(['acme-prod-main-orders']);
  });

  test('the same private subnet CIDRs, so network policies are the same', () => {
    const cfnNet = cfn.prod._network();
    const tfNet = tf.prod._network();
    expect(tfNet.privateSubnetCidrs).toEqual(cfnNet.privateSubnetCidrs);
    expect(tfNet.privateSubnetCidrs).toEqual(['10.0.16.0/20', '10.0.32.0/20', '10.0.48.0/20']);
    // and the same public subnets as CloudFormation's template
    const cfnPublic = Object.values(template().findResources('AWS::EC2::Subnet'))
      .map((r: any) => r.Properties).filter(p => p.MapPublicIpOnLaunch === true).map(p => p.CidrBlock);
    const tfPublic = resources(terraformJson(tf.prod), 'aws_subnet').filter(s => s.map_public_ip_on_launch).map(s => s.cidr_block);
    expect(tfPublic).toEqual(cfnPublic);
  });

  test('the same resources in both outputs: cluster, node group, add-ons, roles, Pod Identity, log groups, flow log', () => {
    const t = template();
    const json = terraformJson(tf.prod);
    const count = (type: string) => Object.keys(t.findResources(type)).length;
    expect(resources(json, 'aws_eks_cluster')).toHaveLength(1);
    expect(count('AWS::EKS::Nodegroup')).toBe(resources(json, 'aws_eks_node_group').length);
    expect(count('AWS::EKS::Addon')).toBe(resources(json, 'aws_eks_addon').length);
    expect(count('AWS::EKS::PodIdentityAssociation')).toBe(resources(json, 'aws_eks_pod_identity_association').length);
    expect(count('AWS::Logs::LogGroup')).toBe(resources(json, 'aws_cloudwatch_log_group').length);
    expect(count('AWS::EC2::NatGateway')).toBe(resources(json, 'aws_nat_gateway').length);
    expect(count('AWS::EC2::Subnet')).toBe(resources(json, 'aws_subnet').length);
    expect(count('AWS::EC2::FlowLog')).toBe(resources(json, 'aws_flow_log').length);
    // Same log group names and retentions.
    const cfnGroups = Object.values(t.findResources('AWS::Logs::LogGroup')).map((r: any) => [r.Properties.LogGroupName, r.Properties.RetentionInDays]).sort();
    const tfGroups = resources(json, 'aws_cloudwatch_log_group').map(g => [g.name, g.retention_in_days]).sort();
    expect(tfGroups).toEqual(cfnGroups);
  });

  test('identical Kubernetes YAML', () => {
    expect(tf.platform.manifests()).toEqual(cfn.platform.manifests());
    expect(Object.keys(tf.platform.manifests())).toEqual(['prod/main']);
  });
});
