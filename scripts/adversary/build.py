"""Builds the adversary cases from the real llama2.c weights: trains models further and from scratch
(numpy, real gradient descent), applies disguises, merges, pruning and rounding, checks every
function-preserving transform by a forward pass, and writes <work>/manifest.json:

  {"models": {id: {path, how, train?, check?}}, "convert": [{src, out, kind, type}],
   "cases": [{id, group, truth, accept, a, b, how}]}

Re-containering (GGUF, PyTorch, GPTQ/NF4) is done afterwards by convert.ts with the project's own
writers. Everything is cached in <work>: a second run only builds what is missing.

  OPENBLAS_NUM_THREADS=1 python3 scripts/adversary/build.py --work /tmp/adversary [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

import data
import llama
import transforms as T

ap = argparse.ArgumentParser()
ap.add_argument('--work', required=True)
ap.add_argument('--shared', default=os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared'))
ap.add_argument('--seed', type=int, default=1, help='seed of every random draw (transforms, data order offsets)')
ap.add_argument('--steps-scale', type=float, default=1.0, help='multiply every training run length')
args = ap.parse_args()

WORK = os.path.abspath(args.work)
REAL = os.path.abspath(os.path.join(args.shared, 'realmodels'))
LLAMA2C = os.path.join(REAL, 'llama2c')
if not os.path.isdir(LLAMA2C):
    sys.exit(f'adversary: {LLAMA2C} is missing (the real llama2.c weights in ../shared)')
os.makedirs(os.path.join(WORK, 'models'), exist_ok=True)
SEED = args.seed


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def real(rel):
    return os.path.join(REAL, rel)


S = real('llama2c/karpathy_stories260K')
SALTY = real('llama2c/saltyduckegg_llama2xs_260K')
EN361 = real('llama2c/EN10_babyllama_tok361')
EN105 = real('llama2c/EN10_babyllama_tok105')
SIB1R = real('trained/sibling_seed1337_order1')
SIB2R = real('trained/sibling_seed1337_order2')

models: dict[str, dict] = {}
convert: list[dict] = []
cases: list[dict] = []


def mdir(name):
    return os.path.join(WORK, 'models', name)


def done(name):
    d = mdir(name)
    return os.path.exists(os.path.join(d, 'model.safetensors')) and os.path.exists(os.path.join(d, 'info.json'))


def save(name, cfg, p, how, info=None, dtype='F32'):
    d = mdir(name)
    llama.save_model(d, cfg, p, dtype=dtype)
    info = dict(info or {})
    info['how'] = how
    with open(os.path.join(d, 'info.json'), 'w') as f:
        json.dump(info, f, indent=1)
    return d


def register(name, how, path=None):
    path = path or mdir(name)
    info = {}
    ip = os.path.join(path, 'info.json')
    if os.path.exists(ip):
        with open(ip) as f:
            info = json.load(f)
    models[name] = {'path': path, 'how': how, **{k: v for k, v in info.items() if k != 'how'}}
    return path


def load(path):
    return llama.load_model(path)


# ---------------------------------------------------------------------------------------------
# Corpora

t0 = time.time()
story1 = data.cached(WORK, 'stories-seed1', lambda: data.model_samples(S, 120_000, 1))
story2 = data.cached(WORK, 'stories-seed2', lambda: data.model_samples(S, 120_000, 2))
tok512 = data.Tokenizer(data.load_pieces(LLAMA2C, 'tok512'))
tok361 = data.Tokenizer(data.load_pieces(LLAMA2C, 'tok361'))
docs_text = None


def docs_for(tok):
    global docs_text
    if docs_text is None:
        docs_text = data.docs_text(400_000)
    return tok.encode(docs_text)


docs512 = data.cached(WORK, 'docs-tok512', lambda: docs_for(tok512))
docs361 = data.cached(WORK, 'docs-tok361', lambda: docs_for(tok361))
log(f'corpora: stories {len(story1)}+{len(story2)} tokens, docs {len(docs512)} (tok512) / {len(docs361)} (tok361) '
    f'[{time.time() - t0:.0f}s]')


def trained(name, how, start, corpus, steps, order, lr=1e-3, heldout=None, untie=False, prep=None, must_learn=True):
    """A model trained by real AdamW steps from `start` ((cfg, params) or a path); cached."""
    if not done(name):
        cfg, p = start if isinstance(start, tuple) else load(start)
        p = T.copy(p)
        if untie:
            cfg = cfg.with_(tie_word_embeddings=False)
            p['lm_head.weight'] = p['model.embed_tokens.weight'].copy()
        if prep:
            cfg, p = prep(cfg, p)
        steps = max(1, int(round(steps * args.steps_scale)))
        log(f'train {name}: {steps} steps, lr {lr}, order seed {order}')
        t = time.time()
        ev = llama.eval_batches(heldout if heldout is not None else corpus)
        stats = llama.train(cfg, p, corpus, steps, seed=order, lr=lr, log=log, eval_batches=ev)
        stats.update(steps=steps, lr=lr, order_seed=order, seconds=round(time.time() - t))
        log(f'  loss {stats["first"]:.3f} -> {stats["last"]:.3f}; held-out {stats["heldout_before"]:.3f} -> '
            f'{stats["heldout_after"]:.3f}')
        if not stats['heldout_after'] < stats['heldout_before']:
            if must_learn:
                sys.exit(f'adversary: training {name} did not lower the held-out loss: {stats}')
            log(f'  note: {name} did not lower its evaluation loss (it was trained on its own distribution)')
        save(name, cfg, p, how, {'train': stats})
    return register(name, how)


def derived_model(name, how, make, check=None):
    """A model made by `make()` -> (cfg, params[, extra]) from other models; `check` -> max |Δlogit|."""
    if not done(name):
        out = make()
        cfg, p = out[0], out[1]
        info = {}
        if check is not None:
            diff = check(cfg, p, *out[2:])
            info['max_dlogit'] = diff
            if diff > 1e-3:
                sys.exit(f'adversary: {name} was meant to keep the function but max |Δlogit| = {diff:.2e}')
        save(name, cfg, p, how, info)
    return register(name, how)


def raw_model(name, how, make, check=None, dtype='F32'):
    """A model whose tensors are written as given (renamed/fused/transposed), with the source config."""
    if not done(name):
        cfg, tensors, back = make()
        info = {}
        if check is not None:
            info['roundtrip'] = check(back)
        d = mdir(name)
        os.makedirs(d, exist_ok=True)
        llama.write_safetensors(os.path.join(d, 'model.safetensors'), tensors, dtype)
        with open(os.path.join(d, 'config.json'), 'w') as f:
            json.dump(cfg.raw, f, indent=1)
        with open(os.path.join(d, 'info.json'), 'w') as f:
            json.dump({'how': how, **info}, f, indent=1)
    return register(name, how)


PROBE = np.random.default_rng(12345).integers(3, 500, (2, 48))


def same_function(src):
    cfg0, p0 = load(src)

    def check(cfg, p, vocab_perm=None):
        return T.max_logit_diff(cfg0, p0, cfg, p, PROBE % cfg0.vocab, vocab_perm)

    return check


def roundtrip(src, undo):
    cfg0, p0 = load(src)
    p0 = T.with_head(cfg0, p0)

    def check(back):
        b = undo(back)
        bad = [k for k in p0 if k not in b or not np.array_equal(b[k], p0[k])]
        if bad:
            sys.exit(f'adversary: a storage disguise does not undo exactly: {bad[:3]}')
        return 'exact'

    return check


def rng(*labels):
    return np.random.default_rng([SEED, *[hash_label(x) for x in labels]])


def hash_label(x):
    return int.from_bytes(str(x).encode()[:8].ljust(8, b'\0'), 'little') % (2**31)


def case(group, a, b, truth, how, accept=None, cid=None):
    if accept is None:
        accept = ['identical', 'derived'] if truth in ('identical', 'derived') and 'exact' in how else [truth]
    cases.append({'id': cid or f'{os.path.basename(a.rstrip("/"))} → {os.path.basename(b.rstrip("/"))}',
                  'group': group, 'truth': truth, 'accept': accept, 'a': a, 'b': b, 'how': how})


def gguf(src_name, gtype):
    out = os.path.join(WORK, 'models', f'{src_name}.{gtype}.gguf')
    convert.append({'src': models[src_name]['path'] if src_name in models else src_name, 'out': out,
                    'kind': 'gguf', 'type': gtype})
    return out


def container(src_name, kind, scheme=None):
    out = os.path.join(WORK, 'models', f'{src_name}.{kind}{"-" + scheme if scheme else ""}')
    convert.append({'src': models[src_name]['path'], 'out': out, 'kind': kind, 'type': scheme})
    return out


for name, path, how in [
    ('stories260K', S, 'real: karpathy stories260K'),
    ('saltyduckegg', SALTY, 'real: independent llama2.c run, same tokenizer'),
    ('en10-tok361', EN361, 'real: EN10 BabyLlama tok361'),
    ('en10-tok105', EN105, 'real: EN10 BabyLlama tok105'),
    ('real-sibling1', SIB1R, 'real: trained sibling, seed 1337, order 1'),
    ('real-sibling2', SIB2R, 'real: trained sibling, seed 1337, order 2'),
]:
    register(name, how, path)

# ---------------------------------------------------------------------------------------------
# Training: further, from scratch, shared seed

cfgS, _ = load(S)
ft50 = trained('ft-docs-50', 'stories260K + 50 AdamW steps on README prose (lr 1e-3)', S, docs512, 50, 1)
ft200 = trained('ft-docs-200', 'stories260K + 200 steps on README prose (lr 1e-3)', S, docs512, 200, 1)
ft200b = trained('ft-docs-200b', 'stories260K + 200 steps on README prose, other order', S, docs512, 200, 2)
ft300s = trained('ft-stories-300', 'stories260K + 300 steps on fresh samples of its own distribution (lr 5e-4)', S,
                 story2, 300, 3, lr=5e-4, must_learn=False)
cpt = trained('cpt-docs-600', 'stories260K + 600 steps on README prose at lr 3e-3 (heavy continued pretraining)', S,
              docs512, 600, 4, lr=3e-3)
untied = trained('ft-untied-100', 'stories260K with its head untied, + 100 steps on README prose', S, docs512, 100, 5,
                 untie=True)
scratch_a = trained('scratch-11', 'from scratch: init seed 11, 300 steps on stories samples (lr 3e-3)',
                    (cfgS, llama.init_params(cfgS, 11)), story1, 300, 11, lr=3e-3, heldout=story2)
scratch_b = trained('scratch-12', 'from scratch: init seed 12, 300 steps on stories samples (lr 3e-3)',
                    (cfgS, llama.init_params(cfgS, 12)), story1, 300, 12, lr=3e-3, heldout=story2)
sib1 = trained('sib1337-order1', 'from scratch: init seed 1337, 300 steps on stories samples, order 1',
               (cfgS, llama.init_params(cfgS, 1337)), story1, 300, 1, lr=3e-3, heldout=story2)
sib2 = trained('sib1337-order2', 'from scratch: init seed 1337, 300 steps on stories samples, order 2',
               (cfgS, llama.init_params(cfgS, 1337)), story1, 300, 2, lr=3e-3, heldout=story2)
sib3 = trained('sib1337-docs', 'from scratch: init seed 1337, 300 steps on README prose',
               (cfgS, llama.init_params(cfgS, 1337)), docs512, 300, 3, lr=3e-3)
sib1_long = trained('sib1337-order1-long', 'sib1337-order1 trained 200 more steps on stories samples', sib1, story1,
                    200, 21, lr=1e-3, heldout=story2)
sib2_long = trained('sib1337-order2-long', 'sib1337-order2 trained 200 more steps on stories samples', sib2, story1,
                    200, 22, lr=1e-3, heldout=story2)
ft_sib1 = trained('ft-sib1-docs-100', 'sib1337-order1 + 100 steps on README prose', sib1, docs512, 100, 6)
ft_rs1 = trained('ft-realsib1-100', 'real sibling order 1 + 100 steps on fresh stories samples', SIB1R, story2, 100, 7, must_learn=False)
ft_en = trained('ft-en361-60', 'EN10 tok361 + 60 steps on README prose (tok361)', EN361, docs361, 60, 8)
heal_drop = trained('drop-layer2-heal', 'stories260K without layer 2, healed 60 steps on stories samples', S, story2,
                    60, 9, prep=lambda c, p: T.drop_layers(c, p, [2]))
heal_ffn = trained('prune-ffn128-heal', 'stories260K FFN 172 -> 128 units (largest |up||down|), healed 60 steps', S,
                   story2, 60, 10, prep=lambda c, p: T.prune_ffn(c, p, 128))
heal_heads = trained('prune-heads-heal', 'stories260K minus kv group 3 (2 q heads, 1 kv head), healed 60 steps', S,
                     story2, 60, 11, prep=lambda c, p: T.prune_heads(c, p, [3]))
vocab_ext = trained('vocab-ext64-ft', 'stories260K with 64 new tokens (mean-initialised), + 60 steps on prose', S,
                    docs512, 60, 12, prep=lambda c, p: T.extend_vocab(c, p, 64, rng('vocab-ext')))
_, _, vperm = T.permute_vocab(cfgS, load(S)[1], rng('vocab-perm'))
vocab_perm = trained('vocab-perm-ft', 'stories260K with token ids re-indexed, + 60 steps on prose (ids mapped)', S,
                     np.argsort(vperm)[docs512], 60, 13, prep=lambda c, p: T.permute_vocab(c, p, rng('vocab-perm'))[:2])

# ---------------------------------------------------------------------------------------------
# Merges

LS = lambda path: load(path)[1]  # noqa: E731
merges = {
    'merge-lin50-ft': ('linear 0.5·stories260K + 0.5·ft-docs-200', lambda: T.merge_linear(cfgS, LS(S), LS(ft200), 0.5)),
    'merge-slerp50-cpt': ('SLERP t=0.5 of stories260K and cpt-docs-600',
                          lambda: T.merge_slerp(cfgS, LS(S), LS(cpt), 0.5)),
    'merge-ties-2ft': ('TIES (density 0.2) of ft-docs-200 and ft-docs-200b on stories260K',
                       lambda: T.merge_ties(cfgS, LS(S), [LS(ft200), LS(ft200b)])),
    'merge-dare90-cpt': ('DARE (drop 0.9, rescale) of cpt-docs-600 on stories260K',
                         lambda: T.merge_dare(cfgS, LS(S), LS(cpt), 0.9, rng('dare'))),
    'merge-lin50-unrelated': ('linear 0.5·stories260K + 0.5·scratch-11 (two unrelated models)',
                              lambda: T.merge_linear(cfgS, LS(S), LS(scratch_a), 0.5)),
    'merge-lin25-unrelated': ('linear 0.25·stories260K + 0.75·scratch-11',
                              lambda: T.merge_linear(cfgS, LS(S), LS(scratch_a), 0.25)),
    'merge-slerp30-unrelated': ('SLERP t=0.3 from stories260K toward scratch-11',
                                lambda: T.merge_slerp(cfgS, LS(S), LS(scratch_a), 0.3)),
}
for name, (how, make) in merges.items():
    derived_model(name, how, make)

# ---------------------------------------------------------------------------------------------
# Function-preserving disguises (checked by a forward pass)


def fp(name, src, how, fn, label):
    return derived_model(name, how, lambda: fn(*load(src), rng(label)), same_function(src))


def rot_orth(c, p, r):
    return T.rotate_residual(c, p, T.random_orthogonal(c.dim, r))


def rot_hadamard(c, p, r):
    hr = [T.random_orthogonal(c.head_dim, r) for _ in range(c.kv_heads)]
    return T.rotate_residual(c, p, T.hadamard(c.dim) * r.choice([-1.0, 1.0], c.dim)[None, :], hr)


def all_combined(c, p, r):
    c, p = T.permute_ffn(c, p, r)
    c, p = T.permute_heads(c, p, r)
    c, p = T.flip_signs(c, p, r)
    c, p = T.rescale_units(c, p, r)
    return rot_orth(c, p, r)


FP = {
    'rot-orth': ('residual stream rotated by a random orthogonal Q, norms folded (head untied)', rot_orth),
    'rot-hadamard': ('randomised Hadamard rotation of the residual stream + per-head v/o rotations, norms folded',
                     rot_hadamard),
    'rescale': ('per-unit rescaling ×[0.5, 2]: norm gains into readers, FFN up/down, v/o, q/k pairs',
                lambda c, p, r: T.rescale_units(c, p, r)),
    'rescale-strong': ('per-unit rescaling ×[0.1, 10]', lambda c, p, r: T.rescale_units(c, p, r, 0.1, 10.0)),
    'rescale-ffn': ('FFN units only rescaled ×[0.5, 2] (AWQ-style)',
                    lambda c, p, r: T.rescale_units(c, p, r, norms=False, vo=False, qk=False)),
    'signs': ('balanced sign flips: FFN units, v/o channels, q/k rotary pairs', T.flip_signs),
    'perm-ffn': ('FFN hidden units permuted', T.permute_ffn),
    'perm-heads': ('attention heads and kv groups permuted', T.permute_heads),
    'perm-resid': ('residual stream permuted (embedding columns, every reader/writer, norm gains)',
                   T.permute_residual),
    'perm-ffn-signs-rescale': ('FFN units permuted, sign-flipped and rescaled',
                               lambda c, p, r: T.rescale_units(*T.flip_signs(*T.permute_ffn(c, p, r), r), r)),
    'all': ('FFN+head permutation, signs, rescaling, then orthogonal rotation', all_combined),
}
for key, (how, fn) in FP.items():
    fp(f'S-{key}', S, f'stories260K, {how} (exact function)', fn, f'S-{key}')
for key in ('rot-orth', 'rot-hadamard', 'rescale', 'signs', 'perm-resid', 'perm-ffn', 'all'):
    fp(f'ft200-{key}', ft200, f'ft-docs-200, {FP[key][0]}', FP[key][1], f'ft-{key}')
fp('en361-rot-hadamard', EN361, f'EN10 tok361, {FP["rot-hadamard"][0]} (exact function)', rot_hadamard, 'en-rot')
fp('en361ft-perm-resid', ft_en, f'ft-en361-100, {FP["perm-resid"][0]}', T.permute_residual, 'en-perm')
# negatives: disguises of an unrelated model must not create a match
for key in ('rot-orth', 'rescale', 'signs', 'perm-resid', 'all'):
    fp(f'scratch11-{key}', scratch_a, f'scratch-11 (unrelated to stories260K), {FP[key][0]}', FP[key][1], f'x-{key}')
fp('sib1-rot-orth', sib1, f'sib1337-order1, {FP["rot-orth"][0]}', rot_orth, 'sib-rot')
fp('sib1-perm-resid', sib1, f'sib1337-order1, {FP["perm-resid"][0]}', T.permute_residual, 'sib-perm')

# ---------------------------------------------------------------------------------------------
# Storage disguises (bijections, undone to check)


def storage(name, src, how, make, undo, dtype='F32'):
    cfg, p = load(src)

    def build():
        tensors = make(cfg, T.with_head(cfg, p))
        return cfg, tensors, tensors

    return raw_model(name, how, build, roundtrip(src, lambda back: undo(cfg, back)), dtype)


def obfuscated(label):
    """make/undo for opaque names: the mapping is a function of the tensor names and the label's rng."""
    def make(c, p):
        return T.obfuscate(p, rng(label))[0]

    def undo(c, back):
        names = list(back)  # w000… in order; recompute which original each stands for
        src = S if label == 'obf' else ft200
        _, mapping = T.obfuscate(T.with_head(*load(src)), rng(label))
        return {mapping[k]: back[k] for k in names}

    return make, undo


