import { Template } from 'aws-cdk-lib/assertions';
import {
  Access, CloudEngine, ConcurrencyPolicy, Environment, FargateRuntime, KubernetesCluster, ManagedPostgres, Platform, Queue, ScheduledJob,
  SupportServices, Tier, WebApp, Worker,
} from '../../../lib';
import { nagReportOf } from '../../util/nag';
import { validationErrorOf } from '../../util/problems';
import { environmentTemplate } from '../../util/templates';

const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ZONE = 'Z0123456789ABCDEFGHIJ';

/** A web app with a host, a database and a queue, a worker scaling on the queue, and a nightly job: all on Fargate. */
function program(tier: Tier) {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier, account: ACCOUNT, region: REGION });
  const fargate = new FargateRuntime(env, 'edge', { domain: 'acme.example.com', hostedZoneId: ZONE });
  const db = new ManagedPostgres(env, 'orders-db');
  const jobs = new Queue(env, 'jobs');
  const api = new WebApp(fargate, 'api', {
    image: 'ghcr.io/acme/api:1.0.0',
    port: 8080,
    host: 'api.acme.example.com',
    env: { LOG_LEVEL: 'info' },
    healthCheck: { path: '/healthz', startupTimeoutSeconds: 120 },
    connections: [db],
  });
  api.connect(jobs, { access: Access.WRITE });
  const worker = new Worker(fargate, 'billing', { image: 'ghcr.io/acme/billing:1.0.0', connections: [api] });
  worker.connect(jobs, { access: Access.READ, scaling: { minReplicas: 2, maxReplicas: 20, messagesPerReplica: 5 } });
  new ScheduledJob(fargate, 'report', {
    image: 'ghcr.io/acme/report:1.0.0', schedule: '30 3 * * 1-5', timeZone: 'Europe/Paris', concurrencyPolicy: ConcurrencyPolicy.ALLOW, backoffLimit: 4,
  });
  new WebApp(fargate, 'admin', { image: 'ghcr.io/acme/admin:1.0.0', port: 3000, host: 'admin.acme.example.com', autoscaling: { maxReplicas: 5, targetCpuUtilization: 60 } });
  platform.render();
  return { platform, env, fargate, api, worker, template: environmentTemplate(env) };
}

const values = (t: Template, type: string, where: (p: any) => boolean = () => true) =>
  Object.values<any>(t.findResources(type)).map(r => r.Properties).filter(where);
const taskOf = (t: Template, name: string) => values(t, 'AWS::ECS::TaskDefinition', p => p.Family === `acme-shop-edge-${name}`)[0];
const serviceOf = (t: Template, name: string) => values(t, 'AWS::ECS::Service', p => p.ServiceName === name)[0];

const EXPECTED = {
  [Tier.DEVELOPMENT]: { replicas: 1, cpu: '256', memory: '512', retention: 7, deletionProtection: 'false', cpuTarget: 24 },
  [Tier.STAGING]: { replicas: 2, cpu: '512', memory: '1024', retention: 30, deletionProtection: 'false', cpuTarget: 30 },
  [Tier.PRODUCTION]: { replicas: 3, cpu: '1024', memory: '2048', retention: 365, deletionProtection: 'true', cpuTarget: 30 },
};

