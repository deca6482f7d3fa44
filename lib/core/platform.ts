import * as fs from 'fs';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { buildDiagram, Diagram, dotOf, mermaidOf } from './diagram';
import { GraphElement, RenderPhase } from './graph';
import { checkMetadata, metadataOf } from './metadata';
import { checkId } from './naming';
import { resolveOutputDirectories, selectOutputs, StagedDirectory } from './outputs';
import { formatProblem, Problem, ProblemCollector, RuntimeStackValidationError } from './problems';
import type { OutputBackend } from '../engines/engine';

/**
 * Properties of a `Platform`.
 */
export interface PlatformProps {
  /**
   * Name of the platform: the root of every construct path and the first
   * part of every physical name (stacks, clusters, roles, secrets).
   *
   * A lowercase DNS label starting with a letter, at most 20 characters.
   */
  readonly name: string;

  /**
   * Run aws-cdk-lib's built-in CloudFormation template validation on every
   * synth of the CloudFormation stacks.
   *
   * It reports findings as warnings only, and costs about 2.4 s and 300 MB
   * per synth whatever the app's size (most of a small app's synth time),
   * so it is off by default: this library's own tests run it over
   * everything it renders and keep the templates free of findings. Turn it
   * on to check what you added with escape hatches. `CDK_VALIDATION=true`
   * turns it on for every platform of the process (as the library's tests
   * do); `CDK_VALIDATION=false` turns it off whatever this says.
   *
   * @default false (true when the environment variable CDK_VALIDATION is `true`)
   */
  readonly cloudFormationValidation?: boolean;

  /**
   * Labels on every Kubernetes object the platform emits, in every cluster
   * (workloads, their namespaces, support services' objects such as their
   * HelmReleases; not what the Helm charts install), and on the pod
   * templates it writes. Kubernetes metadata only: Fargate workloads get
   * AWS tags from their own `labels`. Changing one changes every pod
   * template, so every workload rolls out again. A workload's own `labels` win over these
   * for the same key. Keys of Kubernetes (`kubernetes.io/`, `k8s.io/`) and
   * the library's own (`app.kubernetes.io/name`, `app.kubernetes.io/managed-by`)
   * are errors (RS008). Selectors never change.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations on every Kubernetes object the platform emits, in every
   * cluster. Not on pod templates: changing them would restart every pod.
   * A workload's own `annotations` win for the same key (RS009 for bad
   * ones).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** A text format of the platform's diagram (`Platform.diagram`). */
export enum DiagramFormat {
  /** A Mermaid flowchart: GitHub renders it in Markdown and in `.mmd` files. */
  MERMAID = 'mermaid',
  /** Graphviz DOT: `dot -Tsvg diagram.dot -o diagram.svg`. */
  DOT = 'dot',
}

/**
 * Output folders for `Platform.synth()`.
 */
export interface PlatformSynthOptions {
  /**
   * Folder of the CloudFormation cloud assembly.
   *
   * @default - `CDK_OUTDIR` when set (the CDK CLI sets it), else `cdk.out`
   */
  readonly cloudAssemblyOutdir?: string;

  /**
   * Folder of the Kubernetes YAML, laid out as `<environment>/<cluster>/`.
   *
   * @default - `CDK8S_OUTDIR` when set (the cdk8s CLI sets it), else `dist`
   */
  readonly manifestsOutdir?: string;

  /**
   * Folder of the Terraform JSON (only written when an environment uses
   * the Terraform engine).
   *
   * @default - `CDKTF_OUTDIR` when set (the cdktf CLI sets it), else `cdktf.out`
   */
  readonly terraformOutdir?: string;