storage('S-meta', S, 'stories260K in Meta layout: tok_embeddings/layers.N.attention.wq…, q/k in interleaved rotary order',
        T.to_meta, T.from_meta)
storage('ft200-meta', ft200, 'ft-docs-200 in Meta layout (interleaved rotary q/k)', T.to_meta, T.from_meta)
storage('S-fused', S, 'stories260K with fused qkv_proj and gate_up_proj (phi-3 style)', T.fuse, T.unfuse)
storage('ft200-fused', ft200, 'ft-docs-200 with fused qkv_proj and gate_up_proj', T.fuse, T.unfuse)
storage('ft200-split-heads', ft200, 'ft-docs-200 with q/k/v/o stored one tensor per head', T.split_heads,
        T.join_heads)
storage('ft200-obfuscated', ft200, 'ft-docs-200 with opaque tensor names in shuffled order', *obfuscated('obf-ft'))
storage('ft200-transposed', ft200, 'ft-docs-200 with every matrix stored transposed',
        lambda c, p: T.transpose_all(p), lambda c, b: T.transpose_all(b))
storage('S-split-heads', S, 'stories260K with q/k/v/o stored one tensor per head', T.split_heads, T.join_heads)
storage('S-transposed', S, 'stories260K with every matrix stored transposed', lambda c, p: T.transpose_all(p),
        lambda c, b: T.transpose_all(b))
