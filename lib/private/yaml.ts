import * as cdk8s from 'cdk8s';

/**
 * YAML of Kubernetes objects, byte for byte what `cdk8s.Yaml.stringify`
 * writes, at a fraction of its cost. Block maps and lists are written
 * here; a scalar is written as the `yaml` library writes it alone (asked
 * once per distinct value: plain, or quoted as it quotes). A document with
 * what depends on its place (a multi-line string, a list in a list) is
 * handed to `cdk8s.Yaml.stringify` whole. A test compares the two on
 * everything the library renders.
 */
export function stringifyYaml(docs: readonly unknown[]): string {
  return docs.map(doc => {
    const lines: string[] = [];
    return writeDocument(doc, lines) ? `${lines.join('\n')}\n` : cdk8s.Yaml.stringify(doc);
  }).join('---\n');
}

/** Whether `stringifyYaml` writes the document itself (for the test that keeps this path in use). */
export function writesDirectly(doc: unknown): boolean {
  return writeDocument(doc, []);
}

/** Strings the `yaml` library writes plain under cdk8s's settings (YAML 1.1): a safe subset. */
const PLAIN = /^[A-Za-z/][A-Za-z0-9_./@-]*(:[A-Za-z0-9_./@-]+)*$/;
/** YAML 1.1 words that would read as booleans or null, and exponents that would read as floats. */
const RESERVED = /^(y|yes|n|no|true|false|on|off|null|[eE][-+]?[0-9]+)$/i;

function plain(s: string): boolean {
  return PLAIN.test(s) && !RESERVED.test(s);
}

/** How the `yaml` library writes a single-line value or key on its own, by value. */
const asked = new Map<string, string | undefined>();

/** `prefix` + the value's YAML, from `cdk8s.Yaml.stringify({ a: value })` = `a: <value>\n`. */
function askYaml(key: string, value: unknown, asKey: boolean): string | undefined {
  if (asked.has(key)) return asked.get(key);
  const text = cdk8s.Yaml.stringify(asKey ? { [value as string]: 1 } : { a: value });
  let rendered: string | undefined;
  if (asKey) {
    rendered = text.endsWith(': 1\n') && text.indexOf('\n') === text.length - 1 ? text.slice(0, -4) : undefined;
  } else {
    rendered = text.startsWith('a: ') && text.indexOf('\n') === text.length - 1 ? text.slice(3, -1) : undefined;
  }
  asked.set(key, rendered);
  return rendered;
}

function keyOf(k: string): string | undefined {
  // Long keys become explicit `? ` keys, and `---`/`...` read differently where they stand: the yaml library's.
  if (k.length > 1000 || k.startsWith('---') || k.startsWith('...')) return undefined;
  if (plain(k)) return k;
  if (k.includes('\n') || k.includes('\r')) return undefined;
  return askYaml(`k${k}`, k, true);
}

function scalar(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      if (plain(value)) return value;
      if (value.includes('\n') || value.includes('\r')) return undefined;
      return askYaml(`s${value}`, value, false);
    case 'number': return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : askYaml(`n${Object.is(value, -0) ? '-0' : value}`, value, false);
    case 'boolean': return value ? 'true' : 'false';
    default: return value === null || value === undefined ? 'null' : undefined;
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function writeDocument(doc: unknown, lines: string[]): boolean {
  if (!isMap(doc) || Object.keys(doc).length === 0) return false;
  return writeMap(doc, '', lines);
}

/** `key: value` lines at `indent`. */
function writeMap(map: Record<string, unknown>, indent: string, lines: string[], firstPrefix?: string): boolean {
  let first = true;
  for (const [key, value] of Object.entries(map)) {
    const k = keyOf(key);
    if (k === undefined) return false;
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    if (!writeEntry(`${lead}${k}:`, value, indent, lines)) return false;
  }
  return true;
}

/** A value after `head` (`key:` or `-`), nested collections below it. */
function writeEntry(head: string, value: unknown, indent: string, lines: string[]): boolean {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${head} []`);
      return true;
    }
    lines.push(head);
    return writeSeq(value, `${indent}  `, lines);
  }
  if (isMap(value)) {
    if (Object.keys(value).length === 0) {
      lines.push(`${head} {}`);
      return true;
    }
    lines.push(head);
    return writeMap(value, `${indent}  `, lines);
  }
  const s = scalar(value);
  if (s === undefined) return false;
  lines.push(`${head} ${s}`);
  return true;
}

/** `- item` lines at `indent`. */
function writeSeq(items: unknown[], indent: string, lines: string[]): boolean {
  for (const item of items) {
    if (isMap(item) && Object.keys(item).length > 0) {
      if (!writeMap(item, `${indent}  `, lines, `${indent}- `)) return false;
    } else if (Array.isArray(item) && item.length > 0) {
      return false; // a list in a list: rare, left to the yaml library
    } else {
      const s = Array.isArray(item) ? '[]' : isMap(item) ? '{}' : scalar(item);
      if (s === undefined) return false;
      lines.push(`${indent}- ${s}`);
    }
  }
  return true;
}
