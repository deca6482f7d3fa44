import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { linkTree } from '../../lib/private/scratch';

// The module object itself (a namespace import's properties cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeFs: typeof fs = require('fs');

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rs-link-test-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(work, { recursive: true, force: true });
});

/** A folder with a file, a nested folder and a symbolic link, and an empty target. */
function tree(): { from: string; to: string } {
  const from = path.join(work, 'from');
  const to = path.join(work, 'to');
  fs.mkdirSync(path.join(from, 'asset.1234'), { recursive: true });
  fs.writeFileSync(path.join(from, 'manifest.json'), '{"version":"1"}');
  fs.writeFileSync(path.join(from, 'asset.1234', 'index.js'), 'exports.x = 1;');
  fs.symlinkSync('manifest.json', path.join(from, 'latest'));
  fs.mkdirSync(to);
  return { from, to };
}

function contents(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(e => !e.isDirectory())
    .map(e => {
      const file = path.join(e.parentPath, e.name);
      return [path.relative(dir, file), e.isSymbolicLink() ? `-> ${fs.readlinkSync(file)}` : fs.readFileSync(file, 'utf8')];
    }));
}

const EXPECTED = { 'manifest.json': '{"version":"1"}', 'asset.1234/index.js': 'exports.x = 1;', 'latest': '-> manifest.json' };

describe('linkTree', () => {
  test('gives the target every file (hard links on one file system), folders and symbolic links included; the source stays', () => {
    const { from, to } = tree();
    linkTree(from, to);
    expect(contents(to)).toEqual(EXPECTED);
    expect(contents(from)).toEqual(EXPECTED);
    expect(fs.statSync(path.join(to, 'manifest.json')).ino).toBe(fs.statSync(path.join(from, 'manifest.json')).ino);
  });

  test.each(['EXDEV', 'EPERM', 'ENOTSUP', 'EISDIR', 'EACCES'])('copies where a link fails (%s), and copies the rest without trying again', code => {
    const { from, to } = tree();
    const link = jest.spyOn(nodeFs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error(`${code}: cannot link`), { code });
    });
    linkTree(from, to);
    expect(link).toHaveBeenCalledTimes(1);
    expect(contents(to)).toEqual(EXPECTED);
    expect(fs.statSync(path.join(to, 'manifest.json')).ino).not.toBe(fs.statSync(path.join(from, 'manifest.json')).ino);
  });

  test('copy: true links nothing: writing to a file of the copy leaves the source as it was', () => {
    const { from, to } = tree();
    const link = jest.spyOn(nodeFs, 'linkSync');
    linkTree(from, to, { copy: true });
    expect(link).not.toHaveBeenCalled();
    fs.writeFileSync(path.join(to, 'manifest.json'), '{}');
    expect(fs.readFileSync(path.join(from, 'manifest.json'), 'utf8')).toBe('{"version":"1"}');
  });

  test('only: the top-level entries that pass, each with everything below it', () => {
    const { from, to } = tree();
    linkTree(from, to, { only: name => name.startsWith('asset.') });
    expect(contents(to)).toEqual({ 'asset.1234/index.js': 'exports.x = 1;' });
  });

  test('a problem the copy meets too is thrown (the link\'s failure is not the whole story)', () => {
    const { from, to } = tree();
    jest.spyOn(nodeFs, 'linkSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    jest.spyOn(nodeFs, 'copyFileSync').mockImplementation(() => {
      throw Object.assign(new Error('EACCES: permission denied, copyfile'), { code: 'EACCES' });
    });
    expect(() => linkTree(from, to)).toThrow(/EACCES: permission denied, copyfile/);
  });
});
