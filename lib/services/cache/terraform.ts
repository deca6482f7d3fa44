/**
 * The Terraform renderer of `Cache` (@cdktf/provider-aws by submodule).
 * Loaded only by the Terraform engine.
 */
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn } from 'cdktf';
import type { CacheHandle, CacheIntent, CacheSourceIntent } from './intent';
import { KEY_DELETION_WINDOW_DAYS, Removal } from '../../core/policy';
import type { TerraformContext, TerraformNetwork } from '../../engines/terraform/context';
import { keyPolicy } from '../../engines/terraform/key-policy';
import { PUNCTUATION, RandomPassword } from '../../engines/terraform/random-password';
import { TERRAFORM_RANDOM_PROVIDER_VERSION } from '../../private/catalog';

const keep = (r: Removal) => r === 'retain' ? { preventDestroy: true } : undefined;

/**
 * The replication group, with the same two secrets the CloudFormation
 * engine writes: the AUTH token (`random_password`, letters and digits, in
 * the state only) and the endpoint.
 */
export function renderCache(ctx: TerraformContext, intent: CacheIntent, network?: TerraformNetwork): CacheHandle {
  const scope = ctx.scope(intent.scopeId);
  const net = network!;
  const key = new KmsKey(scope, 'Key', {
    description: `Encryption at rest of ElastiCache replication group ${intent.identifier}`,
    enableKeyRotation: true,
    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
    policy: keyPolicy(ctx.partition, ctx.account),
    lifecycle: keep(intent.removal.key),
  });
  ctx.requireProvider('random', 'hashicorp/random', TERRAFORM_RANDOM_PROVIDER_VERSION);
  const token = new RandomPassword(scope, 'TokenValue', { length: intent.token.length, excludeCharacters: PUNCTUATION });
  const tokenSecret = new SecretsmanagerSecret(scope, 'Token', {
    name: intent.tokenSecretName,
    description: `AUTH token of ElastiCache replication group ${intent.identifier}`,
    recoveryWindowInDays: intent.secretRecoveryDays,
    lifecycle: keep(intent.removal.secrets),
  });
  new SecretsmanagerSecretVersion(scope, 'TokenVersion', {
    secretId: tokenSecret.id,
    secretString: Fn.jsonencode({ username: 'default', token: token.result }),
  });
  const securityGroup = new SecurityGroup(scope, 'SecurityGroup', {
    name: intent.identifier,
    description: `ElastiCache replication group ${intent.identifier}: admits connected clusters only`,
    vpcId: net.vpcId,
    revokeRulesOnDelete: true,
  });
  const subnets = new ElasticacheSubnetGroup(scope, 'Subnets', {
    name: intent.identifier,
    description: `Private subnets of ElastiCache replication group ${intent.identifier}`,
    subnetIds: net.privateSubnetIds,
  });
  const group = new ElasticacheReplicationGroup(scope, 'Resource', {
    replicationGroupId: intent.identifier,
    description: `cdk-runtime-stack cache ${intent.identifier}`,
    engine: intent.engine,
    engineVersion: intent.engineVersion,
    nodeType: intent.nodeType,
    numCacheClusters: intent.nodes,
    automaticFailoverEnabled: intent.multiAz,
    multiAzEnabled: intent.multiAz,
    port: intent.port,
    transitEncryptionEnabled: true,
    transitEncryptionMode: 'required',
    atRestEncryptionEnabled: 'true',
    kmsKeyId: key.arn,
    authToken: token.result,
    subnetGroupName: subnets.name,
    securityGroupIds: [securityGroup.id],
    snapshotRetentionLimit: intent.snapshotRetentionDays,
    finalSnapshotIdentifier: intent.finalSnapshotIdentifier,
    autoMinorVersionUpgrade: 'true',
    lifecycle: keep(intent.removal.group),
  });
  const endpoint = new SecretsmanagerSecret(scope, 'Endpoint', {
    name: intent.endpointSecretName,
    description: `Primary endpoint of ElastiCache replication group ${intent.identifier} (no credential)`,
    recoveryWindowInDays: intent.secretRecoveryDays,
    lifecycle: keep(intent.removal.secrets),
  });
  new SecretsmanagerSecretVersion(scope, 'EndpointVersion', {
    secretId: endpoint.id,
    secretString: Fn.jsonencode({ host: group.primaryEndpointAddress, port: String(intent.port) }),
  });
  return {
    identifier: intent.identifier,
    admit(source: CacheSourceIntent) {
      new VpcSecurityGroupIngressRule(scope, `From-${source.key}`, {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: source.securityGroupId,
        ipProtocol: 'tcp',
        fromPort: intent.port,
        toPort: intent.port,
        description: `Cache from ${source.description}`,
      });
    },
  };
}
