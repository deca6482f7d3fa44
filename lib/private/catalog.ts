/**
 * Every version the library pins, in one place. Bump versions here only.
 */

/** The Kubernetes version of new clusters. */
export const DEFAULT_KUBERNETES_VERSION = '1.36';

/** Kubernetes versions a new cluster may use (EKS standard support, and the one before). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.33', '1.34', '1.35', '1.36', '1.37'];

/**
 * Add-on versions cannot be listed offline (`aws eks describe-addon-versions`
 * needs AWS). aws-ebs-csi-driver v1.66.0-eksbuild.1 is the version AWS
 * marked default for Kubernetes 1.36 in September 2026 (as reported in a
 * public infrastructure repository); the others were not checked against
 * AWS for 1.36. Users override any of them per cluster with
 * `KubernetesCluster` `addonVersions`.
 */

/**
 * Configuration of the `vpc-cni` add-on. Without `enableNetworkPolicy` the
 * VPC CNI does not run its network policy agent, and every NetworkPolicy
 * the library writes (the namespaces' default-deny, egress to databases,
 * ingress from the Gateway) is accepted by the API server but enforced by
 * nothing. The add-on's configuration schema types the flag as a string.
 */
export const VPC_CNI_CONFIGURATION = { enableNetworkPolicy: 'true' };

/**
 * EKS managed add-ons every new cluster gets (the self-managed defaults are
 * turned off so that these own the objects). kube-proxy follows the
 * cluster's minor version.
 */
