import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import type { Environment } from '../../../core/environment';
import { physicalName } from '../../../core/naming';
import { wildcardFindings } from '../../../core/workload-base';
import { PolicyStatementIntent, RoleHandle } from '../../../engines/engine';
import { Application } from '../../../kubernetes/imports/applications-argoproj.io';
import { HelmRelease, HelmReleaseSpecChartSpecSourceRefKind, HelmReleaseSpecInstallCrds, HelmReleaseSpecUpgradeCrds } from '../../../kubernetes/imports/helmreleases-helm.toolkit.fluxcd.io';
import { HelmRepository, HelmRepositorySpecType } from '../../../kubernetes/imports/helmrepositories-source.toolkit.fluxcd.io';
import { HelmChartEntry, HelmRepositoryEntry } from '../../../private/catalog';
import { ARGO_CD_AFTER_CRDS, MANAGED_BY_LABEL } from '../conventions';
import type { KubernetesCluster } from '../kubernetes-cluster';
import { ManifestLayer } from '../manifests';

/** Namespace where Argo CD runs (assumed installed). */
export const ARGOCD_NAMESPACE = 'argocd';
/** Namespace where Flux runs (assumed installed). */
export const FLUX_NAMESPACE = 'flux-system';

/** Argo CD retries a failed sync without limit when `retry.limit` is negative. */
export const ARGO_CD_RETRY_FOREVER = -1;

/** Helm release of kube-prometheus-stack (brings the ServiceMonitor CRD). */
export const MONITORING_RELEASE = 'kube-prometheus-stack';

/** Pod Security Standards level enforced on a namespace. */
export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** What a component reads about the cluster's support services; all resolved, plain values. */
export interface SupportSettings {
  /** `domain` then `additionalDomains`, lowercase, without duplicates. */
  readonly domains: string[];
  readonly acmeEmail: string;
  readonly hostedZoneId?: string;
  /** Let's Encrypt staging instead of production. */
  readonly acmeStaging: boolean;
  /** HTTP-01 instead of DNS-01. */
  readonly http01: boolean;
  /** Flux instead of Argo CD. */
  readonly flux: boolean;
  readonly logDestination: 'cloudwatch' | 'loki';
  readonly logRetentionDays: number;
  /** Which components are installed (after needs and props). */
  readonly installed: InstalledComponents;
  /** Public hosts needed on this cluster, sorted. */
  readonly hosts: string[];
  /** Envoy proxies of the Gateway (the data plane). */
  readonly proxyReplicas: number;
  /** The ARN partition of the environment's region. */
  readonly partition: string;
}

/** The components a cluster gets. */
export interface InstalledComponents {
  readonly routing: boolean;
  readonly dns: boolean;
  readonly tls: boolean;
  readonly secrets: boolean;
  readonly metrics: boolean;
  readonly metricsServer: boolean;
  /** KEDA: scaling on events (queue depth). */
  readonly events: boolean;
  /** CloudNativePG: PostgreSQL clusters inside the cluster. */
  readonly databases: boolean;
  readonly logs: boolean;
  readonly storage: boolean;
}

/** A Helm release to deliver through GitOps. */
export interface HelmReleaseOptions {
  /** Release name (also the Application / HelmRelease name). */
  readonly releaseName: string;
  /** Namespace the chart installs into. */
  readonly namespace: string;
  /** The chart's values, as a typed object. */
  readonly values: object;
  /**
   * Argo CD sync wave: charts that bring CRDs others need go first.
   */
  readonly wave: number;
  /** Releases (by release name) that must be ready first (Flux `dependsOn`). */
  readonly dependsOn?: string[];
  /**
   * Whether the chart creates ServiceMonitors when metrics are installed
   * (Flux then waits for kube-prometheus-stack, which brings their CRD).
   */
  readonly createsServiceMonitors?: boolean;
}

