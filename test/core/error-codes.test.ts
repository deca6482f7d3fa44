import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { AREA_DOCS, ERROR_CODES, ErrorCodeSeverity, errorCodesMarkdown } from '../../lib/core/error-codes';

/**
 * The table of error codes (lib/core/error-codes.ts) against the source:
 * every code lib/ reports is in it, with the severity it is reported with,
 * every code in it is reported somewhere, and the README and the docs say
 * the same.
 */

const ROOT = path.join(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib');
const TABLE_FILE = path.join(LIB, 'core', 'error-codes.ts');
const GENERATED = path.join(LIB, 'kubernetes', 'imports');
const REGENERATE = 'npx ts-node --transpile-only -P projenrc/tsconfig.json scripts/error-codes.ts';
const CODE = /^RS\d{3}$/;

/**
 * Codes that lib/ mentions but never reports (none: the doc comments give
 * real codes as examples). A mention of a code that does not exist fails
 * the test below.
 */
const MENTIONED_NOT_REPORTED: string[] = [];

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === GENERATED || e.name === 'node_modules' ? [] : sourcesUnder(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** One place a code is reported, and how. */
interface Use {
  readonly code: string;
  readonly how: 'error' | 'warning';
  readonly where: string;
}

interface Scan {
  /** Code literals and how they are reported. */
  readonly uses: Use[];
  /** Code literals whose use the scan cannot tell (a test fails on any). */
  readonly unclassified: string[];
  /** `.warning(scope, code, ...)` calls whose code is not a literal (a test fails on any). */
  readonly dynamicWarnings: string[];
}

/**
 * Finds the code literals of one source file and how each is reported:
 * - the code argument of `problems.error(...)` / `problems.warning(...)`;
 * - the `code` of an object literal: its `severity` if it has one (a
 *   `Problem`), else an error (a `ConnectionProblem`, which the workload
 *   reports with `problems.error`; no warning takes a computed code, which
 *   `dynamicWarnings` keeps true).
 * A literal anywhere else is unclassified.
 */
function scan(fileName: string, text: string): Scan {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const where = (n: ts.Node) => `${path.relative(ROOT, fileName)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const out: Scan = { uses: [], unclassified: [], dynamicWarnings: [] };
  const isReport = (n: ts.Node, name?: string): n is ts.CallExpression => ts.isCallExpression(n)
    && ts.isPropertyAccessExpression(n.expression)
    && (name ? n.expression.name.text === name : ['error', 'warning'].includes(n.expression.name.text));
  const isLiteral = (e: ts.Expression): boolean => ts.isStringLiteralLike(e)
    || (ts.isParenthesizedExpression(e) && isLiteral(e.expression))
    || (ts.isConditionalExpression(e) && isLiteral(e.whenTrue) && isLiteral(e.whenFalse));
  const visit = (node: ts.Node): void => {
    if (isReport(node, 'warning') && node.arguments.length === 5 && !isLiteral(node.arguments[1])) {
      out.dynamicWarnings.push(`${where(node)}: ${node.getText(sf).slice(0, 80)}`);
    }
    if (ts.isStringLiteralLike(node) && CODE.test(node.text)) {
      let expr: ts.Node = node;
      while (ts.isConditionalExpression(expr.parent) || ts.isParenthesizedExpression(expr.parent) || ts.isAsExpression(expr.parent)) {
        expr = expr.parent;
      }
      const parent = expr.parent;
      if (isReport(parent) && parent.arguments[1] === expr) {
        out.uses.push({ code: node.text, how: (parent.expression as ts.PropertyAccessExpression).name.text as Use['how'], where: where(node) });
      } else if (ts.isPropertyAssignment(parent) && parent.name.getText(sf) === 'code' && ts.isObjectLiteralExpression(parent.parent)) {
        const severity = parent.parent.properties.find(p => ts.isPropertyAssignment(p) && p.name.getText(sf) === 'severity') as ts.PropertyAssignment | undefined;
        const how = severity === undefined ? 'error' : /\.WARNING$/.test(severity.initializer.getText(sf)) ? 'warning'
          : /\.ERROR$/.test(severity.initializer.getText(sf)) ? 'error' : undefined;
        if (how) out.uses.push({ code: node.text, how, where: where(node) });
        else out.unclassified.push(`${where(node)}: ${node.text} (severity ${severity!.initializer.getText(sf)})`);
      } else {
        out.unclassified.push(`${where(node)}: ${node.text}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const libFiles = sourcesUnder(LIB).filter(f => f !== TABLE_FILE);
const scans = libFiles.map(f => scan(f, fs.readFileSync(f, 'utf8')));
const uses = scans.flatMap(s => s.uses);
const table = new Map(ERROR_CODES.map(c => [c.code, c]));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md'))
  .map(f => ({ name: `docs/${f}`, text: fs.readFileSync(path.join(ROOT, 'docs', f), 'utf8') }));
const sortedUnique = (codes: Iterable<string>) => [...new Set(codes)].sort();

describe('the scan of the source', () => {
  test('tells errors, warnings and reported objects apart, and flags any other use', () => {
    // GIVEN
    const source = [
      "problems.error(scope, 'RS901', 'prop', 'message', 'fix');",
      "problems.warning(scope, ok ? 'RS902' : 'RS903', 'prop', 'message', 'fix');",
      "const cp = { code: 'RS904', prop: 'connections', message: 'm', fix: 'f' };",
      "const p = { code: 'RS905', severity: Severity.WARNING };",
      "const lonely = 'RS906';",
      "problems.warning(scope, cp.code, 'prop', 'message', 'fix');",
      "// 'RS907' in a comment is no use",
    ].join('\n');
    // WHEN
    const result = scan(path.join(LIB, 'fixture.ts'), source);
    // THEN
    expect(result.uses.map(u => `${u.code} ${u.how}`)).toEqual(['RS901 error', 'RS902 warning', 'RS903 warning', 'RS904 error', 'RS905 warning']);
    expect(result.unclassified).toEqual(['lib/fixture.ts:5: RS906']);
    expect(result.dynamicWarnings).toEqual(["lib/fixture.ts:6: problems.warning(scope, cp.code, 'prop', 'message', 'fix')"]);
  });

  test('finds the codes of lib/', () => {
    expect(libFiles.length).toBeGreaterThan(30);
    expect(new Set(uses.map(u => u.code)).size).toBeGreaterThan(100);
    expect(uses.filter(u => u.how === 'warning').length).toBeGreaterThan(5);
  });

  test('can tell how every code literal of lib/ is reported', () => {
    expect(scans.flatMap(s => s.unclassified)).toEqual([]);
    expect(scans.flatMap(s => s.dynamicWarnings)).toEqual([]);
  });
});

describe('the table of error codes', () => {
  test('has every code lib/ reports, and only those', () => {
    const used = sortedUnique(uses.map(u => u.code));
    const listed = ERROR_CODES.map(c => c.code);
    expect({ missingFromTable: used.filter(c => !table.has(c)), neverReported: listed.filter(c => !used.includes(c)) })
      .toEqual({ missingFromTable: [], neverReported: [] });
  });

  test('gives each code the severity it is reported with (both, if it is reported as an error and as a warning)', () => {
    const seen = new Map<string, Set<string>>();
    for (const u of uses) seen.set(u.code, (seen.get(u.code) ?? new Set()).add(u.how));
    const reported: Record<string, ErrorCodeSeverity> = {};
    for (const [code, hows] of seen) reported[code] = hows.size === 2 ? 'both' : [...hows][0] as ErrorCodeSeverity;
    const recorded = Object.fromEntries(ERROR_CODES.filter(c => seen.has(c.code)).map(c => [c.code, c.severity]));
    expect(recorded).toEqual(reported);
  });

  test('lists each code once, in order', () => {
    const codes = ERROR_CODES.map(c => c.code);
    expect(codes.filter(c => !CODE.test(c))).toEqual([]);
    expect(codes).toEqual(sortedUnique(codes));
  });

  test('says what each code means and how to fix it, in an area with its page', () => {
    const incomplete = ERROR_CODES.filter(c => !/^\S.*\.$/.test(c.meaning) || !/^\S.*\.$/.test(c.fix) || !(c.area in AREA_DOCS)).map(c => c.code);
    expect(incomplete).toEqual([]);
    const pages = Object.values(AREA_DOCS).filter((p): p is string => p !== undefined);
    expect(pages.filter(p => !fs.existsSync(path.join(ROOT, p)))).toEqual([]);
  });

  test('has every code lib/ mentions in a message or comment', () => {
    const mentioned = sortedUnique(libFiles.flatMap(f => fs.readFileSync(f, 'utf8').match(/\bRS\d{3}\b/g) ?? []));
    expect(mentioned.filter(c => !table.has(c))).toEqual(MENTIONED_NOT_REPORTED);
  });

  test('has the codes a program acknowledges as warnings', () => {
    const programs = [...libFiles, ...sourcesUnder(path.join(ROOT, 'examples'))];
    const texts = [...programs.map(f => fs.readFileSync(f, 'utf8')), readme, ...docs.map(d => d.text)];
    const acknowledged = sortedUnique(texts.flatMap(t => [...t.matchAll(/acknowledgeWarning\([^)]*?\\?'(RS\d{3})\\?'/g)].map(m => m[1])));
    expect(acknowledged.length).toBeGreaterThan(5);
    expect(acknowledged.filter(c => table.get(c)?.severity !== 'warning' && table.get(c)?.severity !== 'both')).toEqual([]);
  });
});

describe('the README and the docs', () => {
  test('the README lists the table as it is', () => {
    const section = /<!-- error-codes:start -->\n([\s\S]*?)\n<!-- error-codes:end -->/.exec(readme);
    expect(section).not.toBeNull();
    if (section![1] !== errorCodesMarkdown()) {
      throw new Error(`README.md's error codes differ from lib/core/error-codes.ts: run \`${REGENERATE}\``);
    }
  });

  test('the README and the docs mention only codes of the table', () => {
    const unknown = [{ name: 'README.md', text: readme }, ...docs]
      .flatMap(d => sortedUnique(d.text.match(/\bRS\d{3}\b/g) ?? []).filter(c => !table.has(c)).map(c => `${d.name}: ${c}`));
    expect(unknown).toEqual([]);
  });

  test('the docs call a code an error or a warning as the table does', () => {
    const wrong = docs.flatMap(d => [
      ...[...d.text.matchAll(/\b(error|warning)\s+\(?\**`?(RS\d{3})/g)].map(m => ({ code: m[2], said: m[1] })),
      ...[...d.text.matchAll(/(RS\d{3})`?\**\s+\((error|warning)\)/g)].map(m => ({ code: m[1], said: m[2] })),
    ].filter(({ code, said }) => table.get(code)?.severity !== said && table.get(code)?.severity !== 'both')
      .map(({ code, said }) => `${d.name}: ${code} called ${said}, the table says ${table.get(code)?.severity}`));
    expect(wrong).toEqual([]);
  });
});