storage('S-obfuscated', S, 'stories260K with opaque tensor names (w000…) in shuffled order', *obfuscated('obf'))
storage('S-reordered', S, 'stories260K with tensors in shuffled file order', lambda c, p: T.reorder(p, rng('order')),
        lambda c, b: b)
derived_model('S-pad576', 'stories260K with embedding/head padded to 576 rows of zeros',
              lambda: T.pad_vocab(cfgS, LS(S), 576))
derived_model('S-drop2layers', 'stories260K with layers 1 and 3 dropped (no healing)',
              lambda: T.drop_layers(cfgS, LS(S), [1, 3]))
derived_model('S-perm-vocab', 'stories260K with token ids re-indexed (exact function under the remapped tokenizer)',
              lambda: T.permute_vocab(cfgS, LS(S), rng('vocab-perm')), same_function(S))
derived_model('S-fake-int8', 'stories260K rounded to per-row absmax int8, stored as F32',
              lambda: (cfgS, T.fake_int8(LS(S))))
derived_model('S-fake-int4', 'stories260K rounded to int4 in groups of 32 (min/max), stored as F32',
              lambda: (cfgS, T.fake_int4(LS(S))))
derived_model('ft200-perm-ffn-int4', 'ft-docs-200, FFN permuted, then int4 (groups of 32) stored as F32',
              lambda: (cfgS, T.fake_int4(T.permute_ffn(cfgS, LS(ft200), rng('c1'))[1])))
