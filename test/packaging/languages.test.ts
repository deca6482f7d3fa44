import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The other jsii languages: the assembly declares Python, Java, .NET and
 * Go, and depends on aws-cdk-lib, constructs, cdk8s and cdk8s-plus-28
 * only (the Terraform engine's cdktf packages are loaded by name, never a
 * dependency), so a blueprint compiles with jsii and the other languages'
 * packages install without them. jsii-pacmak generates each language's
 * sources offline; building the packages needs PyPI, Maven Central, NuGet
 * and the Go proxy, which these machines do not reach.
 */
const ROOT = path.join(__dirname, '..', '..');
const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));

describe('the jsii assembly and the generated languages', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pacmak-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  beforeAll(() => {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-pacmak'),
      ['--code-only', '--targets', 'python', '--targets', 'java', '--targets', 'dotnet', '--targets', 'go', '--outdir', out],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  }, 180_000);

  test('the assembly: every language a target, the four required packages its only dependencies', () => {
    expect(Object.keys(assembly.targets).sort()).toEqual(['dotnet', 'go', 'java', 'js', 'python']);
    expect(Object.keys(assembly.dependencies).sort()).toEqual(['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'cdk8s', 'cdk8s-plus-28', 'constructs']);
    // Its only dependencies are bundled into the package (testing.Verify's schema validation): no user installs them.
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['ajv', 'ajv-formats', 'yaml']);
    expect([...pkg.bundledDependencies].sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });

  test('Python: requires no cdktf package, byte-compiles, and has the same constructors (a workload takes any runtime)', () => {
    const setup = fs.readFileSync(path.join(out, 'python', 'setup.py'), 'utf8');
    const requires = JSON.parse(/"install_requires": (\[[^\]]*\])/.exec(setup)![1]);
    expect(requires.map((r: string) => r.split(/[<>=]/)[0])).toEqual(['aws-cdk-lib', 'cdk8s-plus-28', 'cdk8s', 'constructs', 'jsii', 'publication']);
    const compiled = spawnSync('python3', ['-m', 'compileall', '-q', path.join(out, 'python')], { encoding: 'utf8' });
    if (compiled.error) {
      process.stderr.write(`languages.test.ts: python3 not found, byte-compile skipped (${compiled.error.message})\n`);
    } else {
      expect({ status: compiled.status, stderr: compiled.stderr }).toEqual({ status: 0, stderr: '' });
    }
    const module = fs.readFileSync(path.join(out, 'python', 'src', 'cdk_runtime_stack', '__init__.py'), 'utf8');
    expect(module).toContain('class FargateRuntime(');
    expect(module).toMatch(/class WebApp\([\s\S]*?def __init__\(\s*self,\s*runtime: "IWorkloadRuntime",\s*id: builtins\.str,\s*\*,/);
  });

  test('Java, .NET and Go: no cdktf dependency either', () => {
    // The dependency declarations of each: Maven artifacts, NuGet package references, Go requires.
    const declared: Record<string, [string, RegExp]> = {
      java: [path.join(out, 'java', 'pom.xml'), /<artifactId>([^<]+)<\/artifactId>/g],
      dotnet: [path.join(out, 'dotnet', 'CdkRuntimeStack', 'CdkRuntimeStack.csproj'), /<PackageReference Include="([^"]+)"/g],
      go: [path.join(out, 'go', 'cdkruntimestack', 'go.mod'), /^\s+(\S+) v\S+/gm],
    };
    for (const [language, [file, pattern]] of Object.entries(declared)) {
      const names = [...fs.readFileSync(file, 'utf8').matchAll(pattern)].map(m => m[1]);
      expect({ language, cdk8s: names.some(n => /cdk8s/i.test(n)), cdktf: names.filter(n => /cdktf/i.test(n)) }).toEqual({ language, cdk8s: true, cdktf: [] });
    }
  });
});
