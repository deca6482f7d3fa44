import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  Cache, Environment, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue, RuntimeStackConstruct, StackGroup, SupportServices, Tier,
  WebApp, Worker,
} from '../../../lib';
import { RenderPhase } from '../../../lib/core/graph';
import type { StackGrain } from '../../../lib/core/stack-layout';
import type { CloudFormationContext } from '../../../lib/engines/cloudformation/context';
import { cloudFormationAppOf } from '../../../lib/engines/cloudformation/engine';
import type { ServiceRenderers } from '../../../lib/engines/engine';
import { validationErrorOf } from '../../util/problems';

/** Resource types whose replacement or deletion loses data or identity. */
const STATEFUL = [
  'AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::S3::Bucket', 'AWS::SQS::Queue',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::Logs::LogGroup', 'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::EC2::VPC',
  'AWS::IAM::Role', 'AWS::EKS::PodIdentityAssociation',
];

/**
 * A PRODUCTION environment with a cluster and one "service" per name: a
 * database and a web app connected to it, and for every third name a
 * bucket, a queue and a cache that a worker uses (the worker gets an AWS
 * role, a workload identity).
 */
function program(names: string[]) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  for (const name of names) {
    const db = new ManagedPostgres(env, `${name}-db`);
    Platform.acknowledgeWarning(db, 'RS315', 'test program');
    new WebApp(cluster, name, { image: `ghcr.io/acme/${name}:1.0.0`, port: 8080, host: `${name}.acme.example.com`, connections: [db] });
    if (['a', 'd', 'g', 'k'].includes(name)) {
      const bucket = new ObjectStore(env, `${name}-files`);
      const queue = new Queue(env, `${name}-jobs`);
      const cache = new Cache(env, `${name}-cache`);
      new Worker(cluster, `${name}-worker`, { image: `ghcr.io/acme/${name}-worker:1.0.0`, connections: [bucket, queue, cache] });
    }
  }
  platform.render();
  return { platform, env };
}

/** Per stack: its template (as synthesized). */
function templates(env: Environment): Map<string, any> {
  return new Map(env.stacks.map(s => [s.stackName, Template.fromStack(s).toJSON()]));
}

/** `<stack> <type> <logical id>` of every stateful resource. */
function statefulResources(env: Environment): string[] {
  return [...templates(env)].flatMap(([stack, t]) => Object.entries(t.Resources as Record<string, any>)
    .filter(([, r]) => STATEFUL.includes(r.Type)).map(([id, r]) => `${stack} ${r.Type} ${id}`)).sort();
}

