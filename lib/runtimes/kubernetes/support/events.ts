import { SupportContext } from './context';
import {
  ClusterTriggerAuthentication, ClusterTriggerAuthenticationSpecPodIdentityIdentityOwner, ClusterTriggerAuthenticationSpecPodIdentityProvider,
} from '../../../kubernetes/imports/clustertriggerauthentications-keda.sh';
import { HELM_CHARTS } from '../../../private/catalog';
import { MANAGED_BY_LABEL } from '../conventions';
import { ManifestLayer } from '../manifests';

export const KEDA_NAMESPACE = 'keda';
export const KEDA_OPERATOR_SERVICE_ACCOUNT = 'keda-operator';
export const KEDA_RELEASE = 'keda';
/** The ClusterTriggerAuthentication through which scalers use the KEDA operator's own AWS identity. */
export const KEDA_AWS_AUTHENTICATION = 'aws-pod-identity';

/** Values of the `keda` chart (the parts the library sets). */
export interface KedaValues {
  readonly operator: { readonly replicaCount: number };
  readonly webhooks: { readonly replicaCount: number };
  readonly podDisruptionBudget: {
    readonly operator?: { readonly minAvailable: number };
    readonly webhooks?: { readonly minAvailable: number };
  };
  readonly serviceAccount: { readonly operator: { readonly create: boolean; readonly name: string } };
  readonly prometheus: { readonly operator: { readonly enabled: boolean; readonly serviceMonitor: { readonly enabled: boolean } } };
}

/**
 * Event-driven autoscaling: KEDA, and the ClusterTriggerAuthentication
 * `aws-pod-identity` with which its SQS scalers read queue depths as the
 * KEDA operator, whose role (EKS Pod Identity) may read the attributes of
 * exactly the queues workloads scale on.
 */
export function renderEvents(ctx: SupportContext): void {
  const namespace = ctx.namespace(KEDA_NAMESPACE, 'baseline');
  const replicas = ctx.controllerReplicas;
  const budget = replicas > 1 ? { minAvailable: 1 } : undefined;
  const values: KedaValues = {
    operator: { replicaCount: replicas },
    webhooks: { replicaCount: replicas },
    podDisruptionBudget: { operator: budget, webhooks: budget },
    serviceAccount: { operator: { create: true, name: KEDA_OPERATOR_SERVICE_ACCOUNT } },
    prometheus: { operator: { enabled: ctx.settings.installed.metrics, serviceMonitor: { enabled: ctx.settings.installed.metrics } } },
  };
  ctx.helm('events', HELM_CHARTS.keda, { releaseName: KEDA_RELEASE, namespace, values, wave: 0, createsServiceMonitors: true });

  const queues = ctx.cluster._scaledQueues;
  if (queues.length > 0) {
    ctx.role({
      component: 'keda',
      namespace,
      serviceAccount: KEDA_OPERATOR_SERVICE_ACCOUNT,
      description: `KEDA: reads the depth of the queues workloads of ${ctx.cluster.clusterName} scale on`,
      statements: [{ sid: 'ReadQueueDepth', actions: ['sqs:GetQueueAttributes'], resources: queues }],
    });
  }

  new ClusterTriggerAuthentication(ctx.chart(ManifestLayer.SUPPORT_CONFIG, 'events'), 'aws-pod-identity', {
    metadata: { name: KEDA_AWS_AUTHENTICATION, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      podIdentity: {
        provider: ClusterTriggerAuthenticationSpecPodIdentityProvider.AWS,
        identityOwner: ClusterTriggerAuthenticationSpecPodIdentityIdentityOwner.KEDA,
      },
    },
  });
}
