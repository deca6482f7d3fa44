import { CloudEngine, DataRemoval, Environment, KubernetesCluster, ManagedPostgres, Platform, Tier, TierPresets } from '../../lib';
import { cloudFormationAppOf } from '../../lib/engines/cloudformation/engine';
import { validationErrorOf } from '../util/problems';
import { environmentTemplate } from '../util/templates';

const problemsOf = validationErrorOf;

describe('Environment', () => {
  test('renders one CloudFormation stack named <platform>-<env> in its account and region, tagged', () => {
    // GIVEN
    const platform = new Platform({ name: 'acme' });
    // WHEN
    const env = new Environment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'us-east-2', tags: { team: 'platform' } });
    new KubernetesCluster(env, 'main');
    platform.render();
    // THEN
    expect(env.stack.stackName).toBe('acme-staging');
    expect(env.stack.account).toBe('222222222222');
    expect(env.stack.region).toBe('us-east-2');
    expect(env.engine).toBe(CloudEngine.CLOUDFORMATION);
    expect(env.secretPrefix).toBe('acme/staging/');
    // Stack tags: CloudFormation propagates them to every resource.
    expect(env.stack.tags.tagValues()).toEqual({
      'runtime-stack:platform': 'acme',
      'runtime-stack:environment': 'staging',
      'runtime-stack:tier': 'staging',
      'team': 'platform',
    });
  });

  test('the tier chooses the defaults, from the one preset table', () => {
    const platform = new Platform({ name: 'acme' });
    for (const tier of [Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION]) {
      const env = new Environment(platform, tier.slice(0, 4), { tier, account: '111111111111', region: 'eu-west-1' });
      expect(env.defaults).toBe(TierPresets.of(tier));
    }
    const prod = TierPresets.of(Tier.PRODUCTION);
    expect(prod.replicas).toBeGreaterThanOrEqual(2);
    expect(prod.deletionProtection).toBe(true);
    expect(TierPresets.of(Tier.DEVELOPMENT).dataRemoval).toBe('destroy');
  });

  test('zones come from the region table, never from a lookup', () => {
    const platform = new Platform({ name: 'acme' });
    const dev = new Environment(platform, 'dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'us-west-1' });
    const prod = new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'ap-northeast-1' });
    const named = new Environment(platform, 'named', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', network: { availabilityZones: ['eu-west-1b', 'eu-west-1c'] } });
    expect(dev.availabilityZones).toEqual(['us-west-1b', 'us-west-1c']);
    expect(prod.availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
    expect(named.availabilityZones).toEqual(['eu-west-1b', 'eu-west-1c']);
    new KubernetesCluster(prod, 'main');
    platform.render();
    const subnets = environmentTemplate(prod).findResources('AWS::EC2::Subnet');
    const zones = new Set(Object.values(subnets).map((s: any) => s.Properties.AvailabilityZone));
    expect([...zones].sort()).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
    // Synth needed no context lookup (an AWS call under the CLI).
    const assembly = cloudFormationAppOf(platform)!.synth();
    expect(assembly.manifest.missing).toBeUndefined();
    expect(assembly.getStackByName('acme-prod').messages.filter((m: any) => m.level === 'error')).toEqual([]);
  });
});

