/**
 * Every problem code the library reports, in one table: what it means and
 * the usual fix, in the words of the call sites that report it. The
 * README's "Troubleshooting: error codes" section is rendered from it
 * (`npx ts-node --transpile-only -P projenrc/tsconfig.json scripts/error-codes.ts`),
 * and test/core/error-codes.test.ts keeps it equal to the codes lib/ uses.
 *
 * Plain data, not part of the library's API (lib/index.ts does not export it).
 */

/** How a code is reported: always as an error, always as a warning, or as both. */
export type ErrorCodeSeverity = 'error' | 'warning' | 'both';

/** One code of the table. */
export interface ErrorCode {
  /** The code, e.g. `RS104`. */
  readonly code: string;
  /** How it is reported. */
  readonly severity: ErrorCodeSeverity;
  /** What it is about, e.g. `postgres` (see `AREA_DOCS`). */
  readonly area: string;
  /** What is wrong, in one sentence. */
  readonly meaning: string;
  /** The usual fix (the message itself names the values). */
  readonly fix: string;
}

/** The page that explains an area further, where there is one. */
export const AREA_DOCS: Readonly<Record<string, string | undefined>> = {
  'ids': undefined,
  'environment': undefined,
  'limits': undefined,
  'cluster': undefined,
  'workload': 'docs/workloads.md',
  'connections': 'docs/workloads.md',
  'fargate': 'docs/fargate.md',
  'postgres': 'docs/managed-postgres.md',
  'support services': 'docs/support-services.md',
  'engine': 'docs/terraform.md',
  'terraform': 'docs/terraform.md',
  'object store': 'docs/object-store.md',
  'queue': 'docs/queue.md',
  'cache': 'docs/cache.md',
};

