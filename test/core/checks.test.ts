import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct, IConstruct } from 'constructs';
import { Environment, IPlatformCheck, KubernetesCluster, Platform, ProblemCollector, Severity, Tier, WebApp } from '../../lib';
import { validationErrorOf } from '../util/problems';

/**
 * A blueprint's own checks join the library's aggregated report: Platform.addCheck
 * with codes of its own (errors and acknowledgeable warnings), and what
 * node.addValidation() adds anywhere in the tree.
 */

const ALLOWED_REGIONS = ['eu-west-1', 'eu-central-1'];

/** An organization's rules, as a blueprint would write them. */
class AcmeRules implements IPlatformCheck {
  constructor(private readonly platform: Platform) {}
  public check(report: ProblemCollector): void {
    for (const env of this.platform.node.children.filter((c): c is Environment => c instanceof Environment)) {
      if (!ALLOWED_REGIONS.includes(env.region)) {
        report.error(env, 'ACME001', 'region', `"${env.region}" is not an Acme region`, `use one of ${ALLOWED_REGIONS.join(', ')}`);
      }
    }
    for (const app of this.platform.node.findAll().filter((c): c is WebApp => c instanceof WebApp)) {
      if (!app.image.startsWith('registry.acme.example/')) {
        report.warning(app, 'ACME101', 'image', `${app.image} is not from the Acme registry`, 'push the image to registry.acme.example');
      }
    }
  }
}

function acme(region = 'eu-west-1', image = 'registry.acme.example/orders:1.0.0'): { platform: Platform; app: WebApp } {
  const platform = new Platform({ name: 'acme' });
  const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region });
  const cluster = new KubernetesCluster(prod, 'main');
  const app = new WebApp(cluster, 'orders', { image, port: 8080 });
  Platform.addCheck(platform, new AcmeRules(platform));
  return { platform, app };
}

describe('Platform.addCheck', () => {
  test('a clean graph renders', () => {
    const { platform } = acme();
    expect(() => platform.render()).not.toThrow();
    expect(platform.warnings).toEqual([]);
  });

  test("a check's errors join the library's in one report, with path, code, prop and fix", () => {
    const { platform } = acme('us-east-1');
    // A library problem in the same graph: the report holds both.
    new WebApp(KubernetesCluster.of(platform.node.findAll().find(c => c instanceof WebApp)!), 'Bad_Id', { image: 'registry.acme.example/x:1', port: 80 });
    const error = validationErrorOf(platform);
    const acmeProblem = error.problems.find(p => p.code === 'ACME001')!;
    expect(acmeProblem).toMatchObject({ path: 'acme/prod', prop: 'region', severity: Severity.ERROR, fix: 'use one of eu-west-1, eu-central-1' });
    expect(error.message).toContain('acme/prod  [ACME001] region: "us-east-1" is not an Acme region: use one of eu-west-1, eu-central-1');
    expect(error.problems.some(p => p.code.startsWith('RS') && p.path.startsWith('acme/prod/main/Bad_Id'))).toBe(true);
  });

  test('nothing is written when a check fails', () => {
    const { platform } = acme('us-east-1');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-checks-'));
    try {
      expect(() => platform.synth({ cloudAssemblyOutdir: path.join(dir, 'cdk.out'), manifestsOutdir: path.join(dir, 'dist'), summary: false }))
        .toThrow(/ACME001/);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a check's warnings are printed and kept, and can be acknowledged like the library's", () => {
    const warned = acme('eu-west-1', 'docker.io/library/nginx:1.27');
    warned.platform.render();
    expect(warned.platform.warnings).toEqual([expect.stringContaining('acme/prod/main/orders  [ACME101] image: docker.io/library/nginx:1.27 is not from the Acme registry')]);

    const acked = acme('eu-west-1', 'docker.io/library/nginx:1.27');
    Platform.acknowledgeWarning(acked.app, 'ACME101', 'an upstream image, mirrored nightly');
    acked.platform.render();
    expect(acked.platform.warnings).toEqual([]);
  });

  test('a check that throws is reported as RS006 with every other problem', () => {
    const { platform } = acme('us-east-1');
    Platform.addCheck(platform, { check: () => { throw new Error('cost-centre table not loaded'); } });
    const error = validationErrorOf(platform);
    expect(error.problems.map(p => p.code).sort()).toEqual(['ACME001', 'RS006']);
    expect(error.problems.find(p => p.code === 'RS006')!.message).toContain('cost-centre table not loaded');
  });

  test("a check may not use the library's codes or codes of no shape (RS007)", () => {
    const { platform, app } = acme();
    Platform.addCheck(app, { check: (r: ProblemCollector) => r.error(app, 'RS104', 'port', 'mine', 'fix') });
    Platform.addCheck(app, { check: (r: ProblemCollector) => r.warning(app, 'cost centre', 'labels', 'mine', 'fix') });
    const error = validationErrorOf(platform);
    const rs007 = error.problems.filter(p => p.code === 'RS007');
    expect(rs007.map(p => [p.path, p.message])).toEqual([
      ['acme/prod/main/orders', expect.stringContaining('reported RS104 (at acme/prod/main/orders): codes starting with RS belong to the library')],
      ['acme/prod/main/orders', expect.stringContaining('reported the code "cost centre"')],
    ]);
  });

  test('checks cannot be added once the platform is rendered', () => {
    const { platform } = acme();
    platform.render();
    expect(() => Platform.addCheck(platform, { check: () => undefined })).toThrow(/already been rendered/);
  });

  test('a construct outside a platform gets a clear error', () => {
    const stray = new Construct(undefined as any, 'stray');
    expect(() => Platform.addCheck(stray, { check: () => undefined })).toThrow(/stray is not inside a Platform/);
  });
});

describe('node.addValidation()', () => {
  test('validations on any construct of the platform are reported (RS005), with the rest, at their path', () => {
    const { platform, app } = acme('us-east-1');
    app.node.addValidation({ validate: () => ['orders needs an owner label'] });
    const group: IConstruct = new Construct(KubernetesCluster.of(app), 'team-payments');
    group.node.addValidation({ validate: () => ['first', 'second'] });
    const error = validationErrorOf(platform);
    expect(error.problems.filter(p => p.code === 'RS005').map(p => [p.path, p.message])).toEqual([
      ['acme/prod/main/orders', 'orders needs an owner label'],
      ['acme/prod/main/team-payments', 'first'],
      ['acme/prod/main/team-payments', 'second'],
    ]);
    expect(error.problems.some(p => p.code === 'ACME001')).toBe(true);
  });
});
