import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { DiagramFormat, Environment, KubernetesCluster, Platform, Tier, WebApp, Worker } from '../../lib';
import { buildDiagram, dotOf, mermaidOf } from '../../lib/core/diagram';

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

describe('the diagram of examples/multi-environment (three environments, two clusters in PRODUCTION)', () => {
  const platform = example('multi-environment', 'multiEnvironmentPlatform');
  const diagram = platform._diagram();

  test('nodes: the environments, their clusters with workloads and support services, their managed services, the public hosts', () => {
    expect(diagram.nodes.map(n => [n.id, n.role, n.parent ?? '-'])).toEqual([
      ['dev', 'environment', '-'],
      ['staging', 'environment', '-'],
      ['prod', 'environment', '-'],
      ['dev/main', 'runtime', 'dev'],
      ['staging/main', 'runtime', 'staging'],
      ['prod/main', 'runtime', 'prod'],
      ['prod/batch', 'runtime', 'prod'],
      ['dev/shop-db', 'service', 'dev'],
      ['dev/orders', 'service', 'dev'],
      ['dev/media', 'service', 'dev'],
      ['dev/sessions', 'service', 'dev'],
      ['staging/shop-db', 'service', 'staging'],
      ['staging/orders', 'service', 'staging'],
      ['staging/media', 'service', 'staging'],
      ['staging/sessions', 'service', 'staging'],
      ['prod/shop-db', 'service', 'prod'],
      ['prod/orders', 'service', 'prod'],
      ['prod/media', 'service', 'prod'],
      ['prod/sessions', 'service', 'prod'],
      ['dev/main/catalog', 'workload', 'dev/main'],
      ['dev/main/storefront', 'workload', 'dev/main'],
      ['host:shop.dev.acme.example.com', 'host', '-'],
      ['dev/main/fulfilment', 'workload', 'dev/main'],
      ['dev/main/sitemap', 'workload', 'dev/main'],
      ['staging/main/catalog', 'workload', 'staging/main'],
      ['staging/main/storefront', 'workload', 'staging/main'],
      ['host:shop.staging.acme.example.com', 'host', '-'],
      ['staging/main/fulfilment', 'workload', 'staging/main'],
      ['staging/main/sitemap', 'workload', 'staging/main'],
      ['prod/main/catalog', 'workload', 'prod/main'],
      ['prod/main/storefront', 'workload', 'prod/main'],
      ['host:shop.acme.example.com', 'host', '-'],
      ['prod/batch/fulfilment', 'workload', 'prod/batch'],
      ['prod/batch/sitemap', 'workload', 'prod/batch'],
      ['dev/main/support', 'support', 'dev/main'],
      ['staging/main/support', 'support', 'staging/main'],
      ['prod/main/support', 'support', 'prod/main'],
      ['prod/batch/support', 'support', 'prod/batch'],
    ]);
    expect(diagram.nodes.filter(n => n.role === 'environment').map(n => n.label)).toEqual([
      'Environment dev (development, 111111111111 eu-west-1, terraform)',
      'Environment staging (staging, 222222222222 eu-central-1, cloudformation)',
      'Environment prod (production, 333333333333 us-east-1, cloudformation)',
    ]);
    expect(diagram.nodes.find(n => n.id === 'prod/batch')!.label).toBe('KubernetesCluster batch (EKS 1.36)');
    expect(diagram.nodes.find(n => n.id === 'prod/batch/sitemap')!.label).toBe('ScheduledJob sitemap');
  });

  test('edges: each host to its storefront; the storefront to the catalog in its cluster; both PRODUCTION clusters to the one database', () => {
    expect(diagram.edges.map(e => `${e.from} ${e.kind === 'host' ? '~>' : '->'} ${e.to}`)).toEqual([
      'host:shop.dev.acme.example.com ~> dev/main/storefront',
      'host:shop.staging.acme.example.com ~> staging/main/storefront',
      'host:shop.acme.example.com ~> prod/main/storefront',
      'dev/main/catalog -> dev/shop-db',
      'dev/main/catalog -> dev/media',
      'dev/main/storefront -> dev/main/catalog',
      'dev/main/storefront -> dev/sessions',
      'dev/main/storefront -> dev/orders',
      'dev/main/fulfilment -> dev/shop-db',
      'dev/main/fulfilment -> dev/orders',
      'dev/main/sitemap -> dev/shop-db',
      'dev/main/sitemap -> dev/media',
      'staging/main/catalog -> staging/shop-db',
      'staging/main/catalog -> staging/media',
      'staging/main/storefront -> staging/main/catalog',
      'staging/main/storefront -> staging/sessions',
      'staging/main/storefront -> staging/orders',
      'staging/main/fulfilment -> staging/shop-db',
      'staging/main/fulfilment -> staging/orders',
      'staging/main/sitemap -> staging/shop-db',
      'staging/main/sitemap -> staging/media',
      'prod/main/catalog -> prod/shop-db',
      'prod/main/catalog -> prod/media',
      'prod/main/storefront -> prod/main/catalog',
      'prod/main/storefront -> prod/sessions',
      'prod/main/storefront -> prod/orders',
      'prod/batch/fulfilment -> prod/shop-db',
      'prod/batch/fulfilment -> prod/orders',
      'prod/batch/sitemap -> prod/shop-db',
      'prod/batch/sitemap -> prod/media',
    ]);
  });

  test('Mermaid: a subgraph per environment and per cluster, PRODUCTION holding two', () => {
    const mermaid = platform.diagram(DiagramFormat.MERMAID);
    expect(mermaid).toContain('subgraph n2["Environment prod (production, 333333333333 us-east-1, cloudformation)"]');
    expect(mermaid).toContain('    subgraph n5["KubernetesCluster main (EKS 1.36)"]');
    expect(mermaid).toContain('    subgraph n6["KubernetesCluster batch (EKS 1.36)"]');
    expect(mermaid).toContain('n30 --> n29');
    expect(mermaid.split('\n').filter(l => l.trim() === 'end')).toHaveLength(7);
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

test('the README shows the diagram of examples/multi-environment as it is', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = /<!-- diagram:start -->\n```mermaid\n([\s\S]*?)```\n<!-- diagram:end -->/.exec(readme);
  expect(block).not.toBeNull();
  expect(block![1]).toBe(example('multi-environment', 'multiEnvironmentPlatform').diagram(DiagramFormat.MERMAID));
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

describe('buildDiagram draws each host and each connection once', () => {
  // Two environments serve one host (a blue/green move); a worker lists one target twice.
  const platform = new Platform({ name: 'acme' });
  const described = ['blue', 'green'].flatMap(id => {
    const env = new Environment(platform, id, { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });
    const cluster = new KubernetesCluster(env, 'main');
    const api = new WebApp(cluster, 'api', { image: 'ghcr.io/acme/api:1.0.0', port: 8080 });
    const billing = new Worker(cluster, 'billing', { image: 'ghcr.io/acme/billing:1.0.0' });
    return [
      { scope: env as IConstruct, description: { kind: 'Environment', role: 'environment' as const } },
      { scope: cluster, description: { kind: 'KubernetesCluster', role: 'runtime' as const } },
      { scope: api, description: { kind: 'WebApp', role: 'workload' as const, host: 'api.acme.example.com' } },
      { scope: billing, description: { kind: 'Worker', role: 'workload' as const, connections: [api, api] } },
    ];
  });
  const diagram = buildDiagram(platform, described);

  test('one node for the shared host, with an edge to each app it reaches', () => {
    expect(diagram.nodes.filter(n => n.role === 'host').map(n => n.id)).toEqual(['host:api.acme.example.com']);
    expect(diagram.edges.filter(e => e.kind === 'host').map(e => e.to)).toEqual(['blue/main/api', 'green/main/api']);
  });

  test('one edge for a target listed twice', () => {
    expect(diagram.edges.filter(e => e.kind === 'connection').map(e => `${e.from} -> ${e.to}`))
      .toEqual(['blue/main/billing -> blue/main/api', 'green/main/billing -> green/main/api']);
  });

  test('Mermaid and DOT nest each workload in its cluster, each cluster in its environment', () => {
    const mermaid = mermaidOf(diagram);
    expect(mermaid.split('\n').filter(l => l.trim().startsWith('subgraph'))).toHaveLength(4);
    expect(mermaid.split('\n').filter(l => l.trim() === 'end')).toHaveLength(4);
    expect(mermaid).toContain('    subgraph n1["KubernetesCluster main"]\n      n2["WebApp api"]\n      n4["Worker billing"]\n    end');
    const dot = dotOf(diagram);
    expect(dot).toContain('  subgraph "cluster_green" {\n    label="Environment green";\n    subgraph "cluster_green/main" {');
    expect(dot.match(/"host:api\.acme\.example\.com" \[/g)).toHaveLength(1);
  });
});
