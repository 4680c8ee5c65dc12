import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changedModelDirs } from '../../src/action/changed-files.js';
import { isTriggerFile, unreadableWeightsFormat } from '../../src/formats/model-files.js';
import { ensureLfsContent, findLfsPointers, type Exec } from '../../src/action/lfs.js';
import { execCommand, type ExecError } from '../../src/action/exec.js';
import { annotationFile, globToRegExp, resolveModelEntries, scanWorkspace } from '../../src/action/models.js';
import { failureMessage } from '../../src/action/outputs.js';
import { splitList } from '../../src/action/inputs.js';
import { isInputError } from '../../src/errors.js';
import { result } from './fixtures.js';

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'wp-mod-'));
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

function put(rel: string, content: string | Uint8Array = 'x') {
  mkdirSync(join(ws, rel, '..'), { recursive: true });
  writeFileSync(join(ws, rel), content);
}
const POINTER = `version https://git-lfs.github.com/spec/v1\noid sha256:${'a'.repeat(64)}\nsize 1000000\n`;

describe('changed files', () => {
  it('triggers on weights in every format read, indexes, configs, tokenizers and the card only', () => {
    // contract change (gate integrity): PyTorch and GGUF weights, any letter case, and the model
    // card (its base_model is what the policy holds the weights to) trigger a check too
    for (const f of [
      'a/model.safetensors',
      'a/model-00001-of-00003.safetensors',
      'a/model.safetensors.index.json',
      'a/Model.SafeTensors',
      'a/pytorch_model.bin',
      'a/pytorch_model.bin.index.json',
      'a/consolidated.00.pth',
      'a/ckpt.pt',
      'a/last.ckpt',
      'a/m-Q4_K_M.gguf',
      'a/m-00002-of-00003.gguf',
      'a/config.json',
      'tokenizer.json',
      'a/tokenizer_config.json',
      'a/tokenizer.model',
      'a/merges.txt',
      'a/README.md',
    ]) {
      expect(isTriggerFile(f), f).toBe(true);
    }
    for (const f of [
      'a/generation_config.json',
      'a/training_args.bin',
      'a/optimizer.pt',
      'src/index.ts',
      'a/config.yaml',
      'a/readme.txt',
    ])
      expect(isTriggerFile(f), f).toBe(false);
  });

  it('maps changed files to model directories, renames included', () => {
    const r = changedModelDirs([
      { filename: 'm/a/model-00002-of-00002.safetensors', status: 'modified' },
      { filename: 'm/a/config.json', status: 'modified' },
      { filename: 'm/b/model.safetensors', status: 'renamed', previous_filename: 'm/old/model.safetensors' },
      { filename: 'model.safetensors', status: 'added' },
      { filename: 'docs/x.md', status: 'added' },
    ]);
    expect(r.dirs).toEqual(['.', 'm/a', 'm/b', 'm/old']);
    expect(r.files.get('m/a')).toEqual(['m/a/model-00002-of-00002.safetensors', 'm/a/config.json']);
  });
});

describe('model selection', () => {
  it('expands globs the way a shell with globstar would', () => {
    expect(globToRegExp('models/**/*.safetensors').test('models/a/b/x.safetensors')).toBe(true);
    expect(globToRegExp('models/**/*.safetensors').test('models/x.safetensors')).toBe(true);
    expect(globToRegExp('models/*').test('models/a/b')).toBe(false);
    expect(globToRegExp('m/{a,b}/x.json').test('m/b/x.json')).toBe(true);
    expect(globToRegExp('m/[ab]?').test('m/bz')).toBe(true);
  });

  it('collapses shards to directories and keeps hf: ids', () => {
    put('models/a/model-00001-of-00002.safetensors');
    put('models/a/model-00002-of-00002.safetensors');
    put('models/b/model.safetensors');
    put('models/c/README.md');
    put('node_modules/x/model.safetensors');
    expect(resolveModelEntries(['models/*', 'hf:org/m', './models/b/'], ws)).toEqual([
      'models/a',
      'models/b',
      'hf:org/m',
    ]);
    expect(resolveModelEntries(['**/*.safetensors'], ws)).toEqual(['models/a', 'models/b']);
    expect(resolveModelEntries([join(ws, 'models/a')], ws)).toEqual([join(ws, 'models/a')]);
    expect(() => resolveModelEntries(['nothing/**'], ws)).toThrow(/matches no model \(weights or shard index\)/);
    expect(scanWorkspace(ws)).toEqual(['models/a', 'models/b']);
  });

  it('annotates a changed shard, else the index, else the first weights file', () => {
    put('m/model-00001-of-00002.safetensors');
    put('m/model.safetensors.index.json');
    put('n/model.safetensors');
    expect(annotationFile(ws, 'm', ['m/config.json', 'm/model-00001-of-00002.safetensors'])).toBe(
      'm/model-00001-of-00002.safetensors',
    );
    expect(annotationFile(ws, 'm')).toBe('m/model.safetensors.index.json');
    expect(annotationFile(ws, join(ws, 'n'))).toBe('n/model.safetensors');
    expect(annotationFile(ws, 'n/model.safetensors')).toBe('n/model.safetensors');
    expect(annotationFile(ws, 'hf:org/m')).toBeUndefined();
  });

  it('splits list inputs on newlines and commas, ignoring comments', () => {
    expect(splitList('a\n b, c\n\n# comment\nd # trailing\nhttps://x/y#frag')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'https://x/y#frag',
    ]);
  });
});

