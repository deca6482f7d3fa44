/**
 * Where a `ManagedPostgres` runs.
 */
export enum DatabasePlacement {
  /** Amazon RDS in the environment's VPC. */
  RDS = 'rds',
  /**
   * Inside a Kubernetes cluster of the environment, run by the
   * CloudNativePG operator: no AWS resources, for development.
   */
  IN_CLUSTER = 'in-cluster',
}
