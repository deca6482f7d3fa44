import * as cdk from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type * as terraform from './engine';
import type { TerraformOptions } from './options';
import { ProblemCollector } from '../../core/problems';
import { isKnownRegion } from '../../core/regions';
import { Tier } from '../../core/tier';
import { CloudEngineProvider, EngineCheckInput } from '../engine';

/** The packages the Terraform engine needs: loaded by name, no dependency of the library (nor of its jsii assembly). */
const TERRAFORM_PACKAGES = ['cdktf', '@cdktf/provider-aws'];

let terraformModule: typeof terraform | undefined;

/**
 * Loads the Terraform engine (and with it cdktf and @cdktf/provider-aws).
 * Only called for environments that ask for Terraform, so a
 * CloudFormation-only program never loads those packages.
 */
function loadTerraformEngine(): typeof terraform {
  if (!terraformModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    terraformModule = require('./engine') as typeof terraform;
  }
  return terraformModule;
}

/**
 * Why the Terraform engine cannot be loaded (a missing package), or
 * undefined when it can. Other load failures are real bugs and are thrown.
 */
export function terraformEngineLoadError(): string | undefined {
  try {
    loadTerraformEngine();
    return undefined;
  } catch (e: any) {
    const message = String(e?.message ?? e);
    const missing = TERRAFORM_PACKAGES.find(p => message.includes(`'${p}`));
    if (e?.code === 'MODULE_NOT_FOUND' && missing) {
      return `${missing} is not installed`;
    }
    throw e;
  }
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/[A-Za-z0-9/_-]+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

function plain(value: string | undefined): value is string {
  return value !== undefined && !cdk.Token.isUnresolved(value);
}

/**
 * Checks the Terraform settings of an environment (codes RS600, RS602-RS608).
 * Never throws on bad input.
 */
export function validateTerraformOptions(scope: IConstruct, problems: ProblemCollector, input: EngineCheckInput<TerraformOptions>): void {
  const loadError = terraformEngineLoadError();
  if (loadError) {
    problems.error(scope, 'RS600', 'engine', `CloudEngine.TERRAFORM needs the packages cdktf and @cdktf/provider-aws, which cannot be loaded (${loadError})`,
      'run `npm install cdktf@^0.21.0 @cdktf/provider-aws@^21.22.1` in the project, or use CloudEngine.CLOUDFORMATION');
  }
  const s3 = input.options?.s3Backend;
  if (!s3) {
    if (input.tier === Tier.PRODUCTION) {
      problems.warning(scope, 'RS608', 'terraform.s3Backend', 'a PRODUCTION Terraform environment keeps its state in a local file',
        'set terraform.s3Backend to keep the state in S3 with locking');
    }
    return;
  }
  if (plain(s3.bucket) && (!BUCKET.test(s3.bucket) || s3.bucket.includes('..'))) {
    problems.error(scope, 'RS602', 'terraform.s3Backend.bucket', `"${s3.bucket}" is not an S3 bucket name`,
      'give the bucket name (3-63 lowercase letters, digits, "." and "-"), not an ARN or URL');
  }
  if (plain(s3.key) && (s3.key.length === 0 || s3.key.startsWith('/') || s3.key.endsWith('/'))) {
    problems.error(scope, 'RS603', 'terraform.s3Backend.key', `"${s3.key}" is not a state object key`,
      'give a key such as "acme/prod/terraform.tfstate" (no leading or trailing "/")');
  }
  if (plain(s3.region) && !isKnownRegion(s3.region)) {
    problems.error(scope, 'RS604', 'terraform.s3Backend.region', `"${s3.region}" is not an AWS region this library knows`,
      'give the bucket\'s region, e.g. "eu-west-1", or leave it out to use the environment\'s region');
  }
  if (plain(s3.dynamodbTable) && !DYNAMODB_TABLE.test(s3.dynamodbTable)) {
    problems.error(scope, 'RS605', 'terraform.s3Backend.dynamodbTable', `"${s3.dynamodbTable}" is not a DynamoDB table name`,
      'give the table name (3-255 letters, digits, "_", "-" and "."), not its ARN');
  }
  if (s3.useLockfile === false && s3.dynamodbTable === undefined) {
    problems.error(scope, 'RS606', 'terraform.s3Backend.useLockfile', 'the state would not be locked: useLockfile is false and no dynamodbTable is given',
      'leave useLockfile on (Terraform 1.10+), or name a DynamoDB lock table in dynamodbTable');
  }
  if (plain(s3.kmsKeyId) && !KMS_KEY.test(s3.kmsKeyId)) {
    problems.error(scope, 'RS607', 'terraform.s3Backend.kmsKeyId', `"${s3.kmsKeyId}" is not a KMS key ARN, alias or key id`,
      'give e.g. "arn:aws:kms:eu-west-1:111111111111:key/..." or "alias/terraform-state"');
  }
}

/** The Terraform engine as `Environment` sees it: its options (`terraform`), their checks, and a lazy load. */
export const TERRAFORM_PROVIDER: CloudEngineProvider<TerraformOptions> = {
  optionsProp: 'terraform',
  validate: validateTerraformOptions,
  create: (host, env, options) => loadTerraformEngine().createTerraformEngine(host, env, options),
};