  /**
   * Print the synth summary (`Platform.summary()`) to stderr after writing.
   *
   * @default - printed, except where the `CI` environment variable is set (to anything but `false` or `0`)
   */
  readonly summary?: boolean;
}

/**
 * One folder of Kubernetes YAML under the manifests output (a runtime's).
 * @internal
 */
export interface ManifestSet {
  /** Folder under the manifests output, e.g. `prod/main`. */
  readonly folder: string;
  /** The objects, in apply order. */
  objects(): any[];
  /** Writes the folder's files under `root`. */
  write(root: string): void;
  /** The folder's files with their objects. */
  files(): Array<{ readonly file: string; readonly objects: any[] }>;
}

/** What the summary reads of an environment (the platform module knows no Environment). */
interface SummarizedEnvironment extends IConstruct {
  readonly tier: string;
  _engine(): { readonly kind: string; stacks(): Array<{ name: string; resources: number }> };
}

/**
 * A check of your own (an organization's rules: regions, registries, tags),
 * run with the library's checks before anything is rendered, so its
 * problems join the one aggregated report. Add it with `Platform.addCheck`.
 */
export interface IPlatformCheck {
  /**
   * Reports what is wrong with `report.error(scope, code, prop, message, fix)`
   * and `report.warning(...)`; warnings can be acknowledged with
   * `Platform.acknowledgeWarning`. Codes are your own: capital letters,
   * then digits, e.g. `ACME001` (`RS` and digits are the library's). Report problems rather than throw: a check that throws is
   * reported as RS006 with the others.
   */
  check(report: ProblemCollector): void;
}

/**
 * Code of your own that runs once the library has rendered the graph: the
 * escape hatches (`environment.stack`, `workload.deployment`,
 * `workload.chart`, `database.instance`, ...) exist, and what it changes
 * is checked (limits, cdk-nag in tests) and written like the rest. Add it
 * with `Platform.addRenderHook`, from a blueprint's constructor.
 */
export interface IRenderHook {
  /**
   * Changes or adds to the rendered output of `scope` (the construct the
   * hook was added for). It may not create constructs of the library
   * (workloads, services, ...): declare those before rendering.
   */
  afterRender(scope: IConstruct): void;
}

/** The codes of a check's own problems: capital letters, then digits. */
const CHECK_CODE = /^[A-Z]{1,12}[0-9]{1,5}$/;
/** The library's codes. */
const LIBRARY_CODE = /^RS[0-9]+$/;

/**
 * A warning acknowledged by the user.
 */
interface Acknowledgement {
  readonly path: string;
  readonly code: string;
  readonly reason: string;
}


/**
 * The root of a runtime stack: every environment, cluster, service and
 * workload is below it. `synth()` validates the whole graph, then writes
 * CloudFormation, Kubernetes YAML and (when asked for) Terraform JSON.
 */
export class Platform extends Construct {
  /** The platform a construct belongs to. */
  public static of(scope: IConstruct): Platform {
    const root = scope.node.root;
    if (!(root instanceof Platform)) {
      throw new Error(`${scope.node.path || scope.node.id} is not inside a Platform: create it under an Environment of a Platform.`);
    }
    return root;
  }

  /**
   * Acknowledges warning `code` on `scope` and everything below it. The
   * warning is no longer printed; the reason is kept with the graph.
   */
  public static acknowledgeWarning(scope: IConstruct, code: string, reason: string): void {
    Platform.of(scope).acknowledgements.push({ path: scope.node.path, code, reason });
  }

  /**
   * Adds a check of your own to the platform's validation. It runs once per
   * render, after the library's checks of the graph and before anything is
   * rendered; its errors and warnings are reported with the library's, all
   * at once (`scope` is where a thrown error is reported). Checks added with
   * `node.addValidation()` on any construct of the platform run too (as
   * RS005, without a code of their own).
   */
  public static addCheck(scope: IConstruct, check: IPlatformCheck): void {
    const platform = Platform.of(scope);
    platform._register({
      scope,
      phase: RenderPhase.FINALIZE,
      validate: problems => runCheck(scope, check, problems),
      render: () => undefined,
    });
  }

