/**
 * Jest setup (every test file, and every CLI a test starts): aws-cdk-lib's
 * built-in CloudFormation validation is off in a user's synth by default
 * (PlatformProps.cloudFormationValidation); the project's tests run it on
 * everything they render, so the templates are proven free of findings.
 */
process.env.CDK_VALIDATION = 'true';