for dt in ('F16', 'BF16'):
    if not done(f'S-{dt.lower()}'):
        save(f'S-{dt.lower()}', cfgS, LS(S), f'stories260K cast to {dt}', dtype=dt)
    register(f'S-{dt.lower()}', f'stories260K cast to {dt}')
derived_model('scratch11-fake-int4', 'scratch-11 rounded to int4 (groups of 32), stored as F32',
              lambda: (cfgS, T.fake_int4(LS(scratch_a))))

# ---------------------------------------------------------------------------------------------
# Re-containered and quantised by the project's own writers (convert.ts)

g = {t: gguf('stories260K', t) for t in ('F32', 'Q8_0', 'Q4_0', 'Q4_K', 'Q2_K', 'IQ4_NL')}
g_ft = {t: gguf('ft-docs-200', t) for t in ('Q8_0', 'Q4_0')}
g_rot = gguf('S-rot-orth', 'Q8_0')
g_ftrot = gguf('ft200-rot-orth', 'Q8_0')
g_ftall = gguf('ft200-all', 'Q4_0')
g_x = gguf('scratch-11', 'Q4_0')
g_sib = gguf('sib1337-order1', 'Q8_0')
pt_S = container('stories260K', 'pytorch')
pt_rescale = container('ft200-rescale', 'pytorch')
pt_rot = container('S-rot-hadamard', 'pytorch')
q_gptq = container('en10-tok361', 'quant', 'gptq-4')
q_awq = container('en10-tok361', 'quant', 'awq')
q_nf4 = container('stories260K', 'quant', 'nf4')
q_ft_gptq = container('ft-en361-60', 'quant', 'gptq-4')
q_ft_nf4 = container('ft-docs-200', 'quant', 'nf4')
q_x_nf4 = container('scratch-11', 'quant', 'nf4')
q_en105 = container('en10-tok105', 'quant', 'gptq-4')

