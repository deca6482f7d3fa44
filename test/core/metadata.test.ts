import { Lazy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  Environment, FargateRuntime, KubernetesCluster, Platform, ScheduledJob, SupportServices, Tier, WebApp, Worker,
} from '../../lib';
import { expectRestricted } from '../util/pod-security';
import { validationErrorOf } from '../util/problems';
import { expectValidManifests } from '../util/schema';
import { objectOf } from '../util/workloads';

/**
 * Labels and annotations of a blueprint's own: platform-wide (every object
 * of every cluster) and per workload (every object of the workload, its
 * namespace, its pod template), never in selectors, on Fargate as tags.
 */

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function graph(platformMeta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const platform = new Platform({ name: 'acme', ...platformMeta });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  return { platform, env, cluster };
}

const POD_CARRIERS = ['Deployment', 'StatefulSet', 'DaemonSet'];

describe('platform-wide labels and annotations', () => {
  const { platform, cluster } = graph({ labels: { 'acme.example/cost-centre': 'cc-1234' }, annotations: { 'acme.example/owner': 'platform-team@acme.example' } });
  new WebApp(cluster, 'orders', { image: IMAGE, port: 8080, host: 'orders.acme.example.com' });
  const docs = platform.manifests()['prod/main'];

  test('every object of the cluster carries them, support services and namespaces included', () => {
    expect(docs.length).toBeGreaterThan(20);
    const missing = docs.filter(d => d.metadata?.labels?.['acme.example/cost-centre'] !== 'cc-1234'
      || d.metadata?.annotations?.['acme.example/owner'] !== 'platform-team@acme.example');
    expect(missing.map(d => `${d.kind} ${d.metadata?.name}`)).toEqual([]);
    expect(docs.some(d => d.kind === 'HelmRelease' || d.kind === 'Application')).toBe(true);
  });

  test('pod templates get the labels but not the annotations (changing those would restart every pod)', () => {
    const carriers = docs.filter(d => POD_CARRIERS.includes(d.kind));
    expect(carriers.length).toBeGreaterThan(0);
    for (const d of carriers) {
      expect(d.spec.template.metadata.labels['acme.example/cost-centre']).toBe('cc-1234');
      expect(d.spec.template.metadata.annotations?.['acme.example/owner']).toBeUndefined();
    }
  });

  test('the output stays schema-valid and restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });
});

describe("a workload's labels and annotations", () => {
  const { platform, cluster } = graph({ labels: { 'acme.example/cost-centre': 'cc-1234', 'acme.example/team': 'platform' } });
  new WebApp(cluster, 'orders', {
    image: IMAGE,
    port: 8080,
    host: 'orders.acme.example.com',
    autoscaling: { maxReplicas: 6 },
    labels: { 'acme.example/team': 'payments', 'app.kubernetes.io/part-of': 'checkout' },
    annotations: { 'acme.example/runbook': 'https://runbooks.acme.example/orders' },
  });
  new ScheduledJob(cluster, 'report', { image: IMAGE, schedule: '30 3 * * *', labels: { 'acme.example/team': 'finance' } });
  new Worker(cluster, 'plain', { image: IMAGE });
  const docs = platform.manifests()['prod/main'];
  const inNamespace = (ns: string) => docs.filter(d => d.metadata?.namespace === ns || (d.kind === 'Namespace' && d.metadata.name === ns));

  test('every object of the workload and its namespace carries them; the workload wins over the platform for a key', () => {
    const own = inNamespace('orders');
    expect(own.map(d => d.kind)).toEqual(expect.arrayContaining(['Namespace', 'NetworkPolicy', 'ServiceAccount', 'Deployment', 'Service', 'HTTPRoute',
      'HorizontalPodAutoscaler', 'PodDisruptionBudget']));
    for (const d of own) {
      expect([d.kind, d.metadata.labels['acme.example/team'], d.metadata.labels['app.kubernetes.io/part-of']]).toEqual([d.kind, 'payments', 'checkout']);
      expect([d.kind, d.metadata.labels['acme.example/cost-centre']]).toEqual([d.kind, 'cc-1234']);
      expect([d.kind, d.metadata.annotations?.['acme.example/runbook']]).toEqual([d.kind, 'https://runbooks.acme.example/orders']);
    }
    const deployment = objectOf(docs, 'Deployment', 'orders', 'orders');
    expect(deployment.spec.template.metadata.labels).toMatchObject({ 'acme.example/team': 'payments', 'app.kubernetes.io/name': 'orders' });
    expect(deployment.spec.template.metadata.annotations?.['acme.example/runbook']).toBeUndefined();
  });

  test('selectors never change', () => {
    const deployment = objectOf(docs, 'Deployment', 'orders', 'orders');
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
    expect(objectOf(docs, 'Service', 'orders', 'orders').spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(objectOf(docs, 'PodDisruptionBudget', 'orders', 'orders').spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders' } });
  });

  test("a CronJob's job template and pod template carry the labels", () => {
    const cron = objectOf(docs, 'CronJob', 'report', 'report');
    expect(cron.metadata.labels['acme.example/team']).toBe('finance');
    expect(cron.spec.jobTemplate.metadata.labels['acme.example/team']).toBe('finance');
    expect(cron.spec.jobTemplate.spec.template.metadata.labels['acme.example/team']).toBe('finance');
  });

  test("another workload's objects get only the platform's", () => {
    const plain = inNamespace('plain');
    expect(plain.length).toBeGreaterThan(2);
    for (const d of plain) {
      expect([d.kind, d.metadata.labels['acme.example/team'], d.metadata.annotations?.['acme.example/runbook']]).toEqual([d.kind, 'platform', undefined]);
    }
  });

  test('the output stays schema-valid and restricted', () => {
    expectValidManifests(docs);
    expectRestricted(docs);
  });
});

describe('bad labels and annotations: one report, each with path, prop and fix', () => {
  test('keys and values Kubernetes rejects, reserved and library keys', () => {
    const { platform, cluster } = graph({ labels: { 'kubernetes.io/team': 'x' }, annotations: { 'argocd.argoproj.io/sync-wave': '5' } });
    new WebApp(cluster, 'orders', {
      image: IMAGE,
      port: 8080,
      labels: { 'app.kubernetes.io/name': 'other', 'team': 'has spaces', 'Bad Key': 'x', 'node.k8s.io/x': 'y', 'long': 'x'.repeat(64) },
      annotations: { 'acme.example/doc': 'x'.repeat(300 * 1024) },
    });
    const error = validationErrorOf(platform);
    const rows = error.problems.filter(p => ['RS008', 'RS009'].includes(p.code)).map(p => [p.path, p.code, p.prop]);
    expect(rows).toEqual(expect.arrayContaining([
      ['acme', 'RS008', 'labels.kubernetes.io/team'],
      ['acme', 'RS009', 'annotations.argocd.argoproj.io/sync-wave'],
      ['acme/prod/main/orders', 'RS008', 'labels.app.kubernetes.io/name'],
      ['acme/prod/main/orders', 'RS008', 'labels.team'],
      ['acme/prod/main/orders', 'RS008', 'labels.Bad Key'],
      ['acme/prod/main/orders', 'RS008', 'labels.node.k8s.io/x'],
      ['acme/prod/main/orders', 'RS008', 'labels.long'],
      ['acme/prod/main/orders', 'RS009', 'annotations'],
    ]));
    expect(rows).toHaveLength(8);
    expect(error.message).toContain('[RS008] labels.app.kubernetes.io/name: the label "app.kubernetes.io/name" is the library\'s own');
  });

  test('tokens of aws-cdk-lib and of cdktf are errors: labels are known at synth time', () => {
    const { platform, cluster } = graph();
    new Worker(cluster, 'a', { image: IMAGE, labels: { team: Lazy.string({ produce: () => 'x' }), owner: '${TfToken[TOKEN.12]}' } });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.code, p.prop, p.message])).toEqual([
      ['RS008', 'labels.team', 'a label is a token'],
      ['RS008', 'labels.owner', 'a label is a token'],
    ]);
  });

  test('two workloads sharing a namespace with different values for one label', () => {
    const { platform, cluster } = graph();
    new Worker(cluster, 'a', { image: IMAGE, namespace: 'shop', labels: { team: 'payments' } });
    new Worker(cluster, 'b', { image: IMAGE, namespace: 'shop', labels: { team: 'search' } });
    new Worker(cluster, 'c', { image: IMAGE, namespace: 'shop', labels: { team: 'payments' } });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => [p.path, p.code, p.prop])).toEqual([['acme/prod/main/b', 'RS008', 'labels.team']]);
    expect(error.problems[0].message).toContain('differs from "payments" that acme/prod/main/a gives in namespace shop');
  });

  test('shared namespaces that agree are fine, and the namespace carries the union', () => {
    const { platform, cluster } = graph();
    new Worker(cluster, 'a', { image: IMAGE, namespace: 'shop', labels: { team: 'payments' } });
    new Worker(cluster, 'b', { image: IMAGE, namespace: 'shop', labels: { team: 'payments', tier: 'gold' } });
    const ns = objectOf(platform.manifests()['prod/main'], 'Namespace', 'shop');
    expect(ns.metadata.labels).toMatchObject({ 'team': 'payments', 'tier': 'gold', 'pod-security.kubernetes.io/enforce': 'restricted' });
  });
});

