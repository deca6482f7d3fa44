import { Platform, Tier } from 'cdk-runtime-stack';
import { AcmeEnvironment, AcmePlatform, AcmeService } from '../lib';

/**
 * The Acme platform as a team's infra repository declares it with the
 * blueprint: STAGING and PRODUCTION, each with the orders service (an app
 * and its database).
 */
export function acmePlatform(): Platform {
  const platform = new AcmePlatform({ costCentre: 'cc-1234' });
  const environments = [
    new AcmeEnvironment(platform, 'staging', { tier: Tier.STAGING, account: '222222222222', region: 'eu-central-1' }),
    new AcmeEnvironment(platform, 'prod', { tier: Tier.PRODUCTION, account: '333333333333', region: 'eu-west-1' }),
  ];
  for (const env of environments) {
    new AcmeService(env, 'orders', { image: 'registry.acme.example/orders:1.4.2', team: 'payments', host: `orders.${env.domain}` });
  }
  return platform;
}
