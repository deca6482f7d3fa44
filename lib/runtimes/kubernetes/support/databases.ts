import * as kplus from 'cdk8s-plus-28';
import { SupportContext } from './context';
import { HELM_CHARTS } from '../../../private/catalog';
import { CNPG_NAMESPACE, CNPG_OPERATOR_POD_LABELS, CNPG_RELEASE, MANAGED_BY_LABEL } from '../conventions';
import { ManifestLayer } from '../manifests';

export { CNPG_NAMESPACE, CNPG_OPERATOR_POD_LABELS, CNPG_RELEASE };

/** The PodDisruptionBudget of the operator (the chart has none). */
export const CNPG_OPERATOR_BUDGET = 'cnpg-operator';

/** Values of the `cloudnative-pg` chart (the parts the library sets). */
export interface CloudNativePgValues {
  readonly replicaCount: number;
  readonly crds: { readonly create: boolean };
  /** `clusterWide`: the operator reconciles Clusters in every namespace (no `WATCH_NAMESPACE`). */
  readonly config: { readonly clusterWide: boolean };
  /** A PodMonitor for the operator's metrics port (needs the Prometheus Operator's CRDs). */
  readonly monitoring: { readonly podMonitorEnabled: boolean };
}

/**
 * PostgreSQL inside the cluster: the CloudNativePG operator, watching every
 * namespace, with its CRDs (Cluster, Pooler, Backup, ...). Database
 * clusters themselves come with the ManagedPostgres placed in the cluster.
 *
 * The operator's admission webhooks listen on port 9443 of its pods; the
 * API server reaches them through the chart's Service. Support namespaces
 * have no default-deny policy, so nothing is written to admit that.
 */
export function renderDatabases(ctx: SupportContext): void {
  const namespace = ctx.namespace(CNPG_NAMESPACE, 'restricted');
  const replicas = ctx.controllerReplicas;
  const values: CloudNativePgValues = {
    replicaCount: replicas,
    crds: { create: true },
    config: { clusterWide: true },
    monitoring: { podMonitorEnabled: ctx.settings.installed.metrics },
  };
  ctx.helm('databases', HELM_CHARTS.cloudnativePg, { releaseName: CNPG_RELEASE, namespace, values, wave: 0, createsServiceMonitors: true });

  // The chart has no disruption budget for the operator (0.29.0): keep one
  // pod through a node drain where the tier runs two.
  if (replicas > 1) {
    new kplus.k8s.KubePodDisruptionBudget(ctx.chart(ManifestLayer.SUPPORT, 'databases'), 'operator-budget', {
      metadata: { name: CNPG_OPERATOR_BUDGET, namespace, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        minAvailable: kplus.k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...CNPG_OPERATOR_POD_LABELS } },
      },
    });
  }
}