export function clusterBasicAddons(kubernetesVersion: string): Array<{ name: string; version: string; configuration?: Record<string, unknown> }> {
  const minor = kubernetesVersion.split('.')[1];
  return [
    { name: 'vpc-cni', version: 'v1.20.4-eksbuild.2', configuration: { ...VPC_CNI_CONFIGURATION } },
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

/**
 * The image of an in-cluster PostgreSQL of `version`: CloudNativePG's
 * "standard" image on Debian trixie, tagged explicitly (the plain
 * `<version>` tags are rolling aliases of the deprecated "system" images,
 * which may move to another Debian release, and a glibc change under a
 * running database can corrupt its indexes through changed collations).
 * Not checked against the registry offline.
 */
export function inClusterPostgresImage(version: string): string {
  return `ghcr.io/cloudnative-pg/postgresql:${version}-standard-trixie`;
}

/**
 * PostgreSQL parameters CloudNativePG sets itself and its admission
 * webhook rejects in a Cluster (its fixed configuration parameters).
 */
export const CLOUDNATIVE_PG_FIXED_PARAMETERS = [
  'allow_system_table_mods', 'archive_cleanup_command', 'archive_command', 'archive_mode', 'archive_timeout',
  'cluster_name', 'config_file', 'data_directory', 'external_pid_file', 'full_page_writes', 'hba_file',
  'hot_standby', 'ident_file', 'listen_addresses', 'log_destination', 'log_directory', 'log_file_mode',
  'log_filename', 'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation', 'logging_collector',
  'port', 'primary_conninfo', 'primary_slot_name', 'promote_trigger_file', 'recovery_end_command',
  'recovery_min_apply_delay', 'recovery_target', 'recovery_target_action', 'recovery_target_inclusive',
  'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time', 'recovery_target_timeline',
  'recovery_target_xid', 'restart_after_crash', 'restore_command', 'ssl', 'ssl_ca_file', 'ssl_cert_file',
  'ssl_crl_file', 'ssl_dh_params_file', 'ssl_ecdh_curve', 'ssl_key_file', 'ssl_passphrase_command',
  'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers', 'stats_temp_directory',
  'synchronous_standby_names', 'syslog_facility', 'syslog_ident', 'syslog_sequence_numbers',
  'syslog_split_messages', 'unix_socket_directories', 'unix_socket_group', 'unix_socket_permissions',
  'wal_level', 'wal_log_hints',
];

/** The pinned minor of each supported PostgreSQL major (used when only a major is given). */
export const POSTGRES_MAJOR_DEFAULTS: Record<string, string> = { 16: '16.13', 17: '17.9', 18: '18.3' };

/**
 * The EKS managed add-on of the Amazon EBS CSI driver (SupportServices'
 * storage component).
 */
export const EBS_CSI_ADDON = { name: 'aws-ebs-csi-driver', version: 'v1.66.0-eksbuild.1' };

/** A Helm chart repository. */
export interface HelmRepositoryEntry {
  /** Short name (the Flux HelmRepository and Argo CD repository name). */
  readonly name: string;
  /** Repository URL; for OCI registries without the `oci://` scheme. */
  readonly url: string;
  /** Whether the repository is an OCI registry. */
  readonly oci: boolean;
}

/**
 * A CustomResourceDefinition of a chart that is too large for a
 * client-side apply: `kubectl apply` (and Argo CD's default sync) keep the
 * whole object as JSON in the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation, and the API server refuses annotations over
 * `CLIENT_SIDE_APPLY_ANNOTATION_LIMIT` bytes ("metadata.annotations: Too long").
 */
export interface LargeCrdEntry {
  /** `<plural>.<group>` */
  readonly name: string;
  /**
   * Size of the CRD as JSON, in bytes, when measured on a copy vendored
   * under `crds/` (`vendored`); the tests measure it again.
   */
  readonly jsonBytes?: number;
  /** The file under `crds/` taken from this chart version, when there is one. */
  readonly vendored?: string;
  /** Where the size comes from, for CRDs not vendored here. */
  readonly source?: string;
}

/** A pinned Helm chart. */
export interface HelmChartEntry {
  readonly repository: HelmRepositoryEntry;
  readonly chart: string;
  readonly version: string;
  /**
   * The chart's CRDs that a client-side apply cannot create: Argo CD
   * must apply this chart with server-side apply. An empty list means
   * every CRD of the chart is below the limit.
   */
  readonly largeCrds: LargeCrdEntry[];
  /**
   * The chart version `largeCrds` was checked for. A test fails when it
   * differs from `version`: bumping a chart means measuring its CRDs again.
   */
  readonly largeCrdsCheckedFor: string;
  /**
   * CRD files under `crds/` taken from this chart version (besides those
   * in `largeCrds`): the tests check that they are below the limit.
   */
  readonly vendoredCrds?: string[];
}

/** Bytes of all annotations of one object the API server accepts (256 KiB). */
export const CLIENT_SIDE_APPLY_ANNOTATION_LIMIT = 262_144;

const REPOSITORIES = {
  envoyproxy: { name: 'envoyproxy', url: 'registry-1.docker.io/envoyproxy', oci: true },
  jetstack: { name: 'jetstack', url: 'https://charts.jetstack.io', oci: false },
  externalDns: { name: 'external-dns', url: 'https://kubernetes-sigs.github.io/external-dns', oci: false },
  externalSecrets: { name: 'external-secrets', url: 'https://charts.external-secrets.io', oci: false },
  prometheusCommunity: { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts', oci: false },
  metricsServer: { name: 'metrics-server', url: 'https://kubernetes-sigs.github.io/metrics-server', oci: false },
  fluent: { name: 'fluent', url: 'https://fluent.github.io/helm-charts', oci: false },
  grafana: { name: 'grafana', url: 'https://grafana.github.io/helm-charts', oci: false },
  kedacore: { name: 'kedacore', url: 'https://kedacore.github.io/charts', oci: false },
  cnpg: { name: 'cnpg', url: 'https://cloudnative-pg.github.io/charts', oci: false },
} satisfies Record<string, HelmRepositoryEntry>;

/**
 * Every Helm chart SupportServices installs, with its repository and
 * pinned version. Bump chart versions here only.
 */
export const HELM_CHARTS = {
  envoyGateway: {
    repository: REPOSITORIES.envoyproxy,
    chart: 'gateway-helm',
    version: 'v1.7.4',
    largeCrds: [
      { name: 'envoyproxies.gateway.envoyproxy.io', jsonBytes: 567_640, vendored: 'envoy-gateway/gateway.envoyproxy.io_envoyproxies.yaml' },
      // The chart bundles the experimental channel of the Gateway API CRDs;
      // crds/gateway-api holds the (smaller) standard channel.
      { name: 'httproutes.gateway.networking.k8s.io', source: 'gateway-helm v1.7.4 crds/gatewayapi-crds.yaml (experimental channel): about 291 KB' },
    ],
    largeCrdsCheckedFor: 'v1.7.4',
  },
  certManager: {
    repository: REPOSITORIES.jetstack,
    chart: 'cert-manager',
    version: 'v1.21.1',
    // The largest, clusterissuers, is 146,463 bytes (crds/cert-manager).
    largeCrds: [],
    vendoredCrds: ['cert-manager/cert-manager.io_certificates.yaml', 'cert-manager/cert-manager.io_clusterissuers.yaml', 'cert-manager/cert-manager.io_issuers.yaml'],
    largeCrdsCheckedFor: 'v1.21.1',
  },
  externalDns: { repository: REPOSITORIES.externalDns, chart: 'external-dns', version: '1.20.0', largeCrds: [], largeCrdsCheckedFor: '1.20.0' },
  externalSecrets: {
    repository: REPOSITORIES.externalSecrets,
    chart: 'external-secrets',
    version: '2.9.0',
    largeCrds: [
      { name: 'secretstores.external-secrets.io', jsonBytes: 349_194, vendored: 'external-secrets/external-secrets.io_secretstores.yaml' },
      { name: 'clustersecretstores.external-secrets.io', jsonBytes: 349_241, vendored: 'external-secrets/external-secrets.io_clustersecretstores.yaml' },
    ],
    vendoredCrds: ['external-secrets/external-secrets.io_externalsecrets.yaml'],
    largeCrdsCheckedFor: '2.9.0',
  },
  kubePrometheusStack: {
    repository: REPOSITORIES.prometheusCommunity,
    chart: 'kube-prometheus-stack',
    version: '88.6.4',
    largeCrds: [
      { name: 'prometheuses.monitoring.coreos.com', source: 'over the limit since chart 25 (prometheus-community/helm-charts#1500, argoproj/argo-cd#8128); not vendored here' },
    ],
    largeCrdsCheckedFor: '88.6.4',
  },
  metricsServer: { repository: REPOSITORIES.metricsServer, chart: 'metrics-server', version: '3.13.0', largeCrds: [], largeCrdsCheckedFor: '3.13.0' },
  fluentBit: { repository: REPOSITORIES.fluent, chart: 'fluent-bit', version: '0.54.0', largeCrds: [], largeCrdsCheckedFor: '0.54.0' },
  loki: { repository: REPOSITORIES.grafana, chart: 'loki', version: '6.46.0', largeCrds: [], largeCrdsCheckedFor: '6.46.0' },
  keda: {
    repository: REPOSITORIES.kedacore,
    chart: 'keda',
    version: '2.20.2',
    largeCrds: [
      // Embeds a whole Job template; about 1 MB since KEDA 2.12 (kedacore/charts#580, kedacore/keda#4740).
      { name: 'scaledjobs.keda.sh', source: 'kedacore/keda#4740, kedacore/charts#580: over the limit since 2.11; not vendored here' },
    ],
    vendoredCrds: ['keda/keda.sh_scaledobjects.yaml', 'keda/keda.sh_clustertriggerauthentications.yaml', 'keda/keda.sh_triggerauthentications.yaml'],
    largeCrdsCheckedFor: '2.20.2',
  },
  cloudnativePg: {
    repository: REPOSITORIES.cnpg,
    chart: 'cloudnative-pg',
    // Chart 0.29.0 ships operator 1.30.0 (appVersion 1.30.0 in the
    // repository's index.yaml, 2026-06-29), the version the vendored Cluster
    // CRD is taken from. Its operator runs with WATCH_NAMESPACE unset
    // (config.clusterWide) and needs Kubernetes 1.29 or later.
    version: '0.29.0',
    largeCrds: [
      { name: 'clusters.postgresql.cnpg.io', jsonBytes: 271_963, vendored: 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml' },
      // Embeds a whole PodTemplateSpec: over the limit since operator 1.22
      // (cloudnative-pg/cloudnative-pg#4377; the 1.22.2 release notes ask for
      // server-side apply); 648,539 bytes of YAML in a 2026 revision of
      // config/crd/bases, at least 285 KB as JSON at the smallest JSON/YAML
      // ratio of the CRDs vendored here (0.44).
      {
        name: 'poolers.postgresql.cnpg.io',
        source: 'cloudnative-pg/cloudnative-pg#4377 (over the limit since 1.22), linode/apl-core#3449 (clusters and poolers of the cloudnative-pg chart, 2026); not vendored here',
      },
    ],
    largeCrdsCheckedFor: '0.29.0',
  },
} satisfies Record<string, HelmChartEntry>;

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

/** Master user name of RDS PostgreSQL instances (both engines). */
export const POSTGRES_MASTER_USERNAME = 'dbadmin';

/**
 * The Terraform random provider (`hashicorp/random`): the Terraform engine
 * generates database passwords with its `random_password` resource.
 */
export const TERRAFORM_RANDOM_PROVIDER_VERSION = '3.7.2';

/**
 * Generated database passwords (both engines): the length and the
 * characters left out, as aws-cdk-lib's `rds.DatabaseSecret` generates them
 * (none of them may appear in an RDS master password or needs escaping in
 * a connection URL).
 */
export const POSTGRES_PASSWORD_LENGTH = 30;
export const POSTGRES_PASSWORD_EXCLUDED_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/**
 * The AWS Serverless Application Repository application that rotates the
 * credentials of an RDS PostgreSQL secret (single-user scheme): the one and
 * the versions aws-cdk-lib 2.276's `addRotationSingleUser` deploys.
 */
export const POSTGRES_ROTATION_APPLICATION: Record<string, { applicationId: string; semanticVersion: string }> = {
  'aws': { applicationId: 'arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser', semanticVersion: '1.1.671' },
  'aws-cn': { applicationId: 'arn:aws-cn:serverlessrepo:cn-north-1:193023089310:applications/SecretsManagerRDSPostgreSQLRotationSingleUser', semanticVersion: '1.1.440' },
  'aws-us-gov': { applicationId: 'arn:aws-us-gov:serverlessrepo:us-gov-west-1:023102451235:applications/SecretsManagerRDSPostgreSQLRotationSingleUser', semanticVersion: '1.1.383' },
};

/**
 * ElastiCache engines and the versions a new Cache may use (the first is
 * the default). Valkey is the default engine.
 */
export const CACHE_ENGINE_VERSIONS: Record<'valkey' | 'redis', { readonly defaultVersion: string; readonly versions: string[] }> = {
  valkey: { defaultVersion: '8.0', versions: ['7.2', '8.0', '8.1'] },
  redis: { defaultVersion: '7.1', versions: ['6.2', '7.0', '7.1'] },
};

/**
 * ElastiCache node families (current generation) and the sizes each has:
 * burstable families go up to medium, the others from large.
 */
export const CACHE_NODE_FAMILIES: Record<string, string[]> = {
  t3: ['micro', 'small', 'medium'],
  t4g: ['micro', 'small', 'medium'],
  m5: ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'],
  m6g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  m7g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  r5: ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'],
  r6g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
  r7g: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
};

/** Length of generated ElastiCache AUTH tokens (16-128 printable characters; letters and digits only here). */
export const CACHE_AUTH_TOKEN_LENGTH = 64;
