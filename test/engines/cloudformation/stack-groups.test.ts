import * as cdk from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  Cache, CloudEngine, DatabasePlacement, Environment, FargateRuntime, KubernetesCluster, ManagedPostgres, ObjectStore, Platform, Queue,
  StackGroup, SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { cloudFormationAppOf } from '../../../lib/engines/cloudformation/engine';
import { nagReportOf } from '../../util/nag';
import { validationErrorOf } from '../../util/problems';
import { terraformJson } from '../terraform/fixtures';

/** Resource types whose replacement or deletion loses data or identity. */
const STATEFUL = [
  'AWS::RDS::DBInstance', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::S3::Bucket', 'AWS::SQS::Queue',
  'AWS::ElastiCache::ReplicationGroup', 'AWS::Logs::LogGroup', 'AWS::IAM::Role',
];

/** A service of the test program: a database and a web app using it; `extras` adds a bucket, a queue, a cache and a worker using them. */
interface Service {
  readonly name: string;
  /** The stack group of the service's database, bucket, queue and cache (none: stacks of their own). */
  readonly group?: string;
  readonly extras?: boolean;
}

/** A PRODUCTION environment with a cluster, SupportServices and the services (groups are made on first use, in order). */
function program(services: Service[], engine = CloudEngine.CLOUDFORMATION) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', engine });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const groups = new Map<string, StackGroup>();
  const groupOf = (id?: string) => {
    if (!id) return undefined;
    if (!groups.has(id)) groups.set(id, new StackGroup(env, id));
    return groups.get(id);
  };
  for (const s of services) {
    const stackGroup = groupOf(s.group);
    const db = new ManagedPostgres(env, `${s.name}-db`, { stackGroup });
    Platform.acknowledgeWarning(db, 'RS315', 'test program');
    new WebApp(cluster, s.name, { image: `ghcr.io/acme/${s.name}:1.0.0`, port: 8080, host: `${s.name}.acme.example.com`, connections: [db] });
    if (s.extras) {
      const bucket = new ObjectStore(env, `${s.name}-files`, { stackGroup });
      const queue = new Queue(env, `${s.name}-jobs`, { stackGroup });
      const cache = new Cache(env, `${s.name}-cache`, { stackGroup });
      new Worker(cluster, `${s.name}-worker`, { image: `ghcr.io/acme/${s.name}-worker:1.0.0`, connections: [bucket, queue, cache] });
    }
  }
  platform.render();
  return { platform, env, groups };
}

/** Per stack: its template. */
function templates(env: Environment): Map<string, any> {
  return new Map(env.stacks.map(s => [s.stackName, Template.fromStack(s).toJSON()]));
}

/** Per logical id: the stack, the element (first construct below the stack) and the definition of every resource outside the foundation. */
function resourcesByLogicalId(env: Environment): Map<string, { stack: string; element: string; json: string; type: string }> {
  const out = new Map<string, { stack: string; element: string; json: string; type: string }>();
  for (const stack of env.stacks.slice(1)) {
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    for (const element of stack.node.children) {
      for (const c of element.node.findAll()) {
        if (!cdk.CfnResource.isCfnResource(c) || cdk.Stack.of(c) !== stack) continue;
        const id = stack.resolve(c.logicalId) as string;
        expect(out.has(id)).toBe(false); // a logical id is unique across the environment's stacks here
        out.set(id, { stack: stack.stackName, element: element.node.id, json: JSON.stringify(resources[id]), type: resources[id].Type });
      }
    }
  }
  return out;
}

const SERVICES: Service[] = [
  { name: 'a', group: 'payments', extras: true },
  { name: 'b', group: 'payments' },
  { name: 'c' },
  { name: 'd', group: 'catalog' },
];

