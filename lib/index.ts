export * from './core/tier';
export * from './core/platform';
export type { Problem } from './core/problems';
export { ProblemCollector, Severity } from './core/problems';
export * from './core/environment';
export * from './core/element';
export type { ApplicationProps } from './core/application';
export { Application } from './core/application';
export type { ManagedServiceProps } from './core/stack-group';
export { StackGroup } from './core/stack-group';
export * from './core/workload-runtime';
export * from './core/connections';
export * from './core/in-cluster';
export * from './core/placement';
export * from './engines/cloud-engine';
export * from './engines/terraform/options';
export * from './runtimes/kubernetes/kubernetes-cluster';
export * from './runtimes/kubernetes/support-services';
export * from './runtimes/fargate/fargate-runtime';
export * from './workload-options';
export * from './workload';
export * from './web-app';
export * from './worker';
export * from './scheduled-job';

// Managed services: one folder each, one line each.
export * from './services/postgres';
export * from './services/queue';
export * from './services/object-store';
export * from './services/cache';

// Checks of whole platforms for blueprints' tests: `testing.Verify`.
export * as testing from './testing';