  /**
   * Adds a render hook: `hook.afterRender(scope)` runs once every element
   * of the library has rendered (support services included), in
   * construct-tree order, before the environments finish their stacks and
   * before anything is checked or written.
   */
  public static addRenderHook(scope: IConstruct, hook: IRenderHook): void {
    const platform = Platform.of(scope);
    platform._register({
      scope,
      phase: RenderPhase.CUSTOMIZE,
      validate: () => undefined,
      render: () => {
        platform.inHook = true;
        try {
          hook.afterRender(scope);
        } catch (e) {
          throw new Error(`${scope.node.path}: a render hook (Platform.addRenderHook) threw: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          platform.inHook = false;
        }
      },
    });
  }

  /** The platform's name. */
  public readonly name: string;

  private readonly elements: GraphElement[] = [];
  private readonly acknowledgements: Acknowledgement[] = [];
  private readonly manifestSets: ManifestSet[] = [];
  private readonly backends: OutputBackend[] = [];
  private rendered = false;
  private inHook = false;
  private rendering = false;
  /** Why the last render failed after rendering started (a limit, a render hook): every later call throws it. */
  private limitError?: Error;
  private renderWarnings: Problem[] = [];

  /** Labels on every Kubernetes object the platform emits (`PlatformProps.labels`). */
  public readonly labels: { [key: string]: string };
  /** Annotations on every Kubernetes object the platform emits (`PlatformProps.annotations`). */
  public readonly annotations: { [key: string]: string };

  /** Whether synth runs aws-cdk-lib's built-in CloudFormation template validation (`PlatformProps.cloudFormationValidation`). */
  public readonly cloudFormationValidation: boolean;

  constructor(props: PlatformProps) {
    super(undefined as any, props.name);
    this.name = props.name;
    this.cloudFormationValidation = props.cloudFormationValidation ?? process.env.CDK_VALIDATION === 'true';
    const metadata = metadataOf(props);
    this.labels = metadata.labels;
    this.annotations = metadata.annotations;
    this._register({
      scope: this,
      phase: RenderPhase.ENVIRONMENT,
      validate: problems => {
        checkId(this, problems, 'Platform', 20, this.name);
        checkMetadata(this, problems, metadata);
      },
      render: () => undefined,
    });
  }

  /** Warnings of the last render that were not acknowledged. */
  public get warnings(): string[] {
    return this.renderWarnings.map(formatProblem);
  }

  /**
   * Validates the whole graph and builds every output in memory, without
   * writing anything. Called by `synth()`; call it yourself to inspect the
   * result (for example `Template.fromStack(environment.stack)` in tests).
   * Runs once; later calls do nothing.
   *
   * @throws when the graph has errors, listing all of them.
   */
  public render(): void {
    if (this.limitError) throw this.limitError;
    if (this.rendered) return;
    if (this.rendering) {
      throw new Error(`${this.node.path}: render(), synth() or manifests() called while the platform renders (from a render hook?); `
        + 'in a render hook, change the rendered objects through the escape hatches (workload.chart, workload.deployment, environment.stack, ...)');
    }
    const problems = new ProblemCollector();
    const elements = this.orderedElements();
    for (const element of elements) {
      element.validate(problems);
    }
    this.runConstructValidations(problems);
    if (problems.errors.length > 0) {
      throw new RuntimeStackValidationError(problems.errors);
    }
    this.reportWarnings(problems);
    this.rendering = true;
    try {
      for (const element of elements) {
        element.render();
      }
    } catch (e) {
      // Half of the graph has rendered: a second render must not render it again, nor anything be written.
      this.limitError = e as Error;
      throw e;
    } finally {
      this.rendering = false;
    }
    this.rendered = true;
    const limits = new ProblemCollector();
    for (const element of elements) {
      element.checkRendered?.(limits);
    }
    // Warnings only the rendered output shows, reported as the others are.
    this.reportWarnings(limits);
    if (limits.errors.length > 0) {
      // The output exists in memory but must never be written.
      this.limitError = new RuntimeStackValidationError(limits.errors);
      throw this.limitError;
    }
  }

  /**
   * Validates the graph, then writes the outputs.
   *
   * Under `cdk synth`/`cdk deploy` (the CLI sets `CDK_OUTDIR`) only the
   * cloud assembly is written; under `cdk8s synth` (`CDK8S_OUTDIR`) only
   * the Kubernetes YAML; under `cdktf synth` (`CDKTF_OUTDIR`) only the
   * Terraform JSON. Run directly, it writes all of them. Each folder is
   * written in full beside its target and then moved into place, so an
   * error leaves the previous output untouched.
   */
  public synth(options: PlatformSynthOptions = {}): void {
    this.render();
    const dirs = resolveOutputDirectories(process.env, {
      cloudAssembly: options.cloudAssemblyOutdir,
      manifests: options.manifestsOutdir,
      terraform: options.terraformOutdir,
    });
    const selected = selectOutputs(process.env);
    const staged: Array<{ dir: StagedDirectory; replace: boolean }> = [];
    try {
      for (const output of ['cloudAssembly', 'terraform'] as const) {
        const backends = this.backends.filter(b => b.output === output);
        if (!selected[output] || backends.length === 0) continue;
        const dir = new StagedDirectory(dirs[output]);
        staged.push({ dir, replace: false });
        for (const backend of backends) {
          backend.write(dir.staging);
        }
      }
      if (selected.manifests) {
        const dir = new StagedDirectory(dirs.manifests);
        staged.push({ dir, replace: true });
        for (const set of this.manifestSets) {
          set.write(dir.staging);
        }
        const diagram = this._diagram();
        fs.writeFileSync(path.join(dir.staging, 'diagram.mmd'), mermaidOf(diagram));
        fs.writeFileSync(path.join(dir.staging, 'diagram.dot'), dotOf(diagram));
      }
    } catch (e) {
      staged.forEach(s => s.dir.discard());
      throw e;
    }
    staged.forEach(s => s.dir.commit(s.replace));
    const ci = process.env.CI !== undefined && !['', 'false', '0'].includes(process.env.CI);
    if (options.summary ?? !ci) {
      const shown = (t: string) => {
        const rel = path.relative(process.cwd(), path.resolve(t));
        return rel === '' ? '.' : rel.startsWith('..') ? path.resolve(t) : rel;
      };
      const written = staged.map(s => shown(s.dir.target));
      process.stderr.write(`${this.summary()}  written: ${written.join(', ')}\n`);
    }
  }

  /**
   * A short report of the rendered platform: per environment its tier,
   * engine, stacks and their resources, and per cluster its YAML files and
   * objects; then the warnings not acknowledged. Renders first.
   */
  public summary(): string {
    this.render();
    const n = this.environmentsForSummary().length;
    const lines = [`${this.name}: ${n} environment${n === 1 ? '' : 's'}`];
    for (const env of this.environmentsForSummary()) {
      const engine = env._engine();
      lines.push(`  ${env.node.id} (${env.tier}): ${stackSummary(engine.kind, engine.stacks())}`);
      for (const set of this.manifestSets.filter(m => m.folder.startsWith(`${env.node.id}/`))) {
        const files = set.files();
        const objects = files.reduce((sum, f) => sum + f.objects.length, 0);
        lines.push(`    ${set.folder}: ${files.length} YAML files, ${objects} Kubernetes objects`);
      }
    }
    const w = this.renderWarnings.length;
    lines.push(`  ${w === 0 ? 'no warnings' : `${w} warning${w === 1 ? '' : 's'} (printed above)`}`);
    return `${lines.join('\n')}\n`;
  }

  /** The environments (duck-typed: the platform module knows no Environment). */
  private environmentsForSummary(): SummarizedEnvironment[] {
    return this.node.children.filter(c => typeof (c as { _engine?: unknown })._engine === 'function') as SummarizedEnvironment[];
  }

  /**
   * The picture of the platform: environments with their clusters and
   * Fargate runtimes (with their workloads and support services) and their
   * managed services; an edge per connection and per public host. Renders
   * first. `synth()` writes both formats beside the Kubernetes YAML
   * (`diagram.mmd`, `diagram.dot`).
   */
  public diagram(format: DiagramFormat = DiagramFormat.MERMAID): string {
    const diagram = this._diagram();
    return format === DiagramFormat.DOT ? dotOf(diagram) : mermaidOf(diagram);
  }

  /** The graph's elements in render order: by phase, then in construct-tree order. */
  private orderedElements(): GraphElement[] {
    const order = new Map(this.node.findAll().map((c, i) => [c as IConstruct, i]));
    return [...this.elements].sort((a, b) => a.phase - b.phase || (order.get(a.scope) ?? 0) - (order.get(b.scope) ?? 0));
  }

  /**
   * What `node.addValidation()` added anywhere in the platform's tree (the
   * constructs' own validations, which `app.synth()` would run in a plain
   * aws-cdk app), reported with everything else.
   */
  private runConstructValidations(problems: ProblemCollector): void {
    for (const construct of this.node.findAll()) {
      for (const message of construct.node.validate()) {
        problems.error(construct, 'RS005', '', message, 'fix what this validation (added with node.addValidation()) reports');
      }
    }
  }

  /** Prints the warnings nobody acknowledged and keeps them for `warnings` and the summary. */
  private reportWarnings(problems: ProblemCollector): void {
    const shown = problems.warnings.filter(w => !this.isAcknowledged(w));
    for (const w of shown) {
      process.stderr.write(`[WARNING] ${formatProblem(w).trim()} (acknowledge with Platform.acknowledgeWarning(scope, '${w.code}', reason))\n`);
    }
    this.renderWarnings = [...this.renderWarnings, ...shown];
  }

  /**
   * The diagram's nodes and edges (after render).
   * @internal
   */
  public _diagram(): Diagram {
    this.render();
    const described = this.orderedElements()
      .filter(e => e.describe)
      .map(e => ({ scope: e.scope, description: e.describe!() }));
    return buildDiagram(this, described);
  }

  /**
   * Kubernetes objects of every cluster, keyed `<environment>/<cluster>`,
   * in apply order. Renders first.
   */
  public manifests(): Record<string, any[]> {
    this.render();
    const out: Record<string, any[]> = {};
    for (const set of this.manifestSets) {
      out[set.folder] = set.objects();
    }
    return out;
  }

  /**
   * Every Kubernetes YAML file with its objects, as synth writes them
   * (after render).
   * @internal
   */
  public _manifestFiles(): Array<{ readonly folder: string; readonly file: string; readonly objects: any[] }> {
    this.render();
    return this.manifestSets.flatMap(set => set.files().map(f => ({ folder: set.folder, ...f })));
  }

  /** @internal */
  public _register(element: GraphElement): void {
    if (this.inHook) {
      throw new Error(`${element.scope.node.path}: created in a render hook; declare workloads, services and other constructs of the library before rendering, and use render hooks to change what they rendered.`);
    }
    if (this.rendered) {
      throw new Error(`${element.scope.node.path}: the platform has already been rendered; create every construct before calling render() or synth().`);
    }
    this.elements.push(element);
  }

  /**
   * Registers one folder of Kubernetes YAML (a cluster's).
   * @internal
   */
  public _addManifests<T extends ManifestSet>(set: T): T {
    this.manifestSets.push(set);
    return set;
  }

  /**
   * How an engine's output is written (engines register it once per platform).
   * @internal
   */
  public _addOutputBackend(backend: OutputBackend): void {
    this.backends.push(backend);
  }

  private isAcknowledged(w: Problem): boolean {
    return this.acknowledgements.some(a => a.code === w.code && (w.path === a.path || w.path.startsWith(`${a.path}/`)));
  }
}

/**
 * One line of stacks: the only one with its resources, or (CloudFormation
 * splits an environment) how many, their resources, the foundation and the
 * largest of the others, which is what meets a limit first.
 */
function stackSummary(kind: string, stacks: ReadonlyArray<{ readonly name: string; readonly resources: number }>): string {
  const [foundation, ...others] = stacks;
  const what = kind === 'terraform' ? 'Terraform stack' : 'stack';
  if (others.length === 0) {
    return `${what} ${foundation.name}, ${foundation.resources} resources`;
  }
  const total = stacks.reduce((n, s) => n + s.resources, 0);
  const largest = others.reduce((a, b) => (b.resources > a.resources ? b : a));
  return `${stacks.length} ${what}s, ${total} resources: foundation ${foundation.name} ${foundation.resources}, `
    + (others.length === 1 ? `${largest.name} ${largest.resources}` : `largest of the other ${others.length} ${largest.name} ${largest.resources}`);
}

/**
 * Runs a check of the user's: what it throws, and problems under the
 * library's codes or under no valid code, become errors of their own.
 */
function runCheck(scope: IConstruct, check: IPlatformCheck, problems: ProblemCollector): void {
  const before = { errors: problems.errors.length, warnings: problems.warnings.length };
  let thrown: unknown;
  try {
    check.check(problems);
  } catch (e) {
    thrown = e;
  }
  const added = [...problems.errors.slice(before.errors), ...problems.warnings.slice(before.warnings)];
  if (thrown !== undefined) {
    problems.error(scope, 'RS006', '', `a check added with Platform.addCheck threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
      'report problems with report.error(scope, code, prop, message, fix) instead of throwing, so they join the others');
  }
  for (const p of added) {
    if (LIBRARY_CODE.test(p.code)) {
      problems.error(scope, 'RS007', 'code', `a check added with Platform.addCheck reported ${p.code} (at ${p.path}): codes starting with RS belong to the library`,
        'give your checks codes of your own, e.g. ACME001');
    } else if (!CHECK_CODE.test(p.code)) {
      problems.error(scope, 'RS007', 'code', `a check added with Platform.addCheck reported the code "${p.code}" (at ${p.path})`,
        'use capital letters then digits, e.g. ACME001');
    }
  }
}
