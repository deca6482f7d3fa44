import { awscdk, javascript } from 'projen';

// Versions we build and test against. Peer dependencies declare these as
// their minimum; projen pins the dev copy at the same version, so the tests
// always run against the lowest version a user may have.
const CDK_VERSION = '2.276.0';
const CDK8S_VERSION = '2.70.106';
const CDK8S_PLUS_VERSION = '2.5.6';
const CDKTF_VERSION = '0.21.0';
const PROVIDER_AWS_VERSION = '21.22.1';
const CDK_CLI_VERSION = '2.1148.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-runtime-stack',
  description: 'Declare a whole cloud-native runtime stack (AWS infrastructure + Kubernetes workloads and support services) as one typed construct graph; synthesize CloudFormation or Terraform JSON plus Kubernetes YAML.',
  author: 'cdk-runtime-stack maintainers',
  authorAddress: 'maintainers@users.noreply.h-seed-5298f54c.example',
  repositoryUrl: 'https://github.com/cdk-runtime-stack/cdk-runtime-stack.git',
  license: 'Apache-2.0',
  keywords: ['cdk', 'cdk8s', 'cdktf', 'eks', 'kubernetes', 'platform', 'gitops'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  srcdir: 'lib',
  libdir: 'lib',
  testdir: 'test',
  jsiiVersion: '~6.0.0',
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  minNodeVersion: '20.0.0',

  peerDeps: [
    `cdk8s@^${CDK8S_VERSION}`,
    `cdk8s-plus-28@^${CDK8S_PLUS_VERSION}`,
  ],
  devDeps: [
    // The Terraform engine's packages: loaded by name only when an
    // environment renders with Terraform (RS600 says what to install when
    // they are missing). Neither a peer nor a dependency, so they are no
    // jsii dependency of the assembly: a blueprint compiles with jsii, and
    // the Python, Java, .NET and Go packages install, without them.
    `cdktf@${CDKTF_VERSION}`,
    `@cdktf/provider-aws@${PROVIDER_AWS_VERSION}`,
    `aws-cdk@${CDK_CLI_VERSION}`,
    'cdk8s-cli@2.207.60',
    `cdktf-cli@${CDKTF_VERSION}`,
    'cdk-nag@3.0.2',
    // AWS Control Tower's proactive controls as cfn-guard rules, with the cfn-guard binary.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
  ],
  // The testing submodule's schema validation (testing.Verify): bundled
  // into the package, so no user installs them, in any language.
  bundledDeps: ['yaml@2.9.1', 'ajv@8.20.0', 'ajv-formats@3.0.1'],

  // Every jsii language. The build generates the Python, Java, .NET and Go
  // sources offline (package:code); building their packages needs PyPI,
  // Maven Central, NuGet and the Go proxy, which release machines reach.
  publishToPypi: { distName: 'cdk-runtime-stack', module: 'cdk_runtime_stack' },
  publishToMaven: { javaPackage: 'io.github.cdkruntimestack', mavenGroupId: 'io.github.cdk-runtime-stack', mavenArtifactId: 'cdk-runtime-stack' },
  publishToNuget: { dotNetNamespace: 'CdkRuntimeStack', packageId: 'CdkRuntimeStack' },
  publishToGo: { moduleName: 'github.com/cdk-runtime-stack/cdk-runtime-stack-go' },

  // No GitHub here: CI is .ci/run on a clean clone.
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  // ts-jest only transpiles; make the compiler check the tests too.
  jestOptions: {
    // Snapshots are tripwires: a changed one fails the build (in CI too);
    // update them on purpose with `npx projen test:update`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 120_000,
      // aws-cdk-lib's CloudFormation validation on in every test (off in users' synth by default).
      setupFiles: ['<rootDir>/test/setup-env.ts'],
      modulePathIgnorePatterns: ['<rootDir>/bench/.blueprints/'],
      // The examples' own tests (examples/org-blueprint/test: a blueprint's jest tests) run with the project's.
      // (projen adds its own patterns for lib/ and test/ after this one.)
      testMatch: ['<rootDir>/examples/*/test/**/*.test.ts'],
      // Resolve lib/*.ts before the compiled lib/*.js next to it, so tests
      // never run stale output.
      moduleFileExtensions: ['ts', 'tsx', 'js', 'json', 'node'],
      collectCoverage: false,
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/(cdk.out|dist|cdktf.out)/'],
    },
  },
  typecheckTests: true,
  eslint: true,
  eslintOptions: {
    dirs: ['lib'],
    ignorePatterns: ['*.js', '*.d.ts', 'node_modules/', 'lib/kubernetes/imports/', 'examples/*/cdk.out/', 'examples/*/dist/'],
  },
  docgen: true,
  gitignore: [
    'cdk.out/',
    'cdktf.out/',
    '/examples/*/dist/',
    '/examples/*/cdk.out/',
    '/examples/*/cdktf.out/',
    '/examples/*/.gen/',
    '/bench/out/',
    // EKS Blueprints, installed by `npm run bench -- --blueprints` for comparison.
    '/bench/.blueprints/',
    '*.js',
    '!/.projenrc.js',
    '!/scripts/*.js',
    // Runs against EKS Blueprints' own packages in bench/.blueprints/, so it is plain JavaScript.
    '!/bench/blueprints-program.js',
    '*.d.ts',
    '!/lib/kubernetes/imports/*.d.ts',
  ],
  // crds/ ships: testing.Verify.schemaValid validates custom resources against it.
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/', '/scripts/'] },
});

