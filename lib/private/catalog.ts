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
 * PostgreSQL versions a new ManagedPostgres may use: full versions that
 * Amazon RDS supports and aws-cdk-lib types (`rds.PostgresEngineVersion`).
 * A major alone (`'17'`) means the pinned minor below.
 */
export const SUPPORTED_POSTGRES_VERSIONS = ['16.11', '16.12', '16.13', '17.7', '17.8', '17.9', '18.1', '18.2', '18.3'];

/** The PostgreSQL version of a new ManagedPostgres. */
export const DEFAULT_POSTGRES_VERSION = '17.9';

/** The pinned minor of each supported PostgreSQL major (used when only a major is given). */
export const POSTGRES_MAJOR_DEFAULTS: Record<string, string> = { 16: '16.13', 17: '17.9', 18: '18.3' };
