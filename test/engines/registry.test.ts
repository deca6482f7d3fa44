import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CloudEngine, Environment, KubernetesCluster, Platform, Tier } from '../../lib';
import { terraformEngineLoadError } from '../../lib/engines/registry';

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs `body` in a fresh Node.js process that loads the library from its
 * TypeScript sources. With `hideCdktf`, a module-resolution hook makes
 * `cdktf` and `@cdktf/*` unresolvable, as if they were not installed.
 * The body prints one JSON line, which is returned parsed.
 */
function runIsolated(body: string, hideCdktf: boolean): any {
  const hook = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (request === 'cdktf' || request.startsWith('cdktf/') || request.startsWith('@cdktf/')) {
        const e = new Error("Cannot find module '" + request + "'");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      return resolve.call(this, request, ...rest);
    };`;
  const script = `
    ${hideCdktf ? hook : ''}
    require('ts-node').register({ transpileOnly: true, preferTsExts: true, project: ${JSON.stringify(path.join(ROOT, 'tsconfig.json'))} });
    const lib = require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))});
    const { RuntimeStackValidationError } = require(${JSON.stringify(path.join(ROOT, 'lib', 'core', 'problems.ts'))});
    const loaded = () => Object.keys(require.cache).filter(k => /[\\\\/](cdktf|@cdktf)[\\\\/]/.test(k));
    ${body}`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf-8', env: { ...process.env, CDK_OUTDIR: '', CDKTF_OUTDIR: '' } });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const RENDER_CLOUDFORMATION = `
  const platform = new lib.Platform({ name: 'acme' });
  const prod = new lib.Environment(platform, 'prod', { tier: lib.Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  new lib.KubernetesCluster(prod, 'main');
  platform.render();
  const { CfnResource } = require('aws-cdk-lib');
  const types = prod.stack.node.findAll().filter(c => CfnResource.isCfnResource(c)).map(c => c.cfnResourceType);
  const manifests = Object.keys(platform.manifests());
`;

describe('the Terraform engine loads only when an environment asks for it', () => {
  test('a CloudFormation-only render never loads cdktf or @cdktf/provider-aws', () => {
    // GIVEN cdktf installed, WHEN a CloudFormation environment renders
    const result = runIsolated(`${RENDER_CLOUDFORMATION}
      console.log(JSON.stringify({ loaded: loaded(), eks: types.includes('AWS::EKS::Cluster'), manifests }));`, false);
    // THEN
    expect(result.eks).toBe(true);
    expect(result.manifests).toEqual(['prod/main']);
    expect(result.loaded).toEqual([]);
  });

  test('with cdktf and @cdktf/provider-aws absent, the library loads and renders CloudFormation + YAML', () => {
    const result = runIsolated(`${RENDER_CLOUDFORMATION}
      console.log(JSON.stringify({ loaded: loaded(), eks: types.includes('AWS::EKS::Cluster'), manifests }));`, true);
    expect(result.eks).toBe(true);
    expect(result.manifests).toEqual(['prod/main']);
    expect(result.loaded).toEqual([]);
  });

  test('with them absent, a Terraform environment fails validation with RS600 and the install command', () => {
    const result = runIsolated(`
      const platform = new lib.Platform({ name: 'acme' });
      const prod = new lib.Environment(platform, 'prod', { tier: lib.Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: lib.CloudEngine.TERRAFORM });
      new lib.KubernetesCluster(prod, 'main');
      let message = '';
      let validation = false;
      try { platform.render(); } catch (e) { message = e.message; validation = e instanceof RuntimeStackValidationError; }
      console.log(JSON.stringify({ message, validation }));`, true);
    expect(result.validation).toBe(true);
    expect(result.message).toContain('[RS600]');
    // The versions the library is built and tested with (its dev dependencies).
    const dev = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).devDependencies;
    expect(result.message).toContain(`npm install cdktf@^${dev.cdktf} @cdktf/provider-aws@^${dev['@cdktf/provider-aws']}`);
    expect(result.message).toMatch(/\((cdktf|@cdktf\/provider-aws) is not installed\)/);
  });

  test('a Terraform environment loads the engine (in this process, where cdktf is installed)', () => {
    // GIVEN
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
    new KubernetesCluster(env, 'main');
    // WHEN
    platform.render();
    // THEN
    expect(terraformEngineLoadError()).toBeUndefined();
    expect(env._engine().kind).toBe('terraform');
    expect(() => env.stack).toThrow(/uses the terraform engine: it has no CloudFormation stack/);
  });
});
