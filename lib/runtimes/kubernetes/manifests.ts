import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { isEmptyMetadata, mergeMetadata, NO_METADATA, ObjectMetadata } from '../../core/metadata';
import { stringifyYaml } from '../../private/yaml';

/**
 * Where a chart's file sorts in a cluster's folder. `kubectl apply -f` of
 * the folder applies files in name order, so the prefix is the apply order:
 * namespaces first, then support services, their configuration (custom
 * resources whose definitions the support services install), then apps.
 */
export enum ManifestLayer {
  NAMESPACES = '00',
  CLUSTER_CONFIG = '10',
  SUPPORT = '20',
  SUPPORT_CONFIG = '30',
  /** Services hosted in the cluster (in-cluster databases), before the apps that use them. */
  SERVICES = '40',
  APPS = '50',
}

/**
 * The Kubernetes objects of one cluster: one cdk8s app, one chart per file.
 */
export class ClusterManifests {
  public readonly app: cdk8s.App;
  private readonly charts = new Map<string, cdk8s.Chart>();
  private prepared = false;
  private readonly layerAnnotations: Array<{ layers: ManifestLayer[]; annotations: () => Record<string, string> }> = [];
  private readonly userMetadata: Array<{ applies: (file: string, object: any) => boolean; metadata: ObjectMetadata }> = [];
  private fileCache?: Array<{ file: string; objects: any[] }>;

  constructor(public readonly folder: string) {
    // The outdir is never used: files are written by `write()`.
    this.app = new cdk8s.App({ outdir: folder });
  }

  /**
   * The chart written as `<layer>-<name>.k8s.yaml`; created on first use.
   * `namespace` applies to objects created without one.
   */
  public chart(layer: ManifestLayer, name: string, namespace?: string): cdk8s.Chart {
    const file = `${layer}-${name}`;
    let chart = this.charts.get(file);
    if (!chart) {
      chart = new cdk8s.Chart(this.app, file, { namespace, disableResourceNameHashes: true });
      this.charts.set(file, chart);
    }
    return chart;
  }

  /**
   * Annotations every object of these layers gets when the files are made
   * (over its own of the same keys); asked then, once the graph is complete.
   */
  public annotateLayers(layers: ManifestLayer[], annotations: () => Record<string, string>): void {
    this.layerAnnotations.push({ layers, annotations });
  }

  /**
   * Labels and annotations of the user's on the objects `applies` picks
   * (given the file name without `.k8s.yaml`), when the files are made.
   * Later registrations win for the same key; the library's own keys on
   * an object always win (validation keeps users off them). Labels also go
   * on pod templates; selectors never change.
   */
  public addMetadata(applies: (file: string, object: any) => boolean, metadata: ObjectMetadata): void {
    if (!isEmptyMetadata(metadata)) this.userMetadata.push({ applies, metadata });
  }

  /** All objects, in apply order (for tests and checks). */
  public objects(): any[] {
    return this.files().flatMap(f => f.objects);
  }

  /**
   * The objects of each file, in apply order. Worked out once (the charts
   * are complete when anything asks: after render): writing and the synth
   * summary read the same result.
   */
  public files(): Array<{ file: string; objects: any[] }> {
    this.prepare();
    this.fileCache ??= this.sortedFiles()
      .map(([file, chart]) => ({ file: `${file}.k8s.yaml`, objects: this.withUserMetadata(file, this.annotated(file, objectsOf(chart))) }))
      .filter(f => f.objects.length > 0);
    return this.fileCache;
  }

  /** Writes one YAML file per chart into `root/<folder>/`. */
  public write(root: string): void {
    const dir = path.join(root, this.folder);
    fs.mkdirSync(dir, { recursive: true });
    for (const { file, objects } of this.files()) {
      fs.writeFileSync(path.join(dir, file), stringifyYaml(objects));
    }
  }

