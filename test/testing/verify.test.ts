import * as fs from 'fs';
import * as os from 'os';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  CloudEngine, Environment, KubernetesCluster, ManagedPostgres, Platform, SupportServices, testing, Tier, WebApp, Worker,
} from '../../lib';

/**
 * The testing helpers a blueprint's tests call: each passes on a clean
 * platform and fails, naming the offending file or construct path, on a
 * planted problem of its kind.
 */

const { Verify } = testing;
const IMAGE = 'ghcr.io/acme/orders:1.4.2';

interface Acme {
  readonly platform: Platform;
  readonly prod: Environment;
  readonly app: WebApp;
}

function acme(options: { label?: string; terraformStaging?: boolean } = {}): Acme {
  const platform = new Platform({ name: 'acme', labels: options.label ? { 'acme.example/build': options.label } : undefined });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(prod, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const db = new ManagedPostgres(prod, 'orders-db');
  Platform.acknowledgeWarning(db, 'RS315', 'a test program');
  const app = new WebApp(cluster, 'orders', { image: IMAGE, port: 8080, host: 'orders.acme.example.com', connections: [db] });
  if (options.terraformStaging) {
    const staging = new Environment(platform, 'staging', {
      tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1', engine: CloudEngine.TERRAFORM,
    });
    const stagingCluster = new KubernetesCluster(staging, 'main');
    new SupportServices(stagingCluster, 'support', { domain: 'staging.acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    new Worker(stagingCluster, 'orders', { image: IMAGE });
  }
  return { platform, prod, app };
}

function leftovers(): string[] {
  return fs.readdirSync(os.tmpdir()).filter(f => f.startsWith('cdk-runtime-stack-verify-'));
}

/** The error `fn` throws; fails when it throws none. */
function errorOf(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('a clean platform passes every check', () => {
  test('each check, and all of them at once (CloudFormation and Terraform environments)', () => {
    const before = leftovers();
    const { platform } = acme({ terraformStaging: true });
    Verify.podsRestricted(platform);
    Verify.schemaValid(platform);
    Verify.awsSolutionsClean(platform);
    Verify.noSecretMaterial(platform);
    Verify.all({ create: () => acme({ terraformStaging: true }).platform });
    // The platform still synthesizes as usual after the checks.
    const out = fs.mkdtempSync(`${os.tmpdir()}/verify-after-`);
    try {
      platform.synth({ cloudAssemblyOutdir: `${out}/cdk.out`, manifestsOutdir: `${out}/dist`, terraformOutdir: `${out}/cdktf.out`, summary: false });
      expect(fs.existsSync(`${out}/dist/prod/main`)).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
    expect(leftovers()).toEqual(before);
  });
});

describe('each check catches what it is for, with where it is', () => {
  test('podsRestricted: a privileged container added with an escape hatch', () => {
    const { platform, app } = acme();
    platform.render();
    new k8s.KubeDeployment(app.chart, 'debug', {
      metadata: { name: 'debug' },
      spec: {
        selector: { matchLabels: { app: 'debug' } },
        template: {
          metadata: { labels: { app: 'debug' } },
          spec: { containers: [{ name: 'shell', image: 'busybox:1.36', securityContext: { privileged: true } }] },
        },
      },
    });
    const message = errorOf(() => Verify.podsRestricted(platform));
    expect(message).toMatch(/^\d+ Pod Security Standards \(restricted\) violations:/);
    expect(message).toContain('prod/main/50-orders.k8s.yaml: Deployment orders/debug container "shell": baseline/privileged');
    // Nothing else is reported: the library's own pods are restricted.
    expect(message.split('\n  - ').slice(1).every(l => l.includes('Deployment orders/debug'))).toBe(true);
  });

  test('awsSolutionsClean: an S3 bucket added to a stack without acknowledging its findings', () => {
    const { platform, prod } = acme();
    platform.render();
    new s3.CfnBucket(prod.stack, 'Scratch');
    const message = errorOf(() => Verify.awsSolutionsClean(platform));
    expect(message).toMatch(/unacknowledged cdk-nag AwsSolutions findings?:/);
    expect(message).toContain('AwsSolutions-S1: acme-prod/Scratch (acme-prod Scratch): The S3 Bucket has server access logs disabled.');
    expect(message).toContain('AwsSolutions-S10: acme-prod/Scratch (acme-prod Scratch)');
    expect(message).not.toContain('orders-db');
  });

  test('schemaValid: an object with a field Kubernetes does not know', () => {
    const { platform, app } = acme();
    platform.render();
    new ApiObject(app.chart, 'typo', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, dataa: { a: 'b' } } as any);
    const message = errorOf(() => Verify.schemaValid(platform));
    expect(message).toMatch(/^1 schema problem:/);
    expect(message).toContain('prod/main/50-orders.k8s.yaml: v1 ConfigMap orders/settings');
    expect(message).toContain('dataa');
  });

  test('noSecretMaterial: a Kubernetes Secret with a password, and a literal credential variable', () => {
    const { platform, app } = acme();
    platform.render();
    new k8s.KubeSecret(app.chart, 'creds', { metadata: { name: 'creds' }, stringData: { password: 'hunter2hunter2' } });
    const message = errorOf(() => Verify.noSecretMaterial(platform));
    expect(message).toContain('dist/prod/main/50-orders.k8s.yaml: doc[');
    expect(message).toContain('Secret orders/creds: holds data (password)');
  });

  test('deterministic: a factory whose output changes between runs, naming the files that differ', () => {
    let build = 0;
    const message = errorOf(() => Verify.deterministic({ create: () => acme({ label: `b${++build}` }).platform }));
    expect(message).toMatch(/^\d+ files are not deterministic:/);
    expect(message).toContain('dist/prod/main/00-app-namespaces.k8s.yaml: differs between two synths');
    // The CloudFormation templates have no labels: they are the same.
    expect(message).not.toContain('cdk.out/');
    expect(() => Verify.deterministic({ create: () => acme({ label: 'fixed' }).platform })).not.toThrow();
  });

  test('all: every problem of every check in one error', () => {
    let build = 0;
    const message = errorOf(() => Verify.all({
      create: () => {
        const { platform, app, prod } = acme({ label: `b${++build}` });
        platform.render();
        new k8s.KubeSecret(app.chart, 'creds', { metadata: { name: 'creds' }, stringData: { password: 'hunter2hunter2' } });
        new s3.CfnBucket(prod.stack, 'Scratch');
        return platform;
      },
    }));
    expect(message).toContain('AwsSolutions-S1');
    expect(message).toContain('Secret orders/creds');
    expect(message).toContain('not deterministic: dist/prod/main/50-orders.k8s.yaml: differs between two synths');
  });
});

describe('the secret scanner', () => {
  // White-box rows: what a synthesized file may hold and what it may not.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { secretMaterialIn } = require('../../lib/testing/secrets') as typeof import('../../lib/testing/secrets');
  test.each([
    ['a literal RDS password', 't.json', { Resources: { Db: { Properties: { MasterUserPassword: 'hunter2hunter2' } } } }, '.Resources.Db.Properties.MasterUserPassword: a literal secret'],
    ['a literal secret string', 't.json', { Properties: { SecretString: '{"password":"x"}' } }, '.Properties.SecretString: a literal secret'],
    ['an ECS variable with a literal token', 't.json', { Environment: [{ Name: 'API_TOKEN', Value: 'abc' }] }, '.Environment[0](API_TOKEN): a credential variable'],
    ['a pod variable with a literal password', 't.yaml', { env: [{ name: 'DB_PASSWORD', value: 'x' }] }, 'doc[0].env[0](DB_PASSWORD)'],
    ['a private key', 't.json', { key: '-----BEGIN RSA PRIVATE KEY-----' }, 't.json:1: a private key'],
    ['an access key id', 't.json', { id: 'AKIAABCDEFGHIJKLMNOP' }, 't.json:1: an AWS access key id'],
    ['a URL with a password', 't.json', { url: 'postgres://app:s3cret@db:5432/orders' }, 't.json:1: a URL with a password'],
  ])('finds %s', (_what, file, doc, expected) => {
    const text = file.endsWith('.json') ? JSON.stringify(doc) : 'env:\n  - name: DB_PASSWORD\n    value: x\n';
    expect(secretMaterialIn(file, text).join('\n')).toContain(expected);
  });

  test.each([
    ['a password from a secret', { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'password' } } }] }],
    ['a password generated by Secrets Manager', { Properties: { GenerateSecretString: { PasswordLength: 32 } } }],
    ['a Terraform reference to a generated password', { resource: { aws_db_instance: { db: { password: '${random_password.db.result}' } } } }],
    ['a CloudFormation dynamic reference', { Properties: { MasterUserPassword: '{{resolve:secretsmanager:acme-prod-db:SecretString:password}}' } }],
    ['variables that name a secret rather than hold it', {
      env: [{ name: 'DB_SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:x' },
        { name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/pw' }, { name: 'TOKEN_URL', value: 'https://auth.acme.example/token' }],
    }],
    ['an SSM parameter named like a secret', { Resources: { P: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/acme/db-secret-name', Value: 'acme/prod/orders-db' } } } }],
    ['an External Secrets template', { spec: { target: { template: { data: { password: '{{ .password }}', DATABASE_URL: 'postgresql://{{.username}}:{{.password}}@db:5432/orders' } } } } }],
    ['a Terraform reference inside JSON', { secret_string: '{"password":"${random_password.x.result}"}' }],
    ['a URL composed in the pod', { env: [{ name: 'DATABASE_URL', value: 'postgres://$(DB_USER):$(DB_PASSWORD)@db:5432/orders' }] }],
    ['an Argo CD repository declaration', { apiVersion: 'v1', kind: 'Secret', metadata: { labels: { 'argocd.argoproj.io/secret-type': 'repository' } }, stringData: { name: 'jetstack', type: 'helm', url: 'https://charts.jetstack.io' } }],
  ])('passes %s', (_what, doc) => {
    expect(secretMaterialIn('t.json', JSON.stringify(doc))).toEqual([]);
  });
});

describe('cdk-nag is loaded only for CloudFormation', () => {
  test('a Terraform-only platform needs no cdk-nag; with a CloudFormation environment the error says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('cdk-nag', () => {
        throw Object.assign(new Error("Cannot find module 'cdk-nag'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('../../lib') as typeof import('../../lib');
      const terraformOnly = new lib.Platform({ name: 'acme' });
      const dev = new lib.Environment(terraformOnly, 'dev', { tier: lib.Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1', engine: lib.CloudEngine.TERRAFORM });
      new lib.Worker(new lib.KubernetesCluster(dev, 'main', { existing: { clusterName: 'acme-dev-main' } }), 'orders', { image: IMAGE });
      expect(lib.testing.Verify.awsSolutionsFindings(terraformOnly)).toEqual([]);

      const withStack = new lib.Platform({ name: 'acme' });
      new lib.KubernetesCluster(new lib.Environment(withStack, 'prod', { tier: lib.Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main');
      expect(() => lib.testing.Verify.awsSolutionsFindings(withStack)).toThrow(/^Verify.awsSolutionsClean needs cdk-nag: npm install --save-dev cdk-nag@\^3/);
    });
  });
});
