import { it, expect } from 'vitest';
import { startHubServer } from '../helpers/hub-server.js';
import { openHubModel } from '../../src/formats/hub.js';
import { makeBase } from '../../src/synth/model.js';
import { modelFiles } from '../../src/synth/write.js';
import { fingerprintModel } from '../../src/fingerprint/model.js';

it('smoke', async () => {
  const m = makeBase(undefined, 1);
  const server = await startHubServer({ repos: [{ id: 'org/m', files: modelFiles(m) }] });
  try {
    const src = await openHubModel('hf:org/m', { hubUrl: server.url });
    console.log(src.tensors.length, src.files, src.totalBytes, src.commit);
    const fp = await fingerprintModel(src, { mode: 'sample' });
    console.log(fp.source, fp.tokenizer?.type, fp.config?.modelType);
    console.log(server.requests.length, server.requests.slice(0,4).map(r=>r.host+" "+r.method+" "+r.path+" "+r.range+" "+r.status).join("\n"));
    expect(fp.tensors.length).toBe(src.tensors.length);
  } finally { await server.close(); }
});