describe('the stack layout of a CloudFormation environment', () => {
  const { platform, env } = program(['a', 'b', 'c']);
  const byStack = templates(env);
  const foundation = byStack.get('acme-prod');

  test('a foundation named like the environment, and a stack of its own per managed service and per workload identity', () => {
    expect([...byStack.keys()].sort()).toEqual([
      'acme-prod',
      'acme-prod-a-cache', 'acme-prod-a-db', 'acme-prod-a-files', 'acme-prod-a-jobs',
      'acme-prod-b-db', 'acme-prod-c-db',
      // The worker's role and its Pod Identity association (the web apps need no AWS role).
      'acme-prod-main-app-a-worker',
    ]);
    expect(env.stack.stackName).toBe('acme-prod');
    expect(env.stacks[0]).toBe(env.stack);
    const types = (name: string) => new Set(Object.values(byStack.get(name).Resources as Record<string, any>).map(r => r.Type));
    // The foundation: network, cluster and node group, keys, add-ons, the support services' roles, the access-log bucket and S3 endpoint.
    for (const type of ['AWS::EC2::VPC', 'AWS::EKS::Cluster', 'AWS::EKS::Nodegroup', 'AWS::EKS::Addon', 'AWS::KMS::Key', 'AWS::EKS::PodIdentityAssociation', 'AWS::S3::Bucket', 'AWS::EC2::VPCEndpoint']) {
      expect(types('acme-prod')).toContain(type);
    }
    expect(types('acme-prod')).not.toContain('AWS::RDS::DBInstance');
    expect(types('acme-prod')).not.toContain('AWS::SQS::Queue');
    expect(types('acme-prod')).not.toContain('AWS::ElastiCache::ReplicationGroup');
    expect(types('acme-prod-a-db')).toContain('AWS::RDS::DBInstance');
    expect(types('acme-prod-a-files')).toContain('AWS::S3::Bucket');
    expect(types('acme-prod-a-jobs')).toContain('AWS::SQS::Queue');
    expect(types('acme-prod-a-cache')).toContain('AWS::ElastiCache::ReplicationGroup');
    expect([...types('acme-prod-main-app-a-worker')].sort()).toEqual(['AWS::EKS::PodIdentityAssociation', 'AWS::IAM::Policy', 'AWS::IAM::Role']);
  });

  test('references go one way: stacks of their own import from the foundation, the foundation imports nothing', () => {
    const imports = (t: any) => [...JSON.stringify(t).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map(m => m[1]);
    expect(imports(foundation)).toEqual([]);
    const exported = new Set(Object.values(foundation.Outputs as Record<string, any>).map(o => o.Export.Name));
    const imported = new Set([...byStack].filter(([name]) => name !== 'acme-prod').flatMap(([, t]) => imports(t)));
    expect(imported.size).toBeGreaterThan(3); // the VPC, subnets, cluster security group, logs key
    for (const name of imported) {
      expect(exported).toContain(name);
    }
    // No export of one stack of its own is imported by another.
    for (const [name, t] of byStack) {
      if (name !== 'acme-prod') expect(t.Outputs ?? {}).toEqual({});
    }
  });

  test('every stack of its own deploys after the foundation (cdk deploy --all orders them), and on its own with cdk deploy -e', () => {
    const assembly = cloudFormationAppOf(platform)!.synth();
    for (const stack of assembly.stacks) {
      const deps = stack.dependencies.map(d => d.id).filter(id => !id.endsWith('.assets'));
      expect(deps).toEqual(stack.stackName === 'acme-prod' ? [] : ['acme-prod']);
      expect(stack.environment).toMatchObject({ account: '111111111111', region: 'eu-west-1' });
    }
  });

  test('logical ids are the ones of a single stack: the element scope is the first construct under its stack', () => {
    const resources = byStack.get('acme-prod-a-db').Resources as Record<string, any>;
    const instance = Object.keys(resources).filter(id => resources[id].Type === 'AWS::RDS::DBInstance');
    // `a-db/Resource` under the stack: the path without the stack, as in one stack (cf. the quickstart's ordersdb26513815).
    expect(instance).toEqual([expect.stringMatching(/^adb[0-9A-F]{8}$/)]);
    const db = env.stacks.find(s => s.stackName === 'acme-prod-a-db')!;
    expect(db.node.children.map(c => c.node.id)).toContain('a-db');
  });
});

describe('membership is stable: adding, removing and reordering services moves nothing else', () => {
  const base = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const variants: Record<string, string[]> = {
    'one removed (c)': ['a', 'b', 'd', 'e', 'f', 'g'],
    'one removed that had a bucket, a queue, a cache and a worker (d)': ['a', 'b', 'c', 'e', 'f', 'g'],
    'one added first (k, with a worker)': ['k', ...base],
    'one added last (z)': [...base, 'z'],
    'all reversed': [...base].reverse(),
    'every service removed': [],
  };
  const before = program(base).env;
  const beforeStacks = templates(before);
  const beforeStateful = statefulResources(before);

  test.each(Object.keys(variants))('%s: every other stack is byte-identical, every stateful resource keeps its stack and logical id', (variant) => {
    const names = variants[variant];
    const after = program(names).env;
    const afterStacks = templates(after);
    // The foundation's exports do not depend on which services exist, so removing a service never meets "export in use";
    // the foundation itself does not change either, unless the last bucket goes (with it the environment's access-log
    // bucket, kept in the account, and the S3 endpoint) or the last workload that needed a support service (its role).
    const foundationAfter = afterStacks.get('acme-prod');
    const foundationBefore = beforeStacks.get('acme-prod');
    expect(foundationAfter.Outputs).toEqual(foundationBefore.Outputs);
    if (names.some(n => ['a', 'd', 'g', 'k'].includes(n))) {
      expect(JSON.stringify(foundationAfter)).toEqual(JSON.stringify(foundationBefore));
    } else {
      const dropped = Object.keys(foundationBefore.Resources).filter(id => !(id in foundationAfter.Resources));
      const types = dropped.map(id => foundationBefore.Resources[id].Type);
      expect(types).toEqual(expect.arrayContaining(['AWS::EC2::VPCEndpoint', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']));
      // And with the last rotated database, the environment's rotation function (named by ARN, never imported; its
      // security group stays with the network, exported).
      expect(new Set(types)).toEqual(new Set(['AWS::EC2::VPCEndpoint', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy',
        'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::EKS::PodIdentityAssociation', ...names.length === 0 ? ['AWS::Serverless::Application'] : []]));
      expect(foundationBefore.Resources[dropped.find(id => foundationBefore.Resources[id].Type === 'AWS::S3::Bucket')!].DeletionPolicy).toBe('Retain');
    }
    for (const [name, template] of afterStacks) {
      if (name !== 'acme-prod' && beforeStacks.has(name)) expect(JSON.stringify(template)).toEqual(JSON.stringify(beforeStacks.get(name)));
    }
    const kept = new Set(statefulResources(after));
    const gone = base.filter(n => !names.includes(n));
    const expectedKept = beforeStateful.filter(r => !gone.some(n => r.startsWith(`acme-prod-${n}-`) || r.startsWith(`acme-prod-main-app-${n}-`))
      // With no workload and no bucket left, the support services' roles and the access-log bucket go (checked above).
      && !(names.length === 0 && (r.includes('s3accesslogs') || /AWS::(IAM::Role|EKS::PodIdentityAssociation) /.test(r))));
    expect(expectedKept.length).toBeGreaterThan(names.length === 0 ? 5 : 20);
    for (const r of expectedKept) expect(kept).toContain(r);
  });
});

/** The error `platform.synth()` into a fresh folder throws (undefined if none), and what it left there (hidden staging folders aside). */
function synthError(platform: Platform): { error: any; written: string[] } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-bytes-'));
  try {
    let error: any;
    try {
      platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist'), summary: false });
    } catch (e) {
      error = e;
    }
    return { error, written: fs.readdirSync(out).filter(f => !f.startsWith('.')) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe('limits, per stack, reported before anything is written', () => {
  /** TEST-ONLY: a service whose CloudFormation renderer makes as many resources, outputs and parameters as asked. */
  class Oversized extends RuntimeStackConstruct {
    constructor(env: Environment, id: string,
      make: { resources?: number; outputs?: number; parameters?: number; bytes?: number; grain?: StackGrain; group?: StackGroup }) {
      super(env, id);
      const renderers: ServiceRenderers<{ scopeId: string }, void> = {
        type: 'oversized',
        grain: make.grain,
        cloudFormation: () => (ctx: CloudFormationContext, intent: { scopeId: string }) => {
          const scope = ctx.scope(intent.scopeId);
          for (let i = 0; i < (make.resources ?? 0); i++) new cdk.CfnWaitConditionHandle(scope, `R${i}`);
          for (let i = 0; i < (make.outputs ?? 0); i++) new cdk.CfnOutput(scope, `O${i}`, { value: `${i}` });
          for (let i = 0; i < (make.parameters ?? 0); i++) new cdk.CfnParameter(scope, `P${i}`, { default: `${i}` });
          if (make.bytes) {
            for (let i = 0; i < Math.ceil(make.bytes / 4000); i++) {
              new cdk.CfnResource(scope, `Big${i}`, { type: 'AWS::SSM::Parameter', properties: { Type: 'String', Value: 'x'.repeat(4000) } });
            }
          }
        },
        terraform: () => () => undefined,
      };
      this._registerElement(RenderPhase.SERVICE, {
        validate: () => undefined,
        render: () => env._engine().service(renderers, { scopeId: id, stackGroup: make.group?.node.id }),
      });
    }
  }

  test('a stack of its own over 500 resources, 200 outputs or 200 parameters, and a foundation over 500: all at once, nothing written', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new KubernetesCluster(env, 'main');
    new Oversized(env, 'huge', { resources: 501 });
    new Oversized(env, 'chatty', { outputs: 201, parameters: 201 });
    new Oversized(env, 'fits', { resources: 400, outputs: 100, parameters: 100 });
    new Oversized(env, 'shared', { resources: 480, grain: 'foundation' });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code, p.prop])).toEqual([
      ['acme/dev', 'RS019', 'engine'],
      ['acme/dev', 'RS019', 'huge'],
      ['acme/dev', 'RS019', 'chatty'],
      ['acme/dev', 'RS019', 'chatty'],
    ]);
    expect(error.message).toMatch(/CloudFormation stack acme-dev would hold 5\d\d resources, more than the 500 CloudFormation allows: split its clusters/);
    expect(error.message).toMatch(/stack acme-dev-huge would hold 501 resources, more than the 500 CloudFormation allows: split "huge" into several services/);
    expect(error.message).toMatch(/stack acme-dev-chatty would hold 201 outputs, more than the 200/);
    expect(error.message).toMatch(/stack acme-dev-chatty would hold 201 parameters, more than the 200/);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-limit-'));
    try {
      expect(() => platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist') })).toThrow(/RS019/);
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('a stack group over 500 resources: an error naming the group, whose fix keeps deployed services where they are', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const bulk = new StackGroup(env, 'bulk');
    const roomy = new StackGroup(env, 'roomy');
    new Oversized(env, 'first', { resources: 300, group: bulk });
    new Oversized(env, 'second', { resources: 201, group: bulk });
    new Oversized(env, 'third', { resources: 250, group: roomy });
    new Oversized(env, 'fourth', { resources: 250, group: roomy });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code, p.prop])).toEqual([['acme/dev', 'RS019', 'bulk']]);
    expect(error.message).toMatch(/its CloudFormation stack acme-dev-bulk \(stack group "bulk"\) would hold 501 resources, more than the 500 CloudFormation allows: put the services you add into another StackGroup, or let them have stacks of their own \(no stackGroup\); a service already deployed keeps its group: moving it to another stack replaces its resources/);
  });

  test('a template over 1 MB stops synth before any output is written', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new Oversized(env, 'wordy', { bytes: 1_100_000 });
    new Oversized(env, 'fine', { bytes: 900_000 });
    const { error, written } = synthError(platform);
    expect(error?.problems?.map((p: any) => [p.path, p.code])).toEqual([['acme/dev', 'RS019']]);
    expect(error.message).toMatch(/stack acme-dev-wordy has a template of \d{7} bytes, more than the 1000000 CloudFormation allows/);
    expect(written).toEqual([]);
  });

  test('a stack group\'s template over 1 MB: an error naming the group', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const bulk = new StackGroup(env, 'bulk');
    new Oversized(env, 'wordy', { bytes: 600_000, group: bulk });
    new Oversized(env, 'verbose', { bytes: 600_000, group: bulk });
    const { error, written } = synthError(platform);
    expect(error?.problems?.map((p: any) => [p.path, p.code, p.prop])).toEqual([['acme/dev', 'RS019', 'bulk']]);
    expect(error.message).toMatch(/stack acme-dev-bulk \(stack group "bulk"\) has a template of \d{7} bytes, more than the 1000000 CloudFormation allows: put the services you add into another StackGroup/);
    expect(written).toEqual([]);
  });

  test('sixty databases in one environment: sixty stacks, each far from the limits (one stack held about thirty)', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new KubernetesCluster(env, 'main');
    for (let i = 0; i < 60; i++) new ManagedPostgres(env, `db${i}`);
    platform.render();
    expect(env.stacks).toHaveLength(61);
    const counts = env.stacks.map(s => Object.keys(Template.fromStack(s).toJSON().Resources).length);
    expect(Math.max(...counts)).toBeLessThan(100);
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(500);
    // The synth summary: how many stacks, their resources, the foundation and the largest of the others (what meets a limit first).
    const largest = Math.max(...counts.slice(1));
    const line = platform.summary().split('\n').find(l => l.startsWith('  dev '));
    expect(line).toMatch(new RegExp(`^  dev \\(development\\): 61 stacks, ${total} resources: foundation acme-dev ${counts[0]}, largest of the other 60 acme-dev-db\\d+ ${largest}$`));
  });

  test('a stack name two stacks would share is an error naming both ids', () => {
    const platform = new Platform({ name: 'acme' });
    new Environment(platform, 'prod-orders', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const prod = new Environment(platform, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new Queue(prod, 'orders');
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code])).toEqual([['acme/prod', 'RS034']]);
    expect(error.message).toMatch(/the stack of its element "orders" would be named acme-prod-orders, which another stack of the platform already is: give "orders" or the environment with the stack acme-prod-orders another id/);
  });
});
