import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { QueueHandle, QueueIntent } from './intent';
import { CloudFormationContext, removalPolicyOf } from '../../engines/cloudformation/context';
import { acknowledge } from '../../engines/cloudformation/nag';

/** The CloudFormation handle of a queue: the L2 constructs, for escape hatches. */
export interface CloudFormationQueue extends QueueHandle {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

/**
 * The queue and its dead-letter queue with aws-cdk-lib. `Resource` (the
 * queue) and `DeadLetterQueue` are part of their logical ids.
 */
export function renderQueue(ctx: CloudFormationContext, intent: QueueIntent): CloudFormationQueue {
  const scope = ctx.scope(intent.scopeId);
  const removalPolicy = removalPolicyOf(intent.removal);
  const common = {
    fifo: intent.fifo ? true : undefined,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    removalPolicy,
  };
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    ...common,
    queueName: intent.deadLetterQueueName,
    retentionPeriod: cdk.Duration.seconds(intent.deadLetterRetentionSeconds),
    // Only its queue may move messages here (the ARN is built, not referenced: no cycle).
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [sqs.Queue.fromQueueArn(scope, 'Source', intent.arn)] },
  });
  acknowledge(deadLetterQueue, [['AwsSolutions-SQS3', 'This is the dead-letter queue of the queue beside it; a dead-letter queue has none of its own.']]);
  const queue = new sqs.Queue(scope, 'Resource', {
    ...common,
    queueName: intent.name,
    retentionPeriod: cdk.Duration.seconds(intent.retentionSeconds),
    visibilityTimeout: cdk.Duration.seconds(intent.visibilityTimeoutSeconds),
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: intent.maxReceiveCount },
  });
  return { name: intent.name, queue, deadLetterQueue };
}
