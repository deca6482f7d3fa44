/**
 * The benchmark's system (issue 11): N web apps, each with a public host,
 * its own PostgreSQL database and autoscaling, in three environments
 * (DEVELOPMENT, STAGING, PRODUCTION) in different accounts and regions,
 * one EKS cluster each. Both variants build exactly this.
 */
export interface BenchEnvironment {
  readonly id: string;
  readonly tier: 'development' | 'staging' | 'production';
  readonly account: string;
  readonly region: string;
  readonly zones: string[];
}

export const ENVIRONMENTS: BenchEnvironment[] = [
  { id: 'dev', tier: 'development', account: '111111111111', region: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  { id: 'staging', tier: 'staging', account: '222222222222', region: 'eu-central-1', zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] },
  { id: 'prod', tier: 'production', account: '333333333333', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
];

export const domainOf = (env: BenchEnvironment) => `${env.id}.bench.example.com`;
export const appName = (i: number) => `app${String(i).padStart(3, '0')}`;
