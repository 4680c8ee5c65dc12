import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openModel } from '../../src/formats/model.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';
import { compareFingerprints } from '../../src/compare/engine.js';

const R = '../shared/realmodels/';
test('probe', async () => {
  const pairs = JSON.parse(readFileSync(R + 'pairs.json', 'utf8')).pairs;
  const cache = new Map();
  const fp = async (p: string) => {
    if (!cache.has(p)) { const m = await openModel(R + p); cache.set(p, await fingerprintModel(m)); await m.close(); }
    return cache.get(p);
  };
  for (const pr of pairs) {
    const res = compareFingerprints(await fp(pr.a), await fp(pr.b));
    const ok = pr.accept.includes(res.verdict) ? 'OK ' : 'BAD';
    console.log(`${ok} ${pr.a} vs ${pr.b}: ${res.verdict} (truth ${pr.truth}) — ${res.reason}`);
    for (const c of res.components) console.log(`     [${c.name}] ${c.verdict} Z=${c.score} n=${c.tensors_compared} medr=${c.median_r} ${c.evidence.slice(0,3).map(e=>e.detail).join(' | ').slice(0,400)}`);
  }
}, 120000);
