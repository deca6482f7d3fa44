import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ProblemCollector } from './problems';
import { isDnsSubdomain } from '../private/validation';

/**
 * Labels and annotations of your own (`PlatformProps.labels`,
 * `WorkloadOptions.labels`, ...): one rule for where they may go and what
 * they may be, whoever gives them.
 */
export interface ObjectMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Nothing of your own. */
export const NO_METADATA: ObjectMetadata = { labels: {}, annotations: {} };

/**
 * Label keys the library sets itself (its selectors and its marks): a user's
 * value would change what selects a workload's pods, or be lost.
 */
const LIBRARY_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/instance'];

/** Annotation keys the library sets for its delivery (Argo CD's sync waves and options): a user's would be lost. */
const LIBRARY_ANNOTATIONS = ['argocd.argoproj.io/sync-wave', 'argocd.argoproj.io/sync-options'];

/**
 * Prefixes of keys that belong to Kubernetes: `kubernetes.io/`, `k8s.io/`
 * and their subdomains, except the recommended `app.kubernetes.io/`.
 */
function reservedPrefix(prefix: string): boolean {
  return ['kubernetes.io', 'k8s.io'].some(d => prefix === d || prefix.endsWith(`.${d}`)) && prefix !== 'app.kubernetes.io';
}

const NAME = /^([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)$/;

/** A token of aws-cdk-lib or of cdktf (`${TfToken[...]}`): known only at deploy time. */
function isToken(s: string): boolean {
  return cdk.Token.isUnresolved(s) || s.includes('${TfToken[');
}

/** What is wrong with a label or annotation key, or nothing. */
function keyProblem(key: string, annotation: boolean): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !isDnsSubdomain(prefix))) {
    return `the prefix "${prefix}" of key "${key}" is not a DNS subdomain`;
  }
  if (!NAME.test(name)) {
    return `the name "${name}" of key "${key}" is not 1 to 63 letters, digits, '-', '_' or '.' starting and ending with a letter or digit`;
  }
  if (!annotation && LIBRARY_LABELS.includes(key)) {
    return `the label "${key}" is the library's own (it selects the workload's pods or marks what the library manages)`;
  }
  if (annotation && LIBRARY_ANNOTATIONS.includes(key)) {
    return `the annotation "${key}" is the library's own (it orders and configures Argo CD's sync)`;
  }
  if (prefix !== undefined && reservedPrefix(prefix)) {
    return `the prefix "${prefix}/" of key "${key}" is reserved for Kubernetes`;
  }
  return undefined;
}

/**
 * Reports every problem of a construct's own labels and annotations: keys
 * as Kubernetes accepts them, none of the library's or Kubernetes's own,
 * label values of at most 63 characters (RS008), annotations of at most
 * 256 KiB in all (RS009).
 */
export function checkMetadata(scope: IConstruct, problems: ProblemCollector, metadata: ObjectMetadata): void {
  for (const [key, value] of Object.entries(metadata.labels)) {
    if (isToken(key) || isToken(value)) {
      problems.error(scope, 'RS008', `labels.${key}`, 'a label is a token', 'give labels as plain strings known at synth time');
      continue;
    }
    const problem = keyProblem(key, false);
    if (problem) {
      problems.error(scope, 'RS008', `labels.${key}`, problem, 'use a key of your own, e.g. "acme.example/team" or "team"');
    }
    if (value !== '' && !NAME.test(value)) {
      problems.error(scope, 'RS008', `labels.${key}`, `"${value}" is not a label value`,
        'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit (or an empty value); put longer text in an annotation');
    }
  }
  let size = 0;
  for (const [key, value] of Object.entries(metadata.annotations)) {
    if (isToken(key) || isToken(value)) {
      problems.error(scope, 'RS009', `annotations.${key}`, 'an annotation is a token', 'give annotations as plain strings known at synth time');
      continue;
    }
    const problem = keyProblem(key, true);
    if (problem) {
      problems.error(scope, 'RS009', `annotations.${key}`, problem, 'use a key of your own, e.g. "acme.example/owner"');
    }
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (size > 256 * 1024) {
    problems.error(scope, 'RS009', 'annotations', `the annotations are ${size} bytes; Kubernetes accepts at most 262144 in all`,
      'keep large documents out of annotations (a ConfigMap, or a link)');
  }
}

/** `over` on top of `base` (its keys win). */
export function mergeMetadata(base: ObjectMetadata, over: ObjectMetadata): ObjectMetadata {
  return { labels: { ...base.labels, ...over.labels }, annotations: { ...base.annotations, ...over.annotations } };
}

/** The metadata of props that may leave either map out. */
export function metadataOf(props: { readonly labels?: { [key: string]: string }; readonly annotations?: { [key: string]: string } }): ObjectMetadata {
  return { labels: { ...props.labels ?? {} }, annotations: { ...props.annotations ?? {} } };
}

/** Whether there is anything to add. */
export function isEmptyMetadata(m: ObjectMetadata): boolean {
  return Object.keys(m.labels).length === 0 && Object.keys(m.annotations).length === 0;
}