describe('on Fargate', () => {
  test("a workload's labels become tags of its stack's resources; annotations are an error (RS150)", () => {
    const platform = new Platform({ name: 'acme', labels: { 'acme.example/cost-centre': 'cc-1234' } });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    const edge = new FargateRuntime(env, 'edge');
    new Worker(edge, 'sync', { image: IMAGE, labels: { 'acme.example/team': 'payments' } });
    platform.render();
    const stack = env.stacks.find(s => s.stackName.endsWith('-edge-app-sync'))!;
    const template = Template.fromStack(stack);
    const tagged = ['AWS::ECS::TaskDefinition', 'AWS::ECS::Service', 'AWS::Logs::LogGroup', 'AWS::IAM::Role'];
    for (const type of tagged) {
      const resources = Object.values(template.findResources(type));
      expect([type, resources.length > 0]).toEqual([type, true]);
      for (const r of resources) {
        expect([type, r.Properties.Tags]).toEqual([type, expect.arrayContaining([{ Key: 'acme.example/team', Value: 'payments' }])]);
      }
    }
    // The platform's labels are Kubernetes metadata: no tags on Fargate.
    expect(JSON.stringify(template.toJSON())).not.toContain('cc-1234');

    const bad = new Platform({ name: 'acme' });
    const badEnv = new Environment(bad, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
    new Worker(new FargateRuntime(badEnv, 'edge'), 'sync', { image: IMAGE, annotations: { 'acme.example/owner': 'x' } });
    expect(validationErrorOf(bad).problems.map(p => [p.code, p.prop])).toEqual([['RS150', 'annotations']]);
  });
});