describe('Git LFS', () => {
  it('finds pointer files among the models files', async () => {
    put('m/model.safetensors', POINTER);
    put('m/config.json', '{}');
    put('n/model.safetensors', new Uint8Array(2048));
    expect(await findLfsPointers(['m', 'n', 'hf:x/y'], ws)).toEqual(['m/model.safetensors']);
  });

  it('pulls just those files with git lfs when available', async () => {
    put('m/model.safetensors', POINTER);
    put('m/other.dat', POINTER);
    const calls: string[][] = [];
    const exec: Exec = async (cmd, args) => {
      calls.push([cmd, ...args]);
      if (args[1] === 'pull') put('m/model.safetensors', new Uint8Array(4096)); // the smudged object
      return { stdout: '', stderr: '' };
    };
    expect(await ensureLfsContent(['m'], ws, { exec })).toEqual(['m/model.safetensors']);
    expect(calls).toEqual([
      ['git', 'lfs', 'version'],
      ['git', 'lfs', 'pull', '--include', 'm/model.safetensors'],
    ]);
    expect(readFileSync(join(ws, 'm/model.safetensors')).length).toBe(4096);
  });

  it('explains the fix when git-lfs is missing or the pull leaves pointers', async () => {
    put('m/model.safetensors', POINTER);
    const missing: Exec = async () => {
      throw Object.assign(new Error("git: 'lfs' is not a git command"), { code: 1 });
    };
    const e1 = await ensureLfsContent(['m'], ws, { exec: missing }).catch((e: unknown) => e);
    expect(isInputError(e1)).toBe(true);
    expect((e1 as Error).message).toMatch(
      /^m\/model.safetensors: is a Git LFS pointer, not the weights, and git-lfs is not installed.*lfs: true/,
    );
    const noop: Exec = async () => ({ stdout: '', stderr: '' });
    const e2 = await ensureLfsContent(['m'], ws, { exec: noop }).catch((e: unknown) => e);
    expect((e2 as Error).message).toMatch(/still a Git LFS pointer/);
  });
});

describe('execCommand (the git runner the timeout can stop)', () => {
  const node = process.execPath;
  it('returns the output; a failure rejects as execFile did: exit code, stderr, ENOENT', async () => {
    expect(await execCommand(node, ['-e', 'process.stdout.write("out")'], { cwd: ws })).toEqual({
      stdout: 'out',
      stderr: '',
    });
    const failed = (await execCommand(node, ['-e', 'console.error("fatal: no"); process.exit(3)'], { cwd: ws }).catch(
      (e: unknown) => e,
    )) as ExecError;
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe('fatal: no\n');
    const missing = (await execCommand(join(ws, 'no-such-git'), [], { cwd: ws }).catch((e: unknown) => e)) as ExecError;
    expect(missing.code).toBe('ENOENT');
  });

  it('stops a command writing past maxBuffer; an already aborted signal rejects with its reason', async () => {
    const flood = execCommand(node, ['-e', 'setInterval(() => process.stdout.write("x".repeat(65536)), 1)'], {
      cwd: ws,
      maxBuffer: 1024 * 1024,
    });
    await expect(flood).rejects.toThrow(/wrote more than 1048576 bytes/);
    const reason = new Error('timed out');
    const never = execCommand(node, ['-e', ''], { cwd: ws, signal: AbortSignal.abort(reason) });
    await expect(never).rejects.toBe(reason); // the timeout's own message, not a git failure
  });
});

describe('outputs', () => {
  it('fails by fail-on', () => {
    const rs = [result('a', 'independent', 'pass'), result('b', 'derived', 'warn')];
    expect(failureMessage(rs, 'policy')).toBeUndefined();
    expect(failureMessage(rs, 'warn')).toMatch(/^weightprint: policy warn for b \(derived\)/);
    expect(failureMessage([result('c', 'identical', 'fail')], 'never')).toBeUndefined();
  });
});

describe('weights formats no reader opens', () => {
  it('are named by format, so a pull request adding one is refused rather than passed unread', () => {
    const cases: [string, string | undefined][] = [
      ['onnx/model.onnx', 'ONNX'],
      ['m/embeddings.npy', 'NumPy array'],
      ['tf/saved_model.pb', 'TensorFlow SavedModel/checkpoint'],
      ['tf/variables/variables.data-00000-of-00001', 'TensorFlow SavedModel/checkpoint'],
      ['pd/model.pdparams', 'PaddlePaddle'],
      ['mx/model-0000.params', 'MXNet'],
      ['m/model.caffemodel', 'Caffe'],
      ['m/model.ort', 'ONNX Runtime'],
      ['m/model.joblib', 'joblib pickle'],
      ['m/model.safetensors.zst', 'compressed weights'],
      ['m/model.gguf.gz', 'compressed weights'],
      ['m/pytorch_model.bin.xz', 'compressed weights'],
      // parts of a file split for upload, joined by cat: a copy could ship as parts beside checked weights
      ['m/model.Q8_0.gguf-split-a', 'split weights (parts joined by concatenation)'],
      ['m/model.gguf.part1of2', 'split weights (parts joined by concatenation)'],
      ['m/model.safetensors.001', 'split weights (parts joined by concatenation)'],
      ['m/pytorch_model.bin.aa', 'split weights (parts joined by concatenation)'],
      ['m/model-00001-of-00002.gguf', undefined],
      ['m/model-00001-of-00002.safetensors', undefined],
      // readable or not weights at all
      ['m/model.safetensors', undefined],
      ['m/data.parquet', undefined],
      ['m/tokenizer.json.gz', undefined],
      ['m/graph.pb.txt', undefined],
    ];
    for (const [path, format] of cases) expect(unreadableWeightsFormat(path), path).toBe(format);
  });
});
