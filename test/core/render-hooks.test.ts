import { Template } from 'aws-cdk-lib/assertions';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import { JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Environment, KubernetesCluster, Platform, SupportServices, Tier, WebApp } from '../../lib';
import { objectOf } from '../util/workloads';

/**
 * Render hooks: a blueprint's code that runs once the library has rendered,
 * with its escape hatches, before anything is checked or written.
 */

const IMAGE = 'ghcr.io/acme/orders:1.4.2';

function acme() {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'platform@acme.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' });
  const app = new WebApp(cluster, 'orders', { image: IMAGE, port: 8080 });
  return { platform, env, cluster, app };
}

describe('Platform.addRenderHook', () => {
  test("a hook changes a workload's objects and adds to an environment's stack, once, with the scope it was added for", () => {
    const { platform, env, app } = acme();
    const seen: IConstruct[] = [];
    Platform.addRenderHook(app, {
      afterRender: scope => {
        seen.push(scope);
        (scope as WebApp).deployment.addJsonPatch(JsonPatch.add('/spec/minReadySeconds', 10));
      },
    });
    Platform.addRenderHook(env, {
      afterRender: scope => {
        new budgets.CfnBudget((scope as Environment).stack, 'Budget', {
          budget: { budgetType: 'COST', timeUnit: 'MONTHLY', budgetLimit: { amount: 1000, unit: 'USD' } },
        });
      },
    });
    platform.render();
    platform.render();
    expect(seen).toEqual([app]);
    expect(objectOf(platform.manifests()['prod/main'], 'Deployment', 'orders', 'orders').spec.minReadySeconds).toBe(10);
    Template.fromStack(env.stack).resourceCountIs('AWS::Budgets::Budget', 1);
  });

  test("a hook runs after the support services rendered: their files are in the cluster's output to change", () => {
    const { platform, app } = acme();
    let files: string[] = [];
    Platform.addRenderHook(app, { afterRender: scope => { files = (scope as WebApp).chart.node.root.node.children.map(c => c.node.id); } });
    platform.render();
    expect(files).toEqual(expect.arrayContaining(['00-support-namespaces', '10-support-storage', '20-support-logs', '50-orders']));
  });

  test("a hook may not create the library's constructs", () => {
    const { platform, cluster } = acme();
    Platform.addRenderHook(cluster, { afterRender: () => { new WebApp(cluster, 'late', { image: IMAGE, port: 8080 }); } });
    expect(() => platform.render()).toThrow('acme/prod/main: a render hook (Platform.addRenderHook) threw: acme/prod/main/late: created in a render hook');
  });

  test('what a hook throws names where it was added', () => {
    const { platform, app } = acme();
    Platform.addRenderHook(app, { afterRender: () => { throw new Error('no budget table'); } });
    expect(() => platform.render()).toThrow('acme/prod/main/orders: a render hook (Platform.addRenderHook) threw: no budget table');
    // Half-rendered: every later render, synth or manifests() throws the same, and nothing is written.
    expect(() => platform.render()).toThrow('no budget table');
    expect(() => platform.manifests()).toThrow('no budget table');
  });
});

describe('render hooks and the output', () => {
  test('asking for the output from a hook is a clear error, not a second render', () => {
    const { platform, cluster } = acme();
    Platform.addRenderHook(cluster, { afterRender: () => { platform.manifests(); } });
    expect(() => platform.render()).toThrow(/a render hook \(Platform.addRenderHook\) threw: acme: render\(\), synth\(\) or manifests\(\) called while the platform renders/);
  });
});
