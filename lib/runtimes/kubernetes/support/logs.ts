import { SupportContext } from './context';
import { GP3_STORAGE_CLASS } from './storage';
import { arn } from '../../../core/policy';
import { HELM_CHARTS } from '../../../private/catalog';

export const LOGGING_NAMESPACE = 'logging';
export const FLUENT_BIT_SERVICE_ACCOUNT = 'fluent-bit';
export const FLUENT_BIT_RELEASE = 'fluent-bit';
export const LOKI_RELEASE = 'loki';

/** The CloudWatch Logs group of a cluster's container logs. */
export function containerLogGroupName(clusterName: string): string {
  return `/eks/${clusterName}/containers`;
}

/** One section of Fluent Bit's configuration: `[INPUT]`, `[FILTER]` or `[OUTPUT]`, with its keys in order. */
export interface FluentBitSection {
  readonly kind: 'INPUT' | 'FILTER' | 'OUTPUT';
  readonly properties: Array<[string, string | number]>;
}

/** Values of the `fluent-bit` chart (the parts the library sets). */
export interface FluentBitValues {
  readonly kind: string;
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly serviceMonitor: { readonly enabled: boolean };
  /**
   * Fluent Bit's own configuration sections. The chart takes them as
   * configuration text; the library builds that text from typed
   * `FluentBitSection`s (see `fluentBitConfig`).
   */
  readonly config: { readonly inputs: string; readonly filters: string; readonly outputs: string };
}

/** Values of the `loki` chart (single binary on the filesystem; the parts the library sets). */
export interface LokiValues {
  readonly deploymentMode: string;
  readonly loki: {
    readonly auth_enabled: boolean;
    readonly commonConfig: { readonly replication_factor: number };
    readonly storage: { readonly type: string };
    readonly schemaConfig: {
      readonly configs: Array<{
        readonly from: string;
        readonly store: string;
        readonly object_store: string;
        readonly schema: string;
        readonly index: { readonly prefix: string; readonly period: string };
      }>;
    };
    readonly limits_config: { readonly retention_period: string };
    readonly compactor: { readonly retention_enabled: boolean; readonly delete_request_store: string };
  };
  readonly singleBinary: { readonly replicas: number; readonly persistence?: { readonly storageClass: string } };
  readonly read: { readonly replicas: number };
  readonly write: { readonly replicas: number };
  readonly backend: { readonly replicas: number };
  readonly chunksCache: { readonly enabled: boolean };
  readonly resultsCache: { readonly enabled: boolean };
  readonly lokiCanary: { readonly enabled: boolean };
  readonly test: { readonly enabled: boolean };
  readonly minio: { readonly enabled: boolean };
}

/** Renders typed sections as Fluent Bit's classic configuration text. */
export function fluentBitConfig(sections: FluentBitSection[]): string {
  return sections.map(s => [`[${s.kind}]`, ...s.properties.map(([k, v]) => `    ${k} ${v}`)].join('\n')).join('\n\n') + '\n';
}

/**
 * Logs: Fluent Bit on every node, shipping container logs to the cluster's
 * CloudWatch Logs group (created here with the tier's retention), or to
 * Loki in the cluster.
 */
