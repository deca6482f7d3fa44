/**
 * The EKS Blueprints baseline of `npm run bench -- --blueprints`: an EKS
 * cluster with the 10 add-ons of EKS Blueprints' README example (less the
 * retired ingress-nginx). bench/run.ts copies this file into
 * bench/.blueprints/, where EKS Blueprints 1.19 is installed with its own
 * aws-cdk-lib (2.261), so that it requires those packages, not the
 * project's. Plain JavaScript for that reason: it is not compiled with the
 * bench, and it is committed (the project's .gitignore ignores *.js).
 */
const cdk = require('aws-cdk-lib');
const eks = require('aws-cdk-lib/aws-eks');
const blueprints = require('@aws-quickstart/eks-blueprints');

/**
 * `validation` has nothing to switch: aws-cdk-lib 2.261 predates its
 * built-in template validation.
 */
exports.synthBlueprints = async function synthBlueprints(outdir, validation) {
  void validation;
  const app = new cdk.App({ outdir: `${outdir}/cdk.out`, context: { 'aws:cdk:disable-stack-trace': true } });
  const addOns = [
    new blueprints.addons.ArgoCDAddOn(),
    new blueprints.addons.CalicoOperatorAddOn(),
    new blueprints.addons.MetricsServerAddOn(),
    new blueprints.addons.ClusterAutoScalerAddOn(),
    new blueprints.addons.ContainerInsightsAddOn(),
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    // Versions pinned (EKS Blueprints' own defaults for 1.35): with "auto"
    // it asks the EKS API at synth, which this baseline must not.
    new blueprints.addons.VpcCniAddOn({ version: 'v1.21.1-eksbuild.1' }),
    new blueprints.addons.CoreDnsAddOn('v1.13.2-eksbuild.3'),
    new blueprints.addons.KubeProxyAddOn('v1.35.0-eksbuild.2'),
    new blueprints.addons.XrayAddOn(),
  ];
  // Some add-ons deploy asynchronously: buildAsync waits for all of them before the synth.
  await blueprints.EksBlueprint.builder()
    .account('111111111111')
    .region('eu-west-1')
    // The newest its aws-cdk-lib knows (the library's clusters default to 1.36).
    .version(eks.KubernetesVersion.V1_35)
    .addOns(...addOns)
    .buildAsync(app, 'eks-blueprint');
  app.synth();
};
