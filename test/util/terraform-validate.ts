import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * `terraform validate` checks every resource and attribute against the AWS
 * provider's schema. It needs the terraform binary and the provider
 * offline: a filesystem mirror (`TF_PROVIDER_MIRROR`, default
 * `/opt/tf-plugins`) holding registry.terraform.io/hashicorp/aws. Where
 * either is missing the test is skipped (and says so).
 *
 * The mirror may hold another provider version than the one the library
 * pins; the copy under test asks for the mirror's version.
 */
const MIRROR = process.env.TF_PROVIDER_MIRROR ?? '/opt/tf-plugins';
const AWS_DIR = path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws');
const hasTerraform = spawnSync('terraform', ['version'], { env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).status === 0;
const mirrorVersions = fs.existsSync(AWS_DIR) ? fs.readdirSync(AWS_DIR).filter(v => /^\d+\.\d+\.\d+$/.test(v)).sort() : [];
const RANDOM_DIR = path.join(MIRROR, 'registry.terraform.io', 'hashicorp', 'random');
const randomVersions = fs.existsSync(RANDOM_DIR) ? fs.readdirSync(RANDOM_DIR).filter(v => /^\d+\.\d+\.\d+$/.test(v)).sort() : [];

/**
 * Without hashicorp/random in the mirror, `random_password` resources are
 * replaced by a sensitive variable of the same type (a string), so that
 * everything the AWS provider checks is still checked.
 */
function withoutRandomProvider(copy: any): any {
  const passwords = Object.keys(copy.resource.random_password ?? {});
  if (passwords.length === 0) return copy;
  delete copy.resource.random_password;
  delete copy.terraform.required_providers.random;
  delete copy.provider.random;
  copy.variable = Object.fromEntries(passwords.map(name => [`password_${name}`, { type: 'string', sensitive: true }]));
  let text = JSON.stringify(copy);
  for (const name of passwords) {
    text = text.split(`random_password.${name}.result`).join(`var.password_${name}`);
  }
  return JSON.parse(text);
}
/** Whether `terraform validate` can run here (the binary and the provider mirror). */
export const terraformValidateAvailable = hasTerraform && mirrorVersions.length > 0;

/** Why it cannot, for the skip message. */
export const terraformValidateUnavailableReason = `terraform binary: ${hasTerraform}; provider mirror ${AWS_DIR}: ${mirrorVersions.length > 0}`;

export function terraformValidate(json: any): { status: number | null; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-validate-'));
  try {
    const rc = path.join(dir, 'terraform.rc');
    fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(MIRROR)}\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`);
    let copy = JSON.parse(JSON.stringify(json));
    copy.terraform.required_providers.aws.version = mirrorVersions[mirrorVersions.length - 1];
    if (copy.terraform.required_providers.random) {
      if (randomVersions.length > 0) {
        copy.terraform.required_providers.random.version = randomVersions[randomVersions.length - 1];
      } else {
        copy = withoutRandomProvider(copy);
      }
    }
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(copy, undefined, 2));
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: '1' };
    execFileSync('terraform', ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    const result = spawnSync('terraform', ['validate', '-no-color'], { cwd: dir, env, encoding: 'utf-8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

