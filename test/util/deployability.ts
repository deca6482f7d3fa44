/**
 * Deployability: everything the Kubernetes output references exists in the
 * same output (or in the cloud output of its environment), so that a real
 * cluster applying it as written ends up working — "valid" is not
 * "installs". Each check names the object and what it misses.
 *
 * What it follows: namespaces of namespaced objects (created by a Namespace,
 * or by the GitOps tool for a release); service accounts, Secrets and
 * ConfigMaps of pods, and the keys they read; ExternalSecrets' stores and
 * their remote keys among the environment's Secrets Manager secrets;
 * selectors of Services, PodDisruptionBudgets and ServiceMonitors matching
 * pods or Services (including the pods of releases of charts whose pod
 * labels are known); targets of HPAs and ScaledObjects and their trigger
 * authentications; Gateway classes, their parameters, listeners admitting
 * routes' namespaces and covering their hostnames, route backends,
 * certificates issuing the Secrets listeners use, and their issuers; Argo
 * CD and Flux releases' namespaces, sources and dependencies.
 */

type Obj = Record<string, any>;

/** Kinds that have no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'ClusterIssuer',
  'ClusterSecretStore', 'ClusterTriggerAuthentication', 'GatewayClass', 'PriorityClass', 'IngressClass', 'PersistentVolume',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CSIDriver', 'RuntimeClass',
]);

/** Namespaces every cluster has. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** ClusterRoles every cluster has. */
const BUILT_IN_CLUSTER_ROLES = ['cluster-admin', 'admin', 'edit', 'view'];

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export interface DeployabilityContext {
  /** Names of the Secrets Manager secrets of the environment's cloud output. */
  readonly awsSecretNames: string[];
  /**
   * Namespaces that exist before the output is applied besides the
   * built-in ones: the GitOps tool's own (`argocd`, `flux-system`).
   */
  readonly preExistingNamespaces?: string[];
}

interface PodTemplate {
  readonly owner: Obj;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly spec: Obj;
}