/** Every code, sorted. */
export const ERROR_CODES: readonly ErrorCode[] = [
  // Ids, the environment, CloudFormation limits, clusters.
  {
    code: 'RS002',
    severity: 'error',
    area: 'ids',
    meaning: 'An id (of a platform, environment, cluster, runtime, workload or service) is not a lowercase DNS label starting with a letter.',
    fix: 'Use lowercase letters, digits and `-`, starting with a letter; the message may suggest one.',
  },
  {
    code: 'RS003',
    severity: 'error',
    area: 'ids',
    meaning: 'An id is longer than its kind allows (20 characters for a platform, environment or cluster, 63 for a workload or Fargate runtime, 30 to 60 for a service).',
    fix: 'Use a shorter id; the message gives the maximum.',
  },
  {
    code: 'RS004',
    severity: 'error',
    area: 'ids',
    meaning: 'Another element of the same kind in the same scope already has this id.',
    fix: 'Give each element its own id.',
  },
  {
    code: 'RS010',
    severity: 'error',
    area: 'environment',
    meaning: '`tier` is not a tier (possible from JavaScript).',
    fix: 'Use `Tier.DEVELOPMENT`, `Tier.STAGING` or `Tier.PRODUCTION`.',
  },
  {
    code: 'RS011',
    severity: 'error',
    area: 'environment',
    meaning: '`account` is not an AWS account id.',
    fix: 'Give the 12-digit account id, e.g. `"111111111111"`.',
  },
  {
    code: 'RS012',
    severity: 'error',
    area: 'environment',
    meaning: '`region` is not an AWS region this library knows.',
    fix: 'Give a region such as `"eu-west-1"`; the message may suggest the one you meant.',
  },
  {
    code: 'RS013',
    severity: 'error',
    area: 'environment',
    meaning: '`network.vpcCidr` is not an IPv4 CIDR from /16 to /24.',
    fix: 'Give a private range such as `"10.0.0.0/16"`.',
  },
  {
    code: 'RS014',
    severity: 'error',
    area: 'environment',
    meaning: '`network.availabilityZones` names zones that are not zones of the environment\'s region.',
    fix: 'Name zones of the region, e.g. `eu-west-1a`.',
  },
  {
    code: 'RS015',
    severity: 'error',
    area: 'environment',
    meaning: '`network.availabilityZones` names fewer than 2 zones.',
    fix: 'Name 2 or more: EKS and RDS need subnets in at least 2 zones.',
  },
  {
    code: 'RS016',
    severity: 'error',
    area: 'environment',
    meaning: '`network.natGateways` is not a whole number of 1 or more.',
    fix: 'Keep at least 1 NAT gateway: private subnets need it for egress.',
  },
  {
    code: 'RS017',
    severity: 'error',
    area: 'environment',
    meaning: 'On an existing network, `availabilityZones`, `privateSubnetIds` and `privateSubnetCidrs` differ in length.',
    fix: 'Give one zone and one CIDR per private subnet, in the same order.',
  },
  {
    code: 'RS018',
    severity: 'error',
    area: 'environment',
    meaning: '`databasePlacement` is not a `DatabasePlacement`.',
    fix: 'Use `DatabasePlacement.RDS` or `DatabasePlacement.IN_CLUSTER`.',
  },
  {
    code: 'RS019',
    severity: 'error',
    area: 'limits',
    meaning: 'A CloudFormation stack would exceed a CloudFormation limit: more than 500 resources, 200 outputs or 200 parameters, or a template over 1 MB.',
    fix: 'Split what the stack holds into more services (each has a stack of its own) or the clusters across more environments, '
      + 'or use `engine: CloudEngine.TERRAFORM`, which has no such limit.',
  },
  {
    code: 'RS020',
    severity: 'error',
    area: 'cluster',
    meaning: '`version`, `nodes`, `endpoint`, `adminRoleArns` or `addonVersions` is set on an existing cluster.',
    fix: 'Remove it: it only applies to a cluster this library creates.',
  },
  {
    code: 'RS021',
    severity: 'error',
    area: 'cluster',
    meaning: '`existing.clusterName` is not an EKS cluster name.',
    fix: 'Give the name as `aws eks list-clusters` shows it.',
  },
  {
    code: 'RS022',
    severity: 'error',
    area: 'cluster',
    meaning: '`version` is not a Kubernetes version the library supports.',
    fix: 'Use one of the versions the message lists.',
  },
  {
    code: 'RS023',
    severity: 'error',
    area: 'cluster',
    meaning: '`nodes.minSize`, `desiredSize` or `maxSize` is not a whole number of nodes.',
    fix: 'Give a whole number, 0 or more.',
  },
  {
    code: 'RS024',
    severity: 'error',
    area: 'cluster',
    meaning: '`nodes.maxSize` is 0: the node group can never have a node.',
    fix: 'Set `maxSize` to 1 or more.',
  },
  {
    code: 'RS025',
    severity: 'error',
    area: 'cluster',
    meaning: 'The node group sizes do not satisfy `minSize <= desiredSize <= maxSize`.',
    fix: 'Adjust `minSize`, `desiredSize` and `maxSize`.',
  },
  {
    code: 'RS026',
    severity: 'error',
    area: 'cluster',
    meaning: '`nodes.instanceTypes` is empty, or names something that is not an EC2 instance type.',
    fix: 'Name at least one type such as `"m6i.large"`, or leave the prop out.',
  },
  {
    code: 'RS027',
    severity: 'error',
    area: 'cluster',
    meaning: '`endpoint.publicAccessCidrs` holds something that is not an IPv4 CIDR.',
    fix: 'Give CIDRs such as `"203.0.113.0/24"`.',
  },
  {
    code: 'RS028',
    severity: 'error',
    area: 'cluster',
    meaning: '`endpoint.publicAccessCidrs` is given for a private endpoint.',
    fix: 'Set `endpoint.public` to true, or remove `publicAccessCidrs`.',
  },
  {
    code: 'RS029',
    severity: 'error',
    area: 'cluster',
    meaning: '`adminRoleArns` holds something that is not an IAM role ARN.',
    fix: 'Give ARNs such as `"arn:aws:iam::111111111111:role/platform-admin"`.',
  },
  {
    code: 'RS030',
    severity: 'error',
    area: 'cluster',
    meaning: 'A workload needs a support component (routing, TLS, DNS, metrics, ...) but its cluster has no `SupportServices`.',
    fix: 'Add `new SupportServices(cluster, \'support\', { ... })` to the cluster.',
  },
  {
    code: 'RS031',
    severity: 'error',
    area: 'cluster',
    meaning: '`addonVersions` names an add-on the cluster does not have.',
    fix: 'Name one of the add-ons the message lists.',
  },
  {
    code: 'RS032',
    severity: 'error',
    area: 'cluster',
    meaning: 'A value of `addonVersions` is not an EKS add-on version.',
    fix: 'Give a version as EKS lists it, e.g. `"v1.21.1-eksbuild.1"`.',
  },
  {
    code: 'RS033',
    severity: 'error',
    area: 'cluster',
    meaning: '`nodes.diskSize` is not a whole number of GiB from 20 to 16384.',
    fix: 'Give at least 20 GiB (the EKS-optimized AMI needs it) and at most 16384 (gp3).',
  },
  {
    code: 'RS034',
    severity: 'error',
    area: 'ids',
    meaning: 'The CloudFormation stack of an element would have the name of another stack of the platform.',
    fix: 'Give the element, or the environment with the other stack, another id.',
  },

  // Workloads (WebApp, Worker, ScheduledJob) and their connections.
  {
    code: 'RS101',
    severity: 'error',
    area: 'workload',
    meaning: '`image` is not a valid image reference.',
    fix: 'Give `[registry/]repository[:tag][@sha256:digest]` in lowercase, e.g. `"ghcr.io/acme/orders:1.4.2"`.',
  },
  {
    code: 'RS102',
    severity: 'error',
    area: 'workload',
    meaning: '`image` has no tag or digest, or is tagged `latest`, in a tier that needs pinned images (PRODUCTION).',
    fix: 'Pin a version or digest, e.g. `"orders:1.2.3"` or `"orders@sha256:..."`.',
  },
  {
    code: 'RS103',
    severity: 'error',
    area: 'workload',
    meaning: '`port` or `metrics.port` is outside 1-65535.',
    fix: 'Use the port the container listens on, e.g. 8080.',
  },
  {
    code: 'RS104',
    severity: 'error',
    area: 'workload',
    meaning: 'A WebApp\'s `host` is not a valid DNS host name.',
    fix: 'Give a lowercase, fully qualified name such as `"orders.acme.example.com"` (no scheme, port or path).',
  },
  {
    code: 'RS105',
    severity: 'error',
    area: 'workload',
    meaning: 'A path (`path`, `healthCheck.path`, `healthCheck.livenessPath`, `metrics.path`) is not an HTTP path, or `path` is set without `host`.',
    fix: 'Give a path starting with `/`, without spaces, query or fragment (e.g. `"/api"`); set `host` too, as only a public route has a path.',
  },
  {
    code: 'RS106',
    severity: 'error',
    area: 'workload',
    meaning: 'The host and path of a WebApp are already routed to another app in the same cluster or Fargate runtime.',
    fix: 'Give each app its own host, or a different path.',
  },
  {
    code: 'RS107',
    severity: 'error',
    area: 'workload',
    meaning: '`replicas` is not a whole number of replicas.',
    fix: 'Give a whole number, 0 or more.',
  },
  {
    code: 'RS108',
    severity: 'error',
    area: 'workload',
    meaning: 'A PRODUCTION workload would run fewer than 2 replicas (`replicas`, `autoscaling.minReplicas` or the `minReplicas` of queue scaling).',
    fix: 'Set 2 or more so one can be lost (leave `replicas` out for 3).',
  },
  {
    code: 'RS109',
    severity: 'error',
    area: 'workload',
    meaning: '`autoscaling.minReplicas` or `autoscaling.maxReplicas` is not a whole number of 1 or more.',
    fix: 'Set it to 1 or more.',
  },
  {
    code: 'RS110',
    severity: 'error',
    area: 'workload',
    meaning: '`autoscaling.minReplicas` (given, or the tier default) is more than `maxReplicas`.',
    fix: 'Make `maxReplicas` at least `minReplicas`.',
  },
  {
    code: 'RS111',
    severity: 'error',
    area: 'workload',
    meaning: '`autoscaling.targetCpuUtilization` is not a percentage from 1 to 100.',
    fix: 'Give a whole percentage of the CPU request, e.g. 70.',
  },
  {
    code: 'RS112',
    severity: 'error',
    area: 'workload',
    meaning: 'A value of `resources` is not a CPU or memory quantity.',
    fix: 'Use Kubernetes notation, as the message shows (e.g. `"250m"` for CPU, `"512Mi"` for memory).',
  },
  {
    code: 'RS113',
    severity: 'error',
    area: 'workload',
    meaning: 'A CPU or memory request (given, or the tier default) is above its limit.',
    fix: 'Lower the request or raise the limit, so that the request is at most the limit.',
  },
  {
    code: 'RS114',
    severity: 'error',
    area: 'workload',
    meaning: 'A key of `env` or `secretEnv` is not a valid environment variable name.',
    fix: 'Use letters, digits, `_`, `-` and `.`, not starting with a digit (e.g. `LOG_LEVEL`).',
  },
  {
    code: 'RS115',
    severity: 'error',
    area: 'workload',
    meaning: 'A variable is set in both `env` and `secretEnv`.',
    fix: 'Set each variable once: keep the `secretEnv` entry and remove it from `env`.',
  },
  {
    code: 'RS116',
    severity: 'error',
    area: 'workload',
    meaning: 'A variable whose name looks like a secret has a literal value in `env`.',
    fix: 'On Kubernetes, move it to `secretEnv` (a Kubernetes Secret); on Fargate, deliver it through a connection whose keys come from Secrets Manager.',
  },
  {
    code: 'RS117',
    severity: 'error',
    area: 'workload',
    meaning: 'A `secretEnv` entry has a `secretName` that is not a Kubernetes Secret name, or a `key` that is not a Secret key.',
    fix: 'Name an existing Secret in the workload\'s namespace, and a key within it (letters, digits, `-`, `_` and `.`).',
  },
  {
    code: 'RS118',
    severity: 'error',
    area: 'workload',
    meaning: 'A ScheduledJob has no `schedule`, or one that is not a cron schedule.',
    fix: 'Give five fields (minute hour day-of-month month day-of-week), e.g. `"30 3 * * *"`, or a macro such as `"@daily"`.',
  },
  {
    code: 'RS119',
    severity: 'error',
    area: 'workload',
    meaning: 'A ScheduledJob\'s `timeZone` is not an IANA time zone, `concurrencyPolicy` is not a `ConcurrencyPolicy`, '
      + 'or a history limit, `backoffLimit` or `activeDeadlineSeconds` is not a whole number in range.',
    fix: 'Give a zone such as `"Europe/Paris"`, a `ConcurrencyPolicy` value, or a whole number (0 or more; 1 or more for `activeDeadlineSeconds`), '
      + 'or leave the prop out.',
  },
  {
    code: 'RS120',
    severity: 'error',
    area: 'workload',
    meaning: '`namespace` is not a Kubernetes namespace name.',
    fix: 'Use a lowercase DNS label of at most 63 characters (letters, digits, `-`).',
  },
  {
    code: 'RS121',
    severity: 'error',
    area: 'workload',
    meaning: '`namespace` belongs to Kubernetes or to the platform\'s support services.',
    fix: 'Choose a namespace of your own, or leave `namespace` out to get one named after the workload.',
  },
  {
    code: 'RS122',
    severity: 'error',
    area: 'connections',
    meaning: 'The workload connects to itself.',
    fix: 'Remove the connection.',
  },
  {
    code: 'RS124',
    severity: 'error',
    area: 'connections',
    meaning: 'A workload connects to a WebApp of another cluster, Fargate runtime or environment (between EKS and Fargate too).',
    fix: 'Connect only to apps of the same cluster or Fargate runtime; to call an app elsewhere, give it a `host` and use its public URL in `env`.',
  },
  {
    code: 'RS125',
    severity: 'error',
    area: 'workload',
    meaning: '`replicas` and `autoscaling` are both set.',
    fix: 'Remove `replicas`: with autoscaling the autoscaler sets the replicas between `minReplicas` and `maxReplicas`.',
  },
  {
    code: 'RS126',
    severity: 'error',
    area: 'workload',
    meaning: '`healthCheck.startupTimeoutSeconds` is not a whole number of seconds, 10 or more.',
    fix: 'Give the seconds the app may take to start, e.g. 300.',
  },
  {
    code: 'RS127',
    severity: 'error',
    area: 'workload',
    meaning: 'A Worker\'s `livenessCommand` is empty.',
    fix: 'Give a command such as `["/bin/healthcheck"]`, or leave `livenessCommand` out.',
  },
  {
    code: 'RS128',
    severity: 'error',
    area: 'workload',
    meaning: 'A Worker\'s `metrics` gives no port.',
    fix: 'Give the port the worker serves metrics on, e.g. `{ port: 9090 }`.',
  },
  {
    code: 'RS129',
    severity: 'error',
    area: 'connections',
    meaning: 'Scaling on a connection\'s backlog (a queue\'s depth) is set on a WebApp or ScheduledJob, on a second connection, '
      + 'or together with `replicas` or CPU `autoscaling`.',
    fix: 'Scale a Worker that consumes the queue, on one queue only, and remove `replicas` and `autoscaling` (the queue\'s depth sets the replicas).',
  },
  {
    code: 'RS130',
    severity: 'error',
    area: 'connections',
    meaning: 'The numbers of a connection\'s `scaling` are wrong: `maxReplicas` below 1, `minReplicas` below 0 or above `maxReplicas`, '
      + 'or `messagesPerReplica` below 1.',
    fix: 'Give whole numbers in range, e.g. `messagesPerReplica: 10`.',
  },
  {
    code: 'RS131',
    severity: 'error',
    area: 'connections',
    meaning: 'A connect option the target cannot honour: `access` on a target it would grant nothing on, or `scaling` on a target with no backlog.',
    fix: 'Remove the option from the connection; scale on a Queue the workload consumes.',
  },
  {
    code: 'RS132',
    severity: 'error',
    area: 'connections',
    meaning: 'The `access` of a connection is not an `Access`.',
    fix: 'Use `Access.READ`, `Access.WRITE` or `Access.READ_WRITE`.',
  },

  // The Fargate runtime.
  {
    code: 'RS150',
    severity: 'error',
    area: 'fargate',
    meaning: 'A prop or need that has no meaning on Fargate (e.g. `secretEnv`, `namespace`, `metrics`, some ScheduledJob settings); the message says why.',
    fix: 'Remove it (the message gives the Fargate way, if there is one), or run the workload on a KubernetesCluster.',
  },
  {
    code: 'RS151',
    severity: 'error',
    area: 'fargate',
    meaning: 'The CPU and memory limits make a task size Fargate does not run.',
    fix: 'Use a valid Fargate combination of `cpuLimit` and `memoryLimit`; the message names the nearest.',
  },
  {
    code: 'RS152',
    severity: 'error',
    area: 'fargate',
    meaning: 'A WebApp\'s `host` is neither a domain of its FargateRuntime nor a name one level below one: the load balancer\'s certificate does not cover it.',
    fix: 'Use a host such as `orders.<domain>`, or add its domain to the FargateRuntime\'s `additionalDomains`.',
  },
  {
    code: 'RS153',
    severity: 'error',
    area: 'fargate',
    meaning: 'A WebApp has a `host`, but its FargateRuntime has no domain for public hosts.',
    fix: 'Give the FargateRuntime `domain` and `hostedZoneId`.',
  },
  {
    code: 'RS154',
    severity: 'error',
    area: 'fargate',
    meaning: 'A ScheduledJob on Fargate has a schedule EventBridge Scheduler cannot run (a day of month with a day of week, a step in the day of week), '
      + 'or a `backoffLimit` above the 185 retries it makes.',
    fix: 'Give either a day of month or a day of week, days of week without steps, or a macro such as `"@daily"`; keep `backoffLimit` at most 185.',
  },
  {
    code: 'RS155',
    severity: 'error',
    area: 'fargate',
    meaning: 'A Fargate service scales on a queue\'s depth from 0 tasks, or on a runtime with `containerInsights` off.',
    fix: 'Set `minReplicas` to 1 or more on Fargate, and keep `containerInsights` on (the default).',
  },
  {
    code: 'RS156',
    severity: 'error',
    area: 'fargate',
    meaning: 'A FargateRuntime is in an environment that renders with Terraform; the Fargate runtime renders with CloudFormation only.',
    fix: 'Place the runtime in an environment with `engine: CloudEngine.CLOUDFORMATION`, or run its workloads on a KubernetesCluster.',
  },
  {
    code: 'RS157',
    severity: 'error',
    area: 'fargate',
    meaning: 'A FargateRuntime\'s `domain`, `additionalDomains` or `hostedZoneId` is not valid, is given without the other, '
      + 'or an additional domain is not below `domain`.',
    fix: 'Give `domain` and the id of its Route 53 zone together, with additional domains below `domain`; serve other domains from another FargateRuntime.',
  },
  {
    code: 'RS158',
    severity: 'error',
    area: 'fargate',
    meaning: 'A FargateRuntime would need more names on its certificate (10) or more rules on its load balancer (100) than they hold.',
    fix: 'Serve at most 5 domains and 100 apps with a host per runtime; place the others on another FargateRuntime.',
  },
  {
    code: 'RS159',
    severity: 'error',
    area: 'fargate',
    meaning: 'A FargateRuntime with `domain` is in an environment on an existing network given with private subnets only; '
      + 'its internet-facing load balancer needs public subnets.',
    fix: 'Run the apps with a host on a KubernetesCluster of the environment, or on a FargateRuntime in an environment with a network of its own.',
  },
  {
    code: 'RS160',
    severity: 'warning',
    area: 'fargate',
    meaning: 'Variables composed from a secret (a database URL with its password) are not set on Fargate: ECS injects whole keys of a secret only.',
    fix: 'Build the URL in the app from the parts it gets (`_HOST`, `_PORT`, `_USER`, `_PASSWORD`, ...), then acknowledge the warning.',
  },
  {
    code: 'RS161',
    severity: 'warning',
    area: 'fargate',
    meaning: 'ECS Exec (`executeCommand`) is on: the runtime\'s tasks run without a read-only root filesystem, '
      + 'and anyone allowed `ecs:ExecuteCommand` gets a shell in them.',
    fix: 'Turn `executeCommand` off when you are done, or acknowledge the warning.',
  },
  {
    code: 'RS162',
    severity: 'error',
    area: 'fargate',
    meaning: 'A WebApp\'s `path` is longer than a load balancer path pattern (path + `/*`, 128 characters) holds.',
    fix: 'Use a path of at most 126 characters on Fargate.',
  },

  // ManagedPostgres, and the connection checks every target shares.
  {
    code: 'RS301',
    severity: 'error',
    area: 'postgres',
    meaning: '`databaseName` (given, or derived from the id) is not a valid database name.',
    fix: 'Use at most 63 lowercase letters, digits and `_`, starting with a letter (e.g. `"orders"`).',
  },
  {
    code: 'RS302',
    severity: 'error',
    area: 'postgres',
    meaning: '`databaseName` is reserved by PostgreSQL or RDS.',
    fix: 'Choose another name (not `postgres`, `template0`, `template1` or `rdsadmin`).',
  },
  {
    code: 'RS303',
    severity: 'error',
    area: 'postgres',
    meaning: '`engineVersion` is not a supported PostgreSQL version.',
    fix: 'Use a major version or one of the versions the message lists.',
  },
  {
    code: 'RS304',
    severity: 'error',
    area: 'postgres',
    meaning: '`allocatedStorage` is outside 20-65536 GiB.',
    fix: 'Give a whole number of GiB from 20 (the gp3 minimum) to 65536.',
  },
  {
    code: 'RS305',
    severity: 'error',
    area: 'postgres',
    meaning: '`maxAllocatedStorage` is below `allocatedStorage` + 10% or above 65536 GiB.',
    fix: 'Raise `maxAllocatedStorage` to at least the value the message gives, or lower `allocatedStorage`.',
  },
  {
    code: 'RS306',
    severity: 'error',
    area: 'postgres',
    meaning: '`backupRetention` is not a whole number of days from 0 to 35.',
    fix: 'Give `Duration.days(n)` with n of at most 35.',
  },
  {
    code: 'RS307',
    severity: 'error',
    area: 'postgres',
    meaning: '`backupRetention` of 0 days turns automated backups off in PRODUCTION.',
    fix: 'Keep at least `Duration.days(14)` of backups in PRODUCTION.',
  },
  {
    code: 'RS308',
    severity: 'error',
    area: 'postgres',
    meaning: '`instanceSize` is not an instance class, or has the `db.` prefix.',
    fix: 'Use a class such as `"t4g.medium"` or `"m7g.large"`, without `db.`.',
  },
  {
    code: 'RS309',
    severity: 'error',
    area: 'postgres',
    meaning: '`port` is outside 1150-65535, what RDS accepts.',
    fix: 'Use 5432 or another port from 1150 to 65535.',
  },
  {
    code: 'RS310',
    severity: 'error',
    area: 'postgres',
    meaning: 'A key of `parameters` is not a PostgreSQL parameter name, or `rds.force_ssl` is set to a value that would allow unencrypted connections.',
    fix: 'Use lowercase names such as `log_min_duration_statement`; remove `rds.force_ssl` (TLS is always enforced).',
  },
  {
    code: 'RS311',
    severity: 'error',
    area: 'postgres',
    meaning: 'A workload connects to a database of another environment.',
    fix: 'Connect to a ManagedPostgres of the workload\'s environment (databases are never shared across environments).',
  },
  {
    code: 'RS312',
    severity: 'error',
    area: 'postgres',
    meaning: 'The database cannot admit the workload\'s pods: they run on an existing cluster given without `clusterSecurityGroupId`.',
    fix: 'Give `existing.clusterSecurityGroupId` (the security group EKS attaches to the nodes) to the KubernetesCluster.',
  },
  {
    code: 'RS313',
    severity: 'error',
    area: 'connections',
    meaning: 'The env var prefix of a connection does not make valid environment variable names.',
    fix: 'Use uppercase letters, digits and `_`, starting with a letter or `_` and not ending in `_` (e.g. `"ORDERS_DB"`).',
  },
  {
    code: 'RS314',
    severity: 'error',
    area: 'connections',
    meaning: 'The same target is connected twice under the same env var prefix.',
    fix: 'Remove the duplicate connection, or give it another env var prefix.',
  },
  {
    code: 'RS315',
    severity: 'warning',
    area: 'postgres',
    meaning: 'A PRODUCTION database on RDS has a `databaseName` of its own: it is fixed when the instance is created, '
      + 'and changing it later replaces the instance with a new, empty database.',
    fix: 'Never change `databaseName` of a live database; acknowledge the warning once it is deployed.',
  },
  {
    code: 'RS316',
    severity: 'error',
    area: 'postgres',
    meaning: 'The database\'s id has two hyphens in a row, which RDS instance identifiers forbid.',
    fix: 'Use single hyphens between words.',
  },
  {
    code: 'RS317',
    severity: 'warning',
    area: 'postgres',
    meaning: 'A PRODUCTION database can be deleted with its data by a stack update or deletion '
      + '(`removalPolicy: DataRemoval.DESTROY` or `deletionProtection: false`).',
    fix: 'Keep `removalPolicy` SNAPSHOT or RETAIN and `deletionProtection` on, or acknowledge the warning.',
  },
  {
    code: 'RS318',
    severity: 'error',
    area: 'connections',
    meaning: 'Two different targets share one env var prefix, so their variables would collide.',
    fix: 'Give each connection its own env var prefix.',
  },
  {
    code: 'RS319',
    severity: 'error',
    area: 'postgres',
    meaning: '`removalPolicy` is not a `DataRemoval`.',
    fix: 'Use `DataRemoval.DESTROY`, `DataRemoval.SNAPSHOT` or `DataRemoval.RETAIN`.',
  },
  {
    code: 'RS320',
    severity: 'error',
    area: 'postgres',
    meaning: '`monitoringInterval` is not an interval RDS enhanced monitoring offers.',
    fix: 'Give `Duration.seconds(n)` with n one of 1, 5, 10, 15, 30, 60, or `Duration.seconds(0)` to turn it off.',
  },
  {
    code: 'RS321',
    severity: 'error',
    area: 'postgres',
    meaning: '`placement` is not a `DatabasePlacement`.',
    fix: 'Use `DatabasePlacement.RDS` or `DatabasePlacement.IN_CLUSTER`.',
  },
  {
    code: 'RS322',
    severity: 'error',
    area: 'postgres',
    meaning: 'An in-cluster database has no cluster to run in: the environment has none, or several and `cluster` names none, '
      + 'or `cluster` is not a KubernetesCluster of the environment.',
    fix: 'Name the cluster to run it in with `cluster` (a KubernetesCluster of the environment, with SupportServices), or place the database on Amazon RDS.',
  },
  {
    code: 'RS323',
    severity: 'error',
    area: 'postgres',
    meaning: 'The cluster of an in-cluster database has no `SupportServices`, which install the CloudNativePG operator.',
    fix: 'Add `new SupportServices(cluster, \'support\', { ... })` to the cluster.',
  },
  {
    code: 'RS324',
    severity: 'error',
    area: 'postgres',
    meaning: 'A workload on another runtime connects to a database that runs inside a cluster.',
    fix: 'Run the workload on the database\'s cluster, or place the database on Amazon RDS, which every cluster of the environment can reach.',
  },
  {
    code: 'RS325',
    severity: 'error',
    area: 'postgres',
    meaning: 'An in-cluster database is given an Amazon RDS setting (a prop or an RDS parameter), or a parameter CloudNativePG sets itself.',
    fix: 'Remove it, or place the database on Amazon RDS (`placement: DatabasePlacement.RDS`).',
  },
  {
    code: 'RS326',
    severity: 'error',
    area: 'postgres',
    meaning: '`cluster` is set but the database is on Amazon RDS.',
    fix: 'Remove `cluster`, or add `placement: DatabasePlacement.IN_CLUSTER` to run it in that cluster.',
  },
  {
    code: 'RS327',
    severity: 'warning',
    area: 'postgres',
    meaning: 'An in-cluster database in STAGING or PRODUCTION: its data lives on the cluster\'s volumes, '
      + 'with no automated backups, point-in-time recovery or managed failover.',
    fix: 'Place it on Amazon RDS (`placement: DatabasePlacement.RDS`), or acknowledge the warning.',
  },

  // SupportServices.
  {
    code: 'RS500',
    severity: 'error',
    area: 'support services',
    meaning: 'The cluster already has `SupportServices`.',
    fix: 'Create one `SupportServices` per cluster and configure every component on it.',
  },
  {
    code: 'RS501',
    severity: 'error',
    area: 'support services',
    meaning: '`domain` or an entry of `additionalDomains` is not a DNS domain name.',
    fix: 'Give the domain of the Route 53 zone, e.g. `"acme.example.com"` (no scheme, no wildcard).',
  },
  {
    code: 'RS502',
    severity: 'error',
    area: 'support services',
    meaning: '`acmeEmail` is not an e-mail address.',
    fix: 'Give the address Let\'s Encrypt sends expiry notices to, e.g. `"platform@acme.example.com"`.',
  },
  {
    code: 'RS503',
    severity: 'error',
    area: 'support services',
    meaning: '`hostedZoneId` is not a Route 53 hosted zone id.',
    fix: 'Give the id as Route 53 shows it, e.g. `"Z0123456789ABCDEFGHIJ"` (without `/hostedzone/`).',
  },
  {
    code: 'RS504',
    severity: 'error',
    area: 'support services',
    meaning: '`delivery` is not a delivery mode.',
    fix: 'Use `GitOpsDelivery.ARGO_CD` or `GitOpsDelivery.FLUX`.',
  },
  {
    code: 'RS505',
    severity: 'error',
    area: 'support services',
    meaning: '`tls.challenge` is not an ACME challenge.',
    fix: 'Use `AcmeChallenge.DNS01` or `AcmeChallenge.HTTP01`.',
  },
  {
    code: 'RS506',
    severity: 'error',
    area: 'support services',
    meaning: '`logs.destination` is not a log destination.',
    fix: 'Use `LogDestination.CLOUDWATCH` or `LogDestination.LOKI`.',
  },
  {
    code: 'RS507',
    severity: 'error',
    area: 'support services',
    meaning: '`logs.retentionDays` is not a CloudWatch Logs retention.',
    fix: 'Use one of the retentions the message lists.',
  },
  {
    code: 'RS508',
    severity: 'error',
    area: 'support services',
    meaning: 'Logs go to Loki, which keeps its data on an EBS volume, but storage is turned off.',
    fix: 'Turn storage on, or use `LogDestination.CLOUDWATCH`.',
  },
  {
    code: 'RS509',
    severity: 'error',
    area: 'support services',
    meaning: 'The cluster runs in-cluster databases, which keep their data on gp3 EBS volumes, but storage is turned off.',
    fix: 'Turn storage on, or place the databases on Amazon RDS (`placement: DatabasePlacement.RDS`).',
  },
  {
    code: 'RS510',
    severity: 'error',
    area: 'support services',
    meaning: 'A workload or database needs a component (e.g. TLS, DNS, routing) that is turned off in the cluster\'s `SupportServices`.',
    fix: 'Remove the setting that turns it off, or remove the need from the workload (place a database on Amazon RDS).',
  },
  {
    code: 'RS511',
    severity: 'error',
    area: 'support services',
    meaning: 'A workload\'s host is not a DNS host name.',
    fix: 'Give a host name inside the domains of the cluster\'s `SupportServices`, e.g. `"orders.acme.example.com"`.',
  },
  {
    code: 'RS512',
    severity: 'error',
    area: 'support services',
    meaning: 'A workload\'s host is outside every domain of the cluster\'s `SupportServices`.',
    fix: 'Use a host inside one of the domains, or add its domain to `additionalDomains`.',
  },
  {
    code: 'RS513',
    severity: 'error',
    area: 'support services',
    meaning: '`tls.challenge` is HTTP-01, which answers through the Gateway, but routing is not installed.',
    fix: 'Use `AcmeChallenge.DNS01`, or turn routing on.',
  },
  {
    code: 'RS514',
    severity: 'error',
    area: 'support services',
    meaning: '`routing.replicas` is not a whole number of 1 or more, or is 1 in PRODUCTION (every public host would go down with one pod).',
    fix: 'Run at least 2 Envoy proxies in PRODUCTION, or leave `routing.replicas` out for 3.',
  },
  {
    code: 'RS520',
    severity: 'warning',
    area: 'support services',
    meaning: 'No `hostedZoneId`: external-dns and cert-manager may change records named in the domains in any hosted zone of the account.',
    fix: 'Set `hostedZoneId` to the zone of the domain, or acknowledge the warning.',
  },
  {
    code: 'RS521',
    severity: 'warning',
    area: 'support services',
    meaning: 'SupportServices on an existing cluster: the library cannot check that its CNI enforces NetworkPolicies, '
      + 'and without enforcement every policy it writes is ignored.',
    fix: 'Turn enforcement on (VPC CNI configuration `{"enableNetworkPolicy": "true"}`, or a policy-enforcing CNI), then acknowledge the warning.',
  },

  // Engines and the Terraform settings.
  {
    code: 'RS600',
    severity: 'error',
    area: 'terraform',
    meaning: 'An environment uses `CloudEngine.TERRAFORM`, but the packages `cdktf` and `@cdktf/provider-aws` cannot be loaded.',
    fix: 'Run the `npm install` command the message gives in the project, or use `CloudEngine.CLOUDFORMATION`.',
  },
  {
    code: 'RS601',
    severity: 'error',
    area: 'engine',
    meaning: 'Settings of one engine (e.g. `terraform`) are given on an environment that uses another engine.',
    fix: 'Set `engine` to the engine of the settings, or remove them.',
  },
  {
    code: 'RS602',
    severity: 'error',
    area: 'terraform',
    meaning: '`terraform.s3Backend.bucket` is not an S3 bucket name.',
    fix: 'Give the bucket name (3-63 lowercase letters, digits, `.` and `-`), not an ARN or URL.',
  },
  {
    code: 'RS603',
    severity: 'error',
    area: 'terraform',
    meaning: '`terraform.s3Backend.key` is not a state object key.',
    fix: 'Give a key such as `"acme/prod/terraform.tfstate"` (no leading or trailing `/`).',
  },
  {
    code: 'RS604',
    severity: 'error',
    area: 'terraform',
    meaning: '`terraform.s3Backend.region` is not an AWS region this library knows.',
    fix: 'Give the bucket\'s region, e.g. `"eu-west-1"`, or leave it out to use the environment\'s region.',
  },
  {
    code: 'RS605',
    severity: 'error',
    area: 'terraform',
    meaning: '`terraform.s3Backend.dynamodbTable` is not a DynamoDB table name.',
    fix: 'Give the table name (3-255 letters, digits, `_`, `-` and `.`), not its ARN.',
  },
  {
    code: 'RS606',
    severity: 'error',
    area: 'terraform',
    meaning: 'The Terraform state would not be locked: `useLockfile` is false and no `dynamodbTable` is given.',
    fix: 'Leave `useLockfile` on (Terraform 1.10+), or name a DynamoDB lock table in `dynamodbTable`.',
  },
  {
    code: 'RS607',
    severity: 'error',
    area: 'terraform',
    meaning: '`terraform.s3Backend.kmsKeyId` is not a KMS key ARN, alias or key id.',
    fix: 'Give e.g. `"arn:aws:kms:eu-west-1:111111111111:key/..."` or `"alias/terraform-state"`.',
  },
  {
    code: 'RS608',
    severity: 'warning',
    area: 'terraform',
    meaning: 'A PRODUCTION Terraform environment keeps its state in a local file.',
    fix: 'Set `terraform.s3Backend` to keep the state in S3 with locking.',
  },
  {
    code: 'RS609',
    severity: 'error',
    area: 'engine',
    meaning: '`engine` is not a cloud engine.',
    fix: 'Use `CloudEngine.CLOUDFORMATION` or `CloudEngine.TERRAFORM`.',
  },

  // ObjectStore.
  {
    code: 'RS702',
    severity: 'error',
    area: 'object store',
    meaning: 'The bucket\'s id is that of the environment\'s access-log bucket (`s3-access-logs`).',
    fix: 'Give the bucket another id.',
  },
  {
    code: 'RS703',
    severity: 'error',
    area: 'object store',
    meaning: '`noncurrentVersionExpiration` is set on a bucket that is not versioned, or is not a whole number of days, 1 or more.',
    fix: 'Set `versioned: true` and give `Duration.days(n)` with n of 1 or more, or remove `noncurrentVersionExpiration`.',
  },
  {
    code: 'RS704',
    severity: 'error',
    area: 'object store',
    meaning: '`removalPolicy` is not a `DataRemoval`.',
    fix: 'Use `DataRemoval.DESTROY` or `DataRemoval.RETAIN`.',
  },
  {
    code: 'RS705',
    severity: 'error',
    area: 'object store',
    meaning: 'A workload connects to a bucket of another environment.',
    fix: 'Connect to an ObjectStore of the workload\'s environment (buckets are never shared across environments).',
  },
  {
    code: 'RS706',
    severity: 'warning',
    area: 'object store',
    meaning: 'A PRODUCTION bucket with `removalPolicy: DataRemoval.DESTROY` would be deleted (once empty) when it leaves the stack.',
    fix: 'Keep `removalPolicy` RETAIN, or acknowledge the warning.',
  },
  {
    code: 'RS707',
    severity: 'error',
    area: 'object store',
    meaning: '`objectLockRetention` is set, but Object Lock needs versioning and the bucket is not versioned.',
    fix: 'Set `versioned: true` (or leave it to the tier), or remove `objectLockRetention`.',
  },

  // Queue.
  {
    code: 'RS801',
    severity: 'error',
    area: 'queue',
    meaning: '`queueName` is not an SQS queue name.',
    fix: 'Use letters, digits, `-` and `_` (ending in `.fifo` for a FIFO queue), within the length the message gives.',
  },
  {
    code: 'RS802',
    severity: 'error',
    area: 'queue',
    meaning: 'A FIFO queue\'s `queueName` does not end in `.fifo`, or a standard queue\'s does.',
    fix: 'Name a FIFO queue `<name>.fifo`; for a standard queue set `fifo: true` or drop the suffix.',
  },
  {
    code: 'RS803',
    severity: 'error',
    area: 'queue',
    meaning: '`retentionPeriod` is outside 1 minute to 14 days.',
    fix: 'Give a whole number of seconds from 60 to 1209600, e.g. `Duration.days(4)`.',
  },
  {
    code: 'RS804',
    severity: 'error',
    area: 'queue',
    meaning: '`visibilityTimeout` is outside 0 to 12 hours.',
    fix: 'Give a whole number of seconds up to 43200.',
  },
  {
    code: 'RS805',
    severity: 'error',
    area: 'queue',
    meaning: '`maxReceiveCount` is not a whole number from 1 to 1000.',
    fix: 'Give the receives of a message before it goes to the dead-letter queue, e.g. 5.',
  },
  {
    code: 'RS806',
    severity: 'error',
    area: 'queue',
    meaning: '`removalPolicy` is not a `DataRemoval`.',
    fix: 'Use `DataRemoval.DESTROY` or `DataRemoval.RETAIN`.',
  },
  {
    code: 'RS807',
    severity: 'error',
    area: 'queue',
    meaning: 'A workload connects to a queue of another environment.',
    fix: 'Connect to a Queue of the workload\'s environment (queues are never shared across environments).',
  },
  {
    code: 'RS808',
    severity: 'error',
    area: 'queue',
    meaning: 'A workload scales on a queue it may only send to.',
    fix: 'Scale a workload that consumes the queue (access `READ` or `READ_WRITE`).',
  },

  // Cache.
  {
    code: 'RS901',
    severity: 'error',
    area: 'cache',
    meaning: '`nodeType` is not an ElastiCache node type.',
    fix: 'Use `cache.<family>.<size>` with a family the message lists, e.g. `"cache.t4g.medium"` or `"cache.m7g.large"`.',
  },
  {
    code: 'RS902',
    severity: 'error',
    area: 'cache',
    meaning: '`engineVersion` is not a supported version of the engine.',
    fix: 'Use one of the versions the message lists.',
  },
  {
    code: 'RS903',
    severity: 'error',
    area: 'cache',
    meaning: '`nodes` is not a whole number from 1 to 6, or is 1 in PRODUCTION (no failover when the node is lost).',
    fix: 'Give 1 (no replica) to 6; at least 2 in PRODUCTION (Multi-AZ with automatic failover), or leave `nodes` out.',
  },
  {
    code: 'RS904',
    severity: 'error',
    area: 'cache',
    meaning: '`snapshotRetentionDays` is not a whole number of days from 0 to 35.',
    fix: 'Give the days automatic snapshots are kept, e.g. 7.',
  },
  {
    code: 'RS905',
    severity: 'error',
    area: 'cache',
    meaning: '`removalPolicy` is not a `DataRemoval`.',
    fix: 'Use `DataRemoval.DESTROY`, `DataRemoval.SNAPSHOT` or `DataRemoval.RETAIN`.',
  },
  {
    code: 'RS906',
    severity: 'error',
    area: 'cache',
    meaning: '`port` is outside 1024-65535.',
    fix: 'Use 6379 or another port from 1024 to 65535.',
  },
  {
    code: 'RS907',
    severity: 'error',
    area: 'cache',
    meaning: 'A workload connects to a cache of another environment.',
    fix: 'Connect to a Cache of the workload\'s environment (caches are never shared across environments).',
  },
  {
    code: 'RS908',
    severity: 'error',
    area: 'cache',
    meaning: '`engine` is not a `CacheEngine`.',
    fix: 'Use `CacheEngine.VALKEY` or `CacheEngine.REDIS`.',
  },
  {
    code: 'RS909',
    severity: 'error',
    area: 'cache',
    meaning: 'The cache cannot admit the workload\'s pods: they run on an existing cluster given without `clusterSecurityGroupId`.',
    fix: 'Give `existing.clusterSecurityGroupId` (the security group EKS attaches to the nodes) to the KubernetesCluster.',
  },
  {
    code: 'RS910',
    severity: 'error',
    area: 'cache',
    meaning: 'The cache\'s id has two hyphens in a row, which ElastiCache identifiers forbid.',
    fix: 'Use single hyphens between words.',
  },
];

/** Text for one cell of a Markdown table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * The table as the README prints it: one row per code, sorted by code, with
 * its severity, its area (linked to the area's page where there is one),
 * what it means and the usual fix.
 */
export function errorCodesMarkdown(codes: readonly ErrorCode[] = ERROR_CODES): string {
  const area = (a: string) => (AREA_DOCS[a] ? `[${a}](${AREA_DOCS[a]})` : a);
  return [
    '| Code | Severity | Area | Meaning | Usual fix |',
    '|---|---|---|---|---|',
    ...[...codes]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map(c => `| ${c.code} | ${c.severity} | ${area(c.area)} | ${cell(c.meaning)} | ${cell(c.fix)} |`),
  ].join('\n');
}
