import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { podSecurityViolations } from './pod-security';
import { SHIPPED_CRDS, validateManifests } from './schema';
import { secretMaterialIn } from './secrets';
import { Environment } from '../core/environment';
import { Platform } from '../core/platform';
import { CloudEngine } from '../engines/cloud-engine';

/**
 * Builds a platform (for `Verify.deterministic`, which builds it twice).
 */
export interface IPlatformFactory {
  /** A new platform, built from scratch every call. */
  create(): Platform;
}

/**
 * Options of `Verify.schemaValid`.
 */
export interface SchemaValidOptions {
  /**
   * Folders of CustomResourceDefinition YAML (searched recursively) for
   * custom resources of your own that you add to the output.
   *
   * @default - only the CRDs the library ships, which define every custom resource it emits
   */
  readonly crdDirectories?: string[];
}

/** What cdk-nag's AwsSolutions pack needs to be: a plugin that validates a scope. */
interface NagPack {
  validateScope(scope: IConstruct): cdk.PolicyValidationPluginReport;
}

/** The variables that make `synth()` write only one of its outputs (the CLIs set them). */
const OUTDIR_VARIABLES = ['CDK_OUTDIR', 'CDK8S_OUTDIR', 'CDKTF_OUTDIR'];

/**
 * Checks of a whole platform for a blueprint's tests: each is one line in
 * a jest (or pytest, JUnit, ...) test, throws an error listing every
 * offending object with where it is, and returns nothing when all is well.
 * They render the platform first; a temporary folder they write is removed
 * before they return.
 *
 * ```ts
 * import { testing } from 'cdk-runtime-stack';
 * test('restricted', () => testing.Verify.podsRestricted(acmePlatform()));
 * ```
 */
export class Verify {
  /**
   * Every pod template (Deployment, StatefulSet, DaemonSet, Job, CronJob,
   * Pod, ...) of every cluster meets the Pod Security Standards
   * "restricted" profile (policy version 1.28), as the namespaces the
   * library writes enforce it.
   *
   * @throws listing `<environment>/<cluster>/<file>: <kind> <namespace>/<name> ...: <control>: <what>` per violation
   */
  public static podsRestricted(platform: Platform): void {
    const found = Verify.podSecurityViolations(platform);
    fail(found, 'Pod Security Standards (restricted) violation');
  }

  /** The violations `podsRestricted` throws for (empty when there are none). */
  public static podSecurityViolations(platform: Platform): string[] {
    return platform._manifestFiles().flatMap(f =>
      podSecurityViolations(f.objects, { level: 'restricted' }).map(v => `${f.folder}/${f.file}: ${v}`));
  }

  /**
   * Every Kubernetes object validates against its schema: built-in kinds
   * against the Kubernetes API (1.28, as cdk8s-plus-28 has it; unknown
   * fields are errors), custom resources against the `openAPIV3Schema` of
   * a served version of their CRD. A kind with neither is a problem too.
   *
   * @throws listing `<environment>/<cluster>/<file>: <apiVersion> <kind> <namespace>/<name>: <problem>`
   */
  public static schemaValid(platform: Platform, options: SchemaValidOptions = {}): void {
    fail(Verify.schemaProblems(platform, options), 'schema problem');
  }

  /** The problems `schemaValid` throws for (empty when there are none). */
  public static schemaProblems(platform: Platform, options: SchemaValidOptions = {}): string[] {
    const crdDirs = options.crdDirectories ? [SHIPPED_CRDS, ...options.crdDirectories] : undefined;
    return platform._manifestFiles().flatMap(f =>
      validateManifests(f.objects, { crdDirs }).map(p => `${f.folder}/${f.file}: ${p.replace(/^doc\[\d+\] /, '')}`));
  }

  /**
   * cdk-nag's AwsSolutions pack finds nothing unacknowledged in any
   * CloudFormation stack of the platform (the library acknowledges what it
   * must, each with its reason; acknowledge your own with
   * `NagSuppressions`). Needs `cdk-nag` (3.x) installed, as a dev
   * dependency of your tests.
   *
   * @throws listing `<rule>: <construct path> (<stack> <logical id>)` per finding
   */
  public static awsSolutionsClean(platform: Platform): void {
    fail(Verify.awsSolutionsFindings(platform), 'unacknowledged cdk-nag AwsSolutions finding');
  }

  /** The findings `awsSolutionsClean` throws for (empty when there are none). */
  public static awsSolutionsFindings(platform: Platform): string[] {
    platform.render();
    const environments = environmentsOf(platform).filter(e => e.engine === CloudEngine.CLOUDFORMATION);
    // Nothing to check without CloudFormation: no cdk-nag needed.
    if (environments.length === 0) return [];
    const pack = loadAwsSolutions();
    const findings: string[] = [];
    for (const env of environments) {
      for (const stack of env.stacks) {
        const report = pack.validateScope(stack);
        for (const violation of report.violations) {
          for (const resource of violation.violatingResources) {
            const where = resource.constructPath ?? '?';
            const logicalId = resource.resourceLogicalId ?? logicalIdAt(stack, where);
            findings.push(`${violation.ruleName}: ${where} (${stack.stackName} ${logicalId}): ${firstLine(violation.description)}`);
          }
        }
      }
    }
    return [...new Set(findings)];
  }

