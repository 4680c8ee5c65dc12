/**
 * The evaluation's channel-pruned convolution nets (issue 11), made from the real conv models in
 * ../shared/realmodels: every channel width of the net keeps one sorted random subset of its
 * channels (the same subset wherever that width appears, as structured pruning does: a layer's
 * output channels, its bias, and the input channels of the layers reading it), kernels and 1×1
 * convolutions pruned on both channel axes, then a little drift (fine-tuning after pruning).
 * Derived when A is the source; the same pruning of another real net with the same layout (a
 * shared-initialisation sibling, or an unrelated net) must not come out derived.
 */
import { join } from 'node:path';
import type { Verdict } from '../compare/types.js';
import type { FileCase } from './file-case.js';
import { channelAxes } from '../fingerprint/channels.js';
import type { SynthTensor } from '../synth/model.js';
import { Rng } from '../synth/random.js';
import { loadTensors, writeTensorsDir } from './tensor-io.js';

/** Channel axes of at least this length are pruned (RGB inputs and small heads are kept). */
const MIN_PRUNED = 8;

function keepSets(tensors: Map<string, SynthTensor>, keep: number, seed: number): Map<number, Int32Array> {
  const sets = new Map<number, Int32Array>();
  const rng = Rng.derive(seed, 'prune');
  for (const t of tensors.values()) {
    const axes = channelAxes(t.shape);
    if (!axes || axes.layout === 'matrix') continue;
    for (const axis of [axes.out, axes.in]) {
      const L = t.shape[axis]!;
      if (L < MIN_PRUNED || sets.has(L)) continue;
      const order = Array.from({ length: L }, (_, i) => i);
      for (let i = L - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      sets.set(L, Int32Array.from(order.slice(0, Math.max(1, Math.round(L * keep)))).sort());
    }
  }
  return sets;
}

/** The tensor with `axis` reduced to `kept` (indices into that axis). */
function take(t: SynthTensor, axis: number, kept: Int32Array): SynthTensor {
  const shape = t.shape.slice();
  const inner = shape.slice(axis + 1).reduce((p, x) => p * x, 1);
  const outer = shape.slice(0, axis).reduce((p, x) => p * x, 1);
  const L = shape[axis]!;
  shape[axis] = kept.length;
  const values = new Float32Array(outer * kept.length * inner);
  for (let o = 0; o < outer; o++)
    for (let k = 0; k < kept.length; k++)
      values.set(
        t.values.subarray((o * L + kept[k]!) * inner, (o * L + kept[k]!) * inner + inner),
        (o * kept.length + k) * inner,
      );
  return { shape, values };
}

/** Prunes every channel axis (of kernels, 2-D layers and biases) whose width has a keep set; then drift. */
export function pruneChannels(
  tensors: Map<string, SynthTensor>,
  opts: { keep: number; seed: number; drift: number },
): Map<string, SynthTensor> {
  const sets = keepSets(tensors, opts.keep, opts.seed);
  const out = new Map<string, SynthTensor>();
  for (const [name, t0] of tensors) {
    let t = t0;
    const axes = channelAxes(t.shape);
    const prunable = axes ? [axes.out, axes.in] : t.shape.length === 1 ? [0] : [];
    for (const axis of prunable) {
      const kept = sets.get(t.shape[axis]!);
      if (kept) t = take(t, axis, kept);
    }
    if (opts.drift > 0) {
      const rng = Rng.derive(opts.seed, 'drift', name);
      let ss = 0;
      for (const x of t.values) ss += x * x;
      const s = opts.drift * Math.sqrt(ss / Math.max(1, t.values.length));
      t = { shape: t.shape, values: Float32Array.from(t.values, (x) => x + s * rng.normal()) };
    }
    out.set(name, t);
  }
  return out;
}

const RECIPES: Array<{
  id: string;
  title: string;
  a: string;
  from: string;
  keep: number;
  drift: number;
  truth: Verdict;
  accept: Verdict[];
}> = [
  {
    id: 'age_gender-pruned-75-ft',
    title: 'faceapi_age_gender (HWIO, depthwise + 1×1): 75 % of every channel width kept, then 10 % drift',
    a: 'faceapi_age_gender.safetensors',
    from: 'faceapi_age_gender.safetensors',
    keep: 0.75,
    drift: 0.1,
    truth: 'derived',
    accept: ['derived'],
  },
  {
    id: 'styletransfer-pruned-50-ft',
    title: 'ml5_styletransfer_matta (HWIO 3×3/9×9 kernels): half of every channel width kept, then 10 % drift',
    a: 'ml5_styletransfer_matta.safetensors',
    from: 'ml5_styletransfer_matta.safetensors',
    keep: 0.5,
    drift: 0.1,
    truth: 'derived',
    accept: ['derived'],
  },
  {
    id: 'selfie-pruned-75',
    title: 'mediapipe_selfie_general (tflite OHWI, F16): 75 % of every channel width kept',
    a: 'mediapipe_selfie_general.safetensors',
    from: 'mediapipe_selfie_general.safetensors',
    keep: 0.75,
    drift: 0,
    truth: 'derived',
    accept: ['derived'],
  },
  {
    id: 'styletransfer-sibling-pruned-75',
    title: 'ml5_styletransfer_mathura pruned to 75 % vs matta (same layout and seeded initialisation, trained apart)',
    a: 'ml5_styletransfer_matta.safetensors',
    from: 'ml5_styletransfer_mathura.safetensors',
    keep: 0.75,
    drift: 0,
    truth: 'independent',
    accept: ['independent', 'inconclusive'],
  },
  {
    id: 'tiny-face-vs-age_gender-pruned-75',
    title: 'faceapi_age_gender pruned to 75 % vs tiny_face_detector_v1 (unrelated HWIO depthwise/1×1 nets)',
    a: 'faceapi_tiny_face_detector_v1.safetensors',
    from: 'faceapi_age_gender.safetensors',
    keep: 0.75,
    drift: 0,
    truth: 'independent',
    accept: ['independent', 'inconclusive'],
  },
];

/** Writes each pruned net under `out`; `dir` is ../shared/realmodels. Cases whose sources are absent are skipped. */
export async function writePrunedConvCases(dir: string, out: string): Promise<FileCase[]> {
  const cases: FileCase[] = [];
  for (const [i, r] of RECIPES.entries()) {
    const m = await loadTensors(join(dir, r.from));
    const pruned = pruneChannels(m.tensors, { keep: r.keep, seed: 31 + i, drift: r.drift });
    const b = await writeTensorsDir(join(out, r.id), m, pruned);
    cases.push({ id: r.id, title: r.title, truth: r.truth, accept: r.accept, a: join(dir, r.a), b });
  }
  return cases;
}