const nameOf = (o: Obj) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function matchesLabelSelector(selector: Obj | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  const exprs: Obj[] = selector.matchExpressions ?? [];
  const plain = selector.matchLabels ?? {};
  if (Object.keys(plain).length === 0 && exprs.length === 0) return true; // {} selects everything
  if (!Object.entries(plain).every(([k, v]) => labels?.[k] === v)) return false;
  return exprs.every(e => {
    const value = labels?.[e.key];
    switch (e.operator) {
      case 'In': return value !== undefined && e.values.includes(value);
      case 'NotIn': return value === undefined || !e.values.includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
}

/** Whether a listener hostname covers a route hostname (Gateway API: `*.` is a suffix match of one or more labels). */
export function hostnameCovers(listener: string | undefined, route: string): boolean {
  if (!listener) return true;
  if (listener.startsWith('*.')) {
    const suffix = listener.slice(1);
    return route.endsWith(suffix) && route.length > suffix.length;
  }
  return listener === route;
}

/**
 * The labels pinned charts put on the pods they make, from each chart's
 * templates, by release name. A release's pods are not in the output, but
 * a PodDisruptionBudget or Service of the output may select them.
 */
const CHART_POD_LABELS: Record<string, (release: string) => Array<Record<string, string>>> = {
  // cloudnative-pg: templates/_helpers.tpl "cloudnative-pg.selectorLabels" (the operator Deployment's pods).
  'cloudnative-pg': release => [{ 'app.kubernetes.io/name': 'cloudnative-pg', 'app.kubernetes.io/instance': release }],
};

/** The pods Argo CD Applications and Flux HelmReleases of known charts will make: namespace and labels. */
function releasePods(docs: Obj[]): Array<{ namespace: string; labels: Record<string, string> }> {
  const out: Array<{ namespace: string; labels: Record<string, string> }> = [];
  for (const d of docs) {
    const [chart, release, namespace] = d.kind === 'Application'
      ? [d.spec?.source?.chart, d.spec?.source?.helm?.releaseName ?? d.metadata?.name, d.spec?.destination?.namespace]
      : d.kind === 'HelmRelease'
        ? [d.spec?.chart?.spec?.chart, d.spec?.releaseName ?? d.metadata?.name, d.spec?.targetNamespace ?? d.metadata?.namespace]
        : [];
    const labels = chart ? CHART_POD_LABELS[chart] : undefined;
    if (labels && namespace) out.push(...labels(release).map(l => ({ namespace, labels: l })));
  }
  return out;
}

function podTemplates(docs: Obj[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const d of docs) {
    const ns = d.metadata?.namespace ?? 'default';
    let template: Obj | undefined;
    if (WORKLOAD_KINDS.has(d.kind)) template = d.spec?.template;
    else if (d.kind === 'CronJob') template = d.spec?.jobTemplate?.spec?.template;
    else if (d.kind === 'Pod') template = d;
    if (template?.spec) out.push({ owner: d, namespace: ns, labels: template.metadata?.labels ?? {}, spec: template.spec });
  }
  return out;
}

/** The Secrets a namespace will hold, with their keys (undefined: any key). */
function secretsOf(docs: Obj[]): Map<string, Set<string> | undefined> {
  const secrets = new Map<string, Set<string> | undefined>();
  const key = (ns: string, name: string) => `${ns}/${name}`;
  for (const d of docs) {
    const ns = d.metadata?.namespace ?? 'default';
    if (d.kind === 'Secret') {
      secrets.set(key(ns, d.metadata.name), new Set([...Object.keys(d.data ?? {}), ...Object.keys(d.stringData ?? {})]));
    } else if (d.kind === 'ExternalSecret') {
      const name = d.spec?.target?.name ?? d.metadata.name;
      if ((d.spec?.dataFrom ?? []).length > 0) {
        secrets.set(key(ns, name), undefined);
      } else {
        const keys = new Set<string>((d.spec?.data ?? []).map((x: Obj) => x.secretKey));
        const templated = d.spec?.target?.template;
        if (templated?.data) {
          // mergePolicy Merge keeps the fetched keys beside the templated ones; Replace keeps only the template's.
          if (templated.mergePolicy !== 'Merge') keys.clear();
          for (const k of Object.keys(templated.data)) keys.add(k);
        }
        secrets.set(key(ns, name), keys);
      }
    } else if (d.kind === 'Certificate') {
      secrets.set(key(ns, d.spec.secretName), new Set(['tls.crt', 'tls.key', 'ca.crt']));
    }
  }
  return secrets;
}

/** Every reference of `docs` that points at nothing, as `<object>: <what is missing>`. */
export function deployabilityProblems(docs: Obj[], context: DeployabilityContext): string[] {
  const problems: string[] = [];
  const problem = (o: Obj, text: string) => problems.push(`${nameOf(o)}: ${text}`);
  const byKind = (kind: string) => docs.filter(d => d.kind === kind);
  const find = (kind: string, name: string, ns?: string) => docs.find(d => d.kind === kind && d.metadata?.name === name && (ns === undefined || (d.metadata?.namespace ?? 'default') === ns));

  // Namespaces: declared, built in, pre-existing, or created by a GitOps release.
  const namespaces = new Set<string>([...BUILT_IN_NAMESPACES, ...(context.preExistingNamespaces ?? []), ...byKind('Namespace').map(n => n.metadata.name)]);
  for (const app of byKind('Application')) {
    if ((app.spec?.syncPolicy?.syncOptions ?? []).includes('CreateNamespace=true')) namespaces.add(app.spec.destination.namespace);
  }
  for (const release of byKind('HelmRelease')) {
    if (release.spec?.install?.createNamespace) namespaces.add(release.spec.targetNamespace ?? release.metadata.namespace);
  }
  const namespaceLabels = (ns: string): Record<string, string> => ({
    'kubernetes.io/metadata.name': ns,
    ...(find('Namespace', ns)?.metadata?.labels ?? {}),
  });
  for (const d of docs) {
    if (CLUSTER_SCOPED.has(d.kind)) {
      if (d.metadata?.namespace) problem(d, `a cluster-scoped ${d.kind} has a namespace`);
      continue;
    }
    const ns = d.metadata?.namespace;
    if (!ns) problem(d, 'a namespaced object without a namespace (it would land in whatever namespace kubectl defaults to)');
    else if (!namespaces.has(ns)) problem(d, `namespace ${ns} does not exist`);
  }

  // GitOps releases.
  for (const app of byKind('Application')) {
    const dest = app.spec?.destination?.namespace;
    if (dest && !namespaces.has(dest)) problem(app, `destination namespace ${dest} does not exist and is not created (CreateNamespace=true)`);
  }
  for (const release of byKind('HelmRelease')) {
    const ns = release.metadata.namespace;
    const target = release.spec?.targetNamespace;
    if (target && !namespaces.has(target)) problem(release, `target namespace ${target} does not exist and install.createNamespace is off`);
    const source = release.spec?.chartRef ?? release.spec?.chart?.spec?.sourceRef;
    if (!source) problem(release, 'neither chartRef nor chart.spec.sourceRef');
    else if (!find(source.kind, source.name, source.namespace ?? ns)) problem(release, `source ${source.kind} ${source.namespace ?? ns}/${source.name} does not exist`);
    for (const dep of release.spec?.dependsOn ?? []) {
      if (!find('HelmRelease', dep.name, dep.namespace ?? ns)) problem(release, `dependsOn HelmRelease ${dep.namespace ?? ns}/${dep.name} does not exist`);
    }
  }

  // Pods: service accounts, Secrets, ConfigMaps, claims.
  const pods = podTemplates(docs);
  const secrets = secretsOf(docs);
  const needSecret = (o: Obj, ns: string, name: string, key?: string) => {
    const id = `${ns}/${name}`;
    if (!secrets.has(id)) {
      problem(o, `Secret ${id} is neither in the output nor produced by an ExternalSecret or Certificate there`);
      return;
    }
    const keys = secrets.get(id);
    if (key !== undefined && keys !== undefined && !keys.has(key)) problem(o, `Secret ${id} will have no key "${key}" (it has ${[...keys].sort().join(', ')})`);
  };
  const needConfigMap = (o: Obj, ns: string, name: string) => {
    if (!find('ConfigMap', name, ns)) problem(o, `ConfigMap ${ns}/${name} does not exist`);
  };
  for (const pod of pods) {
    const { owner, namespace: ns, spec } = pod;
    const sa = spec.serviceAccountName ?? 'default';
    if (sa !== 'default' && !find('ServiceAccount', sa, ns)) problem(owner, `service account ${ns}/${sa} does not exist`);
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const e of c.env ?? []) {
        const s = e.valueFrom?.secretKeyRef;
        if (s && !s.optional) needSecret(owner, ns, s.name, s.key);
        const m = e.valueFrom?.configMapKeyRef;
        if (m && !m.optional) needConfigMap(owner, ns, m.name);
      }
      for (const e of c.envFrom ?? []) {
        if (e.secretRef && !e.secretRef.optional) needSecret(owner, ns, e.secretRef.name);
        if (e.configMapRef && !e.configMapRef.optional) needConfigMap(owner, ns, e.configMapRef.name);
      }
    }
    const claimTemplates = new Set((owner.spec?.volumeClaimTemplates ?? []).map((t: Obj) => t.metadata?.name));
    for (const v of spec.volumes ?? []) {
      if (v.secret && !v.secret.optional) needSecret(owner, ns, v.secret.secretName);
      if (v.configMap && !v.configMap.optional) needConfigMap(owner, ns, v.configMap.name);
      if (v.persistentVolumeClaim && !claimTemplates.has(v.persistentVolumeClaim.claimName) && !find('PersistentVolumeClaim', v.persistentVolumeClaim.claimName, ns)) {
        problem(owner, `PersistentVolumeClaim ${ns}/${v.persistentVolumeClaim.claimName} does not exist`);
      }
    }
    for (const p of spec.imagePullSecrets ?? []) needSecret(owner, ns, p.name);
  }

  // ExternalSecrets: their store, and remote keys of this environment.
  const awsSecrets = new Set(context.awsSecretNames);
  for (const es of byKind('ExternalSecret')) {
    const ref = es.spec?.secretStoreRef ?? {};
    const kind = ref.kind ?? 'SecretStore';
    if (!find(kind, ref.name, kind === 'ClusterSecretStore' ? undefined : es.metadata.namespace)) problem(es, `${kind} ${ref.name} does not exist`);
    const keys = [
      ...(es.spec?.data ?? []).map((x: Obj) => x.remoteRef?.key),
      ...(es.spec?.dataFrom ?? []).map((x: Obj) => x.extract?.key),
    ].filter(Boolean);
    const store = kind === 'ClusterSecretStore' ? find(kind, ref.name, undefined) : undefined;
    const inCluster = store?.spec?.provider?.kubernetes;
    if (inCluster) {
      // A store reading Secrets of a namespace of the cluster: it admits this namespace, its service
      // account exists and may get each remote key, and each key is a Secret of that namespace
      // (in the output, or the application Secret a CloudNativePG Cluster there writes).
      const remoteNs = inCluster.remoteNamespace ?? 'default';
      const admitted = (store.spec.conditions ?? []).length === 0
        || store.spec.conditions.some((c: Obj) => (c.namespaces ?? []).includes(es.metadata.namespace));
      if (!admitted) problem(es, `ClusterSecretStore ${ref.name} does not admit namespace ${es.metadata.namespace}`);
      const sa = inCluster.auth?.serviceAccount;
      if (sa && !find('ServiceAccount', sa.name, sa.namespace ?? remoteNs)) problem(es, `service account ${sa.namespace}/${sa.name} of ClusterSecretStore ${ref.name} does not exist`);
      const produced = new Set([
        ...byKind('Secret').filter(d => d.metadata.namespace === remoteNs).map(d => d.metadata.name),
        ...byKind('Cluster').filter(d => d.apiVersion === 'postgresql.cnpg.io/v1' && d.metadata.namespace === remoteNs).map(d => `${d.metadata.name}-app`),
      ]);
      const granted = (name: string) => byKind('RoleBinding')
        .filter(b => b.metadata.namespace === remoteNs && (b.subjects ?? []).some((x: Obj) => x.kind === 'ServiceAccount' && x.name === sa?.name))
        .map(b => find('Role', b.roleRef?.name, remoteNs))
        .some(r => (r?.rules ?? []).some((rule: Obj) => (rule.resources ?? []).includes('secrets') && (rule.verbs ?? []).includes('get')
          && (!rule.resourceNames || rule.resourceNames.includes(name))));
      for (const key of new Set(keys)) {
        if (!produced.has(key)) problem(es, `remote key ${key} is no Secret of namespace ${remoteNs}`);
        else if (!granted(key)) problem(es, `service account ${remoteNs}/${sa?.name} may not get Secret ${key}`);
      }
      continue;
    }
    for (const key of new Set(keys)) {
      if (!awsSecrets.has(key)) problem(es, `remote key ${key} is not a Secrets Manager secret of the environment (it has ${[...awsSecrets].sort().join(', ') || 'none'})`);
    }
  }

  // Storage classes of CloudNativePG clusters.
  for (const c of byKind('Cluster').filter(d => d.apiVersion === 'postgresql.cnpg.io/v1')) {
    const sc = c.spec?.storage?.storageClass;
    if (sc && !find('StorageClass', sc, undefined)) problem(c, `StorageClass ${sc} does not exist`);
  }

  // Selectors and targets.
  const selectable = [...pods, ...releasePods(docs)];
  for (const svc of byKind('Service')) {
    const sel = svc.spec?.selector;
    if (sel && !selectable.some(p => p.namespace === svc.metadata.namespace && matches(sel, p.labels))) problem(svc, `selector ${JSON.stringify(sel)} matches no pod`);
  }
  for (const pdb of byKind('PodDisruptionBudget')) {
    if (!selectable.some(p => p.namespace === pdb.metadata.namespace && matchesLabelSelector(pdb.spec?.selector, p.labels))) problem(pdb, 'selector matches no pod');
  }
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const t = hpa.spec?.scaleTargetRef ?? {};
    if (!find(t.kind, t.name, hpa.metadata.namespace)) problem(hpa, `scale target ${t.kind} ${t.name} does not exist`);
  }
  for (const so of byKind('ScaledObject')) {
    const t = so.spec?.scaleTargetRef ?? {};
    if (!find(t.kind ?? 'Deployment', t.name, so.metadata.namespace)) problem(so, `scale target ${t.kind ?? 'Deployment'} ${t.name} does not exist`);
    if (byKind('HorizontalPodAutoscaler').some(h => h.metadata.namespace === so.metadata.namespace && h.spec?.scaleTargetRef?.name === t.name)) {
      problem(so, `${t.name} is also scaled by a HorizontalPodAutoscaler (the two would fight)`);
    }
    for (const trigger of so.spec?.triggers ?? []) {
      const auth = trigger.authenticationRef;
      if (!auth) continue;
      const kind = auth.kind ?? 'TriggerAuthentication';
      if (!find(kind, auth.name, kind === 'ClusterTriggerAuthentication' ? undefined : so.metadata.namespace)) problem(so, `${kind} ${auth.name} does not exist`);
    }
  }
  for (const sm of byKind('ServiceMonitor')) {
    const names: string[] = sm.spec?.namespaceSelector?.matchNames ?? [sm.metadata.namespace];
    const any = sm.spec?.namespaceSelector?.any === true;
    if (!byKind('Service').some(s => (any || names.includes(s.metadata.namespace)) && matchesLabelSelector(sm.spec?.selector, s.metadata.labels))) {
      problem(sm, 'selector matches no Service');
    }
  }
  for (const rb of [...byKind('RoleBinding'), ...byKind('ClusterRoleBinding')]) {
    const r = rb.roleRef ?? {};
    const exists = r.kind === 'ClusterRole' ? BUILT_IN_CLUSTER_ROLES.includes(r.name) || find('ClusterRole', r.name) : find('Role', r.name, rb.metadata.namespace);
    if (!exists) problem(rb, `${r.kind} ${r.name} does not exist`);
    for (const s of rb.subjects ?? []) {
      const saNs = s.namespace ?? rb.metadata.namespace;
      if (s.kind === 'ServiceAccount' && !find('ServiceAccount', s.name, saNs)) problem(rb, `subject ServiceAccount ${saNs}/${s.name} does not exist`);
    }
  }

  // Gateway API and TLS.
  for (const gc of byKind('GatewayClass')) {
    const p = gc.spec?.parametersRef;
    if (p && !find(p.kind, p.name, p.namespace)) problem(gc, `parameters ${p.kind} ${p.namespace}/${p.name} do not exist`);
  }
  for (const gw of byKind('Gateway')) {
    const ns = gw.metadata.namespace;
    if (!find('GatewayClass', gw.spec?.gatewayClassName)) problem(gw, `GatewayClass ${gw.spec?.gatewayClassName} does not exist`);
    for (const l of gw.spec?.listeners ?? []) {
      for (const ref of l.tls?.certificateRefs ?? []) {
        const secretNs = ref.namespace ?? ns;
        const cert = byKind('Certificate').find(c => c.metadata.namespace === secretNs && c.spec?.secretName === ref.name);
        if (!cert && !find('Secret', ref.name, secretNs)) {
          problem(gw, `listener ${l.name}: Secret ${secretNs}/${ref.name} is issued by no Certificate`);
        } else if (cert && l.hostname && !(cert.spec.dnsNames ?? []).some((n: string) => n === l.hostname)) {
          problem(gw, `listener ${l.name}: Certificate ${cert.metadata.name} does not cover ${l.hostname}`);
        }
      }
    }
  }
  for (const cert of byKind('Certificate')) {
    const i = cert.spec?.issuerRef ?? {};
    const kind = i.kind ?? 'Issuer';
    if (!find(kind, i.name, kind === 'ClusterIssuer' ? undefined : cert.metadata.namespace)) problem(cert, `${kind} ${i.name} does not exist`);
  }
  for (const route of [...byKind('HTTPRoute'), ...byKind('GRPCRoute')]) {
    const ns = route.metadata.namespace;
    const hostnames: string[] = route.spec?.hostnames ?? [];
    for (const parent of route.spec?.parentRefs ?? []) {
      const gw = find('Gateway', parent.name, parent.namespace ?? ns);
      if (!gw) {
        problem(route, `Gateway ${parent.namespace ?? ns}/${parent.name} does not exist`);
        continue;
      }
      const listeners: Obj[] = (gw.spec?.listeners ?? []).filter((l: Obj) => !parent.sectionName || l.name === parent.sectionName);
      if (listeners.length === 0) {
        problem(route, `Gateway ${nameOf(gw)} has no listener ${parent.sectionName}`);
        continue;
      }
      for (const l of listeners) {
        const from = l.allowedRoutes?.namespaces?.from ?? 'Same';
        const admitted = from === 'All' || (from === 'Same' && gw.metadata.namespace === ns)
          || (from === 'Selector' && matchesLabelSelector(l.allowedRoutes.namespaces.selector, namespaceLabels(ns)));
        if (!admitted) problem(route, `listener ${l.name} of ${nameOf(gw)} does not admit routes from namespace ${ns} (from: ${from})`);
        for (const h of hostnames) {
          if (!hostnameCovers(l.hostname, h)) problem(route, `listener ${l.name} (${l.hostname}) does not cover hostname ${h}`);
        }
      }
    }
    for (const rule of route.spec?.rules ?? []) {
      for (const b of rule.backendRefs ?? []) {
        if ((b.kind ?? 'Service') !== 'Service') continue;
        const bns = b.namespace ?? ns;
        const svc = find('Service', b.name, bns);
        if (!svc) problem(route, `backend Service ${bns}/${b.name} does not exist`);
        else if (b.port !== undefined && !(svc.spec?.ports ?? []).some((p: Obj) => p.port === b.port)) problem(route, `backend Service ${bns}/${b.name} has no port ${b.port}`);
        if (bns !== ns && !byKind('ReferenceGrant').some(g => g.metadata.namespace === bns)) problem(route, `backend in namespace ${bns} without a ReferenceGrant`);
      }
    }
  }

  return problems.sort();
}

/** Names of the Secrets Manager secrets of a CloudFormation template (names that are tokens are left out). */
export function secretNamesOfCloudFormation(template: Obj): string[] {
  return Object.values<Obj>(template.Resources ?? {})
    .filter(r => r.Type === 'AWS::SecretsManager::Secret' && typeof r.Properties?.Name === 'string')
    .map(r => r.Properties.Name).sort();
}

/** Names of the Secrets Manager secrets of a Terraform stack's JSON. */
export function secretNamesOfTerraform(json: Obj): string[] {
  return Object.values<Obj>(json.resource?.aws_secretsmanager_secret ?? {})
    .map(r => r.name).filter((n): n is string => typeof n === 'string').sort();
}