/** A role for one component's service account. */
export interface ComponentRoleOptions {
  /** Component name: part of the role name and the cloud scope. */
  readonly component: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly statements: PolicyStatementIntent[];
  readonly description: string;
  /** cdk-nag findings acknowledged on the role, with their reasons. */
  readonly acknowledgements?: Array<[string, string]>;
}

/**
 * What components render with: the cluster's manifest charts, GitOps
 * delivery of Helm charts, and roles on the cloud side.
 */
export class SupportContext {
  public readonly environment: Environment;
  private readonly namespaces = new Set<string>();
  private readonly repositories = new Set<string>();

  constructor(
    public readonly owner: IConstruct,
    public readonly cluster: KubernetesCluster,
    public readonly settings: SupportSettings) {
    this.environment = cluster.environment;
  }

  /** The chart of `component` in `layer` (file `<layer>-support-<component>.k8s.yaml`). */
  public chart(layer: ManifestLayer, component: string): cdk8s.Chart {
    return this.cluster._manifests.chart(layer, `support-${component}`);
  }

  /** Declares a namespace (layer 00) with its Pod Security Standards level. */
  public namespace(name: string, level: PodSecurityLevel): string {
    if (this.namespaces.has(name) || name === 'kube-system') return name;
    this.namespaces.add(name);
    new kplus.k8s.KubeNamespace(this.chart(ManifestLayer.NAMESPACES, 'namespaces'), name, {
      metadata: {
        name,
        labels: {
          ...MANAGED_BY_LABEL,
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    return name;
  }

  /**
   * Delivers a pinned Helm chart as an Argo CD `Application` or a Flux
   * `HelmRelease` (+ its `HelmRepository`), in layer 20 of the component.
   */
  public helm(component: string, entry: HelmChartEntry, options: HelmReleaseOptions): void {
    const chart = this.chart(ManifestLayer.SUPPORT, component);
    const values = compact(options.values);
    const dependsOn = [
      ...(options.createsServiceMonitors && this.settings.installed.metrics ? [MONITORING_RELEASE] : []),
      ...(options.dependsOn ?? []),
    ];
    if (this.settings.flux) {
      this.fluxRepository(chart, entry.repository);
      new HelmRelease(chart, options.releaseName, {
        metadata: { name: options.releaseName, namespace: FLUX_NAMESPACE, labels: { ...MANAGED_BY_LABEL } },
        spec: {
          interval: '10m',
          releaseName: options.releaseName,
          targetNamespace: options.namespace,
          storageNamespace: options.namespace,
          chart: {
            spec: {
              chart: entry.chart,
              version: entry.version,
              sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name: entry.repository.name, namespace: FLUX_NAMESPACE },
              interval: '1h',
            },
          },
          dependsOn: dependsOn.length > 0 ? dependsOn.map(name => ({ name, namespace: FLUX_NAMESPACE })) : undefined,
          install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries: 3 } },
          upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE, remediation: { retries: 3 } },
          values,
        },
      });
      return;
    }
    this.argoRepository(entry.repository);
    new Application(chart, options.releaseName, {
      metadata: {
        name: options.releaseName,
        namespace: ARGOCD_NAMESPACE,
        labels: { ...MANAGED_BY_LABEL },
        annotations: { 'argocd.argoproj.io/sync-wave': String(options.wave) },
      },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: options.namespace },
        source: {
          repoUrl: entry.repository.url,
          chart: entry.chart,
          targetRevision: entry.version,
          helm: { releaseName: options.releaseName, valuesObject: values },
        },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [
            // A client-side apply keeps each object as JSON in an annotation,
            // which the API server caps at 256 KiB: charts with larger CRDs
            // (the catalog lists them) only install with server-side apply.
            ...(entry.largeCrds.length > 0 ? ['ServerSideApply=true'] : []),
            // Sync waves order nothing between Applications (Argo CD has no
            // Application health check since 1.8): a chart's ServiceMonitors
            // may come before kube-prometheus-stack has made their CRD. Skip
            // the dry run of kinds the cluster does not know yet ...
            'SkipDryRunOnMissingResource=true',
          ],
          // ... and retry until they are known, never giving up.
          retry: { limit: ARGO_CD_RETRY_FOREVER, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
  }

  /**
   * Creates the IAM role of a component's service account, bound to its
   * exact namespace and service account with EKS Pod Identity.
   */
  public role(options: ComponentRoleOptions): RoleHandle {
    return this.environment._engine().workloadRole({
      scopeId: `${this.cluster.id}-${options.component}`,
      grain: 'foundation',
      roleName: physicalName([this.cluster.clusterName, options.component], 64),
      namespace: options.namespace,
      serviceAccount: options.serviceAccount,
      statements: options.statements,
      description: `${options.component} in EKS cluster ${this.cluster.clusterName} (${options.namespace}/${options.serviceAccount})`,
      acknowledgements: (options.acknowledgements ?? []).flatMap(([rule, reason]) =>
        findingsOf(rule, options.statements).map(id => ({ rule: id, reason }))),
    }, this.cluster._handle);
  }

  /**
   * Annotations of a custom resource whose CRD a chart of the same sync
   * installs: Argo CD applies it after the charts (sync wave 10) and skips
   * its dry run while the CRD is missing. Flux needs none.
   */
  public get afterCrds(): Record<string, string> {
    return this.settings.flux ? {} : { ...ARGO_CD_AFTER_CRDS };
  }

  /** Whether the environment's data outlives the stack (no DESTROY). */
  public get retainData(): boolean {
    return this.environment.defaults.dataRemoval !== 'destroy';
  }

  /** Replicas of a support controller: 1, or 2 where the tier runs workloads highly available. */
  public get controllerReplicas(): number {
    return Math.min(this.environment.defaults.replicas, 2);
  }

  private fluxRepository(chart: cdk8s.Chart, repo: HelmRepositoryEntry): void {
    if (this.repositories.has(repo.name)) return;
    this.repositories.add(repo.name);
    new HelmRepository(chart, `repo-${repo.name}`, {
      metadata: { name: repo.name, namespace: FLUX_NAMESPACE, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        interval: '1h',
        url: repo.oci ? `oci://${repo.url}` : repo.url,
        type: repo.oci ? HelmRepositorySpecType.OCI : undefined,
      },
    });
  }

  /** Argo CD needs a repository entry to pull Helm charts from an OCI registry (public: no credentials). */
  private argoRepository(repo: HelmRepositoryEntry): void {
    if (!repo.oci || this.repositories.has(repo.name)) return;
    this.repositories.add(repo.name);
    new kplus.k8s.KubeSecret(this.chart(ManifestLayer.SUPPORT, 'repositories'), `repo-${repo.name}`, {
      metadata: {
        name: `repo-${repo.name}`,
        namespace: ARGOCD_NAMESPACE,
        labels: { ...MANAGED_BY_LABEL, 'argocd.argoproj.io/secret-type': 'repository' },
      },
      stringData: { type: 'helm', name: repo.name, url: repo.url, enableOCI: 'true' },
    });
  }
}

/**
 * The ids under which a policy checker reports `rule` for `statements`:
 * cdk-nag reports AwsSolutions-IAM5 once per wildcard resource or action
 * (`AwsSolutions-IAM5[Resource::<arn>]`) and acknowledges each id alone.
 */
export function findingsOf(rule: string, statements: PolicyStatementIntent[]): string[] {
  return rule === 'AwsSolutions-IAM5' ? wildcardFindings(statements) : [rule];
}

/** A deep copy of `value` without `undefined` members (Helm values are plain data). */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.filter(v => v !== undefined).map(v => compact(v)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = compact(v);
    }
    return out as T;
  }
  return value;
}

/** `acme.example.com` → `acme-example-com`. */
export function dashed(domain: string): string {
  return domain.replace(/\./g, '-');
}
