import type { Removal } from '../../core/policy';
import type { ServiceIntentBase } from '../../engines/engine';

/**
 * An ElastiCache replication group (Valkey or Redis OSS) in the private
 * subnets, encrypted in transit and at rest, with a generated AUTH token:
 * everything an engine needs, every decision made.
 */
export interface CacheIntent extends ServiceIntentBase {
  /** Replication group id (deterministic). */
  readonly identifier: string;
  readonly engine: 'valkey' | 'redis';
  readonly engineVersion: string;
  readonly nodeType: string;
  readonly nodes: number;
  /** Automatic failover and Multi-AZ (with 2 nodes or more). */
  readonly multiAz: boolean;
  readonly port: number;
  readonly snapshotRetentionDays: number;
  /** Identifier of the final snapshot, when the group is snapshotted (or kept) on removal. */
  readonly finalSnapshotIdentifier?: string;
  /** The secret with the AUTH token (`token`, and `username`), generated, never in any output. */
  readonly tokenSecretName: string;
  /** The secret with the primary endpoint (`host`, `port`), which the engines write once the group exists. */
  readonly endpointSecretName: string;
  readonly token: { readonly length: number };
  readonly secretRecoveryDays: number;
  readonly removal: { readonly group: Removal; readonly key: Removal; readonly secrets: Removal };
}

/** Where connections come from (see the database's). */
export interface CacheSourceIntent {
  readonly key: string;
  readonly description: string;
  readonly securityGroupId: string;
}

/** A rendered cache, as every engine gives it. */
export interface CacheHandle {
  readonly identifier: string;
  /** Lets `source` reach the cache's port (the caller admits each source once). */
  admit(source: CacheSourceIntent): void;
}