describe('stack groups: services that share a CloudFormation stack', () => {
  const grouped = program(SERVICES);
  const ungrouped = program(SERVICES.map(s => ({ ...s, group: undefined })));
  const byStack = templates(grouped.env);

  test('a group\'s services are in one stack named after the group; the others keep stacks of their own', () => {
    expect([...byStack.keys()].sort()).toEqual([
      'acme-prod', 'acme-prod-c-db', 'acme-prod-catalog', 'acme-prod-main-app-a-worker', 'acme-prod-payments',
    ]);
    expect(grouped.groups.get('payments')!.stackName).toBe('acme-prod-payments');
    const payments = grouped.env.stacks.find(s => s.stackName === 'acme-prod-payments')!;
    // Each service keeps its own scope under the stack, as in a stack of its own.
    expect(payments.node.children.map(c => c.node.id).filter(id => /^[a-z]/.test(id))).toEqual(
      ['a-db', 'a-files', 'a-jobs', 'a-cache', 'b-db']);
    const types = (name: string) => Object.values(byStack.get(name).Resources as Record<string, any>).map(r => r.Type);
    expect(types('acme-prod-payments').filter(t => t === 'AWS::RDS::DBInstance')).toHaveLength(2);
    for (const type of ['AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::ElastiCache::ReplicationGroup']) {
      expect(types('acme-prod-payments')).toContain(type);
    }
    expect(types('acme-prod-catalog').filter(t => t === 'AWS::RDS::DBInstance')).toHaveLength(1);
    expect(types('acme-prod')).not.toContain('AWS::RDS::DBInstance');
  });

  test('every resource is the one a stack of its own would hold: the same logical id, byte for byte', () => {
    const inGroups = resourcesByLogicalId(grouped.env);
    const inOwnStacks = resourcesByLogicalId(ungrouped.env);
    expect([...inGroups.keys()].sort()).toEqual([...inOwnStacks.keys()].sort());
    expect(inGroups.size).toBeGreaterThan(60);
    // Including the rotation of each grouped database: its schedule, naming the environment's function, and the rule admitting it.
    expect([...inGroups.values()].filter(r => r.type === 'AWS::SecretsManager::RotationSchedule' && r.stack !== 'acme-prod-c-db')).toHaveLength(3);
    expect([...inGroups.values()].filter(r => r.type === 'AWS::Serverless::Application')).toEqual([]);
    for (const [id, r] of inGroups) {
      expect([id, r.json]).toEqual([id, inOwnStacks.get(id)!.json]);
    }
    const stacksOf = (m: typeof inGroups, element: string) => [...new Set([...m.values()].filter(r => r.element === element).map(r => r.stack))];
    expect(stacksOf(inOwnStacks, 'b-db')).toEqual(['acme-prod-b-db']);
    expect(stacksOf(inGroups, 'b-db')).toEqual(['acme-prod-payments']);
    expect(stacksOf(inGroups, 'a-files')).toEqual(['acme-prod-payments']);
    expect(stacksOf(inGroups, 'd-db')).toEqual(['acme-prod-catalog']);
    expect(stacksOf(inGroups, 'c-db')).toEqual(['acme-prod-c-db']);
    expect(stacksOf(inGroups, 'main-app-a-worker')).toEqual(['acme-prod-main-app-a-worker']);
    // The foundation is the same either way.
    expect(JSON.stringify(byStack.get('acme-prod'))).toEqual(JSON.stringify(templates(ungrouped.env).get('acme-prod')));
  });

  test('a group\'s stack imports from the foundation only, exports nothing, deploys after the foundation and alone with cdk deploy -e', () => {
    const exported = new Set(Object.values(byStack.get('acme-prod').Outputs as Record<string, any>).map(o => o.Export.Name));
    const imports = [...JSON.stringify(byStack.get('acme-prod-payments')).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map(m => m[1]);
    expect(imports.length).toBeGreaterThan(3);
    for (const name of imports) expect(exported).toContain(name);
    expect(byStack.get('acme-prod-payments').Outputs ?? {}).toEqual({});
    const assembly = cloudFormationAppOf(grouped.platform)!.synth();
    for (const stack of assembly.stacks) {
      const deps = stack.dependencies.map(d => d.id).filter(id => !id.endsWith('.assets'));
      expect([stack.stackName, deps]).toEqual([stack.stackName, stack.stackName === 'acme-prod' ? [] : ['acme-prod']]);
    }
  });

  test('a group\'s stack passes cdk-nag\'s AwsSolutions pack', () => {
    const report = nagReportOf(grouped.env);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the synth summary counts the group\'s stack with the others', () => {
    const line = grouped.platform.summary().split('\n').find(l => l.startsWith('  prod '));
    const total = [...byStack.values()].reduce((n, t) => n + Object.keys(t.Resources).length, 0);
    expect(line).toMatch(new RegExp(`^  prod \\(production\\): 5 stacks, ${total} resources: foundation acme-prod \\d+, largest of the other 4 acme-prod-payments \\d+$`));
  });

  test('the Terraform engine keeps one state per environment: groups change nothing in it', () => {
    const a = terraformJson(program(SERVICES, CloudEngine.TERRAFORM).env);
    const b = terraformJson(program(SERVICES.map(s => ({ ...s, group: undefined })), CloudEngine.TERRAFORM).env);
    expect(Object.keys(a.resource.aws_db_instance ?? {})).toHaveLength(4);
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
  });
});

describe('membership in a group is stable: adding, removing and reordering services moves nothing else', () => {
  const base: Service[] = [
    { name: 'a', group: 'payments', extras: true },
    { name: 'b', group: 'payments' },
    { name: 'c' },
    { name: 'd', group: 'payments' },
    { name: 'e', group: 'catalog' },
  ];
  const variants: Record<string, Service[]> = {
    'a grouped service removed (b)': base.filter(s => s.name !== 'b'),
    'the grouped service with a bucket, a queue, a cache and a worker removed (a)': base.filter(s => s.name !== 'a'),
    'a service added first to the group': [{ name: 'k', group: 'payments', extras: true }, ...base],
    'a service added last, in a stack of its own': [...base, { name: 'z' }],
    'all reversed': [...base].reverse(),
    'the other group emptied (e removed)': base.filter(s => s.name !== 'e'),
  };
  const before = resourcesByLogicalId(program(base).env);

  test.each(Object.keys(variants))('%s: every other resource keeps its stack, its logical id and its definition', variant => {
    const names = variants[variant].map(s => s.name);
    const after = resourcesByLogicalId(program(variants[variant]).env);
    const gone = base.map(s => s.name).filter(n => !names.includes(n));
    const ofGone = (element: string) => gone.some(n => element.startsWith(`${n}-`) || element === `main-app-${n}-worker`);
    let kept = 0;
    for (const [id, r] of before) {
      if (ofGone(r.element)) {
        expect(after.has(id)).toBe(false);
        continue;
      }
      expect([id, after.get(id)?.stack, after.get(id)?.json]).toEqual([id, r.stack, r.json]);
      if (STATEFUL.includes(r.type)) kept++;
    }
    expect(kept).toBeGreaterThan(15);
  });
});

describe('stack groups: bad input', () => {
  test('a group of another environment (RS037), a group for an in-cluster database (RS325), a group id a service has (RS004): all at once', () => {
    const platform = new Platform({ name: 'acme' });
    const other = new Environment(platform, 'staging', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const prod = new Environment(platform, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(prod, 'main');
    new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const foreign = new StackGroup(other, 'payments');
    new Queue(prod, 'jobs', { stackGroup: foreign });
    const billing = new StackGroup(prod, 'billing');
    new Queue(prod, 'invoices', { stackGroup: billing });
    new ManagedPostgres(prod, 'scratch-db', { placement: DatabasePlacement.IN_CLUSTER, stackGroup: billing });
    new Queue(prod, 'orders');
    new StackGroup(prod, 'orders');
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code, p.prop])).toEqual(expect.arrayContaining([
      ['acme/prod/jobs', 'RS037', 'stackGroup'],
      ['acme/prod/scratch-db', 'RS325', 'stackGroup'],
      ['acme/prod/orders~2', 'RS004', 'id'],
    ]));
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/stack group acme\/staging\/payments is in environment "staging", the service in "prod": use a StackGroup of environment "prod"/);

  });

  test('a group\'s stack name another stack has (RS034), found once the output is rendered, before anything is written', () => {
    // Another environment's foundation.
    const platform2 = new Platform({ name: 'acme' });
    new Environment(platform2, 'prod-billing', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const prod2 = new Environment(platform2, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new Queue(prod2, 'invoices', { stackGroup: new StackGroup(prod2, 'billing') });
    const clash = validationErrorOf(platform2);
    expect(clash.problems.map(p => [p.path, p.code])).toEqual([['acme/prod', 'RS034']]);
    expect(clash.message).toMatch(/the stack of its stack group "billing" would be named acme-prod-billing, which another stack of the platform already is: give stack group "billing" or the environment with the stack acme-prod-billing another id/);
  });

  test('a group\'s stack name a workload identity\'s stack has (RS034): the message names both', () => {
    const platform = new Platform({ name: 'acme' });
    const prod = new Environment(platform, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(prod, 'main');
    new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const jobs = new Queue(prod, 'jobs', { stackGroup: new StackGroup(prod, 'main-app-api') });
    new Worker(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', connections: [jobs] }); // its identity: stack acme-prod-main-app-api
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code])).toEqual([['acme/prod', 'RS034']]);
    expect(error.message).toMatch(/the stack of its element "main-app-api" would be named acme-prod-main-app-api, which the stack of its stack group "main-app-api" already is: give "main-app-api" or stack group "main-app-api" another id/);
  });

  test('a group id that is not a DNS label is RS002', () => {
    const platform = new Platform({ name: 'acme' });
    const prod = new Environment(platform, 'prod', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    new Queue(prod, 'jobs', { stackGroup: new StackGroup(prod, 'Payments') });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code])).toEqual([['acme/prod/Payments', 'RS002']]);
    expect(error.message).toMatch(/StackGroup id "Payments" is not a lowercase DNS label/);
  });
});

describe('stack groups on Fargate', () => {
  test('a Fargate workload deploys after the group stack of the database it connects to', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
    const fargate = new FargateRuntime(env, 'edge', { domain: 'acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    const group = new StackGroup(env, 'data');
    const db = new ManagedPostgres(env, 'orders-db', { stackGroup: group });
    const jobs = new Queue(env, 'jobs');
    new WebApp(fargate, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080, host: 'api.acme.example.com', connections: [db, jobs] });
    platform.render();
    expect(env.stacks.map(s => s.stackName)).toEqual(['acme-shop', 'acme-shop-data', 'acme-shop-jobs', 'acme-shop-edge-app-api']);
    const after = (name: string) => env.stacks.find(s => s.stackName === name)!.dependencies.map(s => s.stackName).sort();
    expect(after('acme-shop-edge-app-api')).toEqual(['acme-shop', 'acme-shop-data', 'acme-shop-jobs']);
    expect(after('acme-shop-data')).toEqual(['acme-shop']);
  });
});
