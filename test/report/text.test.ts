import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import type { FingerprintDocument } from '../../src/fingerprint/types.js';
import { fingerprintSummary } from '../../src/report/text.js';
import { writeDemoModels } from '../../src/synth/cases.js';

let dir: string;
let base: FingerprintDocument;
let finetune: FingerprintDocument;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wp-text-'));
  const models = await writeDemoModels(dir);
  base = await loadFingerprint(models.base);
  finetune = await loadFingerprint(models.finetune);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const line = (text: string, label: string) => text.split('\n').find((l) => l.startsWith(`  ${label}`));

describe('fingerprint summary', () => {
  it('shows config, tokenizer and model card as readable lines, not JSON', () => {
    const text = fingerprintSummary(base);
    expect(line(text, 'config')).toBe(
      '  config      qwen2_5_vl · 128 hidden · 6 layers · 8 heads (4 kv) · ffn 352 · vocab 512 · ' +
        'vision_config: 96 hidden, 4 layers, 6 heads, ffn 256, patch 14',
    );
    expect(line(text, 'tokenizer')).toBe('  tokenizer   BPE 505 tokens + 7 special · from tokenizer.json');
    expect(line(text, 'model card')).toBe('  model card  base_model: none · license apache-2.0');
    expect(line(fingerprintSummary(finetune), 'model card')).toBe(
      '  model card  base_model: demo/base · license apache-2.0',
    );
    expect(text).not.toMatch(/[{}"]/);
  });

  it('counts in words with the right plural', () => {
    const text = fingerprintSummary(base);
    expect(text).toMatch(/\(directory, 1 file, full fingerprint\)/);
    expect(text).toMatch(/output head +head +1 tensor /);
    expect(text).toMatch(/text decoder +text +55 tensors /);
  });

  it('keeps a hostile config value on its line', () => {
    const doc = structuredClone(base);
    doc.config!.modelType = 'evil\n  model card  base_model: none\u001b[2J';
    const text = fingerprintSummary(doc);
    expect(text.split('\n').filter((l) => l.startsWith('  model card'))).toHaveLength(1);
    expect(text).not.toContain('\u001b');
  });
});
