/**
 * Channel-pruned convolutions (issue 11): kernels pruned on their output and input channels, and
 * 1×1 convolutions, aligned by the content of the channels they kept (compare/channels.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAVE_REAL, REAL, SKIP_REAL_MESSAGE, comparePaths } from './helpers.js';
import { alignUnits } from '../../src/compare/channels.js';
import { ChannelAccumulator, channelAxes, decodeChannelProfile } from '../../src/fingerprint/channels.js';
import { asFingerprint } from '../../src/fingerprint/validate.js';
import { loadFingerprint } from '../../src/fingerprint/load.js';
import { pruneChannels, writePrunedConvCases } from '../../src/eval/pruned-conv.js';
import { loadTensors, writeTensorsDir } from '../../src/eval/tensor-io.js';
import { Rng } from '../../src/synth/random.js';

describe('channel profiles', () => {
  it('reads the channel axes of HWIO, OIHW and OHWI kernels and of matrices', () => {
    expect(channelAxes([3, 3, 16, 32])).toMatchObject({ layout: 'HWIO', out: 3, in: 2 });
    expect(channelAxes([32, 16, 3, 3])).toMatchObject({ layout: 'OIHW', out: 0, in: 1 });
    expect(channelAxes([32, 3, 3, 16])).toMatchObject({ layout: 'OHWI', out: 0, in: 3 });
    expect(channelAxes([64, 48])).toMatchObject({ layout: 'matrix', out: 0, in: 1 });
    expect(channelAxes([64])).toBeUndefined();
    expect(channelAxes([2, 64, 48])).toBeUndefined();
  });

  it('are the same whatever the chunking of the stream, and a kept channel keeps its profile', () => {
    const rng = new Rng(5);
    const [H, W, I, O] = [3, 3, 24, 40];
    // channels of distinct scale and kernel shape, as trained ones have
    const v = new Float32Array(H * W * I * O);
    const scale = Array.from({ length: O }, () => Math.exp(rng.normal()));
    const shape = Array.from({ length: H * W }, () => rng.normal());
    for (let e = 0; e < v.length; e++) {
      const o = e % O;
      const s = Math.floor(e / (I * O));
      v[e] = scale[o]! * (0.5 * shape[s]! * ((o % 3) - 1) + rng.normal());
    }
    const profile = (vals: Float32Array, sh: number[], chunk: number) => {
      const acc = ChannelAccumulator.for(sh)!;
      for (let start = 0; start < vals.length; start += chunk) {
        const part = vals.subarray(start, start + chunk);
        acc.take((i) => part[i]!, start, part.length);
      }
      return acc.finish()!;
    };
    const whole = profile(v, [H, W, I, O], v.length);
    expect(profile(v, [H, W, I, O], 97)).toEqual(whole);
    expect(whole.width).toBe(1 + 2 * H * W);
    // keep output channels 0, 2, 4, … and 20 of the input channels
    const keptO = Array.from({ length: O / 2 }, (_, k) => 2 * k);
    const keptI = Array.from({ length: 20 }, (_, k) => k + (k > 9 ? 4 : 0));
    const p = new Float32Array(H * W * keptI.length * keptO.length);
    let e = 0;
    for (let s = 0; s < H * W; s++) for (const i of keptI) for (const o of keptO) p[e++] = v[(s * I + i) * O + o]!;
    const pruned = profile(p, [H, W, keptI.length, keptO.length], 1000);
    const x = decodeChannelProfile(pruned.out, keptO.length, pruned.width)!;
    const y = decodeChannelProfile(whole.out, O, whole.width)!;
    const map = alignUnits(x, keptO.length, y, O, whole.width);
    const right = keptO.filter((o, j) => map[j] === o).length;
    expect(right).toBeGreaterThanOrEqual(keptO.length - 2);
  });

  it('order-keeping alignment recovers a kept subsequence and is the identity at equal lengths', () => {
    const rng = new Rng(9);
    const na = 50;
    const width = 3;
    const y = Float32Array.from({ length: na * width }, () => rng.normal());
    const kept = [1, 4, 5, 9, 13, 20, 21, 22, 30, 41, 47, 49];
    const x = new Float32Array(kept.length * width);
    for (const [j, u] of kept.entries()) x.set(y.subarray(u * width, u * width + width), j * width);
    expect(Array.from(alignUnits(x, kept.length, y, na, width))).toEqual(kept);
    expect(Array.from(alignUnits(y, na, y, na, width))).toEqual(Array.from({ length: na }, (_, i) => i));
  });
});

if (!HAVE_REAL) console.warn(SKIP_REAL_MESSAGE);

describe.skipIf(!HAVE_REAL)('channel-pruned real convolution nets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wp-pruned-conv-'));
  });

  it('every generated case gets its verdict; positives by per-channel profiles, statistic shown', async () => {
    const cases = await writePrunedConvCases(REAL, join(dir, 'cases'));
    expect(cases.length).toBe(5);
    for (const c of cases) {
      const r = await comparePaths(c.a, c.b);
      expect(c.accept, `${c.id}: ${r.reason}`).toContain(r.verdict);
      if (c.truth !== 'derived') continue;
      const shown = r.components.flatMap((x) => x.evidence).find((e) => /per-channel profiles/.test(e.detail));
      expect(shown?.detail, c.id).toMatch(/null: B's own channels shuffled/);
      expect(shown?.detail, c.id).toMatch(/p \d/);
    }
  });

  it('the fingerprint of a pruned net carries valid channel profiles', async () => {
    const m = await loadTensors(join(REAL, 'faceapi_tiny_face_detector_v1.safetensors'));
    const out = await writeTensorsDir(
      join(dir, 'tiny'),
      m,
      pruneChannels(m.tensors, { keep: 0.75, seed: 3, drift: 0.05 }),
    );
    const doc = await loadFingerprint(out, { mode: 'full' });
    const kernels = doc.tensors.filter((t) => t.shape.length === 4);
    expect(kernels.length).toBeGreaterThan(5);
    expect(kernels.every((t) => t.channels !== undefined)).toBe(true);
    expect(() => asFingerprint(JSON.parse(JSON.stringify(doc)), 'doc.json')).not.toThrow();
    const bad = JSON.parse(JSON.stringify(doc));
    bad.tensors.find((t: { shape: number[] }) => t.shape.length === 4).channels.width = 7;
    expect(() => asFingerprint(bad, 'bad.json')).toThrow(/channels\.width/);
  });

  it('pruned independent nets of the same layout are never derived (seeded siblings, unrelated nets)', async () => {
    const pairs = [
      ['ml5_styletransfer_matta', 'ml5_styletransfer_mathura'],
      ['faceapi_landmark68', 'faceapi_age_gender'],
    ];
    for (const [a, b] of pairs) {
      const m = await loadTensors(join(REAL, `${b}.safetensors`));
      for (const [k, keep] of [0.5, 0.9].entries()) {
        const out = await writeTensorsDir(
          join(dir, `${b}-${k}`),
          m,
          pruneChannels(m.tensors, { keep, seed: 40 + k, drift: 0 }),
        );
        const r = await comparePaths(join(REAL, `${a}.safetensors`), out);
        expect(['independent', 'inconclusive'], `${a} vs pruned ${b}: ${r.reason}`).toContain(r.verdict);
      }
    }
  });
});
