/**
 * The Terraform renderer of `Queue` (@cdktf/provider-aws by submodule).
 * Loaded only by the Terraform engine.
 */
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { QueueHandle, QueueIntent } from './intent';
import type { TerraformContext } from '../../engines/terraform/context';

/** The queue and its dead-letter queue, TLS-only, as the CloudFormation engine makes them. */
export function renderQueue(ctx: TerraformContext, intent: QueueIntent): QueueHandle {
  const scope = ctx.scope(intent.scopeId);
  const lifecycle = intent.removal === 'retain' ? { preventDestroy: true } : undefined;
  const common = { fifoQueue: intent.fifo ? true : undefined, sqsManagedSseEnabled: true, lifecycle };
  const deadLetterQueue = new SqsQueue(scope, 'DeadLetterQueue', {
    ...common,
    name: intent.deadLetterQueueName,
    messageRetentionSeconds: intent.deadLetterRetentionSeconds,
    // Only its queue may move messages here (the ARN is built, not referenced: no cycle).
    redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [intent.arn] }),
  });
  const queue = new SqsQueue(scope, 'Resource', {
    ...common,
    name: intent.name,
    messageRetentionSeconds: intent.retentionSeconds,
    visibilityTimeoutSeconds: intent.visibilityTimeoutSeconds,
    redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: intent.maxReceiveCount }),
  });
  tlsOnly(scope, 'DeadLetterQueuePolicy', deadLetterQueue);
  tlsOnly(scope, 'Policy', queue);
  return { name: intent.name };
}

/** The queue policy aws-cdk-lib's `enforceSSL` writes: deny every action over plain HTTP. */
function tlsOnly(scope: Construct, id: string, queue: SqsQueue): void {
  new SqsQueuePolicy(scope, id, {
    queueUrl: queue.url,
    policy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: queue.arn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    }),
  });
}