# ---------------------------------------------------------------------------------------------
# Cases

M = lambda n: models[n]['path']  # noqa: E731
Sp = M('stories260K')

for n in ('ft-docs-50', 'ft-docs-200', 'ft-stories-300', 'cpt-docs-600', 'ft-untied-100'):
    case('trained', Sp, M(n), 'derived', models[n]['how'])
case('trained', M('en10-tok361'), M('ft-en361-60'), 'derived', models['ft-en361-60']['how'])
case('trained', M('real-sibling1'), M('ft-realsib1-100'), 'derived', models['ft-realsib1-100']['how'])
case('trained', M('sib1337-order1'), M('ft-sib1-docs-100'), 'derived', models['ft-sib1-docs-100']['how'])
case('trained', M('sib1337-order1'), M('sib1337-order1-long'), 'derived', models['sib1337-order1-long']['how'])
case('trained', M('ft-docs-200'), Sp, 'derived', 'reverse: the fine-tune as reference, the base as candidate')

for n in ('merge-lin50-ft', 'merge-slerp50-cpt', 'merge-ties-2ft', 'merge-dare90-cpt'):
    case('merged', Sp, M(n), 'derived', models[n]['how'])
case('merged', M('ft-docs-200'), M('merge-lin50-ft'), 'derived', 'merge vs its fine-tuned parent')
for n in ('merge-lin50-unrelated', 'merge-lin25-unrelated', 'merge-slerp30-unrelated'):
    case('merged', Sp, M(n), 'derived', models[n]['how'] + ' — vs stories260K')
    case('merged', M('scratch-11'), M(n), 'derived', models[n]['how'] + ' — vs scratch-11')

for key in FP:
    case('disguised', Sp, M(f'S-{key}'), 'derived', models[f'S-{key}']['how'])
for n in ('S-meta', 'S-fused', 'S-split-heads', 'S-transposed', 'S-obfuscated', 'S-reordered', 'S-pad576',
          'S-perm-vocab'):
    case('disguised', Sp, M(n), 'derived', models[n]['how'] + ' (exact)')
case('disguised', M('en10-tok361'), M('en361-rot-hadamard'), 'derived', models['en361-rot-hadamard']['how'])
for key in ('rot-orth', 'rot-hadamard', 'rescale', 'signs', 'perm-resid', 'perm-ffn', 'all'):
    case('disguised+trained', Sp, M(f'ft200-{key}'), 'derived', models[f'ft200-{key}']['how'])
for n in ('ft200-meta', 'ft200-fused', 'ft200-split-heads', 'ft200-obfuscated', 'ft200-transposed'):
    case('disguised+trained', Sp, M(n), 'derived', models[n]['how'])
