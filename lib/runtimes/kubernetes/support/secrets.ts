import { arn } from '../../../core/policy';
import { ClusterSecretStore, ClusterSecretStoreSpecProviderAwsService } from '../../../kubernetes/imports/clustersecretstores-external-secrets.io';
import { HELM_CHARTS } from '../../../private/catalog';
import { CLUSTER_SECRET_STORE_NAME, MANAGED_BY_LABEL } from '../conventions';
import { ManifestLayer } from '../manifests';
import { SupportContext } from './context';

export const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
export const EXTERNAL_SECRETS_SERVICE_ACCOUNT = 'external-secrets';
export const EXTERNAL_SECRETS_RELEASE = 'external-secrets';

/** Values of the `external-secrets` chart (the parts the library sets). */
export interface ExternalSecretsValues {
  readonly installCRDs: boolean;
  readonly replicaCount: number;
  readonly podDisruptionBudget: { readonly enabled: boolean };
  readonly serviceAccount: { readonly create: boolean; readonly name: string };
  readonly webhook: { readonly replicaCount: number; readonly podDisruptionBudget: { readonly enabled: boolean } };
  readonly certController: { readonly replicaCount: number; readonly podDisruptionBudget: { readonly enabled: boolean } };
  readonly serviceMonitor: { readonly enabled: boolean };
}

/**
 * Secrets: External Secrets Operator and the `aws-secrets-manager`
 * ClusterSecretStore for the environment's region. The operator's role
 * reads only the environment's secrets (`<platform>/<environment>/*`).
 */
export function renderSecrets(ctx: SupportContext): void {
  const env = ctx.environment;
  const namespace = ctx.namespace(EXTERNAL_SECRETS_NAMESPACE, 'restricted');
  const replicas = ctx.controllerReplicas;
  const values: ExternalSecretsValues = {
    installCRDs: true,
    replicaCount: replicas,
    podDisruptionBudget: { enabled: replicas > 1 },
    serviceAccount: { create: true, name: EXTERNAL_SECRETS_SERVICE_ACCOUNT },
    // Every replicated component keeps one pod through a node drain.
    webhook: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1 } },
    certController: { replicaCount: replicas, podDisruptionBudget: { enabled: replicas > 1 } },
    serviceMonitor: { enabled: ctx.settings.installed.metrics },
  };
  ctx.helm('secrets', HELM_CHARTS.externalSecrets, { releaseName: EXTERNAL_SECRETS_RELEASE, namespace, values, wave: 0, createsServiceMonitors: true });

  const secretArn = arn(env.partition, 'secretsmanager', env.region, env.account, `secret:${env.secretPrefix}*`);
  ctx.role({
    component: 'external-secrets',
    namespace,
    serviceAccount: EXTERNAL_SECRETS_SERVICE_ACCOUNT,
    description: `External Secrets Operator: reads secrets under ${env.secretPrefix}`,
    statements: [{
      sid: 'ReadTheEnvironmentSecrets',
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resources: [secretArn],
    }],
    acknowledgements: [['AwsSolutions-IAM5',
      `Secrets Manager appends a random suffix to every secret ARN, so the environment's secrets are named by their prefix ${env.secretPrefix}*; only read actions are allowed.`]],
  });

  new ClusterSecretStore(ctx.chart(ManifestLayer.SUPPORT_CONFIG, 'secrets'), 'store', {
    metadata: { name: CLUSTER_SECRET_STORE_NAME, labels: { ...MANAGED_BY_LABEL }, annotations: ctx.afterCrds },
    spec: {
      provider: {
        // No auth block: the operator's pods get credentials from EKS Pod Identity.
        aws: { service: ClusterSecretStoreSpecProviderAwsService.SECRETS_MANAGER, region: env.region },
      },
    },
  });
}
