import { IConstruct } from 'constructs';

/**
 * The picture of a platform: its environments, their clusters and Fargate
 * runtimes with their workloads and support services, and their managed
 * services; edges for connections and public hosts. Built from what the
 * graph's elements say of themselves (`GraphElement.describe`), so the
 * core knows no service or runtime.
 */

/** What an element of the graph shows in the diagram. */
export interface DiagramDescription {
  /** What it is, e.g. `WebApp`, `ManagedPostgres`, `KubernetesCluster`. */
  readonly kind: string;
  /** The role in the picture: it decides the shape and the nesting. */
  readonly role: 'environment' | 'runtime' | 'workload' | 'service' | 'support';
  /** More text under the name, e.g. the tier of an environment. */
  readonly detail?: string;
  /** The public host it serves. */
  readonly host?: string;
  /** What it connects to. */
  readonly connections?: IConstruct[];
}

/** A node of the diagram. */
export interface DiagramNode {
  /** The construct path below the platform, e.g. `prod/main/orders` (or `host:<name>` for a host). */
  readonly id: string;
  readonly kind: string;
  readonly role: DiagramDescription['role'] | 'host';
  readonly label: string;
  /** The node it is drawn inside (an environment or a runtime). */
  readonly parent?: string;
}

/** An edge: a connection (workload to target) or a host (host to workload). */
export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'connection' | 'host';
}

export interface Diagram {
  readonly name: string;
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
}

/** The diagram of `described` elements (in graph order) of the platform `root`. */
export function buildDiagram(root: IConstruct, described: Array<{ scope: IConstruct; description: DiagramDescription }>): Diagram {
  const idOf = (c: IConstruct) => c.node.path.slice(root.node.path.length + 1);
  const known = new Map(described.map(d => [d.scope, d]));
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  // Sets of what is already drawn: a lookup per host and per connection,
  // not a walk of everything drawn so far (quadratic in the apps).
  const hosts = new Set<string>();
  const drawn = new Set<string>();
  for (const { scope, description: d } of described) {
    const container = [...scope.node.scopes].reverse().slice(1)
      .find(s => ['environment', 'runtime'].includes(known.get(s)?.description.role ?? '') && known.get(s)!.description.role !== d.role);
    nodes.push({
      id: idOf(scope),
      kind: d.kind,
      role: d.role,
      label: `${d.kind} ${scope.node.id}${d.detail ? ` (${d.detail})` : ''}`,
      parent: container ? idOf(container) : undefined,
    });
    if (d.host !== undefined) {
      const host = `host:${d.host}`;
      if (!hosts.has(host)) {
        hosts.add(host);
        nodes.push({ id: host, kind: 'host', role: 'host', label: d.host });
      }
      edges.push({ from: host, to: idOf(scope), kind: 'host' });
    }
  }
  for (const { scope, description: d } of described) {
    for (const target of d.connections ?? []) {
      if (!known.has(target)) continue;
      const edge: DiagramEdge = { from: idOf(scope), to: idOf(target), kind: 'connection' };
      const key = `${edge.from}\0${edge.to}`;
      if (!drawn.has(key)) {
        drawn.add(key);
        edges.push(edge);
      }
    }
  }
  return { name: root.node.id, nodes, edges };
}

/** The nodes drawn inside each node (`undefined`: at the top), in diagram order. */
function childrenOf(diagram: Diagram): Map<string | undefined, DiagramNode[]> {
  const children = new Map<string | undefined, DiagramNode[]>();
  for (const n of diagram.nodes) {
    const list = children.get(n.parent);
    if (list) list.push(n);
    else children.set(n.parent, [n]);
  }
  return children;
}

/** The diagram as a Mermaid flowchart (GitHub renders it in Markdown and `.mmd` files). */
export function mermaidOf(diagram: Diagram): string {
  const key = new Map(diagram.nodes.map((n, i) => [n.id, `n${i}`]));
  const text = (s: string) => s.replace(/"/g, '#quot;');
  const shape = (n: DiagramNode) => {
    const label = `"${text(n.label)}"`;
    switch (n.role) {
      case 'service': return `[(${label})]`;
      case 'host': return `([${label}])`;
      case 'support': return `[[${label}]]`;
      default: return `[${label}]`;
    }
  };
  const lines = ['flowchart LR'];
  const children = childrenOf(diagram);
  const emit = (parent: string | undefined, indent: string) => {
    for (const n of children.get(parent) ?? []) {
      if (children.has(n.id) || n.role === 'environment' || n.role === 'runtime') {
        lines.push(`${indent}subgraph ${key.get(n.id)}["${text(n.label)}"]`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${key.get(n.id)}${shape(n)}`);
      }
    }
  };
  emit(undefined, '  ');
  for (const e of diagram.edges) {
    lines.push(`  ${key.get(e.from)} ${e.kind === 'host' ? '-.->' : '-->'} ${key.get(e.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The diagram as Graphviz DOT (`dot -Tsvg diagram.dot > diagram.svg`). */
export function dotOf(diagram: Diagram): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const shape = (n: DiagramNode) => ({ service: 'cylinder', host: 'ellipse', support: 'component' } as Record<string, string>)[n.role] ?? 'box';
  const lines = [`digraph ${q(diagram.name)} {`, '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];', '  compound=true;'];
  const children = childrenOf(diagram);
  const emit = (parent: string | undefined, indent: string) => {
    for (const n of children.get(parent) ?? []) {
      if (n.role === 'environment' || n.role === 'runtime') {
        lines.push(`${indent}subgraph ${q(`cluster_${n.id}`)} {`, `${indent}  label=${q(n.label)};`);
        emit(n.id, `${indent}  `);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${q(n.id)} [label=${q(n.label)}, shape=${shape(n)}];`);
      }
    }
  };
  emit(undefined, '  ');
  for (const e of diagram.edges) {
    lines.push(`  ${q(e.from)} -> ${q(e.to)}${e.kind === 'host' ? ' [style=dashed]' : ''};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