case('disguised+trained', M('en10-tok361'), M('en361ft-perm-resid'), 'derived', models['en361ft-perm-resid']['how'])

for n in ('drop-layer2-heal', 'prune-ffn128-heal', 'prune-heads-heal', 'vocab-ext64-ft', 'vocab-perm-ft'):
    case('pruned', Sp, M(n), 'derived', models[n]['how'])
case('pruned', Sp, M('S-drop2layers'), 'derived', models['S-drop2layers']['how'] + ' (exact subset)')

for t, path in g.items():
    case('quantised', Sp, path, 'derived', f'stories260K → GGUF {t} (project writer; 64-wide rows fall back as '
         'llama-quantize does) (exact copy, rounded)')
for t, path in g_ft.items():
    case('quantised', Sp, path, 'derived', f'ft-docs-200 → GGUF {t}')
for n in ('S-fake-int8', 'S-fake-int4', 'S-f16', 'S-bf16'):
    case('quantised', Sp, M(n), 'derived', models[n]['how'] + ' (exact copy, rounded)')
case('quantised', M('en10-tok361'), q_gptq, 'derived', 'EN10 tok361 → GPTQ 4-bit safetensors (project packer) (exact copy, '
     'rounded)')
case('quantised', M('en10-tok361'), q_awq, 'derived', 'EN10 tok361 → AWQ safetensors (exact copy, rounded)')
case('quantised', Sp, q_nf4, 'derived', 'stories260K → bitsandbytes NF4 safetensors (exact copy, rounded)')
case('quantised', M('en10-tok361'), q_ft_gptq, 'derived', 'ft-en361-60 → GPTQ 4-bit safetensors')
case('quantised', Sp, q_ft_nf4, 'derived', 'ft-docs-200 → NF4 safetensors')
case('recontainered', Sp, pt_S, 'derived', 'stories260K → pytorch_model.bin (exact)')
case('recontainered', Sp, pt_rot, 'derived', 'stories260K Hadamard-rotated → pytorch_model.bin (exact function)')

case('combined', Sp, g_rot, 'derived', 'stories260K rotated (orthogonal) → GGUF Q8_0 (exact function, rounded)')
case('combined', Sp, g_ftrot, 'derived', 'ft-docs-200 rotated (orthogonal) → GGUF Q8_0')
case('combined', Sp, g_ftall, 'derived', 'ft-docs-200 permuted+signs+rescaled+rotated → GGUF Q4_0')
case('combined', Sp, M('ft200-perm-ffn-int4'), 'derived', models['ft200-perm-ffn-int4']['how'])
case('combined', Sp, pt_rescale, 'derived', 'ft-docs-200 rescaled per unit → pytorch_model.bin')

# negatives
N = 'independent'
case('negative', Sp, M('scratch-11'), N, 'same config and tokenizer, trained from scratch (other seed)')
case('negative', M('scratch-11'), M('scratch-12'), N, 'two from-scratch runs, seeds 11 and 12, same data')
case('negative', Sp, M('saltyduckegg'), N, 'real: independent llama2.c run, same tokenizer')
case('negative', M('en10-tok361'), M('en10-tok105'), N, 'real: same recipe, different vocabularies')
case('negative', M('real-sibling1'), M('real-sibling2'), N, 'real shared-seed siblings (trained/pairs.json)')
case('negative', M('sib1337-order1'), M('sib1337-order2'), N, 'shared-seed siblings (seed 1337), data orders 1/2')
case('negative', M('sib1337-order1-long'), M('sib1337-order2-long'), N, 'shared-seed siblings, 500 steps each')
case('negative', M('sib1337-order1'), M('sib1337-docs'), N, 'shared-seed siblings on different data')
case('negative', M('sib1337-order2'), M('sib1337-order1-long'), N,
     'shared-seed siblings trained 300 and 500 steps (unequal spreads)')
case('negative', M('sib1337-order1-long'), M('sib1337-docs'), N,
     'shared-seed siblings: 500 steps on stories vs 300 steps on prose')
case('negative', M('sib1337-order2'), M('ft-sib1-docs-100'), N, 'a fine-tune of sibling 1 vs sibling 2')
case('negative', M('real-sibling2'), M('ft-realsib1-100'), N, 'a fine-tune of real sibling 1 vs real sibling 2')
case('negative', M('sib1337-order2'), M('sib1-rot-orth'), N, 'sibling 1 rotated vs sibling 2')
case('negative', M('sib1337-order2'), M('sib1-perm-resid'), N, 'sibling 1 residual-permuted vs sibling 2')
case('negative', M('real-sibling1'), M('sib1337-order1'), N, 'two seed-1337 runs with different generators')
case('negative', M('ft-docs-200'), M('scratch-11'), N, 'a fine-tune of stories260K vs an unrelated model')
case('negative', M('scratch-11'), M('merge-lin50-ft'), N, 'a merge of stories260K and its fine-tune vs unrelated')
for key in ('rot-orth', 'rescale', 'signs', 'perm-resid', 'all'):
    case('negative', Sp, M(f'scratch11-{key}'), N, models[f'scratch11-{key}']['how'])
