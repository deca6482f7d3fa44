import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { MANAGED_BY_LABEL } from './conventions';

const k8s = kplus.k8s;

/**
 * A namespace of app-side pods (workloads, in-cluster databases): Pod
 * Security "restricted" enforced, and a NetworkPolicy that denies all
 * traffic of its pods until other policies open what they need. Once per
 * namespace in `chart`.
 */
export function restrictedNamespace(chart: cdk8s.Chart, name: string): void {
  if (chart.node.tryFindChild(name)) return;
  new k8s.KubeNamespace(chart, name, {
    metadata: {
      name,
      labels: {
        ...MANAGED_BY_LABEL,
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
      },
    },
  });
  new k8s.KubeNetworkPolicy(chart, `${name}-default-deny`, {
    metadata: { name: 'default-deny', namespace: name, labels: { ...MANAGED_BY_LABEL } },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
}

/** Egress to the cluster DNS (CoreDNS in kube-system), UDP and TCP 53: every default-deny pod needs it. */
export const DNS_EGRESS: kplus.k8s.NetworkPolicyEgressRule = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
  ports: [
    { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
  ],
};

/**
 * An encrypted gp3 StorageClass of the EBS CSI driver (volumes bound where
 * the pod is scheduled, expandable) with `reclaimPolicy`.
 */
export function gp3StorageClass(chart: cdk8s.Chart, name: string, reclaimPolicy: 'Retain' | 'Delete', annotations?: Record<string, string>): void {
  new k8s.KubeStorageClass(chart, name, {
    metadata: { name, labels: { ...MANAGED_BY_LABEL }, annotations },
    provisioner: 'ebs.csi.aws.com',
    parameters: { 'type': 'gp3', 'encrypted': 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
    reclaimPolicy,
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  });
}
