import { PolicyViolation, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Environment, Platform } from '../../lib';
import { cloudFormationAppOf } from '../../lib/engines/cloudformation/engine';

/**
 * Runs cdk-nag's AwsSolutions pack over every CloudFormation stack of the
 * platform and returns the findings nobody acknowledged (empty when clean).
 */
export function awsSolutionsFindings(platform: Platform): string[] {
  platform.render();
  const app = cloudFormationAppOf(platform)!;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth({ force: true });
    return [];
  } catch (e) {
    const text = String(e);
    if (!text.includes('ValidationFailed') && !text.includes('AwsSolutions')) throw e;
    const lines = text.split('\n');
    const findings: string[] = [];
    lines.forEach((line, i) => {
      if (/^\s*ERROR /.test(line)) {
        const where = (lines[i + 1] ?? '').trim();
        const ack = lines.slice(i + 1, i + 4).find(l => l.includes('Acknowledge with')) ?? '';
        findings.push(`${line.trim()} @ ${where} ${ack.trim()}`);
      }
    });
    return findings.length > 0 ? findings : [text];
  }
}

/**
 * cdk-nag's AwsSolutions report over every CloudFormation stack of an
 * environment (the foundation and the stacks of their own), as one report.
 */
export function nagReportOf(env: Environment): { success: boolean; violations: PolicyViolation[] } {
  const reports = env.stacks.map(stack => new AwsSolutionsChecks().validateScope(stack));
  return { success: reports.every(r => r.success), violations: reports.flatMap(r => r.violations) };
}
