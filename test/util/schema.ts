// The checkers live in the library's testing submodule; the tests use them from there.
export * from '../../lib/testing/schema';
