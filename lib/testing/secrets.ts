import { parseYamlDocuments } from './yaml';

/**
 * Finds secret material in one synthesized file (JSON, YAML or text):
 * what a reviewer would stop a pull request for. Each finding names the
 * file and where in it.
 */
export function secretMaterialIn(file: string, text: string): string[] {
  const found: string[] = [];
  for (const [pattern, what] of TEXT_PATTERNS) {
    text.split('\n').forEach((line, i) => {
      if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}`);
    });
  }
  for (const doc of documentsOf(file, text)) {
    found.push(...literalSecrets(doc.value, doc.at).map(f => `${file}: ${f}`));
  }
  return found;
}

/** What no output may hold anywhere, in any format. */
const TEXT_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN (RSA |EC |OPENSSH |DSA |ENCRYPTED )?PRIVATE KEY-----/, 'a private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  // A URL with a password in it (a composed `$(VAR)` is expanded in the pod, from a secret).
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@$"'{]+:(?!\$\(|\{\{)[^/\s@"'{$]+@/i, 'a URL with a password'],
];

function documentsOf(file: string, text: string): Array<{ at: string; value: unknown }> {
  if (file.endsWith('.json')) {
    try {
      return [{ at: '', value: JSON.parse(text) }];
    } catch {
      return [];
    }
  }
  if (file.endsWith('.yaml') || file.endsWith('.yml')) {
    return parseYamlDocuments(text).map((d, i) => ({ at: `doc[${i}]`, value: d.toJSON() }));
  }
  return [];
}

/** Variable names of credentials (a name ending so: `DB_PASSWORD`, not `DB_PASSWORD_FILE` or `DB_SECRET_ARN`). */
const CREDENTIAL_VARIABLE = /(PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|CREDENTIALS?)$/i;
/** Keys of container variable lists: Kubernetes `env`, ECS `Environment`, Terraform's JSON-encoded `environment`. */
const VARIABLE_LISTS = ['env', 'Environment', 'environment'];
/** Property names that hold a secret's value (CloudFormation, Terraform, Kubernetes). */
const SECRET_PROPERTY = /^(secretstring|secret_string|password|.*_password|.*password|masteruserpassword|authtoken|auth_token|secret_access_key|secretaccesskey|private_key|privatekey)$/i;

/**
 * Literal secrets in a parsed document: string properties named like a
 * secret's value, container variables named like a credential with a
 * literal value, Kubernetes Secrets with credential data.
 */
function literalSecrets(value: unknown, at: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => literalSecrets(v, `${at}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  if (o.kind === 'Secret' && typeof o.apiVersion === 'string' && o.apiVersion === 'v1') {
    const data = credentialData(o);
    if (data && Object.keys(data).length > 0) {
      return [`${at} Secret ${(o.metadata as any)?.namespace ?? ''}/${(o.metadata as any)?.name ?? ''}: holds data (${Object.keys(data).sort().join(', ')}); deliver it from Secrets Manager`];
    }
  }
  return Object.entries(o).flatMap(([k, v]) => {
    const here = `${at}.${k}`;
    if (SECRET_PROPERTY.test(k) && typeof v === 'string' && v !== '' && !isReference(v)) {
      return [`${here}: a literal secret`];
    }
    if (VARIABLE_LISTS.includes(k) && Array.isArray(v)) {
      return v.flatMap((item, i) => [...literalVariable(item, `${here}[${i}]`), ...literalSecrets(item, `${here}[${i}]`)]);
    }
    return literalSecrets(v, here);
  });
}

/** A container variable (Kubernetes, ECS) named like a credential with a literal value: it must come from a secret. */
function literalVariable(item: unknown, at: string): string[] {
  if (!item || typeof item !== 'object') return [];
  const o = item as Record<string, unknown>;
  const name = typeof o.name === 'string' ? o.name : typeof o.Name === 'string' ? o.Name : undefined;
  const value = typeof o.value === 'string' ? o.value : typeof o.Value === 'string' ? o.Value : undefined;
  if (name && value !== undefined && value !== '' && !isReference(value) && CREDENTIAL_VARIABLE.test(name)) {
    return [`${at}(${name}): a credential variable with a literal value`];
  }
  return [];
}

/**
 * A value that names a secret rather than holds it: one with a Terraform
 * expression in it (`${random_password.x.result}`, also inside JSON), a
 * CloudFormation dynamic reference (`{{resolve:secretsmanager:...}}`), or an
 * External Secrets template (`{{ .password }}`), which the operator fills
 * in inside the cluster.
 */
function isReference(v: string): boolean {
  return /\$\{[^}]+\}/.test(v) || /\{\{\s*resolve:(secretsmanager|ssm-secure):[^}]+\}\}/.test(v) || /\{\{[^}]*\.[A-Za-z_][^}]*\}\}/.test(v);
}

/**
 * The credential data of a Secret: none for an Argo CD repository
 * declaration (a chart repository's name, type and url).
 */
function credentialData(doc: Record<string, any>): Record<string, unknown> | undefined {
  const data = { ...doc.data ?? {}, ...doc.stringData ?? {} };
  const repository = doc.metadata?.labels?.['argocd.argoproj.io/secret-type'] === 'repository';
  if (repository && Object.keys(data).every(k => ['name', 'type', 'url', 'enableOCI', 'project'].includes(k))) {
    return undefined;
  }
  return data;
}
