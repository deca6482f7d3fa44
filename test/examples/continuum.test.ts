import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Tier } from '../../lib';
import { cfnGuardUnavailable, explainControlTowerFailures } from '../util/control-tower';
import { deployabilityProblems, secretNamesOfCloudFormation } from '../util/deployability';
import { offlineCliEnv } from '../util/offline-cli';
import { podSecurityViolations } from '../util/pod-security';
import { validateManifests } from '../util/schema';
import { environmentTemplateFromAssembly } from '../util/templates';

/**
 * examples/continuum: one PRODUCTION environment with an EKS cluster and a
 * Fargate runtime, the same app definition placed on both, sharing a
 * database — through the real `cdk synth` and `cdk8s synth`, offline and
 * without credentials. The example imports 'cdk-runtime-stack' by name:
 * run `npx projen compile` first.
 */
const root = path.resolve(__dirname, '..', '..');
const example = path.join(root, 'examples', 'continuum');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);

let work: string;
let template: any;
let docs: any[];
const run = (cmd: string, args: string[]) => execFileSync(bin(cmd), args, { cwd: example, env: { ...offlineCliEnv(), CI: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'link-self.js')]);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-continuum-'));
  run('cdk', ['synth', '--no-notices', '--no-version-reporting', '--quiet', '--output', path.join(work, 'cdk.out')]);
  run('cdk8s', ['synth', '--output', path.join(work, 'dist')]);
  template = environmentTemplateFromAssembly(path.join(work, 'cdk.out'), 'acme-prod');
  const dir = path.join(work, 'dist', 'prod', 'main');
  docs = fs.readdirSync(dir).sort().flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const resources = (type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type);

describe('examples/continuum with the real CLIs', () => {
  test('cdk synth: the foundation with the EKS cluster and the ECS cluster, the shared database and queue, and a stack per workload', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdk.out', 'manifest.json'), 'utf8'));
    expect(manifest.missing).toBeUndefined();
    const stacks = Object.keys(manifest.artifacts).filter(k => manifest.artifacts[k].type === 'aws:cloudformation:stack');
    expect(stacks).toEqual([
      'acme-prod', 'acme-prod-orders-db', 'acme-prod-jobs', 'acme-prod-main-app-orders',
      'acme-prod-edge-app-orders', 'acme-prod-edge-app-fulfilment', 'acme-prod-edge-app-nightly-report',
    ]);
    for (const stack of stacks.slice(1)) expect(manifest.artifacts[stack].dependencies).toContain('acme-prod');
    expect(resources('AWS::EKS::Cluster')).toHaveLength(1);
    expect(resources('AWS::ECS::Cluster')).toHaveLength(1);
    expect(resources('AWS::RDS::DBInstance')).toHaveLength(1);
  });

  test('the same app on both runtimes: a Deployment with an HTTPRoute on EKS, an ECS service behind the load balancer on Fargate', () => {
    expect(docs.find(d => d.kind === 'Deployment' && d.metadata.name === 'orders')).toBeDefined();
    expect(docs.find(d => d.kind === 'HTTPRoute' && d.metadata.name === 'orders').spec.hostnames).toEqual(['orders.acme.example.com']);
    const [, service] = resources('AWS::ECS::Service').find(([, r]) => r.Properties.ServiceName === 'orders')!;
    expect(service.Properties.LoadBalancers).toHaveLength(1);
    const rules = resources('AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r.Properties.Conditions[0].HostHeaderConfig.Values[0]);
    expect(rules).toEqual(['orders.edge.acme.example.com']);
    expect(resources('AWS::Scheduler::Schedule').map(([, r]) => r.Properties.ScheduleExpression)).toEqual(['cron(30 2 * * ? *)']);
  });

  test('the shared database admits both: the EKS cluster\'s security group and the Fargate tasks\' group', () => {
    const [, group] = resources('AWS::EC2::SecurityGroup').find(([, r]) => r.Properties.GroupDescription.startsWith('PostgreSQL instance acme-prod-orders-db'))!;
    expect(group.Properties.SecurityGroupIngress.map((i: any) => i.Description)).toEqual([
      'PostgreSQL from the pods and nodes of EKS cluster acme-prod-main',
      'PostgreSQL from the tasks of ECS cluster acme-prod-edge',
    ]);
  });

  test('cdk8s synth: every object schema-valid, every pod restricted, everything referenced exists', () => {
    expect(validateManifests(docs)).toEqual([]);
    expect(podSecurityViolations(docs)).toEqual([]);
    const awsSecretNames = secretNamesOfCloudFormation(template);
    expect(deployabilityProblems(docs, { awsSecretNames, preExistingNamespaces: ['argocd'] })).toEqual([]);
  });

  (cfnGuardUnavailable ? test.skip : test)('AWS Control Tower proactive controls: only the documented exceptions', () => {
    expect(explainControlTowerFailures(Tier.PRODUCTION, template).unexplained).toEqual([]);
  }, 120_000);

  test('no secret material in the task definitions: database keys come as `secrets`', () => {
    for (const [, task] of resources('AWS::ECS::TaskDefinition')) {
      const [c] = task.Properties.ContainerDefinitions;
      expect((c.Environment ?? []).map((e: any) => e.Name)).not.toContain('ORDERS_DB_PASSWORD');
      expect((c.Secrets ?? []).map((e: any) => e.Name)).toContain('ORDERS_DB_PASSWORD');
    }
  });
});

describe('examples/continuum in process', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = (): any => require(path.join(example, 'continuum')).continuumPlatform();
  // The compiled library the example imports by name, with its testing helpers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const { testing } = require('cdk-runtime-stack');

  test('no warnings: every one is acknowledged with its reason (RS160 on the Fargate workloads)', () => {
    const platform = build();
    platform.render();
    expect(platform.warnings).toEqual([]);
  });

  test('testing.Verify.all: restricted, schema-valid, cdk-nag AwsSolutions clean, no secret material, deterministic', () => {
    testing.Verify.all({ create: build });
  });
});