describe.each([Tier.DEVELOPMENT, Tier.STAGING, Tier.PRODUCTION])('Fargate in %s', tier => {
  const { env, template } = program(tier);
  const expected = EXPECTED[tier];

  test('stacks: the runtime in the foundation, each workload in a stack of its own that deploys after it', () => {
    expect(env.stacks.map(s => s.stackName)).toEqual([
      'acme-shop', 'acme-shop-orders-db', 'acme-shop-jobs', 'acme-shop-edge-app-api', 'acme-shop-edge-app-billing', 'acme-shop-edge-app-report', 'acme-shop-edge-app-admin',
    ]);
    const foundation = Template.fromStack(env.stack);
    foundation.resourceCountIs('AWS::ECS::Cluster', 1);
    foundation.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    foundation.resourceCountIs('AWS::ECS::Service', 0);
    for (const stack of env.stacks.slice(1)) expect(stack.dependencies).toContain(env.stack);
    // A workload deploys after the services it connects to (its tasks read their secrets when they start).
    const after = (name: string) => env.stacks.find(s => s.stackName === name)!.dependencies.map(s => s.stackName).sort();
    expect(after('acme-shop-edge-app-api')).toEqual(['acme-shop', 'acme-shop-jobs', 'acme-shop-orders-db']);
    expect(after('acme-shop-edge-app-admin')).toEqual(['acme-shop']);
    expect(after('acme-shop-orders-db')).toEqual(['acme-shop']);
  });

  test('the ECS cluster: Fargate capacity providers, Container Insights on', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterName: 'acme-shop-edge',
      CapacityProviders: ['FARGATE'],
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  test('task definitions are hardened: non-root, read-only root with a writable /tmp, not privileged, no capabilities, awslogs, split roles', () => {
    for (const name of ['api', 'billing', 'report', 'admin']) {
      const task = taskOf(template, name);
      expect(task).toMatchObject({
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        Cpu: expected.cpu,
        Memory: expected.memory,
        Volumes: [{ Name: 'tmp' }],
      });
      const [c] = task.ContainerDefinitions;
      expect(c).toMatchObject({
        User: '10001:10001',
        Privileged: false,
        ReadonlyRootFilesystem: true,
        LinuxParameters: { Capabilities: { Drop: ['ALL'] } },
        MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false }],
        Memory: Number(expected.memory),
        LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-region': REGION, 'awslogs-stream-prefix': name } },
      });
      expect(c.LinuxParameters.Capabilities.Add).toBeUndefined();
      expect(task.ExecutionRoleArn).toBeDefined();
      expect(JSON.stringify(task.ExecutionRoleArn)).not.toBe(JSON.stringify(task.TaskRoleArn));
    }
    // Only what a connection granted gets a task role: the admin app has none.
    expect(taskOf(template, 'admin').TaskRoleArn).toBeUndefined();
    expect(taskOf(template, 'api').TaskRoleArn).toBeDefined();
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/ecs/acme-shop-edge/api', RetentionInDays: expected.retention });
  });

  test('roles: assumed by ECS tasks of this account only; the execution role pulls, logs and reads only its secrets', () => {
    const roles = values(template, 'AWS::IAM::Role', p => /^acme-shop-edge-(api|app-api)/.test(p.RoleName));
    expect(roles.map(r => r.RoleName).sort()).toEqual(['acme-shop-edge-api-exec', 'acme-shop-edge-app-api']);
    for (const role of roles) {
      expect(role.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
        Principal: { Service: 'ecs-tasks.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${REGION}:${ACCOUNT}:*` } },
      })]);
    }
    const exec = values(template, 'AWS::IAM::Policy', p => JSON.stringify(p.Roles).includes('apiExecutionRole'))[0];
    const statements = exec.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['WriteItsLogs', 'ReadItsSecrets']);
    expect(statements[1]).toMatchObject({
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/shop/orders-db-??????`,
    });
  });

  test('the web app: an ECS service in private subnets without public IPs, circuit breaker with rollback, the tier\'s tasks, ECS Exec off', () => {
    const service = serviceOf(template, 'api');
    expect(service).toMatchObject({
      Cluster: 'acme-shop-edge',
      DesiredCount: expected.replicas,
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      AvailabilityZoneRebalancing: 'ENABLED',
      EnableExecuteCommand: false,
      HealthCheckGracePeriodSeconds: 120,
      LoadBalancers: [{ ContainerName: 'api', ContainerPort: 8080 }],
    });
    // Every private subnet of the environment, one per zone (the tasks spread over them).
    expect(service.NetworkConfiguration.AwsvpcConfiguration.Subnets).toHaveLength(env.availabilityZones.length);
    expect(JSON.stringify(service.NetworkConfiguration.AwsvpcConfiguration.Subnets)).toContain('private');
  });

  test('the load balancer: internet-facing, HTTPS with a DNS-validated certificate and TLS 1.2+, HTTP redirected, access logs', () => {
    const [lb] = values(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    expect(lb.Scheme).toBe('internet-facing');
    expect(lb.LoadBalancerAttributes).toEqual(expect.arrayContaining([
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'deletion_protection.enabled', Value: expected.deletionProtection },
    ]));
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'acme.example.com',
      SubjectAlternativeNames: ['*.acme.example.com'],
      ValidationMethod: 'DNS',
      // The wildcard shares the apex's validation record.
      DomainValidationOptions: [{ DomainName: 'acme.example.com', HostedZoneId: ZONE }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    });
  });

  test('each host: a listener rule, a target group with the health check, an alias record, and the load balancer admitted on the port', () => {
    const rules = values(template, 'AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(rules.map(r => r.Conditions[0].HostHeaderConfig.Values).sort()).toEqual([['admin.acme.example.com'], ['api.acme.example.com']]);
    expect(new Set(rules.map(r => r.Priority)).size).toBe(2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip', Protocol: 'HTTP', Port: 8080, HealthCheckPath: '/healthz', Matcher: { HttpCode: '200-399' },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: ZONE, Name: 'api.acme.example.com', Type: 'A', AliasTarget: { EvaluateTargetHealth: true },
    });
    // In the foundation, one per host and one per port (two apps of one host or one port would otherwise write the same record or rule twice).
    const foundation = Template.fromStack(env.stack);
    foundation.resourceCountIs('AWS::Route53::RecordSet', 2);
    foundation.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp', Description: 'The load balancer to the runtime\'s apps on 8080',
    });
    foundation.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 3000, Description: 'The load balancer to the runtime\'s apps on 3000' });
  });

  test('scaling: fixed tasks, CPU target tracking from autoscaling, and backlog per task on the queue', () => {
    // The scaler sets the count of a scaled service; a fixed one has the tier's.
    expect(serviceOf(template, 'admin').DesiredCount).toBeUndefined();
    expect(serviceOf(template, 'api').DesiredCount).toBe(expected.replicas);
    const targets = values(template, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect(targets.map(t => [t.ResourceId, t.MinCapacity, t.MaxCapacity]).sort()).toEqual([
      ['service/acme-shop-edge/admin', expected.replicas, 5],
      ['service/acme-shop-edge/billing', 2, 20],
    ]);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      // 60 % of the CPU request, as ECS measures it: a share of the task's CPU (request / limit of the tier's defaults).
      TargetTrackingScalingPolicyConfiguration: { TargetValue: expected.cpuTarget, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    });
    const queue = values(template, 'AWS::ApplicationAutoScaling::ScalingPolicy', p => p.PolicyName === 'billing-queue-depth')[0];
    const metrics = queue.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics;
    expect(queue.TargetTrackingScalingPolicyConfiguration.TargetValue).toBe(5);
    expect(metrics.map((m: any) => m.Id)).toEqual(['messages', 'tasks', 'backlog']);
    expect(metrics[0].MetricStat.Metric.Dimensions).toEqual([{ Name: 'QueueName', Value: 'acme-shop-jobs' }]);
    expect(metrics[2]).toMatchObject({ Expression: 'messages / tasks', ReturnData: true });
  });

  test('the scheduled job: an EventBridge Scheduler schedule that runs the task in the private subnets, with its time zone and retries', () => {
    const [schedule] = values(template, 'AWS::Scheduler::Schedule');
    expect(schedule).toMatchObject({
      Name: 'acme-shop-edge-report',
      ScheduleExpression: 'cron(30 3 ? * MON,TUE,WED,THU,FRI *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 4 },
        EcsParameters: { LaunchType: 'FARGATE', TaskCount: 1, EnableExecuteCommand: false, NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } } },
      },
    });
    const policy = values(template, 'AWS::IAM::Policy', p => JSON.stringify(p.Roles).includes('SchedulerRole'))[0].PolicyDocument.Statement;
    expect(policy.map((s: any) => s.Sid)).toEqual(['RunTheJob', 'PassItsRoles', 'TagItsTasks']);
    expect(policy[1].Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  });

  test('cdk-nag AwsSolutions: clean, every acknowledgement with its reason', () => {
    expect(nagReportOf(env).violations).toEqual([]);
  });
});

describe('connections on Fargate', () => {
  const { template, api } = program(Tier.PRODUCTION);

  test('the database admits the runtime\'s tasks by security group, on its port', () => {
    const tasksGroup = Object.keys(template.findResources('AWS::EC2::SecurityGroup', { Properties: { GroupDescription: 'The tasks of ECS cluster acme-shop-edge' } }));
    expect(tasksGroup).toHaveLength(1);
    const [dbGroup] = values(template, 'AWS::EC2::SecurityGroup', p => p.GroupDescription.startsWith('PostgreSQL instance acme-shop-orders-db'));
    expect(dbGroup.SecurityGroupIngress).toEqual([{
      Description: 'PostgreSQL from the tasks of ECS cluster acme-shop-edge',
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
      SourceSecurityGroupId: { 'Fn::GetAtt': [tasksGroup[0], 'GroupId'] },
    }]);
  });

  test('secrets come through the task\'s `secrets` (valueFrom with the key), never as values in the task definition', () => {
    const [c] = taskOf(template, 'api').ContainerDefinitions;
    const base = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:acme/shop/orders-db`;
    expect(c.Secrets).toEqual([
      { Name: 'ORDERS_DB_HOST', ValueFrom: `${base}:host::` },
      { Name: 'ORDERS_DB_PORT', ValueFrom: `${base}:port::` },
      { Name: 'ORDERS_DB_DATABASE', ValueFrom: `${base}:dbname::` },
      { Name: 'ORDERS_DB_USER', ValueFrom: `${base}:username::` },
      { Name: 'ORDERS_DB_PASSWORD', ValueFrom: `${base}:password::` },
    ]);
    expect(c.Environment.map((e: any) => e.Name)).toEqual(['LOG_LEVEL', 'JOBS_QUEUE_URL', 'JOBS_QUEUE_ARN', 'AWS_REGION', 'AWS_DEFAULT_REGION']);
    expect(JSON.stringify(c.Environment)).not.toMatch(/password|resolve:secretsmanager/i);
  });

  test('IAM grants go to the task role', () => {
    const policy = values(template, 'AWS::IAM::Policy', p => JSON.stringify(p.Roles).includes('apiTaskRole'))[0];
    expect(policy.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      Resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:acme-shop-jobs`,
    })]);
  });

  test('app to app: a private DNS name (Cloud Map) and the tasks admitted on the app\'s port', () => {
    expect(api.url).toBe('http://api.edge.shop.acme.internal:8080');
    template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'edge.shop.acme.internal' });
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'api', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 8080, Description: 'The runtime\'s tasks to its apps on 8080' });
    expect(serviceOf(template, 'api').ServiceRegistries).toHaveLength(1);
    const [c] = taskOf(template, 'billing').ContainerDefinitions;
    expect(c.Environment).toContainEqual({ Name: 'API_URL', Value: 'http://api.edge.shop.acme.internal:8080' });
  });
});

/** The same app on both runtimes: what a connection gives must not depend on where the app runs. */
describe('equivalence: the same props on Kubernetes and on Fargate', () => {
  const platform = new Platform({ name: 'acme' });
  const env = new Environment(platform, 'shop', { tier: Tier.STAGING, account: ACCOUNT, region: REGION });
  const cluster = new KubernetesCluster(env, 'main');
  new SupportServices(cluster, 'support', { domain: 'acme.example.com', acmeEmail: 'ops@acme.example.com', hostedZoneId: ZONE });
  const fargate = new FargateRuntime(env, 'edge', { domain: 'edge.acme.example.com', hostedZoneId: ZONE });
  const db = new ManagedPostgres(env, 'orders-db');
  const jobs = new Queue(env, 'jobs');
  const define = (runtime: KubernetesCluster | FargateRuntime, host: string) => {
    const app = new WebApp(runtime, 'orders', { image: 'ghcr.io/acme/orders:1.0.0', port: 8080, host, env: { LOG_LEVEL: 'info' }, connections: [db] });
    app.connect(jobs, { access: Access.READ_WRITE });
    return app;
  };
  define(cluster, 'orders.acme.example.com');
  define(fargate, 'orders.edge.acme.example.com');
  platform.render();
  const template = environmentTemplate(env);
  const k8sEnv: string[] = (platform.manifests()['shop/main'] as any[]).find(d => d.kind === 'Deployment' && d.metadata.name === 'orders')
    .spec.template.spec.containers[0].env.map((e: any) => e.name);
  const [c] = taskOf(template, 'orders').ContainerDefinitions;
  const fargateEnv: string[] = [...c.Environment, ...c.Secrets].map((e: any) => e.Name);

  test('the same environment variable names, except the values composed from secret keys, which ECS cannot inject', () => {
    expect(fargateEnv.slice().sort()).toEqual(k8sEnv.filter(n => !['ORDERS_DB_URL', 'DATABASE_URL'].includes(n)).sort());
    expect(k8sEnv).toEqual(expect.arrayContaining(['ORDERS_DB_URL', 'DATABASE_URL']));
  });

  test('the same IAM statements on the workload\'s own identity (Pod Identity role and task role)', () => {
    const statementsOf = (role: string) => values(template, 'AWS::IAM::Policy', p => JSON.stringify(p.Roles).includes(role))[0].PolicyDocument.Statement;
    expect(statementsOf('edgeappordersTaskRole')).toEqual(statementsOf('mainapporders'));
    expect(statementsOf('mainapporders')).toEqual([expect.objectContaining({ Sid: 'JobsQueueReadWrite' })]);
  });
});

describe('bad input on Fargate', () => {
  function errors(build: (env: Environment, fargate: FargateRuntime) => void, engine = CloudEngine.CLOUDFORMATION, tier = Tier.STAGING) {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier, account: ACCOUNT, region: REGION, engine });
    const fargate = new FargateRuntime(env, 'edge', { domain: 'acme.example.com', hostedZoneId: ZONE });
    build(env, fargate);
    return validationErrorOf(platform).problems.map(p => `${p.path} [${p.code}] ${p.prop}: ${p.message} -> ${p.fix}`);
  }
  const IMAGE = 'ghcr.io/acme/x:1.0.0';

  test.each([
    ['namespace', (f: FargateRuntime) => new WebApp(f, 'a', { image: IMAGE, port: 80, namespace: 'shop' }), /\[RS150\] namespace: namespace has no meaning on Fargate/],
    ['secretEnv', (f: FargateRuntime) => new Worker(f, 'a', { image: IMAGE, secretEnv: { TOKEN: { secretName: 's', key: 'k' } } }), /\[RS150\] secretEnv: .*Kubernetes Secrets/],
    ['metrics', (f: FargateRuntime) => new WebApp(f, 'a', { image: IMAGE, port: 80, metrics: {} }), /\[RS150\] metrics: metrics of acme\/shop\/edge\/a: Fargate has no Prometheus/],
    ['livenessPath', (f: FargateRuntime) => new WebApp(f, 'a', { image: IMAGE, port: 80, host: 'a.acme.example.com', healthCheck: { path: '/ready', livenessPath: '/live' } }),
      /\[RS150\] healthCheck.livenessPath: .*one HTTP health check/],
    ['healthCheck without host', (f: FargateRuntime) => new WebApp(f, 'a', { image: IMAGE, port: 80, healthCheck: { path: '/ready' } }), /\[RS150\] healthCheck: .*no load balancer/],
    ['job history', (f: FargateRuntime) => new ScheduledJob(f, 'a', { image: IMAGE, schedule: '@daily', concurrencyPolicy: ConcurrencyPolicy.ALLOW, successfulJobsHistoryLimit: 2 }),
      /\[RS150\] successfulJobsHistoryLimit: /],
    ['concurrency Forbid', (f: FargateRuntime) => new ScheduledJob(f, 'a', { image: IMAGE, schedule: '@daily', concurrencyPolicy: ConcurrencyPolicy.FORBID }),
      /\[RS150\] concurrencyPolicy: .*cannot skip a run while one is going -> use ConcurrencyPolicy.ALLOW/],
  ])('a Kubernetes-only prop is an error naming it: %s', (_what, build, pattern) => {
    expect(errors((_env, f) => { build(f); })).toEqual([expect.stringMatching(pattern)]);
  });

  test('a host outside the runtime\'s domain, or two levels below it; a host on a runtime without a domain', () => {
    const problems = errors((env, f) => {
      new WebApp(f, 'a', { image: IMAGE, port: 80, host: 'a.other.example.org' });
      new WebApp(f, 'b', { image: IMAGE, port: 80, host: 'b.deep.acme.example.com' });
      new WebApp(new FargateRuntime(env, 'bare'), 'c', { image: IMAGE, port: 80, host: 'c.acme.example.com' });
    });
    expect(problems).toEqual([
      expect.stringMatching(/^acme\/shop\/edge\/a \[RS152\] host: "a.other.example.org" is not one of the runtime's domains \(acme.example.com\).* -> use a host such as "a.acme.example.com"/),
      expect.stringMatching(/^acme\/shop\/edge\/b \[RS152\] host: "b.deep.acme.example.com"/),
      expect.stringMatching(/^acme\/shop\/bare\/c \[RS153\] host: acme\/shop\/bare has no domain for public hosts -> give the FargateRuntime domain and hostedZoneId/),
    ]);
  });

  test('a cron expression EventBridge Scheduler rejects', () => {
    expect(errors((_e, f) => {
      new ScheduledJob(f, 'a', { image: IMAGE, schedule: '0 3 1 * 1', concurrencyPolicy: ConcurrencyPolicy.ALLOW });
      new ScheduledJob(f, 'b', { image: IMAGE, schedule: '0 3 * * */2', concurrencyPolicy: ConcurrencyPolicy.ALLOW });
    })).toEqual([
      expect.stringMatching(/^acme\/shop\/edge\/a \[RS154\] schedule: "0 3 1 \* 1" names both a day of month \(1\) and a day of week \(1\)/),
      expect.stringMatching(/^acme\/shop\/edge\/b \[RS154\] schedule: .*step in the day of week/),
    ]);
  });

  test('CPU and memory outside Fargate\'s combinations, with the nearest valid one in the fix', () => {
    expect(errors((_e, f) => {
      new Worker(f, 'a', { image: IMAGE, resources: { cpuLimit: '1', memoryLimit: '1Gi' } });
      new Worker(f, 'b', { image: IMAGE, resources: { cpuLimit: '3', memoryRequest: '1Gi', memoryLimit: '5Gi' } });
      new Worker(f, 'c', { image: IMAGE, resources: { cpuLimit: '2', memoryLimit: '4Gi' } });
    })).toEqual([
      'acme/shop/edge/a [RS151] resources.cpuLimit: a task of 1024 CPU units (cpuLimit "1") and 1024 MiB (memoryLimit "1Gi") is not a size Fargate runs'
        + ' -> use a valid Fargate combination; the nearest is cpuLimit "1", memoryLimit "2Gi"',
      'acme/shop/edge/b [RS151] resources.cpuLimit: a task of 3072 CPU units (cpuLimit "3") and 5120 MiB (memoryLimit "5Gi") is not a size Fargate runs'
        + ' -> use a valid Fargate combination; the nearest is cpuLimit "4", memoryLimit "8Gi"',
    ]);
  });

  test('queue scaling from zero, and a connection across runtimes (Fargate to EKS)', () => {
    const problems = errors((env, f) => {
      const cluster = new KubernetesCluster(env, 'main');
      const onEks = new WebApp(cluster, 'eks-app', { image: IMAGE, port: 80 });
      const jobs = new Queue(env, 'jobs');
      new Worker(f, 'a', { image: IMAGE, connections: [onEks] }).connect(jobs, { scaling: { minReplicas: 0, maxReplicas: 3 } });
    });
    expect(problems).toEqual([
      expect.stringMatching(/^acme\/shop\/edge\/a \[RS124\] connections\[0\]: acme\/shop\/main\/eks-app runs in runtime acme\/shop\/main, not in acme\/shop\/edge.* -> .*give it a host and use its public URL/),
      expect.stringMatching(/^acme\/shop\/edge\/a \[RS155\] connections\[1\].scaling.minReplicas: .*does not scale out from 0 tasks/),
    ]);
  });

  test('on the Terraform engine the runtime is an error naming the engine; a runtime without hostedZoneId', () => {
    expect(errors(() => {}, CloudEngine.TERRAFORM)).toEqual([
      expect.stringMatching(/^acme\/shop\/edge \[RS156\] engine: environment acme\/shop renders with the terraform engine; the Fargate runtime renders with CloudFormation only/),
    ]);
    expect(errors(env => { new FargateRuntime(env, 'nozone', { domain: 'acme.example.com' }); })).toEqual([
      expect.stringMatching(/^acme\/shop\/nozone \[RS157\] hostedZoneId: domain is set without hostedZoneId/),
    ]);
  });

  test('the runtime\'s domains and zone: additional domains outside domain, a zone without a domain, an existing network', () => {
    expect(errors(env => {
      new FargateRuntime(env, 'other', { domain: 'acme.example.com', additionalDomains: ['eu.acme.example.com', 'acme.example.org'], hostedZoneId: ZONE });
      new FargateRuntime(env, 'zoneonly', { hostedZoneId: ZONE });
    })).toEqual([
      expect.stringMatching(/^acme\/shop\/other \[RS157\] additionalDomains\[1\]: "acme.example.org" is not below domain acme.example.com/),
      expect.stringMatching(/^acme\/shop\/zoneonly \[RS157\] hostedZoneId: hostedZoneId is set without domain/),
    ]);
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', {
      tier: Tier.STAGING,
      account: ACCOUNT,
      region: REGION,
      network: { existing: { vpcId: 'vpc-0123456789abcdef0', vpcCidr: '10.1.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-a', 'subnet-b'], privateSubnetCidrs: ['10.1.0.0/20', '10.1.16.0/20'] } },
    });
    new FargateRuntime(env, 'edge', { domain: 'acme.example.com', hostedZoneId: ZONE });
    expect(validationErrorOf(platform).problems.map(p => `${p.code} ${p.prop}`)).toEqual(['RS159 domain']);
  });

  test('queue scaling without Container Insights; a path longer than a load balancer pattern holds', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier: Tier.STAGING, account: ACCOUNT, region: REGION });
    const fargate = new FargateRuntime(env, 'edge', { domain: 'acme.example.com', hostedZoneId: ZONE, containerInsights: false });
    new Worker(fargate, 'a', { image: IMAGE }).connect(new Queue(env, 'jobs'), { scaling: { maxReplicas: 3 } });
    new WebApp(fargate, 'b', { image: IMAGE, port: 80, host: 'b.acme.example.com', path: `/${'x'.repeat(130)}` });
    expect(validationErrorOf(platform).problems.map(p => `${p.path} [${p.code}] ${p.prop}`)).toEqual([
      'acme/shop/edge/a [RS155] connections[0].scaling',
      'acme/shop/edge/b [RS162] path',
    ]);
  });

  test('a secret-looking literal in env: the fix on Fargate is a connection, not secretEnv', () => {
    const [problem] = errors((_e, f) => { new Worker(f, 'a', { image: IMAGE, env: { API_TOKEN: 'abc' } }); });
    expect(problem).toMatch(/\[RS116\] env.API_TOKEN: .* -> remove it from env and deliver it through a connection/);
  });

  test('reading Kubernetes objects of a Fargate workload says so', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    const app = new WebApp(new FargateRuntime(env, 'edge'), 'a', { image: IMAGE, port: 80 });
    platform.render();
    expect(() => app.deployment).toThrow('acme/shop/edge/a runs on Fargate (acme/shop/edge): it has no Kubernetes objects');
    expect(app.cluster).toBeUndefined();
    expect(app.namespace).toBeUndefined();
  });
});

describe('warnings on Fargate', () => {
  test('RS160: the variables composed from secret keys are named, once the connections are bound', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    new Worker(new FargateRuntime(env, 'edge'), 'a', { image: 'ghcr.io/acme/a:1.0.0', connections: [new ManagedPostgres(env, 'orders-db')] });
    platform.render();
    expect(platform.warnings).toEqual([expect.stringMatching(/acme\/shop\/edge\/a +\[RS160\] connections: ORDERS_DB_URL, DATABASE_URL are not set on Fargate/)]);
  });

  test('RS161: ECS Exec on, with what it needs (a writable root filesystem, the task role\'s message channels)', () => {
    const platform = new Platform({ name: 'acme' });
    const env = new Environment(platform, 'shop', { tier: Tier.DEVELOPMENT, account: ACCOUNT, region: REGION });
    const fargate = new FargateRuntime(env, 'edge', { executeCommand: true });
    new Worker(fargate, 'a', { image: 'ghcr.io/acme/a:1.0.0' });
    platform.render();
    expect(platform.warnings).toEqual([expect.stringMatching(/acme\/shop\/edge +\[RS161\] executeCommand: ECS Exec is on/)]);
    const template = environmentTemplate(env);
    expect(serviceOf(template, 'a').EnableExecuteCommand).toBe(true);
    expect(taskOf(template, 'a').ContainerDefinitions[0].ReadonlyRootFilesystem).toBe(false);
    const [policy] = values(template, 'AWS::IAM::Policy', p => JSON.stringify(p.Roles).includes('aTaskRole'));
    expect(policy.PolicyDocument.Statement[0]).toMatchObject({ Sid: 'EcsExecChannels', Resource: '*' });
    expect(nagReportOf(env).violations).toEqual([]);
  });
});
