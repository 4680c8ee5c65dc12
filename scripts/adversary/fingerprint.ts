/**
 * `fingerprint --full` / `--sketch` under another sample layout: every tensor above `runsAbove`
 * elements sampled in row runs, as a release-sized model's matrices are (the product samples only
 * tensors above 2^18 elements so, and the 260K models have none: their sketches read every tensor
 * whole and equal the full fingerprints). The same stress layout as test/compare/sketch-parity.ts.
 * Bundled and run by scripts/adversary/run.mjs (--runs-above N).
 *
 *   node fingerprint.mjs <model> <full|sample> <runsAbove> <out.json>
 */
import { writeFile } from 'node:fs/promises';
import { loadFingerprint } from '../../src/fingerprint/load.js';

const [spec, mode, above, out] = process.argv.slice(2);
const runsAbove = Number(above);
if (!spec || (mode !== 'full' && mode !== 'sample') || !Number.isSafeInteger(runsAbove) || runsAbove < 0 || !out) {
  process.stderr.write('usage: fingerprint.mjs <model> <full|sample> <runsAbove> <out.json>\n');
  process.exit(2);
}
const doc = await loadFingerprint(spec, { mode, layout: { kind: 'runs', runsAbove } });
await writeFile(out, `${JSON.stringify(doc)}\n`);
