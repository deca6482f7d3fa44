/**
 * Every version the library pins, in one place. Bump versions here only.
 */

/** The Kubernetes version of new clusters. */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/** Kubernetes versions a new cluster may use (EKS standard support, and the one before). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.33', '1.34', '1.35', '1.36', '1.37'];

/**
 * EKS managed add-ons every new cluster gets (the self-managed defaults are
 * turned off so that these own the objects). kube-proxy follows the
 * cluster's minor version.
 */
export function clusterBasicAddons(kubernetesVersion: string): Array<{ name: string; version: string }> {
  const minor = kubernetesVersion.split('.')[1];
  return [
    { name: 'vpc-cni', version: 'v1.20.4-eksbuild.2' },
    { name: 'coredns', version: 'v1.12.4-eksbuild.1' },
    { name: 'kube-proxy', version: `v1.${minor}.0-eksbuild.2` },
    { name: 'eks-pod-identity-agent', version: 'v1.3.9-eksbuild.3' },
  ];
}

/**
 * The Terraform AWS provider (`hashicorp/aws`) the Terraform engine's JSON
 * requires: the version @cdktf/provider-aws 21.22 is generated from.
 */
export const TERRAFORM_AWS_PROVIDER_VERSION = '6.25.0';

/**
 * Terraform versions the Terraform engine's JSON accepts (1.10 brings the S3
 * backend's `use_lockfile`).
 */
export const TERRAFORM_REQUIRED_VERSION = '>= 1.10.0';

/** Storage type of RDS instances. */
export const RDS_STORAGE_TYPE = 'gp3';

/** Master user name of RDS PostgreSQL instances (the password is managed by RDS). */
export const POSTGRES_MASTER_USERNAME = 'postgres';
