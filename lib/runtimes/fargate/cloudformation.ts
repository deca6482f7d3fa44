import * as cdk from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import type { FargateRuntimeHandle, FargateRuntimeIntent, FargateScheduleIntent, FargateServiceIntent, FargateTaskIntent } from './intent';
import { wildcardFindings } from '../../core/workload-base';
import { CloudFormationContext, CloudFormationNetwork, removalPolicyOf, retentionDaysOf } from '../../engines/cloudformation/context';
import { acknowledge } from '../../engines/cloudformation/nag';
import type { PolicyStatementIntent } from '../../engines/intents';

/**
 * The Fargate runtime in the foundation stack: the ECS cluster, the
 * security group of its tasks with its rules, the private DNS namespace of
 * app-to-app connections and, with a domain, the load balancer with its
 * certificate, listeners, alias records and access-log bucket. Every value the apps'
 * stacks import is pinned, so removing the last app never meets "export
 * in use".
 */
export function renderFargateRuntime(
  ctx: CloudFormationContext, intent: FargateRuntimeIntent, network?: CloudFormationNetwork,
): FargateRuntimeHandle {
  const scope = ctx.scope(intent.scopeId);
  const vpc = network!.vpc;
  const cluster = new ecs.CfnCluster(scope, 'Resource', {
    clusterName: intent.clusterName,
    clusterSettings: [{ name: 'containerInsights', value: intent.containerInsights ? 'enabled' : 'disabled' }],
    capacityProviders: ['FARGATE'],
    defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
  });
  const tasks = new ec2.SecurityGroup(scope, 'TasksSecurityGroup', {
    vpc,
    description: `The tasks of ECS cluster ${intent.clusterName}`,
    allowAllOutbound: true,
  });
  ctx.pin(cluster.attrArn);
  ctx.pin(tasks.securityGroupId);

  const namespace = new servicediscovery.PrivateDnsNamespace(scope, 'Discovery', {
    name: intent.discoveryNamespace,
    vpc,
    description: `App-to-app names of ECS cluster ${intent.clusterName}`,
  });
  ctx.pin(namespace.namespaceId);
  // Apps that other tasks of the runtime connect to: the tasks admit each other on their ports
  // (one rule per port for all such apps, here: a rule per app in the apps' stacks would be a duplicate).
  for (const port of intent.clientPorts) {
    admit(scope, `FromTasks${port}`, tasks, tasks.securityGroupId, port, `The runtime's tasks to its apps on ${port}`);
  }

  let loadBalancer: FargateRuntimeHandle['loadBalancer'];
  const lb = intent.loadBalancer;
  if (lb) {
    const logBucket = new s3.Bucket(scope, 'AccessLogs', {
      bucketName: lb.accessLogBucketName,
      versioned: lb.accessLogsVersioned,
      // SSE-S3: the only encryption load balancer access logs support.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{
        id: 'expire',
        expiration: cdk.Duration.days(lb.accessLogDays),
        noncurrentVersionExpiration: lb.accessLogsVersioned ? cdk.Duration.days(1) : undefined,
      }],
      removalPolicy: removalPolicyOf(lb.accessLogRemoval),
    });
    // Object events to EventBridge, as every bucket of the library (AWS Control Tower CT.S3.PR.4).
    (logBucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled', true);
    acknowledge(logBucket, [['AwsSolutions-S1', 'This bucket receives the load balancer\'s access logs; logging its own accesses would need another log bucket, and so on.']]);
    const lbGroup = new ec2.SecurityGroup(scope, 'LoadBalancerSecurityGroup', {
      vpc,
      description: `The public load balancer of ECS cluster ${intent.clusterName}`,
      allowAllOutbound: false,
    });
    lbGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS from the internet');
    lbGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(80), 'HTTP from the internet, redirected to HTTPS');
    lbGroup.addEgressRule(ec2.Peer.securityGroupId(tasks.securityGroupId), ec2.Port.allTcp(), 'To the runtime\'s tasks');
    acknowledge(lbGroup, [['AwsSolutions-EC23', 'The public load balancer of the runtime\'s hosts: HTTPS on 443, and 80 only to redirect to HTTPS.']]);
    const alb = new elbv2.ApplicationLoadBalancer(scope, 'LoadBalancer', {
      vpc,
      internetFacing: true,
      loadBalancerName: lb.name,
      securityGroup: lbGroup,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
      deletionProtection: lb.deletionProtection,
    });
    alb.logAccessLogs(logBucket, 'alb');
    const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: lb.hostedZoneId, zoneName: lb.certificateNames[0] });
    const certificate = new acm.Certificate(scope, 'Certificate', {
      domainName: lb.certificateNames[0],
      subjectAlternativeNames: lb.certificateNames.slice(1),
      validation: acm.CertificateValidation.fromDns(zone),
    });
    const https = alb.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
      sslPolicy: lb.sslPolicy as elbv2.SslPolicy,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' }),
    });
    alb.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }),
    });
    // One alias per host (several apps may route paths of one host) and one rule per app port.
    for (const host of lb.hosts) {
      new route53.CfnRecordSet(scope, `Alias-${host}`, {
        hostedZoneId: lb.hostedZoneId,
        name: host,
        type: 'A',
        aliasTarget: { dnsName: alb.loadBalancerDnsName, hostedZoneId: alb.loadBalancerCanonicalHostedZoneId, evaluateTargetHealth: true },
      });
    }
    for (const port of lb.appPorts) {
      admit(scope, `FromLoadBalancer${port}`, tasks, lbGroup.securityGroupId, port, `The load balancer to the runtime's apps on ${port}`);
    }
    loadBalancer = { listenerArn: https.listenerArn };
    ctx.pin(https.listenerArn);
  }

  return {
    clusterName: intent.clusterName,
    clusterArn: cluster.attrArn,
    taskSecurityGroupId: tasks.securityGroupId,
    discoveryNamespaceId: namespace.namespaceId,
    loadBalancer,
  };
}

