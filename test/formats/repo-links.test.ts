import { describe, expect, it } from 'vitest';
import { linksToChanges, resolveRepoPath } from '../../src/formats/repo-links.js';

const links: Record<string, string> = {
  current: 'releases/v2',
  'm/model.safetensors': '../current/weights.bin',
  'm/up.safetensors': '../../x',
  'm/through.safetensors': '../current/../../../y',
  'loop/a': 'b',
  'loop/b': 'a',
};
const read = async (p: string) => links[p];

describe('resolveRepoPath', () => {
  it('follows links on the way, each target relative to its own directory', async () => {
    expect(await resolveRepoPath('m/model.safetensors', read)).toBe('releases/v2/weights.bin');
    expect(await resolveRepoPath('current/config.json', read)).toBe('releases/v2/config.json');
    expect(await resolveRepoPath('plain/file', read)).toBe('plain/file');
    // `..` after a directory link climbs from where the link leads, as the file system does
    expect(await resolveRepoPath('current/../z', read)).toBe('releases/z');
  });

  it('refuses targets above the root, absolute targets and long chains, naming the path', async () => {
    await expect(resolveRepoPath('m/up.safetensors', read)).rejects.toThrow(/^m\/up\.safetensors: .*outside the repo/);
    await expect(resolveRepoPath('m/through.safetensors', read)).rejects.toThrow(/outside the repository/);
    await expect(resolveRepoPath('a', async () => '/etc/passwd')).rejects.toThrow(/"\/etc\/passwd", outside/);
    await expect(resolveRepoPath('loop/a', read)).rejects.toThrow(/^loop\/a: leads through more than 8 symlinks/);
  });

  it("refuses a path into .git, in any letter case (git's own data: no commit holds such a path)", async () => {
    const git: Record<string, string> = { meta: '.git', 'm/w': '../.GIT/lfs/objects/ab/cd/abcd', 'm/v': '../meta/x' };
    const readGit = async (p: string) => git[p];
    for (const p of ['m/w', 'm/v', '.git/config'])
      await expect(resolveRepoPath(p, readGit), p).rejects.toThrow(/leads into \.git \(git's own data/);
    // a name that merely starts with .git is a file like any other
    expect(await resolveRepoPath('.github/x', readGit)).toBe('.github/x');
    expect(await resolveRepoPath('a/.gitattributes', readGit)).toBe('a/.gitattributes');
  });
});

describe('linksToChanges', () => {
  it('a link to a changed path, and a path changed below a directory link, count as changed', () => {
    const out = linksToChanges(
      [
        { path: 'store/blob', real: 'store/blob' },
        { path: 'releases/v2/part', real: 'releases/v2/part' },
      ],
      [
        { path: 'm/model.safetensors', real: 'store/blob' },
        { path: 'current', real: 'releases/v2' },
        { path: 'up', real: '../outside' },
      ],
    );
    expect(out.map((x) => x.path).sort()).toEqual(['current/part', 'm/model.safetensors']);
  });
});
