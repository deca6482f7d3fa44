import * as cdk8s from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { CNPG_NAMESPACE, CNPG_OPERATOR_POD_LABELS, GP3_STORAGE_CLASS, MANAGED_BY_LABEL } from './conventions';
import { ClusterManifests, ManifestLayer } from './manifests';
import { DNS_EGRESS, gp3StorageClass, restrictedNamespace } from './namespaces';
import { PodPeer } from '../../core/connections';
import { IHostedPostgres, InClusterPostgresSpec } from '../../core/in-cluster';
import { Cluster as PostgresCluster } from '../../kubernetes/imports/clusters-postgresql.cnpg.io';
import {
  ClusterSecretStore, ClusterSecretStoreSpecProviderKubernetesServerCaProviderType,
} from '../../kubernetes/imports/clustersecretstores-external-secrets.io';

const k8s = kplus.k8s;

/** The port PostgreSQL listens on in CloudNativePG's pods. */
const POSTGRES_PORT = 5432;
/** The instance manager's status port (the operator and the other instances call it). */
const INSTANCE_MANAGER_PORT = 8000;
/** Label CloudNativePG puts on every pod of a database cluster (instances and bootstrap jobs). */
const CNPG_CLUSTER_LABEL = 'cnpg.io/cluster';
/** The chart file of the namespaces of in-cluster databases. */
const NAMESPACES_CHART = 'database-namespaces';

/**
 * A PostgreSQL database inside the cluster, run by CloudNativePG: a
 * `Cluster` in a namespace of its own (restricted pod security, default
 * deny), volumes on the encrypted gp3 StorageClass (kept or deleted with
 * the database as its data removal says), TLS required (`hostnossl`
 * connections rejected), no superuser access; NetworkPolicies that admit
 * the operator, the instances among themselves and exactly the connected
 * workloads; and, from the first connection on, a ClusterSecretStore
 * through which the connected namespaces (and only they) read the
 * application Secret CloudNativePG writes (`<name>-app`).
 */
export class HostedPostgres implements IHostedPostgres {
  public readonly host: string;
  public readonly port = POSTGRES_PORT;
  public readonly peer: PodPeer;
  public readonly secretName: string;
  public readonly secretStoreName: string;

  private readonly chart: cdk8s.Chart;
  private readonly clients: PodPeer[] = [];

  /**
   * @param annotations of the custom resources (the Cluster, the store):
   *   with Argo CD, applied after the charts that bring their CRDs, and not
   *   dry-run while those CRDs are missing
   */
  constructor(
    private readonly manifests: ClusterManifests,
    private readonly spec: InClusterPostgresSpec,
    private readonly retainData: boolean,
    private readonly annotations: Record<string, string>,
  ) {
    const { name, namespace } = spec;
    this.host = `${name}-rw.${namespace}.svc`;
    this.secretName = `${name}-app`;
    this.secretStoreName = namespace;
    this.peer = { namespace, podLabels: { [CNPG_CLUSTER_LABEL]: name }, description: `PostgreSQL ${namespace}/${name}` };

    restrictedNamespace(manifests.chart(ManifestLayer.NAMESPACES, NAMESPACES_CHART), namespace);

    this.chart = manifests.chart(ManifestLayer.SERVICES, namespace);
    this.renderCluster();
    this.renderNetworkPolicy();
  }

  public admit(client: PodPeer): void {
    if (this.clients.some(c => c.namespace === client.namespace && JSON.stringify(c.podLabels) === JSON.stringify(client.podLabels))) return;
    this.clients.push(client);
    // The store and its reader come with the first client.
    if (this.clients.length === 1) this.renderSecretStore();
  }

  private get crAnnotations(): Record<string, string> | undefined {
    return Object.keys(this.annotations).length > 0 ? this.annotations : undefined;
  }

  private renderCluster(): void {
    const s = this.spec;
    new PostgresCluster(this.chart, 'Cluster', {
      metadata: { name: s.name, namespace: s.namespace, labels: { ...MANAGED_BY_LABEL }, annotations: this.crAnnotations },
      spec: {
        instances: s.instances,
        imageName: s.image,
        // CloudNativePG's budget for a lone primary (minAvailable 1) would
        // block every node drain (node group updates and replacements, the
        // autoscaler): one instance goes down with its node instead.
        enablePdb: s.instances > 1,
        storage: { size: `${s.storageGiB}Gi`, storageClass: this.storageClass() },
        bootstrap: { initdb: { database: s.databaseName, owner: s.databaseName } },
        enableSuperuserAccess: false,
        postgresql: {
          parameters: Object.keys(s.parameters).length > 0 ? s.parameters : undefined,
          // Rules of the user come before CloudNativePG's own: no connection without TLS.
          pgHba: ['hostnossl all all 0.0.0.0/0 reject', 'hostnossl all all ::/0 reject'],
        },
        // A standby in another zone when there are two instances.
        affinity: s.instances > 1 ? { enablePodAntiAffinity: true, topologyKey: 'topology.kubernetes.io/zone', podAntiAffinityType: 'required' } : undefined,
      },
    });
  }

