import type * as yaml from 'yaml';

/**
 * `yaml`'s `parseAllDocuments`, the package loaded on first use: the
 * testing helpers ship in the library's main module, and a program that
 * only synthesizes should not load this parser (the library writes its
 * YAML itself; cdk8s loads a copy of its own).
 */
export function parseYamlDocuments(text: string): ReturnType<typeof yaml.parseAllDocuments> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseAllDocuments } = require('yaml') as typeof yaml;
  return parseAllDocuments(text);
}
