import * as fs from 'fs';
import * as path from 'path';

/**
 * The shape of lib/: no import cycles (type-only imports included), and
 * dependencies that point one way between the layers.
 */

const LIB = path.join(__dirname, '..', 'lib');
const GENERATED = path.join(LIB, 'kubernetes', 'imports');

function sources(dir = LIB): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === GENERATED ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module of lib/ a module imports: `import`, `import type`, `export ... from`, `require()`, `import()`. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms),
    ...text.matchAll(/\b(?:require|import)\(\s*'(\.[^']+)'\s*\)/g),
  ].map(m => m[1]);
  const out: string[] = [];
  for (const spec of specs) {
    const base = path.resolve(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find(f => fs.existsSync(f));
    if (target && !target.startsWith(GENERATED)) out.push(target);
  }
  return [...new Set(out)];
}

const files = sources();
const graph = new Map(files.map(f => [f, importsOf(f)]));
const rel = (f: string) => path.relative(LIB, f);

/** Strongly connected components with more than one module (Tarjan). */
function cycles(): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); scc.push(rel(w)); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const f of files) if (!idx.has(f)) visit(f);
  return out;
}

describe('the layout of lib/', () => {
  test('finds the modules and their imports', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(graph.get(path.join(LIB, 'index.ts'))!.length).toBeGreaterThan(5);
  });

  test('no import cycles, type-only imports included', () => {
    expect(cycles()).toEqual([]);
  });

  /** Modules under `from` that import modules under `to`. */
  const violations = (from: string, to: string[]) => files
    .filter(f => rel(f).startsWith(from))
    .flatMap(f => graph.get(f)!.filter(t => to.some(p => rel(t).startsWith(p))).map(t => `${rel(f)} -> ${rel(t)}`));

  test('engines know no service, runtime or public construct', () => {
    expect(violations('engines/', ['services/', 'runtimes/', 'core/platform', 'core/environment', 'web-app', 'worker', 'scheduled-job', 'workload'])).toEqual([]);
  });

  test('services know no runtime, and no engine beyond its interface', () => {
    expect(violations('services/', ['runtimes/', 'web-app', 'worker', 'scheduled-job', 'workload', 'engines/cloudformation/engine', 'engines/terraform/engine'])).toEqual([]);
  });

  test('the core knows no service or runtime', () => {
    expect(violations('core/', ['services/', 'runtimes/', 'web-app', 'worker', 'scheduled-job', 'workload'])).toEqual([]);
  });

  test('runtimes know no concrete service', () => {
    expect(violations('runtimes/', ['services/'])).toEqual([]);
  });
});
