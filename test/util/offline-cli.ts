/**
 * The environment of a CLI run the way a pipeline runs it offline and
 * without AWS credentials: none of the caller's AWS_*, CDK_*, CDK8S_* or
 * CDKTF_* variables (so no output folder, credential or validation setting
 * leaks in), no instance-metadata probing, no shared credentials or config,
 * no CDK telemetry.
 */
export function offlineCliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('AWS_') || k.startsWith('CDK_') || k.startsWith('CDK8S_') || k.startsWith('CDKTF_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_CONFIG_FILE: '/nonexistent',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}