describe('bad input', () => {
  const cases: Array<{ name: string; build: (p: Platform) => void; code: string; path: string; text: RegExp }> = [
    {
      name: 'a tier that is not a Tier (JavaScript), with a cluster and a database that read its defaults',
      build: p => {
        const env = new Environment(p, 'prod', { tier: 'prod' as Tier, account: '111111111111', region: 'eu-west-1' });
        new KubernetesCluster(env, 'main');
        new ManagedPostgres(env, 'orders-db', { databaseName: 'orders' });
      },
      code: 'RS010',
      path: 'acme/prod',
      text: /tier: "prod" is not a tier: use Tier.DEVELOPMENT, Tier.STAGING or Tier.PRODUCTION/,
    },
    {
      name: 'an engine that is not a CloudEngine (JavaScript)',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', engine: 'pulumi' as CloudEngine }),
      code: 'RS609',
      path: 'acme/prod',
      text: /engine: "pulumi" is not a cloud engine: use CloudEngine.CLOUDFORMATION or CloudEngine.TERRAFORM/,
    },
    {
      name: 'terraform options on a CloudFormation environment',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', terraform: {} }),
      code: 'RS601',
      path: 'acme/prod',
      text: /terraform: terraform settings are given but the environment uses the cloudformation engine: set engine: CloudEngine.TERRAFORM, or remove the terraform prop/,
    },
    {
      name: 'a database removal policy that is not a DataRemoval (JavaScript)',
      build: p => new ManagedPostgres(new Environment(p, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' }), 'orders-db', { removalPolicy: 'keep' as DataRemoval }),
      code: 'RS319',
      path: 'acme/prod/orders-db',
      text: /removalPolicy: "keep" is not a DataRemoval: use DataRemoval.DESTROY, DataRemoval.SNAPSHOT or DataRemoval.RETAIN/,
    },
    {
      name: 'account that is not 12 digits',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '12345', region: 'eu-west-1' }),
      code: 'RS011',
      path: 'acme/prod',
      text: /account: "12345" is not an AWS account id: give the 12-digit account id/,
    },
    {
      name: 'unknown region, with a suggestion',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-9' }),
      code: 'RS012',
      path: 'acme/prod',
      text: /region: "eu-west-9" is not an AWS region this library knows: did you mean "eu-west-\d"\?/,
    },
    {
      name: 'region that is nothing like a region',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'mars' }),
      code: 'RS012',
      path: 'acme/prod',
      text: /give a region such as "eu-west-1"/,
    },
    {
      name: 'two environments with the same id',
      build: p => {
        new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' });
        new Environment(p, 'prod', { tier: Tier.STAGING, account: '111111111111', region: 'eu-west-1' });
      },
      code: 'RS004',
      path: 'acme/prod~2',
      text: /another Environment in acme already has the id "prod": give each Environment its own id/,
    },
    {
      name: 'environment id that is not a Kubernetes name',
      build: p => new Environment(p, 'Prod_EU', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }),
      code: 'RS002',
      path: 'acme/Prod_EU',
      text: /id "Prod_EU" is not a lowercase DNS label starting with a letter: .*\(e\.g\. "prod-eu"\)/,
    },
    {
      name: 'cluster id that is not a Kubernetes name',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), '1main'),
      code: 'RS002',
      path: 'acme/prod/1main',
      text: /KubernetesCluster id "1main"/,
    },
    {
      name: 'id longer than names allow',
      build: p => new Environment(p, 'a-very-long-environment-name', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }),
      code: 'RS003',
      path: 'acme/a-very-long-environment-name',
      text: /is 28 characters long, more than 20/,
    },
    {
      name: 'node group sizes out of order',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { nodes: { minSize: 5, maxSize: 2 } }),
      code: 'RS025',
      path: 'acme/prod/main',
      text: /minSize <= desiredSize <= maxSize \(got 5, 5, 2\)/,
    },
    {
      name: 'node root volume below what the AMI needs',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { nodes: { diskSize: 8 } }),
      code: 'RS033',
      path: 'acme/prod/main',
      text: /nodes\.diskSize: 8 GiB is not a whole number from 20 to 16384/,
    },
    {
      name: 'unsupported Kubernetes version',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { version: '1.20' }),
      code: 'RS022',
      path: 'acme/prod/main',
      text: /Kubernetes 1\.20 is not supported: use one of 1\.33/,
    },
    {
      name: 'node settings on an existing cluster',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { existing: { clusterName: 'legacy' }, nodes: { minSize: 1 } }),
      code: 'RS020',
      path: 'acme/prod/main',
      text: /nodes is set on an existing cluster/,
    },
    {
      name: 'version of an add-on the cluster does not have',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { addonVersions: { 'vpc-cn': 'v1.21.1-eksbuild.1' } }),
      code: 'RS031',
      path: 'acme/prod/main',
      text: /addonVersions\.vpc-cn: the cluster has no add-on "vpc-cn": name one of its add-ons: vpc-cni, coredns/,
    },
    {
      name: 'add-on version not in EKS form',
      build: p => new KubernetesCluster(new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1' }), 'main', { addonVersions: { coredns: '1.13.2' } }),
      code: 'RS032',
      path: 'acme/prod/main',
      text: /"1\.13\.2" is not an EKS add-on version/,
    },
    {
      name: 'zones of another region',
      build: p => new Environment(p, 'prod', { tier: Tier.PRODUCTION, account: '111111111111', region: 'eu-west-1', network: { availabilityZones: ['us-east-1a', 'eu-west-1b'] } }),
      code: 'RS014',
      path: 'acme/prod',
      text: /us-east-1a is not a zone of eu-west-1/,
    },
  ];

  test.each(cases)('$name → $code', ({ build, code, path: where, text }) => {
    // GIVEN
    const platform = new Platform({ name: 'acme' });
    // WHEN
    build(platform);
    // THEN
    const error = problemsOf(platform);
    const problem = error.problems.find(p => p.code === code);
    expect(problem).toBeDefined();
    expect(problem!.path).toBe(where);
    expect(error.message).toMatch(text);
    expect(error.message).toContain(`[${code}]`);
  });

  test('several problems are reported together, one line each, with path, code, prop and fix', () => {
    const platform = new Platform({ name: 'acme' });
    new Environment(platform, 'prod', { tier: Tier.PRODUCTION, account: 'abc', region: 'nowhere-1' });
    new Environment(platform, 'Dev', { tier: Tier.DEVELOPMENT, account: '111111111111', region: 'eu-west-1' });

    const error = problemsOf(platform);

    expect(error.problems.map(p => `${p.path} ${p.code} ${p.prop}`)).toEqual([
      'acme/prod RS011 account',
      'acme/prod RS012 region',
      'acme/Dev RS002 id',
    ]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('3 problems in the runtime stack:');
    expect(lines[1]).toMatch(/^ {2}acme\/prod {2}\[RS011\] account: "abc" is not an AWS account id: give the 12-digit/);
    expect(lines).toHaveLength(4);
  });

  test('an invalid platform name is reported', () => {
    const platform = new Platform({ name: 'ACME Corp' });
    expect(problemsOf(platform).problems.map(p => p.code)).toEqual(['RS002']);
  });
});
