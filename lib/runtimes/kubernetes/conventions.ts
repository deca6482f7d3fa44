/**
 * Names that the Kubernetes side agrees on across constructs: workloads
 * attach to these, support services create them. Deterministic, so every
 * piece is known at synth.
 */

/** Namespace of the Gateway API implementation and the shared Gateway. */
export const GATEWAY_NAMESPACE = 'gateway-system';
/** Name of the cluster's shared Gateway. */
export const GATEWAY_NAME = 'platform';
/** Name of the Gateway's HTTPS listener for `domain` (one per domain). */
export function httpsListenerName(domain: string): string {
  return `https-${domain.replace(/\./g, '-')}`.slice(0, 63).replace(/-+$/, '');
}
/** Name of the Gateway's HTTP listener (redirects to HTTPS only). */
export const HTTP_LISTENER_NAME = 'http';

/** The ClusterSecretStore backed by AWS Secrets Manager. */
export const CLUSTER_SECRET_STORE_NAME = 'aws-secrets-manager';
/** The cert-manager ClusterIssuer for public certificates. */
export const CLUSTER_ISSUER_NAME = 'letsencrypt';
/** Namespace of the Prometheus stack (scrapes workloads' metrics ports). */
export const MONITORING_NAMESPACE = 'monitoring';
/** Label on every object the library creates. */
export const MANAGED_BY_LABEL = { 'app.kubernetes.io/managed-by': 'cdk-runtime-stack' };

/** Argo CD may apply a kind its cluster does not know yet without a dry run (its CRD comes with a chart of the same sync). */
export const ARGO_CD_SKIP_DRY_RUN: Record<string, string> = {
  'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
};

/**
 * Annotations of a support service's custom resource (`30-*`: gateway,
 * issuers, stores), when Argo CD delivers: applied after the charts that
 * bring the CRDs (sync wave 10), and not dry-run while the CRD is still
 * missing. Flux needs none.
 */
export const ARGO_CD_AFTER_CRDS: Record<string, string> = {
  'argocd.argoproj.io/sync-wave': '10',
  ...ARGO_CD_SKIP_DRY_RUN,
};

/**
 * The sync wave of every object of in-cluster services and apps (`40-*`,
 * `50-*`) when Argo CD delivers. Argo CD applies a wave only once every
 * object of the earlier waves is healthy, so these come after the support
 * services' custom resources (wave 10) whose secret stores, gateway and
 * issuers they need, and all in one wave: a Deployment waits for the
 * Secret its ExternalSecret makes, which an earlier wave could never see.
 */
export const ARGO_CD_APPS_WAVE: Record<string, string> = {
  'argocd.argoproj.io/sync-wave': '20',
};

/** The default StorageClass: encrypted gp3 EBS volumes. */
export const GP3_STORAGE_CLASS = 'gp3';
/** Namespace of the CloudNativePG operator. */
export const CNPG_NAMESPACE = 'cnpg-system';
/** Helm release of the CloudNativePG operator. */
export const CNPG_RELEASE = 'cnpg';
/**
 * The labels the chart puts on the operator's pods (its `selectorLabels`:
 * the chart name and the release), so that the NetworkPolicies of database
 * namespaces can admit the operator (together with a namespace selector on
 * `CNPG_NAMESPACE`).
 */
export const CNPG_OPERATOR_POD_LABELS: Record<string, string> = {
  'app.kubernetes.io/name': 'cloudnative-pg',
  'app.kubernetes.io/instance': CNPG_RELEASE,
};
