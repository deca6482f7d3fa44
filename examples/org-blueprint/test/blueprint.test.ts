import { describe, expect, test } from '@jest/globals';
import { Template } from 'aws-cdk-lib/assertions';
import { Environment, KubernetesCluster, Platform, testing, Tier, WebApp } from 'cdk-runtime-stack';
import { acmePlatform } from '../app/acme';
import { AcmeEnvironment, AcmePlatform, AcmeService } from '../lib';

/** The blueprint's own tests: the library's checks, one line each, and Acme's rules. */
const { Verify } = testing;

describe('the Acme platform', () => {
  test('every pod restricted', () => Verify.podsRestricted(acmePlatform()));
  test('every object schema-valid', () => Verify.schemaValid(acmePlatform()));
  test('cdk-nag AwsSolutions clean', () => Verify.awsSolutionsClean(acmePlatform()));
  test('no secret material', () => Verify.noSecretMaterial(acmePlatform()));
  test('deterministic', () => Verify.deterministic({ create: acmePlatform }));
  test('no warnings', () => {
    const platform = acmePlatform();
    platform.render();
    expect(platform.warnings).toEqual([]);
  });

  test("the cost centre and the team label every object of the orders service, and its runbook annotates them", () => {
    const docs = acmePlatform().manifests()['prod/main'].filter(d => d.metadata?.namespace === 'orders');
    expect(docs.length).toBeGreaterThan(5);
    for (const d of docs) {
      expect(d.metadata.labels).toMatchObject({
        'acme.example/cost-centre': 'cc-1234', 'acme.example/team': 'payments', 'app.kubernetes.io/part-of': 'orders',
      });
      expect(d.metadata.annotations['acme.example/runbook']).toBe('https://runbooks.acme.example/orders');
    }
  });

  test('a monthly budget in each foundation stack (a render hook)', () => {
    const platform = acmePlatform();
    platform.render();
    for (const id of ['staging', 'prod']) {
      const env = platform.node.findChild(id) as Environment;
      const budgets = Object.values(Template.fromStack(env.stack).findResources('AWS::Budgets::Budget'));
      expect(budgets.map((b: any) => [b.Properties.Budget.BudgetName, b.Properties.Budget.BudgetLimit.Amount])).toEqual([[`acme-${id}-monthly`, 1000]]);
    }
  });
});

describe("Acme's rules join the library's report", () => {
  test('a region Acme does not run in, and an image from another registry: one error with both', () => {
    const platform = new AcmePlatform({ costCentre: 'cc-1234' });
    const env = new AcmeEnvironment(platform, 'prod', { tier: Tier.PRODUCTION, account: '333333333333', region: 'us-east-1' });
    new AcmeService(env, 'orders', { image: 'docker.io/library/nginx:1.27', team: 'payments' });
    expect(() => platform.render()).toThrow(/acme\/prod {2}\[ACME001\] region[\s\S]*acme\/prod\/main\/orders {2}\[ACME002\] image/);
  });

  test('a plain WebApp is a warning (ACME101) a team can acknowledge', () => {
    const build = (acknowledge: boolean) => {
      const platform = new AcmePlatform({ costCentre: 'cc-1234' });
      const env = new AcmeEnvironment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1' });
      const app = new WebApp(env.cluster, 'legacy', { image: 'registry.acme.example/legacy:2.0.0', port: 8080 });
      if (acknowledge) Platform.acknowledgeWarning(app, 'ACME101', 'the legacy app moves to AcmeWebApp in Q3');
      platform.render();
      return platform.warnings;
    };
    expect(build(false)).toEqual([expect.stringContaining('acme/staging/main/legacy  [ACME101]')]);
    expect(build(true)).toEqual([]);
  });

  test('an environment of the library is still an Environment and its cluster a KubernetesCluster', () => {
    const platform = new AcmePlatform({ costCentre: 'cc-1234' });
    const env = new AcmeEnvironment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1' });
    expect(env).toBeInstanceOf(Environment);
    expect(env.cluster).toBeInstanceOf(KubernetesCluster);
  });
});