  /** The gp3 class when its reclaim policy is what the database asks for; else a gp3 class with the other policy. */
  private storageClass(): string {
    if (this.spec.retainVolumes === this.retainData) return GP3_STORAGE_CLASS;
    const name = `${GP3_STORAGE_CLASS}-${this.spec.retainVolumes ? 'retain' : 'delete'}`;
    const chart = this.manifests.chart(ManifestLayer.CLUSTER_CONFIG, 'database-storage');
    if (!chart.node.tryFindChild(name)) gp3StorageClass(chart, name, this.spec.retainVolumes ? 'Retain' : 'Delete');
    return name;
  }

  /**
   * What the database's pods may do in their default-deny namespace:
   * take connections from connected workloads, the other instances and the
   * operator; reach DNS, the other instances and the Kubernetes API (the
   * instance manager works through it; on EKS the API server's addresses
   * are ENIs of the VPC, hence any address on 443).
   */
  private renderNetworkPolicy(): void {
    const tcp = (...ports: number[]) => ports.map(port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));
    const instances = { podSelector: { matchLabels: this.peer.podLabels } };
    const clients = this.clients;
    new k8s.KubeNetworkPolicy(this.chart, 'NetworkPolicy', {
      metadata: { name: this.spec.name, namespace: this.spec.namespace, labels: { ...MANAGED_BY_LABEL } },
      spec: {
        podSelector: { matchLabels: this.peer.podLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: cdk8s.Lazy.any({
          produce: () => [
            { from: [instances], ports: tcp(POSTGRES_PORT, INSTANCE_MANAGER_PORT) },
            {
              from: [{
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': CNPG_NAMESPACE } },
                podSelector: { matchLabels: CNPG_OPERATOR_POD_LABELS },
              }],
              ports: tcp(POSTGRES_PORT, INSTANCE_MANAGER_PORT),
            },
            ...(clients.length > 0 ? [{
              from: clients.map(c => ({
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
                podSelector: { matchLabels: c.podLabels },
              })),
              ports: tcp(POSTGRES_PORT),
            }] : []),
          ],
        }),
        egress: [
          DNS_EGRESS,
          { to: [instances], ports: tcp(POSTGRES_PORT, INSTANCE_MANAGER_PORT) },
          { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: tcp(443) },
        ],
      },
    });
  }

  /**
   * The store connected workloads read the credentials through: External
   * Secrets' Kubernetes provider, as a service account that may get the
   * application Secret only, usable from the connected namespaces only.
   */
  private renderSecretStore(): void {
    const { name, namespace } = this.spec;
    const reader = `${name}-credentials-reader`;
    new k8s.KubeServiceAccount(this.chart, 'CredentialsReader', {
      metadata: { name: reader, namespace, labels: { ...MANAGED_BY_LABEL } },
      automountServiceAccountToken: false,
    });
    new k8s.KubeRole(this.chart, 'CredentialsReaderRole', {
      metadata: { name: reader, namespace, labels: { ...MANAGED_BY_LABEL } },
      rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: [this.secretName], verbs: ['get'] }],
    });
    new k8s.KubeRoleBinding(this.chart, 'CredentialsReaderBinding', {
      metadata: { name: reader, namespace, labels: { ...MANAGED_BY_LABEL } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: reader },
      subjects: [{ kind: 'ServiceAccount', name: reader, namespace }],
    });
    const clients = this.clients;
    new ClusterSecretStore(this.chart, 'SecretStore', {
      metadata: { name: this.secretStoreName, labels: { ...MANAGED_BY_LABEL }, annotations: this.crAnnotations },
      spec: {
        conditions: [{ namespaces: cdk8s.Lazy.any({ produce: () => [...new Set(clients.map(c => c.namespace))].sort() }) }],
        provider: {
          kubernetes: {
            remoteNamespace: namespace,
            server: {
              caProvider: {
                type: ClusterSecretStoreSpecProviderKubernetesServerCaProviderType.CONFIG_MAP,
                name: 'kube-root-ca.crt',
                key: 'ca.crt',
                namespace,
              },
            },
            auth: { serviceAccount: { name: reader, namespace } },
          },
        },
      },
    });
  }
}
