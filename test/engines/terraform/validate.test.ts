import { addSampleIntents, fullQuickstart, quickstart, sampleDatabase, terraformJson } from './fixtures';
import { CloudEngine, Environment, KubernetesCluster, Platform, Tier } from '../../../lib';
import { terraformValidate as validate, terraformValidateAvailable, terraformValidateUnavailableReason } from '../../util/terraform-validate';

const maybe = terraformValidateAvailable ? test : test.skip;
if (!terraformValidateAvailable) {
  process.stderr.write(`validate.test.ts: skipped (${terraformValidateUnavailableReason})\n`);
}

describe('terraform validate (offline provider mirror)', () => {
  maybe('PRODUCTION quickstart with a workload role, a log group and a database is valid Terraform', () => {
    // GIVEN
    const q = quickstart(CloudEngine.TERRAFORM, { terraform: { s3Backend: { bucket: 'acme-terraform-state' } } });
    sampleDatabase(q.prod, q.cluster);
    q.platform.render();
    addSampleIntents(q.prod, q.cluster);
    // WHEN
    const result = validate(terraformJson(q.prod));
    // THEN
    expect(result.output).toContain('The configuration is valid');
    expect(result.status).toBe(0);
  });

  maybe('DEVELOPMENT environment with admins and a database is valid Terraform', () => {
    const platform = new Platform({ name: 'acme' });
    const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: CloudEngine.TERRAFORM });
    const cluster = new KubernetesCluster(dev, 'main', { adminRoleArns: ['arn:aws:iam::111111111111:role/platform-admin'] });
    sampleDatabase(dev, cluster);
    platform.render();
    addSampleIntents(dev, cluster);
    const result = validate(terraformJson(dev));
    expect(result.output).toContain('The configuration is valid');
    expect(result.status).toBe(0);
  });

  maybe('the full quickstart (SupportServices, ManagedPostgres with rotation, WebApp) is valid Terraform', () => {
    const q = fullQuickstart(CloudEngine.TERRAFORM);
    q.platform.render();
    const result = validate(terraformJson(q.prod));
    expect(result.output).toContain('The configuration is valid');
    expect(result.status).toBe(0);
  });
});
