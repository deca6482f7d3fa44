import * as fs from 'fs';
import * as path from 'path';
import * as cdk8s from 'cdk8s';

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

  /** All objects, in apply order (for tests and checks). */
  public objects(): any[] {
    this.prepare();
    return this.sortedFiles().flatMap(([, chart]) => chart.toJson());
  }

  /**
   * The objects of each file, in apply order. Worked out once (the charts
   * are complete when anything asks: after render): writing and the synth
   * summary read the same result.
   */
  public files(): Array<{ file: string; objects: any[] }> {
    this.prepare();
    this.fileCache ??= this.sortedFiles()
      .map(([file, chart]) => ({ file: `${file}.k8s.yaml`, objects: chart.toJson() }))
      .filter(f => f.objects.length > 0);
    return this.fileCache;
  }

  /** Writes one YAML file per chart into `root/<folder>/`. */
  public write(root: string): void {
    const dir = path.join(root, this.folder);
    fs.mkdirSync(dir, { recursive: true });
    for (const { file, objects } of this.files()) {
      fs.writeFileSync(path.join(dir, file), cdk8s.Yaml.stringify(...objects));
    }
  }

  private sortedFiles(): Array<[string, cdk8s.Chart]> {
    return [...this.charts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private prepare(): void {
    if (this.prepared) return;
    // Runs cdk8s's own validations and dependency resolution once.
    this.app.synthYaml();
    this.prepared = true;
  }
}
