// Rewrites the README's table of error codes from lib/core/error-codes.ts
// (between <!-- error-codes:start --> and <!-- error-codes:end -->):
//
//   npx ts-node --transpile-only -P projenrc/tsconfig.json scripts/error-codes.ts
//
// test/core/error-codes.test.ts fails while the README and the table differ.
import * as fs from 'fs';
import * as path from 'path';
import { errorCodesMarkdown } from '../lib/core/error-codes';

const README = path.join(__dirname, '..', 'README.md');
const SECTION = /(<!-- error-codes:start -->\n)[\s\S]*?(<!-- error-codes:end -->)/;

const readme = fs.readFileSync(README, 'utf8');
if (!SECTION.test(readme)) {
  throw new Error(`${README} has no <!-- error-codes:start --> ... <!-- error-codes:end --> section to rewrite`);
}
const updated = readme.replace(SECTION, (_all, start: string, end: string) => `${start}${errorCodesMarkdown()}\n${end}`);
if (updated === readme) {
  console.log('README.md: error codes already up to date');
} else {
  fs.writeFileSync(README, updated);
  console.log('README.md: error codes rewritten');
}
