import * as cdk8s from 'cdk8s';
import { CLUSTER_SECRET_STORE_NAME, MANAGED_BY_LABEL } from './conventions';
import { SecretEnvironment } from '../../core/connections';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion, ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../kubernetes/imports/externalsecrets-external-secrets.io';

/**
 * Delivers keys of a Secrets Manager secret into the workload's namespace:
 * an ExternalSecret (External Secrets Operator, through the cluster's
 * ClusterSecretStore, or the store `secret.secretStore` names) that writes the Kubernetes Secret `name` with the
 * keys the variables read, and the composed keys templated from them.
 * Returns the Secret's name. One ExternalSecret per name.
 */
export function deliverSecret(chart: cdk8s.Chart, name: string, namespace: string, secret: SecretEnvironment,
  annotations: Record<string, string> = {}): string {
  if (chart.node.tryFindChild(name)) return name;
  const composed = secret.composed ?? {};
  const keys = [...new Set([
    ...Object.values(secret.variables).filter(k => !(k in composed)),
    ...Object.values(composed).flatMap(t => [...t.matchAll(/\{([-._a-zA-Z0-9]+)\}/g)].map(m => m[1])),
  ])];
  const templates = Object.entries(composed);
  new ExternalSecret(chart, name, {
    metadata: { name, namespace, labels: { ...MANAGED_BY_LABEL }, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE, name: secret.secretStore ?? CLUSTER_SECRET_STORE_NAME },
      target: {
        name,
        creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
        template: templates.length > 0 ? {
          engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
          mergePolicy: ExternalSecretSpecTargetTemplateMergePolicy.MERGE,
          data: Object.fromEntries(templates.map(([key, template]) => [key, template.replace(/\{([-._a-zA-Z0-9]+)\}/g, '{{ .$1 }}')])),
        } : undefined,
      },
      data: keys.map(key => {
        const other = secret.otherKeys?.[key];
        return { secretKey: key, remoteRef: { key: other?.secretName ?? secret.secretName, property: other?.key ?? key } };
      }),
    },
  });
  return name;
}
