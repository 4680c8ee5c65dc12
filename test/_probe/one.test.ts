import { test } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseById, writeCase } from '../../src/synth/index.js';
import { loadFingerprint } from '../../src/sources.js';
import { compareModels } from '../../src/compare/index.js';
import { tensorRefs, exactMatches, correlationMatches } from '../../src/compare/tensor-match.js';
test('one', async () => {
  for (const id of (process.env.CASES ?? 'shared-init-tied').split(',')) {
    const dir = await mkdtemp(join(tmpdir(), 'wp-'));
    const { a, b } = await writeCase(caseById(id), dir);
    const A = await loadFingerprint(a), B = await loadFingerprint(b);
    const r = compareModels(A, B);
    console.log(id, r.verdict, r.reason);
    for (const c of r.components) console.log(`  [${c.name}] ${c.verdict} Z=${c.score} n=${c.tensors_compared} medr=${c.median_r} :: ${c.evidence.map(e=>e.detail).join(' | ').slice(0,600)}`);
    const RA = tensorRefs(A), RB = tensorRefs(B);
    const ex = exactMatches(RA, RB);
    const { matches, pair } = correlationMatches(RA, RB, ex);
    console.log(pair);
    for (const m of [...matches.values()].slice(0, 12)) console.log(`   ${m.b.fp.name} <- ${m.a?.fp.name} r=${m.r?.toFixed(3)} z=${m.z?.toFixed(1)} p=${m.p.toExponential(1)} null=${JSON.stringify(m.null)} ${m.nullSource} cands=${m.candidates}`);
  }
}, 600000);
test('vectors', async () => {
  for (const id of (process.env.VCASES ?? '').split(',').filter(Boolean)) {
    const dir = await mkdtemp(join(tmpdir(), 'wp-'));
    const { a, b } = await writeCase(caseById(id), dir);
    const A = await loadFingerprint(a), B = await loadFingerprint(b);
    const RA = tensorRefs(A), RB = tensorRefs(B);
    const ex = exactMatches(RA, RB);
    const { matches, pair } = correlationMatches(RA, RB, ex, 'vector');
    const ms = [...matches.values()];
    console.log(id, 'vectors', ms.length, JSON.stringify(pair), 'median r', ms.map(m=>m.r!).sort((x,y)=>x-y)[ms.length>>1]?.toFixed(3), 'sig', ms.filter(m=>m.p<1e-3).length);
    for (const m of ms.slice(0, 4)) console.log(`   ${m.b.fp.name} <- ${m.a?.fp.name} r=${m.r?.toFixed(3)} z=${m.z?.toFixed(1)} p=${m.p.toExponential(1)} ${m.nullSource} cands=${m.candidates}`);
  }
}, 600000);
