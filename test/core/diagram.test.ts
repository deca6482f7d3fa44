import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DiagramFormat, Environment, KubernetesCluster, Platform, Tier, WebApp, Worker } from '../../lib';

/**
 * The platform's diagram: nodes for environments, clusters and Fargate
 * runtimes, workloads, managed services and support services; edges for
 * connections and public hosts; as Mermaid and Graphviz DOT, written by
 * synth beside the Kubernetes YAML. The examples import 'cdk-runtime-stack'
 * by name: run `npx projen compile` first.
 */
const examples = path.join(__dirname, '..', '..', 'examples');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = (name: string, fn: string): Platform => require(path.join(examples, name, name))[fn]();

describe('the diagram of examples/continuum (one environment, EKS and Fargate)', () => {
  const platform = example('continuum', 'continuumPlatform');
  const diagram = platform._diagram();

  test('nodes: the environment, its two runtimes with their workloads and support services, and its managed services', () => {
    expect(diagram.nodes.map(n => [n.id, n.role, n.parent ?? '-'])).toEqual([
      ['prod', 'environment', '-'],
      ['prod/main', 'runtime', 'prod'],
      ['prod/edge', 'runtime', 'prod'],
      ['prod/orders-db', 'service', 'prod'],
      ['prod/jobs', 'service', 'prod'],
      ['prod/main/orders', 'workload', 'prod/main'],
      ['host:orders.acme.example.com', 'host', '-'],
      ['prod/edge/orders', 'workload', 'prod/edge'],
      ['host:orders.edge.acme.example.com', 'host', '-'],
      ['prod/edge/fulfilment', 'workload', 'prod/edge'],
      ['prod/edge/nightly-report', 'workload', 'prod/edge'],
      ['prod/main/support', 'support', 'prod/main'],
    ]);
    expect(diagram.nodes.find(n => n.id === 'prod/edge')!.label).toBe('FargateRuntime edge (ECS)');
    expect(diagram.nodes.find(n => n.id === 'prod/orders-db')!.label).toBe('ManagedPostgres orders-db (RDS)');
  });

  test('edges: each host to its app, each connection from workload to target', () => {
    expect(diagram.edges.map(e => `${e.from} ${e.kind === 'host' ? '~>' : '->'} ${e.to}`)).toEqual([
      'host:orders.acme.example.com ~> prod/main/orders',
      'host:orders.edge.acme.example.com ~> prod/edge/orders',
      'prod/main/orders -> prod/orders-db',
      'prod/main/orders -> prod/jobs',
      'prod/edge/orders -> prod/orders-db',
      'prod/edge/orders -> prod/jobs',
      'prod/edge/fulfilment -> prod/orders-db',
      'prod/edge/fulfilment -> prod/jobs',
      'prod/edge/nightly-report -> prod/orders-db',
    ]);
  });

  test('Mermaid: subgraphs for the environment and runtimes, a shape per role, dashed host edges', () => {
    const mermaid = platform.diagram(DiagramFormat.MERMAID);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('subgraph n0["Environment prod (production, 444444444444 eu-west-1, cloudformation)"]');
    expect(mermaid).toContain('n3[("ManagedPostgres orders-db (RDS)")]');
    expect(mermaid).toContain('n6(["orders.acme.example.com"])');
    expect(mermaid).toContain('n6 -.-> n5');
    expect(mermaid.split('\n').filter(l => l.trim() === 'end')).toHaveLength(3);
  });

  const dot = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  if (dot.error) process.stderr.write(`diagram.test.ts: Graphviz not installed, DOT not rendered (${dot.error.message}); apt-get install graphviz\n`);
  (dot.error ? test.skip : test)('Graphviz renders the DOT to SVG with every node', () => {
    const svg = spawnSync('dot', ['-Tsvg'], { input: platform.diagram(DiagramFormat.DOT), encoding: 'utf8' });
    expect({ status: svg.status, stderr: svg.stderr }).toEqual({ status: 0, stderr: '' });
    expect(svg.stdout).toContain('<svg');
    for (const label of ['WebApp orders', 'FargateRuntime edge (ECS)', 'Queue jobs (SQS)', 'orders.edge.acme.example.com']) {
      expect(svg.stdout).toContain(label);
    }
  });
});

test('examples/shop: two environments (Terraform and CloudFormation), each with its cluster, workloads and services', () => {
  const diagram = example('shop', 'shopPlatform')._diagram();
  for (const env of ['staging', 'prod']) {
    expect(diagram.nodes.filter(n => n.parent === env).map(n => n.id).sort())
      .toEqual([`${env}/jobs`, `${env}/main`, `${env}/orders-db`, `${env}/sessions`, `${env}/uploads`]);
    expect(diagram.edges.filter(e => e.from === `${env}/main/fulfilment`).map(e => e.to).sort())
      .toEqual([`${env}/jobs`, `${env}/orders-db`, `${env}/uploads`]);
  }
  expect(diagram.nodes.find(n => n.id === 'staging')!.label).toContain('terraform');
});

test('the README shows the diagram of examples/shop as it is', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /<!-- diagram:start -->\n```mermaid\n([\s\S]*?)```\n<!-- diagram:end -->/.exec(readme);
  expect(block).not.toBeNull();
  expect(block![1]).toBe(example('shop', 'shopPlatform').diagram(DiagramFormat.MERMAID));
});

test('synth writes diagram.mmd and diagram.dot beside the Kubernetes YAML', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
  try {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'main');
    const api = new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [api] });
    platform.synth({ cloudAssemblyOutdir: path.join(out, 'cdk.out'), manifestsOutdir: path.join(out, 'dist'), summary: false });
    expect(fs.readFileSync(path.join(out, 'dist', 'diagram.mmd'), 'utf8')).toBe(platform.diagram(DiagramFormat.MERMAID));
    expect(fs.readFileSync(path.join(out, 'dist', 'diagram.dot'), 'utf8')).toBe(platform.diagram(DiagramFormat.DOT));
    expect(fs.readFileSync(path.join(out, 'dist', 'diagram.dot'), 'utf8')).toContain('"dev/main/billing" -> "dev/main/api";');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