export function renderLogs(ctx: SupportContext): void {
  const s = ctx.settings;
  const env = ctx.environment;
  const namespace = ctx.namespace(LOGGING_NAMESPACE, 'privileged');
  const clusterName = ctx.cluster.clusterName;
  const logGroup = containerLogGroupName(clusterName);

  const inputs: FluentBitSection[] = [{
    kind: 'INPUT',
    properties: [
      ['Name', 'tail'], ['Path', '/var/log/containers/*.log'], ['multiline.parser', 'docker, cri'],
      ['Tag', 'kube.*'], ['Mem_Buf_Limit', '50MB'], ['Skip_Long_Lines', 'On'],
    ],
  }];
  const filters: FluentBitSection[] = [{
    kind: 'FILTER',
    properties: [
      ['Name', 'kubernetes'], ['Match', 'kube.*'], ['Merge_Log', 'On'], ['Keep_Log', 'Off'],
      ['K8S-Logging.Parser', 'On'], ['K8S-Logging.Exclude', 'On'],
    ],
  }];
  const outputs: FluentBitSection[] = s.logDestination === 'loki'
    ? [{
      kind: 'OUTPUT',
      properties: [
        ['Name', 'loki'], ['Match', 'kube.*'], ['Host', `${LOKI_RELEASE}-gateway.${namespace}.svc.cluster.local`], ['Port', 80],
        ['Labels', `job=fluent-bit, cluster=${clusterName}`],
        ['Label_keys', '$kubernetes[\'namespace_name\'],$kubernetes[\'pod_name\'],$kubernetes[\'container_name\']'],
        ['Line_format', 'json'],
      ],
    }]
    : [{
      kind: 'OUTPUT',
      properties: [
        ['Name', 'cloudwatch_logs'], ['Match', 'kube.*'], ['region', env.region],
        ['log_group_name', logGroup], ['log_stream_prefix', 'container.'],
        ['log_stream_template', '$kubernetes[\'namespace_name\'].$kubernetes[\'pod_name\'].$kubernetes[\'container_name\']'],
        ['auto_create_group', 'Off'],
      ],
    }];

  const values: FluentBitValues = {
    kind: 'DaemonSet',
    serviceAccount: { create: true, name: FLUENT_BIT_SERVICE_ACCOUNT },
    serviceMonitor: { enabled: s.installed.metrics },
    config: { inputs: fluentBitConfig(inputs), filters: fluentBitConfig(filters), outputs: fluentBitConfig(outputs) },
  };
  ctx.helm('logs', HELM_CHARTS.fluentBit, {
    releaseName: FLUENT_BIT_RELEASE,
    namespace,
    values,
    wave: 5,
    createsServiceMonitors: true,
    dependsOn: s.logDestination === 'loki' ? [LOKI_RELEASE] : undefined,
  });

  if (s.logDestination === 'loki') {
    const loki: LokiValues = {
      deploymentMode: 'SingleBinary',
      loki: {
        auth_enabled: false,
        commonConfig: { replication_factor: 1 },
        storage: { type: 'filesystem' },
        schemaConfig: {
          configs: [{ from: '2024-04-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }],
        },
        limits_config: { retention_period: `${s.logRetentionDays * 24}h` },
        compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
      },
      singleBinary: { replicas: 1, persistence: s.installed.storage ? { storageClass: GP3_STORAGE_CLASS } : undefined },
      read: { replicas: 0 },
      write: { replicas: 0 },
      backend: { replicas: 0 },
      chunksCache: { enabled: false },
      resultsCache: { enabled: false },
      lokiCanary: { enabled: false },
      test: { enabled: false },
      minio: { enabled: false },
    };
    ctx.helm('logs', HELM_CHARTS.loki, { releaseName: LOKI_RELEASE, namespace, values: loki, wave: 0 });
    return;
  }

  const engine = env._engine();
  engine.logGroup({
    scopeId: `${ctx.cluster.id}-container-logs`,
    name: logGroup,
    retentionDays: s.logRetentionDays,
    removal: ctx.retainData ? 'retain' : 'destroy',
  });
  const groupArn = arn(env.partition, 'logs', env.region, env.account, `log-group:${logGroup}`);
  ctx.role({
    component: 'fluent-bit',
    namespace,
    serviceAccount: FLUENT_BIT_SERVICE_ACCOUNT,
    description: `Fluent Bit: container logs to ${logGroup}`,
    statements: [
      { sid: 'WriteTheGroup', actions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], resources: [`${groupArn}:*`, `${groupArn}:log-stream:*`] },
    ],
    acknowledgements: [['AwsSolutions-IAM5',
      `Log streams are named per pod at run time, so the role may write any stream of the cluster's own log group ${logGroup}, and nothing else.`]],
  });
}
