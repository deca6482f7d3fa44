import { arn } from '../../../core/policy';
import { PolicyStatementIntent } from '../../../engines/engine';
import { GP3_STORAGE_CLASS } from '../conventions';
import { ManifestLayer } from '../manifests';
import { gp3StorageClass } from '../namespaces';
import { SupportContext } from './context';

export { GP3_STORAGE_CLASS };
export const EBS_CSI_NAMESPACE = 'kube-system';
export const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';
/** Tag the EBS CSI driver puts on every volume and snapshot it creates. */
const CSI_TAG = 'ebs.csi.aws.com/cluster';

/**
 * Storage: the encrypted gp3 default StorageClass (volumes bound where the
 * pod is scheduled) and the EBS CSI driver's role. The driver itself is the
 * EKS managed add-on `aws-ebs-csi-driver` (added to the cluster by
 * SupportServices).
 */
export function renderStorage(ctx: SupportContext): void {
  gp3StorageClass(ctx.chart(ManifestLayer.CLUSTER_CONFIG, 'storage'), GP3_STORAGE_CLASS, ctx.retainData ? 'Retain' : 'Delete',
    { 'storageclass.kubernetes.io/is-default-class': 'true' });

  if (ctx.cluster.imported) return; // an existing cluster keeps the driver set-up it has
  ctx.role({
    component: 'ebs-csi',
    namespace: EBS_CSI_NAMESPACE,
    serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
    description: 'Amazon EBS CSI driver controller',
    statements: ebsCsiStatements(ctx),
    acknowledgements: [['AwsSolutions-IAM5',
      'EC2 Describe* actions support no resource-level permissions; volumes and snapshots are created only with, and deleted or modified only when carrying, the driver\'s ebs.csi.aws.com/cluster tag; attach/detach name instance and volume ARNs of this account and region.']],
  });
}

function ebsCsiStatements(ctx: SupportContext): PolicyStatementIntent[] {
  const { region, account, partition } = ctx.environment;
  const ec2 = (type: string) => arn(partition, 'ec2', region, account, `${type}/*`);
  const snapshot = arn(partition, 'ec2', region, '', 'snapshot/*');
  return [
    {
      sid: 'Describe',
      actions: [
        'ec2:DescribeAvailabilityZones', 'ec2:DescribeInstances', 'ec2:DescribeSnapshots',
        'ec2:DescribeTags', 'ec2:DescribeVolumes', 'ec2:DescribeVolumesModifications',
      ],
      resources: ['*'],
    },
    {
      sid: 'CreateTaggedVolumes',
      actions: ['ec2:CreateVolume'],
      resources: [ec2('volume')],
      conditions: { StringEquals: { [`aws:RequestTag/${CSI_TAG}`]: 'true' } },
    },
    {
      sid: 'CreateVolumesFromSnapshots',
      actions: ['ec2:CreateVolume'],
      resources: [snapshot],
    },
    {
      sid: 'CreateTaggedSnapshots',
      actions: ['ec2:CreateSnapshot'],
      resources: [snapshot],
      conditions: { StringEquals: { [`aws:RequestTag/${CSI_TAG}`]: 'true' } },
    },
    {
      sid: 'SnapshotSourceVolumes',
      actions: ['ec2:CreateSnapshot'],
      resources: [ec2('volume')],
      conditions: { StringEquals: { [`aws:ResourceTag/${CSI_TAG}`]: 'true' } },
    },
    {
      sid: 'TagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [ec2('volume'), snapshot],
      conditions: { StringEquals: { 'ec2:CreateAction': ['CreateVolume', 'CreateSnapshot'] } },
    },
    {
      sid: 'ManageOwnVolumes',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:ModifyVolume', 'ec2:DeleteVolume', 'ec2:CreateTags', 'ec2:DeleteTags'],
      resources: [ec2('volume')],
      conditions: { StringEquals: { [`aws:ResourceTag/${CSI_TAG}`]: 'true' } },
    },
    {
      sid: 'AttachToInstances',
      actions: ['ec2:AttachVolume', 'ec2:DetachVolume'],
      resources: [ec2('instance')],
    },
    {
      sid: 'DeleteOwnSnapshots',
      actions: ['ec2:DeleteSnapshot'],
      resources: [snapshot],
      conditions: { StringEquals: { [`aws:ResourceTag/${CSI_TAG}`]: 'true' } },
    },
  ];
}