  private annotated(file: string, objects: any[]): any[] {
    const extra = Object.assign({}, ...this.layerAnnotations.filter(l => l.layers.some(layer => file.startsWith(`${layer}-`))).map(l => l.annotations()));
    if (Object.keys(extra).length === 0) return objects;
    // Keys sorted, as cdk8s writes them.
    const sorted = (m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return objects.map(o => ({ ...o, metadata: sorted({ ...o.metadata, annotations: sorted({ ...(o.metadata?.annotations ?? {}), ...extra }) }) }));
  }

  private withUserMetadata(file: string, objects: any[]): any[] {
    if (this.userMetadata.length === 0) return objects;
    return objects.map(o => {
      const m = this.userMetadata.filter(u => u.applies(file, o)).reduce((a, u) => mergeMetadata(a, u.metadata), NO_METADATA);
      return isEmptyMetadata(m) ? o : withMetadata(o, m);
    });
  }

  private sortedFiles(): Array<[string, cdk8s.Chart]> {
    return [...this.charts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /**
   * cdk8s's dependency inference and validation, over the whole app, once.
   * (`Chart.toJson()` runs both over the whole app for every chart it is
   * called on, quadratic in the number of charts, an app each here; and
   * `App.synthYaml()` would serialize everything only to be thrown away.)
   */
  private prepare(): void {
    if (this.prepared) return;
    const first = this.sortedFiles()[0]?.[1];
    if (first) {
      (cdk8s.App as unknown as { _synthChart(chart: cdk8s.Chart): unknown[] })._synthChart(first);
    }
    this.prepared = true;
  }
}

/** Keys sorted, as cdk8s writes them. */
function sortedKeys<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Under the object's own (its keys win). */
function under(own: Record<string, string> | undefined, user: Record<string, string>): Record<string, string> | undefined {
  const merged = { ...user, ...own ?? {} };
  return Object.keys(merged).length > 0 ? sortedKeys(merged) : undefined;
}

/** A pod template's metadata with the user's labels. */
function podTemplateWith(template: any, labels: Record<string, string>): any {
  if (!template || Object.keys(labels).length === 0) return template;
  return { ...template, metadata: sortedKeys({ ...template.metadata ?? {}, labels: under(template.metadata?.labels, labels) }) };
}

/**
 * Kinds whose pod template takes the user's labels. Not a Job's: its
 * template is immutable, so a changed label could never apply (a CronJob's
 * job template is not, and its next Jobs get it).
 */
const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];

/**
 * The object with the user's labels and annotations in its metadata, and
 * the labels on its pod template (a Deployment's, StatefulSet's,
 * DaemonSet's, ReplicaSet's; a CronJob's job template and its pod
 * template). Changing a label on a pod template rolls the pods out again.
 */
function withMetadata(o: any, m: ObjectMetadata): any {
  const metadata: Record<string, unknown> = { ...o.metadata ?? {} };
  const labels = under(o.metadata?.labels, m.labels);
  const annotations = under(o.metadata?.annotations, m.annotations);
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  const out = { ...o, metadata: sortedKeys(metadata) };
  if (Object.keys(m.labels).length === 0) return out;
  if (POD_TEMPLATE_KINDS.includes(o.kind) && o.spec?.template) {
    out.spec = { ...o.spec, template: podTemplateWith(o.spec.template, m.labels) };
  } else if (o.kind === 'CronJob' && o.spec?.jobTemplate) {
    const job = o.spec.jobTemplate;
    const jobMeta = { ...job.metadata ?? {}, labels: under(job.metadata?.labels, m.labels) };
    const jobSpec = job.spec ? { ...job.spec, template: podTemplateWith(job.spec.template, m.labels) } : job.spec;
    out.spec = { ...o.spec, jobTemplate: { ...job, metadata: sortedKeys(jobMeta), spec: jobSpec } };
  }
  return out;
}

/**
 * A chart's objects in dependency order, as `Chart.toJson()` gives them
 * once the app's dependencies are resolved: the chart's own API objects
 * (not those of a nested chart), each resolved.
 */
function objectsOf(chart: cdk8s.Chart): any[] {
  return new cdk8s.DependencyGraph(chart.node).topology()
    .filter((c): c is cdk8s.ApiObject => c instanceof cdk8s.ApiObject && cdk8s.Chart.of(c) === chart)
    .map(o => o.toJson());
}
