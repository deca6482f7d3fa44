import { HELM_CHARTS } from '../../../private/catalog';
import { MONITORING_NAMESPACE } from '../conventions';
import { MONITORING_RELEASE, SupportContext } from './context';
import { GP3_STORAGE_CLASS } from './storage';

export const KUBE_PROMETHEUS_STACK_RELEASE = MONITORING_RELEASE;
export const METRICS_SERVER_RELEASE = 'metrics-server';

/** Values of the `kube-prometheus-stack` chart (the parts the library sets). */
export interface KubePrometheusStackValues {
  readonly crds: { readonly enabled: boolean };
  readonly grafana: { readonly enabled: boolean };
  readonly alertmanager: {
    readonly enabled: boolean;
    readonly alertmanagerSpec: { readonly replicas: number };
  };
  readonly prometheus: {
    readonly prometheusSpec: {
      readonly replicas: number;
      readonly retention: string;
      readonly retentionSize?: string;
      /** `false`: select every ServiceMonitor, not only those labelled for this release. */
      readonly serviceMonitorSelectorNilUsesHelmValues: boolean;
      readonly podMonitorSelectorNilUsesHelmValues: boolean;
      readonly ruleSelectorNilUsesHelmValues: boolean;
      readonly probeSelectorNilUsesHelmValues: boolean;
      readonly storageSpec?: {
        readonly volumeClaimTemplate: {
          readonly spec: {
            readonly storageClassName: string;
            readonly accessModes: string[];
            readonly resources: { readonly requests: { readonly storage: string } };
          };
        };
      };
    };
  };
  readonly nodeExporter: { readonly enabled: boolean };
  readonly kubeStateMetrics: { readonly enabled: boolean };
  /** EKS runs the control plane: these cannot be scraped. */
  readonly kubeControllerManager: { readonly enabled: boolean };
  readonly kubeScheduler: { readonly enabled: boolean };
  readonly kubeEtcd: { readonly enabled: boolean };
  readonly kubeProxy: { readonly enabled: boolean };
}

/** Values of the `metrics-server` chart (the parts the library sets). */
export interface MetricsServerValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable: number };
}

/**
 * Metrics: kube-prometheus-stack (Prometheus, Alertmanager, node exporter,
 * kube-state-metrics) picking up every ServiceMonitor of the cluster.
 */
export function renderMetrics(ctx: SupportContext): void {
  const namespace = ctx.namespace(MONITORING_NAMESPACE, 'privileged');
  const replicas = ctx.controllerReplicas;
  const values: KubePrometheusStackValues = {
    crds: { enabled: true },
    grafana: { enabled: false },
    alertmanager: { enabled: true, alertmanagerSpec: { replicas } },
    prometheus: {
      prometheusSpec: {
        replicas,
        retention: `${ctx.settings.logRetentionDays}d`,
        retentionSize: ctx.settings.installed.storage ? '45GB' : undefined,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        storageSpec: ctx.settings.installed.storage ? {
          volumeClaimTemplate: {
            spec: { storageClassName: GP3_STORAGE_CLASS, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
          },
        } : undefined,
      },
    },
    nodeExporter: { enabled: true },
    kubeStateMetrics: { enabled: true },
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
  };
  ctx.helm('metrics', HELM_CHARTS.kubePrometheusStack, {
    releaseName: KUBE_PROMETHEUS_STACK_RELEASE,
    namespace,
    values,
    wave: -5,
  });
}

/** metrics-server (resource metrics for HorizontalPodAutoscalers), in kube-system. */
export function renderMetricsServer(ctx: SupportContext): void {
  const replicas = ctx.controllerReplicas;
  const values: MetricsServerValues = {
    replicas,
    podDisruptionBudget: { enabled: replicas > 1, minAvailable: 1 },
  };
  ctx.helm('metrics-server', HELM_CHARTS.metricsServer, { releaseName: METRICS_SERVER_RELEASE, namespace: 'kube-system', values, wave: 0 });
}
