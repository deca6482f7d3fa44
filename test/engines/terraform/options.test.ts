import { CloudEngine, Environment, EnvironmentProps, KubernetesCluster, Platform, Tier } from '../../../lib';
import { RuntimeStackValidationError } from '../../../lib/core/problems';

function render(props: Partial<EnvironmentProps>): Platform {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM, ...props });
  new KubernetesCluster(env, 'main');
  platform.render();
  return platform;
}

function problemsOf(props: Partial<EnvironmentProps>): string {
  try {
    render(props);
  } catch (e) {
    if (e instanceof RuntimeStackValidationError) return e.message;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('Terraform settings: bad input', () => {
  test.each<[string, string, Partial<EnvironmentProps>, RegExp]>([
    ['terraform settings on a CloudFormation environment', 'RS601', { engine: CloudEngine.CLOUDFORMATION, terraform: {} }, /terraform: terraform settings are given but the environment uses the cloudformation engine: set engine: CloudEngine.TERRAFORM/],
    ['a bucket ARN instead of a name', 'RS602', { terraform: { s3Backend: { bucket: 'arn:aws:s3:::state' } } }, /terraform.s3Backend.bucket: "arn:aws:s3:::state" is not an S3 bucket name/],
    ['an upper-case bucket name', 'RS602', { terraform: { s3Backend: { bucket: 'Acme-State' } } }, /is not an S3 bucket name/],
    ['a key with a leading slash', 'RS603', { terraform: { s3Backend: { bucket: 'acme-state', key: '/prod.tfstate' } } }, /terraform.s3Backend.key: "\/prod.tfstate" is not a state object key/],
    ['an unknown backend region', 'RS604', { terraform: { s3Backend: { bucket: 'acme-state', region: 'eu-west-9' } } }, /terraform.s3Backend.region: "eu-west-9" is not an AWS region/],
    ['a DynamoDB table ARN', 'RS605', { terraform: { s3Backend: { bucket: 'acme-state', dynamodbTable: 'arn:aws:dynamodb:eu-west-1:111111111111:table/locks' } } }, /terraform.s3Backend.dynamodbTable: .* is not a DynamoDB table name/],
    ['no locking at all', 'RS606', { terraform: { s3Backend: { bucket: 'acme-state', useLockfile: false } } }, /the state would not be locked: useLockfile is false and no dynamodbTable is given: leave useLockfile on/],
    ['a KMS key that is not a key', 'RS607', { terraform: { s3Backend: { bucket: 'acme-state', kmsKeyId: 'my-key' } } }, /terraform.s3Backend.kmsKeyId: "my-key" is not a KMS key ARN, alias or key id/],
    ['an engine that does not exist', 'RS609', { engine: 'pulumi' as CloudEngine }, /engine: "pulumi" is not a cloud engine/],
  ])('%s → %s', (_what, code, props, message) => {
    const text = problemsOf(props);
    expect(text).toContain(`acme/prod  [${code}]`);
    expect(text).toMatch(message);
  });

  test('every problem is reported at once', () => {
    const text = problemsOf({ terraform: { s3Backend: { bucket: 'A', key: 'x/', region: 'mars-1', useLockfile: false } } });
    for (const code of ['RS602', 'RS603', 'RS604', 'RS606']) {
      expect(text).toContain(`[${code}]`);
    }
  });

  test('valid settings pass: lock file off with a DynamoDB table, KMS alias, explicit key and region', () => {
    expect(() => render({ terraform: { s3Backend: { bucket: 'acme.state-1', key: 'acme/prod.tfstate', region: 'us-east-1', useLockfile: false, dynamodbTable: 'terraform-locks', kmsKeyId: 'alias/terraform-state' } } })).not.toThrow();
  });

  test('PRODUCTION with local state warns (RS608), and the warning can be acknowledged', () => {
    // GIVEN
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
    const acked = new Environment(platform, 'prod2', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
    Platform.acknowledgeWarning(acked, 'RS608', 'state is kept by the pipeline workspace');
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // WHEN
    try {
      platform.render();
    } finally {
      write.mockRestore();
    }
    // THEN
    expect(platform.warnings).toHaveLength(1);
    expect(platform.warnings[0]).toContain(`${env.node.path}  [RS608] terraform.s3Backend: a PRODUCTION Terraform environment keeps its state in a local file`);
  });
});
