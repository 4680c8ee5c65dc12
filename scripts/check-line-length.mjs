#!/usr/bin/env node
// Lines of at most 120 characters in src/ and test/: Biome's formatter wraps code at 120 but cannot
// break strings, comments or regular expressions, so this check (part of `npm run lint`) catches those.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'test'], {
  encoding: 'utf8',
});
// A file with a merge conflict is listed once per stage.
const files = [...new Set(listed.split('\n'))].filter((f) => /\.(?:ts|mts|js|mjs)$/.test(f));

let long = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    const width = [...line].length;
    if (width > MAX) {
      long++;
      console.error(`${file}:${i + 1}: ${width} characters (at most ${MAX})`);
    }
  });
}
if (long) {
  console.error(`${long} line${long === 1 ? '' : 's'} over ${MAX} characters`);
  process.exit(1);
}
