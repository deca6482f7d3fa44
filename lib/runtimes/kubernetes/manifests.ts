import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
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
      .map(([file, chart]) => ({ file: `${file}.k8s.yaml`, objects: this.annotated(file, objectsOf(chart)) }))
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
