import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import type { Environment } from '../../lib';

/**
 * All CloudFormation stacks of an environment as one template (resources,
 * outputs, parameters, conditions), for assertions that do not care which
 * stack a resource is in. Logical ids are unique across an environment's
 * stacks (each element's scope is the first construct under its stack);
 * a duplicate fails here. Stack-level parts every stack has alike
 * (`BootstrapVersion`, `CheckBootstrapVersion`) are kept once. An import of
 * the environment's own export (`Fn::ImportValue`) reads as the exported
 * value, which is what CloudFormation makes of it: a reference across
 * stacks asserts like one inside a stack.
 */
export function environmentTemplate(env: Environment): Template {
  return Template.fromJSON(mergeTemplates(env.stacks.map(stack => Template.fromStack(stack).toJSON()), env.node.path),
    { skipCyclicalDependenciesCheck: true });
}

/**
 * The templates of an environment in a written cloud assembly (`cdk.out`),
 * merged as `environmentTemplate` does: the foundation stack and every
 * stack that depends on it.
 */
export function environmentTemplateFromAssembly(cdkOut: string, foundation: string): any {
  const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, 'manifest.json'), 'utf8'));
  const names = Object.keys(manifest.artifacts).filter(id => manifest.artifacts[id].type === 'aws:cloudformation:stack'
    && (id === foundation || (manifest.artifacts[id].dependencies ?? []).includes(foundation)));
  if (!names.includes(foundation)) throw new Error(`no stack ${foundation} in ${cdkOut}`);
  return mergeTemplates(names.map(n => JSON.parse(fs.readFileSync(path.join(cdkOut, manifest.artifacts[n].properties.templateFile), 'utf8'))), foundation);
}

function mergeTemplates(templates: any[], what: string): any {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const template of templates as Array<Record<string, unknown>>) {
    for (const [section, entries] of Object.entries(template)) {
      if (typeof entries !== 'object' || entries === null) {
        merged[section] = entries as any;
        continue;
      }
      const into = (merged[section] ??= {});
      for (const [id, value] of Object.entries(entries)) {
        const shared = section === 'Parameters' || section === 'Rules';
        if (id in into && !shared) {
          throw new Error(`${section}.${id} is in two stacks of ${what}`);
        }
        into[id] = value;
      }
    }
  }
  const exports = new Map<string, unknown>();
  for (const output of Object.values(merged.Outputs ?? {}) as any[]) {
    if (output.Export?.Name) exports.set(output.Export.Name, output.Value);
  }
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === 'Fn::ImportValue' && exports.has(entries[0][1] as string)) {
      return exports.get(entries[0][1] as string);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)]));
  };
  merged.Resources = resolve(merged.Resources) as Record<string, unknown>;
  return merged;
}
