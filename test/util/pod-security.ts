// The checker lives in the library's testing submodule; the tests use it from there.
export * from '../../lib/testing/pod-security';
