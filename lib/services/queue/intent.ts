import type { Removal } from '../../core/policy';
import type { ServiceIntentBase } from '../../engines/engine';

/**
 * An Amazon SQS queue with its dead-letter queue, encrypted (SQS-managed
 * keys) and TLS-only: everything an engine needs, every decision made.
 */
export interface QueueIntent extends ServiceIntentBase {
  readonly name: string;
  readonly deadLetterQueueName: string;
  /**
   * The queue's ARN: the only queue allowed to move messages into the
   * dead-letter queue (its redrive-allow policy, AWS Control Tower CT.SQS.PR.1).
   */
  readonly arn: string;
  readonly fifo: boolean;
  readonly retentionSeconds: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** How long the dead-letter queue keeps a message (the most SQS allows). */
  readonly deadLetterRetentionSeconds: number;
  /** Removal of both queues (messages are not kept past them). */
  readonly removal: Removal;
}

/** A rendered queue (its names, URLs and ARNs are deterministic; engines return nothing else). */
export interface QueueHandle {
  readonly name: string;
}
