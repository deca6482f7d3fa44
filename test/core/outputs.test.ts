import { resolveOutputDirectories, selectOutputs } from '../../lib/core/outputs';

describe('output folders', () => {
  test('the CLIs\' variables choose the folders; unset or empty means the defaults', () => {
    expect(resolveOutputDirectories({})).toEqual({ cloudAssembly: 'cdk.out', manifests: 'dist', terraform: 'cdktf.out' });
    // An empty variable must not write into the working folder.
    expect(resolveOutputDirectories({ CDK_OUTDIR: '', CDK8S_OUTDIR: '', CDKTF_OUTDIR: '' })).toEqual({ cloudAssembly: 'cdk.out', manifests: 'dist', terraform: 'cdktf.out' });
    expect(resolveOutputDirectories({ CDK_OUTDIR: '/tmp/a', CDK8S_OUTDIR: '/tmp/b', CDKTF_OUTDIR: '/tmp/c' })).toEqual({ cloudAssembly: '/tmp/a', manifests: '/tmp/b', terraform: '/tmp/c' });
  });

  test('under one CLI, only its output; run directly (or with empty variables), everything', () => {
    expect(selectOutputs({})).toEqual({ cloudAssembly: true, manifests: true, terraform: true });
    expect(selectOutputs({ CDK_OUTDIR: '' })).toEqual({ cloudAssembly: true, manifests: true, terraform: true });
    expect(selectOutputs({ CDK8S_OUTDIR: 'dist' })).toEqual({ cloudAssembly: false, manifests: true, terraform: false });
  });
});