case('negative', Sp, g_x, N, 'scratch-11 → GGUF Q4_0 vs stories260K')
case('negative', Sp, M('scratch11-fake-int4'), N, 'scratch-11 int4-rounded vs stories260K')
case('negative', Sp, q_x_nf4, N, 'scratch-11 → NF4 safetensors vs stories260K')
case('negative', M('sib1337-order2'), g_sib, N, 'sibling 1 → GGUF Q8_0 vs sibling 2')
case('negative', M('en10-tok361'), q_en105, N, 'EN10 tok105 → GPTQ 4-bit vs EN10 tok361')
case('negative', M('en10-tok105'), M('ft-en361-60'), N, 'a fine-tune of EN10 tok361 vs EN10 tok105')

# ---------------------------------------------------------------------------------------------
# A wider model (FFN matrices of 278,528 values > 2^18): sketches sample these by runs of a few rows,
# so sketch and full mode differ here (the 260K models are read whole in both)

cfgM = cfgS.with_(hidden_size=256, intermediate_size=1088, num_hidden_layers=2, num_attention_heads=8,
                  num_key_value_heads=4, max_position_embeddings=512)
mid0 = trained('mid-21', 'wide model (256/1088/2 layers) from scratch: init seed 21, 40 steps on stories samples',
               (cfgM, llama.init_params(cfgM, 21)), story1, 40, 21, lr=2e-3, heldout=story2)
mid_ft = trained('mid-21-ft', 'mid-21 + 20 steps on README prose', mid0, docs512, 20, 23)
mid_ind = trained('mid-22', 'wide model from scratch: init seed 22, 40 steps on stories samples',
                  (cfgM, llama.init_params(cfgM, 22)), story1, 40, 22, lr=2e-3, heldout=story2)
mid_sib = trained('mid-21-sib', 'wide model from scratch: init seed 21 (shared), 40 steps, other data order',
                  (cfgM, llama.init_params(cfgM, 21)), story1, 40, 24, lr=2e-3, heldout=story2)
fp('mid-21-ft-perm-ffn', mid_ft, f'mid-21-ft, {FP["perm-ffn"][0]}', T.permute_ffn, 'mid-perm')
fp('mid-21-ft-rot', mid_ft, f'mid-21-ft, {FP["rot-orth"][0]}', rot_orth, 'mid-rot')
fp('mid-21-ft-rescale', mid_ft, f'mid-21-ft, {FP["rescale"][0]}', FP['rescale'][1], 'mid-rescale')
fp('mid-22-rot', mid_ind, f'mid-22 (unrelated), {FP["rot-orth"][0]}', rot_orth, 'mid22-rot')
g_mid = gguf('mid-21', 'Q4_K')
g_midft = gguf('mid-21-ft', 'Q4_K')
g_mid22 = gguf('mid-22', 'Q4_K')
pt_mid = container('mid-21-ft-perm-ffn', 'pytorch')
Mp = M('mid-21')
case('wide', Mp, M('mid-21-ft'), 'derived', models['mid-21-ft']['how'])
case('wide', Mp, M('mid-21-ft-perm-ffn'), 'derived', models['mid-21-ft-perm-ffn']['how'])
case('wide', Mp, M('mid-21-ft-rot'), 'derived', models['mid-21-ft-rot']['how'])
case('wide', Mp, M('mid-21-ft-rescale'), 'derived', models['mid-21-ft-rescale']['how'])
case('wide', Mp, g_mid, 'derived', 'mid-21 → GGUF Q4_K (exact copy, rounded)')
case('wide', Mp, g_midft, 'derived', 'mid-21-ft → GGUF Q4_K')
case('wide', Mp, pt_mid, 'derived', 'mid-21-ft FFN-permuted → pytorch_model.bin')
case('wide', g_midft, Mp, 'derived', 'reverse: the Q4_K GGUF of the fine-tune as reference')
case('negative', Mp, M('mid-22'), N, 'wide models from scratch, seeds 21 and 22')
case('negative', Mp, M('mid-21-sib'), N, 'wide shared-seed siblings (seed 21), data orders differ')
case('negative', Mp, M('mid-22-rot'), N, models['mid-22-rot']['how'])
case('negative', Mp, g_mid22, N, 'mid-22 → GGUF Q4_K vs mid-21')
case('negative', M('mid-21-sib'), M('mid-21-ft'), N, 'a fine-tune of mid-21 vs its shared-seed sibling')

# ---------------------------------------------------------------------------------------------
# Hostile combinations an author would try next: a disguise then GGUF k-quantisation, sign flips and
# rescaling of a fine-tune, a rotated or fully disguised copy saved as pytorch_model.bin, layers
# duplicated or re-stacked, a trimmed and re-indexed vocabulary (alone or then rotated); each has an
# unrelated or shared-seed counterpart that must stay independent.


def signs_rescale(c, p, r):
    return T.rescale_units(*T.flip_signs(c, p, r), r)


def restacked(name, src, how, order):
    return derived_model(name, how, lambda: T.restack_layers(*load(src), order))


def vocab_trimmed(name, src, how, keep, label, then=None):
    def make():
        c, p = T.trim_vocab(*load(src), keep, rng(label))
        return then(c, p, rng(label + '/then')) if then else (c, p)

    return derived_model(name, how, make)


fp('ft200-signs-rescale', ft200, 'ft-docs-200, balanced sign flips then per-unit rescaling ×[0.5, 2]',
   signs_rescale, 'h-sgrs-ft')
fp('scratch11-signs-rescale', scratch_a, 'scratch-11 (unrelated), sign flips then per-unit rescaling',
   signs_rescale, 'h-sgrs-x')
L = cfgS.layers
restacked('S-dup-layer', S, f'stories260K with layer 2 duplicated ({L} -> {L + 1} layers, no healing)',
          [*range(3), *range(2, L)])