  /**
   * No secret material in anything synth writes (CloudFormation templates
   * and assets' metadata, Terraform JSON, Kubernetes YAML): no password,
   * secret string or token as a literal property, no container variable
   * named like a credential with a literal value, no Kubernetes Secret with
   * credential data, no private key, no AWS access key. Secrets come from
   * Secrets Manager and reach pods through External Secrets or `valueFrom`.
   *
   * @throws listing `<file>: <JSON path or line>: <what>` per finding
   */
  public static noSecretMaterial(platform: Platform): void {
    fail(Verify.secretMaterial(platform), 'piece of secret material', 'pieces of secret material');
  }

  /** The findings `noSecretMaterial` throws for (empty when there are none). */
  public static secretMaterial(platform: Platform): string[] {
    return secretsIn(snapshot(platform));
  }

  /**
   * The factory's platform synthesizes to the same bytes twice (every
   * file of every output), so a pipeline's diff shows only real changes.
   *
   * @throws listing the files that differ, or that only one synth wrote
   */
  public static deterministic(factory: IPlatformFactory): void {
    fail(Verify.nondeterministicFiles(factory), 'file is not deterministic', 'files are not deterministic');
  }

  /**
   * The files `deterministic` throws for (empty when there are none). Both
   * synths run in this process: differences that only show between
   * processes or machines (a path, a clock in a file name) need two runs
   * of the program, such as the CLI synths of a pipeline.
   */
  public static nondeterministicFiles(factory: IPlatformFactory): string[] {
    return differences(snapshot(factory.create()), snapshot(factory.create()));
  }

  /**
   * All of the above on the factory's platform: restricted pods, valid
   * schemas, no cdk-nag AwsSolutions finding, no secret material, and
   * deterministic output. Every problem of every check in one error.
   */
  public static all(factory: IPlatformFactory): void {
    const platform = factory.create();
    // One synth serves the secret scan and is the first of the two the determinism check compares.
    const written = snapshot(platform);
    const found = [
      ...Verify.podSecurityViolations(platform),
      ...Verify.schemaProblems(platform),
      ...Verify.awsSolutionsFindings(platform),
      ...secretsIn(written),
      ...differences(written, snapshot(factory.create())).map(f => `not deterministic: ${f}`),
    ];
    fail(found, 'problem');
  }

  private constructor() {}
}

/** Throws one error listing every finding, or nothing. */
function fail(found: readonly string[], what: string, plural = `${what}s`): void {
  if (found.length === 0) return;
  throw new Error(`${found.length} ${found.length === 1 ? what : plural}:\n  - ${found.join('\n  - ')}`);
}

/** The logical id of the CloudFormation element at construct path `where` in `stack`. */
function logicalIdAt(stack: cdk.Stack, where: string): string {
  const relative = where.split('/').slice(stack.node.path.split('/').length);
  let node: IConstruct | undefined = stack;
  for (const id of relative) node = node?.node.tryFindChild(id);
  return node instanceof cdk.CfnElement ? stack.resolve(node.logicalId) : '?';
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

function environmentsOf(platform: Platform): Environment[] {
  return platform.node.children.filter((c): c is Environment => c instanceof Environment);
}

/** cdk-nag's AwsSolutions pack, loaded by name: it is the tests' dependency, not the library's. */
function loadAwsSolutions(): NagPack {
  let nag: { AwsSolutionsChecks: new () => NagPack };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    nag = require('cdk-nag');
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND') {
      throw new Error('Verify.awsSolutionsClean needs cdk-nag: npm install --save-dev cdk-nag@^3 '
        + '(in Python: pip install cdk-nag, and import cdk_nag in the test before calling it, which loads it into the jsii runtime)');
    }
    throw e;
  }
  return new nag.AwsSolutionsChecks();
}

/** Synthesizes every output into a temporary folder, runs `fn` on it, and removes the folder. */
function withSynthesized<T>(platform: Platform, fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-runtime-stack-verify-'));
  const saved = OUTDIR_VARIABLES.map(k => [k, process.env[k]] as const);
  try {
    // Every output, whatever CLI runs the tests.
    for (const k of OUTDIR_VARIABLES) delete process.env[k];
    platform.synth({
      cloudAssemblyOutdir: path.join(dir, 'cdk.out'),
      manifestsOutdir: path.join(dir, 'dist'),
      terraformOutdir: path.join(dir, 'cdktf.out'),
      summary: false,
    });
    return fn(dir);
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file synth writes, by its path under the output folder, with its bytes. */
function snapshot(platform: Platform): Map<string, Buffer> {
  return withSynthesized(platform, dir => new Map(filesUnder(dir)
    .map(f => [path.relative(dir, f), fs.readFileSync(f)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/** The secret material in the files of a synth. */
function secretsIn(files: Map<string, Buffer>): string[] {
  return [...files].flatMap(([file, bytes]) => secretMaterialIn(file, bytes.toString('utf8')));
}

/** The files two synths wrote differently, or only one of them wrote. */
function differences(first: Map<string, Buffer>, second: Map<string, Buffer>): string[] {
  const files = [...new Set([...first.keys(), ...second.keys()])].sort();
  return files.filter(f => {
    const [a, b] = [first.get(f), second.get(f)];
    return !a || !b || !a.equals(b);
  }).map(f =>
    (!first.has(f) ? `${f}: only the second synth wrote it` : !second.has(f) ? `${f}: only the first synth wrote it` : `${f}: differs between two synths`));
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
