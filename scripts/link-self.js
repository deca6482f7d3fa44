// Links this package into its own node_modules, so the examples import it
// by name ('cdk-runtime-stack') exactly as a user's program does.
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', require(path.join(root, 'package.json')).name);
try {
  if (fs.realpathSync(link) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch { /* not there yet */ }
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
