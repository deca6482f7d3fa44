// The props every workload shares live with the runtime-neutral core (lib/core/workload-options.ts).
export * from './core/workload-options';