// A fresh lockfile from npm 11 omits the optional platform bindings of
// unrs-resolver 1.13+, which `npm ci` then rejects; 1.12.2 locks cleanly.
project.package.addPackageResolutions('unrs-resolver@1.12.2');

// The examples are user programs: they import 'cdk-runtime-stack' by name
// (linked into node_modules) and are type-checked against the built library.
project.preCompileTask.exec('node scripts/link-self.js');
project.postCompileTask.exec('tsc -p examples/tsconfig.json');

// Typed classes for the custom resources, generated from the CRD YAML kept
// in crds/ (one API group per file, each with its own name prefix).
const CRD_IMPORTS: Record<string, string> = {
  certificates: 'cert-manager/cert-manager.io_certificates.yaml',
  clusterissuers: 'cert-manager/cert-manager.io_clusterissuers.yaml',
  externalsecrets: 'external-secrets/external-secrets.io_externalsecrets.yaml',
  clustersecretstores: 'external-secrets/external-secrets.io_clustersecretstores.yaml',
  servicemonitors: 'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
  podmonitors: 'prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
  helmreleases: 'flux/helm.toolkit.fluxcd.io_helmreleases.yaml',
  helmrepositories: 'flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
  applications: 'argo-cd/argoproj.io_applications.yaml',
  gateways: 'gateway-api/gateway.networking.k8s.io_gateways.yaml',
  gatewayclasses: 'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
  httproutes: 'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  envoyproxies: 'envoy-gateway/gateway.envoyproxy.io_envoyproxies.yaml',
  scaledobjects: 'keda/keda.sh_scaledobjects.yaml',
  clustertriggerauthentications: 'keda/keda.sh_clustertriggerauthentications.yaml',
  clusters: 'cloudnative-pg/postgresql.cnpg.io_clusters.yaml',
};
const importCrds = project.addTask('import:crds', {
  description: 'Regenerate lib/kubernetes/imports/ from the CRD YAML in crds/ (offline)',
});
for (const [name, file] of Object.entries(CRD_IMPORTS)) {
  importCrds.exec(`cdk8s import --no-check-upgrade --language typescript --output lib/kubernetes/imports ${name}:=crds/${file}`);
}

// Speed, memory and output size, library vs. hand-written (not a test).
const bench = project.addTask('bench', {
  description: 'Benchmark: synth N apps across environments vs. the same stack by hand (npm run bench -- 10 40)',
});
bench.spawn(project.compileTask); // bench/ imports the compiled library
bench.exec('ts-node -P projenrc/tsconfig.json --transpile-only bench/run.ts', { receiveArgs: true });

// The main job: synthesize the quickstart (CloudFormation + Kubernetes YAML).
const synthQuickstart = project.addTask('synth:quickstart', {
  description: 'Synthesize examples/quickstart: cdk.out/ (CloudFormation) and dist/ (Kubernetes YAML)',
});
synthQuickstart.spawn(project.preCompileTask);
synthQuickstart.spawn(project.compileTask);
synthQuickstart.exec('ts-node --transpile-only -P ../tsconfig.json main.ts', { cwd: 'examples/quickstart' });

// The Terraform engine and the services' Terraform renderers import the
// cdktf packages, which are dev dependencies (loaded by name at run time,
// see lib/engines/terraform/provider.ts); everything else may import only
// dependencies and peers.
project.eslint?.addOverride({
  files: ['lib/engines/terraform/**/*.ts', 'lib/services/*/terraform.ts'],
  rules: { 'import/no-extraneous-dependencies': ['error', { devDependencies: true, optionalDependencies: false, peerDependencies: true }] },
});

// Packaging: the npm package, and the other languages' generated sources,
// checked offline (Python's compile with python3). Building their
// packages (package:python, ...) needs registries these machines do not
// reach; release machines run them.
const packageCode = project.addTask('package:code', {
  description: 'Generate the Python, Java, .NET and Go sources with jsii-pacmak (offline) and byte-compile the Python',
});
packageCode.exec('jsii-pacmak --code-only --targets python --targets java --targets dotnet --targets go --outdir dist/code');
packageCode.exec('python3 -m compileall -q dist/code/python');
for (const name of ['package', 'package-all']) {
  const task = project.tasks.tryFind(name)!;
  task.reset();
  task.spawn(project.tasks.tryFind('package:js')!);
  task.spawn(packageCode);
}

// The package ships the compiled JavaScript with its declarations, not the
// TypeScript sources next to them: TypeScript would pick the sources and
// type-check them under the user's settings, including the Terraform
// engine's imports of the optional cdktf peers.
project.addPackageIgnore('/lib/**/*.ts');
project.addPackageIgnore('!/lib/**/*.d.ts');

project.synth();