/**
 * A WebApp or Worker on Fargate, in its own stack: its task definition,
 * roles and log group, the ECS service, and its route, name and scaling.
 */
export function renderFargateService(
  ctx: CloudFormationContext, intent: FargateServiceIntent & { runtime: FargateRuntimeHandle }, network?: CloudFormationNetwork,
): void {
  const scope = ctx.scope(intent.scopeId);
  const runtime = intent.runtime;
  const vpc = network!.vpc;
  const task = renderTask(ctx, scope, intent);

  let targetGroup: elbv2.CfnTargetGroup | undefined;
  let rule: elbv2.CfnListenerRule | undefined;
  const route = intent.route;
  if (route && runtime.loadBalancer) {
    const lb = runtime.loadBalancer;
    targetGroup = new elbv2.CfnTargetGroup(scope, 'TargetGroup', {
      targetType: 'ip',
      protocol: 'HTTP',
      port: intent.container.port,
      vpcId: vpc.vpcId,
      healthCheckProtocol: 'HTTP',
      healthCheckPath: route.healthCheckPath,
      healthCheckIntervalSeconds: 10,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
      matcher: { httpCode: '200-399' },
      targetGroupAttributes: [{ key: 'deregistration_delay.timeout_seconds', value: '30' }],
    });
    rule = new elbv2.CfnListenerRule(scope, 'Route', {
      listenerArn: lb.listenerArn,
      priority: route.priority,
      conditions: [
        { field: 'host-header', hostHeaderConfig: { values: [route.host] } },
        ...(route.pathPatterns.length > 0 ? [{ field: 'path-pattern', pathPatternConfig: { values: route.pathPatterns } }] : []),
      ],
      actions: [{ type: 'forward', targetGroupArn: targetGroup.ref }],
    });
  }

  let registry: servicediscovery.CfnService | undefined;
  if (intent.discoveryName) {
    registry = new servicediscovery.CfnService(scope, 'Discovery', {
      name: intent.discoveryName,
      namespaceId: runtime.discoveryNamespaceId,
      dnsConfig: { dnsRecords: [{ type: 'A', ttl: 10 }], routingPolicy: 'MULTIVALUE' },
      healthCheckCustomConfig: { failureThreshold: 1 },
    });
  }
  const service = new ecs.CfnService(scope, 'Service', {
    cluster: runtime.clusterName,
    serviceName: intent.serviceName,
    taskDefinition: task.ref,
    // With scaling, the scaler sets the count (a count in the template would be set again on every update).
    desiredCount: intent.cpuScaling || intent.queueScaling ? undefined : intent.desiredCount,
    capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    platformVersion: 'LATEST',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: vpc.privateSubnets.map(s => s.subnetId),
        securityGroups: [runtime.taskSecurityGroupId],
        assignPublicIp: 'DISABLED',
      },
    },
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      minimumHealthyPercent: 100,
      maximumPercent: 200,
    },
    availabilityZoneRebalancing: 'ENABLED',
    enableExecuteCommand: intent.executeCommand,
    enableEcsManagedTags: true,
    propagateTags: 'SERVICE',
    healthCheckGracePeriodSeconds: route ? route.healthCheckGraceSeconds : undefined,
    loadBalancers: targetGroup
      ? [{ containerName: intent.container.name, containerPort: intent.container.port, targetGroupArn: targetGroup.ref }]
      : undefined,
    serviceRegistries: registry ? [{ registryArn: registry.attrArn }] : undefined,
  });
  // A target group can take a service only once a listener forwards to it.
  if (rule) service.addResourceDependency(rule);

  const scaling = intent.cpuScaling ?? intent.queueScaling;
  if (scaling) {
    const target = new cdk.aws_applicationautoscaling.CfnScalableTarget(scope, 'ScalableTarget', {
      serviceNamespace: 'ecs',
      resourceId: `service/${runtime.clusterName}/${intent.serviceName}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: scaling.min,
      maxCapacity: scaling.max,
    });
    target.addResourceDependency(service);
    const cpu = intent.cpuScaling;
    const queue = intent.queueScaling;
    new cdk.aws_applicationautoscaling.CfnScalingPolicy(scope, 'ScalingPolicy', {
      policyName: `${intent.serviceName}-${cpu ? 'cpu' : 'queue-depth'}`,
      policyType: 'TargetTrackingScaling',
      scalingTargetId: target.ref,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: cpu ? cpu.targetCpu : queue!.messagesPerTask,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
        predefinedMetricSpecification: cpu ? { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } : undefined,
        // Messages waiting per running task (the backlog per task AWS recommends scaling queue consumers on).
        customizedMetricSpecification: queue ? {
          metrics: [
            {
              id: 'messages',
              metricStat: {
                metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: queue.queueName }] },
                stat: 'Sum',
              },
              returnData: false,
            },
            {
              id: 'tasks',
              metricStat: {
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [{ name: 'ClusterName', value: runtime.clusterName }, { name: 'ServiceName', value: intent.serviceName }],
                },
                stat: 'Average',
              },
              returnData: false,
            },
            { id: 'backlog', expression: 'messages / tasks', label: 'Messages waiting per task', returnData: true },
          ],
        } : undefined,
      },
    });
  }
}

/** A ScheduledJob on Fargate, in its own stack: its task definition, and an EventBridge Scheduler schedule that runs it. */
export function renderFargateSchedule(
  ctx: CloudFormationContext, intent: FargateScheduleIntent & { runtime: FargateRuntimeHandle }, network?: CloudFormationNetwork,
): void {
  const scope = ctx.scope(intent.scopeId);
  const runtime = intent.runtime;
  const task = renderTask(ctx, scope, intent);
  const region = cdk.Stack.of(scope).region;
  const role = new iam.Role(scope, 'SchedulerRole', {
    roleName: intent.schedulerRoleName,
    description: `EventBridge Scheduler runs ${intent.scheduleName} on ECS cluster ${runtime.clusterName}`,
    assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': ctx.account } } }),
  });
  const tagTasks = new iam.PolicyStatement({
    sid: 'TagItsTasks',
    actions: ['ecs:TagResource'],
    resources: [`arn:${ctx.partition}:ecs:${region}:${ctx.account}:task/${runtime.clusterName}/*`],
    conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
  });
  const passRoles = [task.executionRoleArn, ...(task.taskRoleArn ? [task.taskRoleArn] : [])];
  role.attachInlinePolicy(new iam.Policy(scope, 'SchedulerPolicy', {
    statements: [
      new iam.PolicyStatement({
        sid: 'RunTheJob',
        actions: ['ecs:RunTask'],
        resources: [task.ref],
        conditions: { ArnEquals: { 'ecs:cluster': runtime.clusterArn } },
      }),
      new iam.PolicyStatement({
        sid: 'PassItsRoles',
        actions: ['iam:PassRole'],
        resources: passRoles,
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
      tagTasks,
    ],
  }));
  acknowledge(scope, wildcardFindings([{ actions: tagTasks.actions, resources: tagTasks.resources }])
    .map(rule => [rule, 'Task ids are made when a run starts; tagging is limited to tasks that RunTask creates in this cluster.']));
  new scheduler.CfnSchedule(scope, 'Schedule', {
    name: intent.scheduleName,
    description: `Runs ${intent.family} on ECS cluster ${runtime.clusterName}`,
    scheduleExpression: intent.expression,
    scheduleExpressionTimezone: intent.timeZone,
    flexibleTimeWindow: { mode: 'OFF' },
    state: 'ENABLED',
    target: {
      arn: runtime.clusterArn,
      roleArn: role.roleArn,
      retryPolicy: { maximumRetryAttempts: intent.retries, maximumEventAgeInSeconds: 3600 },
      ecsParameters: {
        taskDefinitionArn: task.ref,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        taskCount: 1,
        enableEcsManagedTags: true,
        enableExecuteCommand: false,
        propagateTags: 'TASK_DEFINITION',
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: network!.vpc.privateSubnets.map(s => s.subnetId),
            securityGroups: [runtime.taskSecurityGroupId],
            assignPublicIp: 'DISABLED',
          },
        },
      },
    },
  });
}

interface RenderedTask {
  readonly ref: string;
  readonly executionRoleArn: string;
  readonly taskRoleArn?: string;
}

/**
 * The task definition, hardened as the restricted pod profile is on
 * Kubernetes: a non-root user, a read-only root filesystem with a
 * writable `/tmp`, no privileged mode, every Linux capability dropped;
 * split execution and task roles; logs to an encrypted CloudWatch Logs
 * group with the tier's retention.
 */
function renderTask(ctx: CloudFormationContext, scope: Construct, intent: FargateTaskIntent): RenderedTask {
  const region = cdk.Stack.of(scope).region;
  for (const [key, value] of Object.entries(intent.tags)) {
    cdk.Tags.of(scope).add(key, value);
  }
  for (const scopeId of intent.deployAfter) {
    ctx.deployAfter(scopeId, 'the tasks read its secrets when they start');
  }
  const logGroup = new logs.LogGroup(scope, 'Logs', {
    logGroupName: intent.logGroupName,
    retention: retentionDaysOf(intent.logRetentionDays),
    encryptionKey: ctx.logsKey(),
    removalPolicy: removalPolicyOf(intent.logRemoval),
  });
  const trust = () => new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
    conditions: {
      StringEquals: { 'aws:SourceAccount': ctx.account },
      ArnLike: { 'aws:SourceArn': `arn:${ctx.partition}:ecs:${region}:${ctx.account}:*` },
    },
  });
  const executionRole = new iam.Role(scope, 'ExecutionRole', {
    roleName: intent.executionRoleName,
    description: `ECS starts the tasks of ${intent.family} with this role`,
    assumedBy: trust(),
  });
  executionRole.attachInlinePolicy(new iam.Policy(scope, 'ExecutionPolicy', { statements: intent.executionStatements.map(toStatement) }));
  acknowledge(executionRole, intent.executionAcknowledgements.map(a => [a.rule, a.reason]));
  acknowledge(scope.node.findChild('ExecutionPolicy'), intent.executionAcknowledgements.map(a => [a.rule, a.reason]));

  let taskRole: iam.Role | undefined;
  if (intent.taskRole) {
    taskRole = new iam.Role(scope, 'TaskRole', {
      roleName: intent.taskRole.roleName,
      description: intent.taskRole.description,
      assumedBy: trust(),
    });
    taskRole.attachInlinePolicy(new iam.Policy(scope, 'TaskPolicy', { statements: intent.taskRole.statements.map(toStatement) }));
    acknowledge(scope.node.findChild('TaskPolicy'), (intent.taskRole.acknowledgements ?? []).map(a => [a.rule, a.reason]));
  }

  const c = intent.container;
  const plain = c.variables.filter(v => v.valueFrom === undefined);
  const secrets = c.variables.filter(v => v.valueFrom !== undefined);
  const definition = new ecs.CfnTaskDefinition(scope, 'TaskDefinition', {
    family: intent.family,
    cpu: String(intent.cpu),
    memory: String(intent.memory),
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    executionRoleArn: executionRole.roleArn,
    taskRoleArn: taskRole?.roleArn,
    volumes: [{ name: 'tmp' }],
    containerDefinitions: [{
      name: c.name,
      image: c.image,
      essential: true,
      entryPoint: c.entryPoint,
      command: c.command,
      cpu: c.cpu,
      memoryReservation: c.memoryReservation,
      memory: c.memory,
      user: c.user,
      privileged: false,
      readonlyRootFilesystem: c.readonlyRootFilesystem,
      linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      portMappings: c.port !== undefined ? [{ name: 'http', containerPort: c.port, protocol: 'tcp' }] : undefined,
      environment: plain.length > 0 ? plain.map(v => ({ name: v.name, value: v.value })) : undefined,
      secrets: secrets.length > 0 ? secrets.map(v => ({ name: v.name, valueFrom: v.valueFrom! })) : undefined,
      healthCheck: c.healthCommand ? { command: ['CMD', ...c.healthCommand], interval: 20, timeout: 5, retries: 3, startPeriod: 60 } : undefined,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': logGroup.logGroupName, 'awslogs-region': region, 'awslogs-stream-prefix': c.name },
      },
    }],
  });
  if (plain.length > 0) {
    acknowledge(definition, [['AwsSolutions-ECS2',
      'These variables are plain configuration (names that look secret are rejected at synth); secrets come through the container\'s `secrets` from Secrets Manager.']]);
  }
  return { ref: definition.ref, executionRoleArn: executionRole.roleArn, taskRoleArn: taskRole?.roleArn };
}

/** One ingress rule of `group`: TCP on `port` from the security group `source`. */
function admit(scope: Construct, id: string, group: ec2.ISecurityGroup, source: string, port: number, description: string): void {
  new ec2.CfnSecurityGroupIngress(scope, id, {
    groupId: group.securityGroupId,
    sourceSecurityGroupId: source,
    ipProtocol: 'tcp',
    fromPort: port,
    toPort: port,
    description,
  });
}

function toStatement(s: PolicyStatementIntent): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: s.sid, effect: iam.Effect.ALLOW, actions: s.actions, resources: s.resources, conditions: s.conditions });
}