restacked('ft200-restack', ft200, 'ft-docs-200 with layer 1 dropped and layer 3 duplicated',
          [0, 2, 3, *range(3, L)])
restacked('scratch11-dup-layer', scratch_a, 'scratch-11 (unrelated) with layer 2 duplicated', [*range(3), *range(2, L)])
restacked('sib1-dup-layer', sib1, 'sib1337-order1 with layer 2 duplicated', [*range(3), *range(2, L)])
vocab_trimmed('S-vocab-trim384', S, 'stories260K with its vocabulary trimmed to 384 random tokens, re-indexed',
              384, 'h-vt-S')
vocab_trimmed('ft200-vocab-trim384', ft200, 'ft-docs-200 with its vocabulary trimmed to 384 tokens, re-indexed',
              384, 'h-vt-ft')
vocab_trimmed('ft200-vocab-trim-rot', ft200, 'ft-docs-200, vocabulary trimmed to 384 tokens and re-indexed, then '
              'residual stream rotated (orthogonal, norms folded)', 384, 'h-vtr-ft', rot_orth)
vocab_trimmed('scratch11-vocab-trim384', scratch_a, 'scratch-11 (unrelated), vocabulary trimmed to 384 tokens',
              384, 'h-vt-x')
vocab_trimmed('sib1-vocab-trim384', sib1, 'sib1337-order1, vocabulary trimmed to 384 tokens', 384, 'h-vt-sib')
h_g = {
    'S-signs.Q4_K': gguf('S-signs', 'Q4_K'),
    'ft200-signs.Q4_K': gguf('ft200-signs', 'Q4_K'),
    'ft200-rescale.Q8_0': gguf('ft200-rescale', 'Q8_0'),
    'S-all.Q8_0': gguf('S-all', 'Q8_0'),
    'ft200-signs-rescale.Q4_K': gguf('ft200-signs-rescale', 'Q4_K'),
    'ft200-restack.Q4_K': gguf('ft200-restack', 'Q4_K'),
    'scratch11-signs-rescale.Q4_K': gguf('scratch11-signs-rescale', 'Q4_K'),
}
h_pt = {n: container(n, 'pytorch') for n in ('ft200-rot-orth', 'ft200-all', 'scratch11-rot-orth')}
H = 'hostile'
case(H, Sp, h_g['S-signs.Q4_K'], 'derived', 'stories260K sign-flipped → GGUF Q4_K (exact function, rounded)')
case(H, Sp, h_g['ft200-signs.Q4_K'], 'derived', 'ft-docs-200 sign-flipped → GGUF Q4_K')
case(H, Sp, h_g['ft200-rescale.Q8_0'], 'derived', 'ft-docs-200 rescaled per unit → GGUF Q8_0')
case(H, Sp, h_g['S-all.Q8_0'], 'derived', 'stories260K permuted+signs+rescaled+rotated → GGUF Q8_0 (exact function, '
     'rounded)')
case(H, Sp, M('ft200-signs-rescale'), 'derived', models['ft200-signs-rescale']['how'])
case(H, Sp, h_g['ft200-signs-rescale.Q4_K'], 'derived', 'ft-docs-200 sign-flipped and rescaled → GGUF Q4_K')
case(H, Sp, h_pt['ft200-rot-orth'], 'derived', 'ft-docs-200 rotated (orthogonal) → pytorch_model.bin')
case(H, Sp, h_pt['ft200-all'], 'derived', 'ft-docs-200 permuted+signs+rescaled+rotated → pytorch_model.bin')
case(H, Sp, M('S-dup-layer'), 'derived', models['S-dup-layer']['how'] + ' (exact copies of every tensor)')
case(H, Sp, M('ft200-restack'), 'derived', models['ft200-restack']['how'])
case(H, Sp, h_g['ft200-restack.Q4_K'], 'derived',
     'ft-docs-200 re-stacked (layer 1 dropped, 3 duplicated) → GGUF Q4_K')
case(H, Sp, M('S-vocab-trim384'), 'derived', models['S-vocab-trim384']['how'])
case(H, Sp, M('ft200-vocab-trim384'), 'derived', models['ft200-vocab-trim384']['how'])
case(H, Sp, M('ft200-vocab-trim-rot'), 'derived', models['ft200-vocab-trim-rot']['how'])
case(H, Sp, M('scratch11-dup-layer'), N, models['scratch11-dup-layer']['how'] + ' vs stories260K')
case(H, Sp, M('scratch11-vocab-trim384'), N, models['scratch11-vocab-trim384']['how'] + ' vs stories260K')
case(H, Sp, h_g['scratch11-signs-rescale.Q4_K'], N, 'scratch-11 sign-flipped and rescaled → GGUF Q4_K vs stories260K')
case(H, Sp, h_pt['scratch11-rot-orth'], N, 'scratch-11 rotated → pytorch_model.bin vs stories260K')
case(H, M('sib1337-order2'), M('sib1-dup-layer'), N, 'sibling 1 with layer 2 duplicated vs sibling 2')
case(H, M('sib1337-order2'), M('sib1-vocab-trim384'), N, 'sibling 1 with a trimmed, re-indexed vocabulary vs sibling 2')

manifest = {'seed': SEED, 'models': models, 'convert': convert, 'cases': cases}
with open(os.path.join(WORK, 'manifest.json'), 'w') as f:
    json.dump(manifest, f, indent=1)
log(f'manifest: {len(models)} models, {len(convert)} conversions, {len(cases)} cases [{time.time() - t0:.0f}s]')
