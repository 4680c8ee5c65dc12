"""Disguises, merges, pruning and rounding applied to Hugging Face Llama-layout parameters.

Function-preserving transforms (rotation with norm folding, per-unit rescaling, sign flips,
permutations) are checked by a forward pass in build.py (max |Δlogit|); storage disguises (renames,
fusions, transposes, head splits) are bijections and are checked by undoing them.
Every function takes (cfg, params) and returns new (cfg, params); inputs are never modified.
"""

from __future__ import annotations

import numpy as np

import llama
from llama import layer_names

READERS = ('q', 'k', 'v', 'g', 'u')
WRITERS = ('o', 'd')


def copy(p):
    return {k: np.array(v, dtype=np.float32) for k, v in p.items()}


def with_head(cfg, p):
    """Parameters with an explicit lm_head (the embedding's copy when tied)."""
    q = copy(p)
    if 'lm_head.weight' not in q:
        q['lm_head.weight'] = q['model.embed_tokens.weight'].copy()
    return q


# ---------------------------------------------------------------------------------------------
# Function-preserving


def fold_norms(cfg, p):
    """RMSNorm gains folded into the matrices that read their output (gain ← 1). The final norm folds
    into the head, which unties it from the embedding (as QuaRot/SpinQuant exports do)."""
    q = with_head(cfg, p)
    for i in range(cfg.layers):
        n = layer_names(i)
        for r in ('q', 'k', 'v'):
            q[n[r]] = q[n[r]] * q[n['n1']][None, :]
        for r in ('g', 'u'):
            q[n[r]] = q[n[r]] * q[n['n2']][None, :]
        q[n['n1']] = np.ones_like(q[n['n1']])
        q[n['n2']] = np.ones_like(q[n['n2']])
    q['lm_head.weight'] = q['lm_head.weight'] * q['model.norm.weight'][None, :]
    q['model.norm.weight'] = np.ones_like(q['model.norm.weight'])
    return cfg.with_(tie_word_embeddings=False), q


def random_orthogonal(n, rng):
    a = rng.normal(size=(n, n))
    qm, r = np.linalg.qr(a)
    return qm * np.sign(np.diag(r))[None, :]


def hadamard(n):
    if n & (n - 1):
        raise ValueError(f'Hadamard needs a power of two, not {n}')
    h = np.array([[1.0]])
    while h.shape[0] < n:
        h = np.block([[h, h], [h, -h]])
    return h / np.sqrt(n)


def rotate_residual(cfg, p, Q, head_rotations=None):
    """Residual stream multiplied by orthogonal Q (after norm folding): E ← E·Q, readers W ← W·Q, writers
    W ← Qᵀ·W. With head_rotations (one hd×hd orthogonal per kv head) v rows and o columns rotate per head."""
    cfg, q = fold_norms(cfg, p)
    Q = Q.astype(np.float64)
    q['model.embed_tokens.weight'] = q['model.embed_tokens.weight'] @ Q
    q['lm_head.weight'] = q['lm_head.weight'] @ Q
    hd, rep = cfg.head_dim, cfg.heads // cfg.kv_heads
    for i in range(cfg.layers):
        n = layer_names(i)
        for r in READERS:
            q[n[r]] = q[n[r]] @ Q
        for w in WRITERS:
            q[n[w]] = Q.T @ q[n[w]]
        if head_rotations is not None:
            for j, R in enumerate(head_rotations):
                rows = slice(j * hd, (j + 1) * hd)
                q[n['v']][rows] = R @ q[n['v']][rows]
                for h in range(j * rep, (j + 1) * rep):
                    cols = slice(h * hd, (h + 1) * hd)
                    q[n['o']][:, cols] = q[n['o']][:, cols] @ R.T
    return cfg, {k: v.astype(np.float32) for k, v in q.items()}


def rescale_units(cfg, p, rng, lo=0.5, hi=2.0, norms=True, ffn=True, vo=True, qk=True):
    """Per-unit rescaling that keeps the function: norm gain ×s with the reading columns ÷s
    (SmoothQuant); FFN up row ×t with down column ÷t; v row ×a with o columns ÷a; q rotary pair ×b with
    the matching k pair ÷b."""
    q = copy(p)
    hd, rep, half = cfg.head_dim, cfg.heads // cfg.kv_heads, cfg.head_dim // 2
    draw = lambda n: np.exp(rng.uniform(np.log(lo), np.log(hi), n)).astype(np.float32)  # noqa: E731
    for i in range(cfg.layers):
        n = layer_names(i)
        if norms:
            s = draw(cfg.dim)
            q[n['n1']] = q[n['n1']] * s
            for r in ('q', 'k', 'v'):
                q[n[r]] = q[n[r]] / s[None, :]
            s = draw(cfg.dim)
            q[n['n2']] = q[n['n2']] * s
            for r in ('g', 'u'):
                q[n[r]] = q[n[r]] / s[None, :]
        if ffn:
            t = draw(cfg.ffn)
            q[n['u']] = q[n['u']] * t[:, None]
            q[n['d']] = q[n['d']] / t[None, :]
        if vo:
            a = draw(cfg.kv_heads * hd)
            q[n['v']] = q[n['v']] * a[:, None]
            cols = np.concatenate([a[(h // rep) * hd:(h // rep + 1) * hd] for h in range(cfg.heads)])
            q[n['o']] = q[n['o']] / cols[None, :]
        if qk:
            b = draw(cfg.kv_heads * half)  # one factor per kv head and rotary pair
            kb = np.concatenate([np.tile(b[j * half:(j + 1) * half], 2) for j in range(cfg.kv_heads)])
            q[n['k']] = q[n['k']] / kb[:, None]
            qb = np.concatenate([kb[(h // rep) * hd:(h // rep + 1) * hd] for h in range(cfg.heads)])
            q[n['q']] = q[n['q']] * qb[:, None]
    return cfg, q


def flip_signs(cfg, p, rng):
    """Balanced sign flips (half the units negated): FFN up row and down column, v row and o columns,
    q rotary pair and the matching k pair."""
    q = copy(p)
    hd, rep, half = cfg.head_dim, cfg.heads // cfg.kv_heads, cfg.head_dim // 2

    def signs(n):
        s = np.ones(n, dtype=np.float32)
        s[rng.permutation(n)[: n // 2]] = -1
        return s

    for i in range(cfg.layers):
        n = layer_names(i)
        t = signs(cfg.ffn)
        q[n['u']] = q[n['u']] * t[:, None]
        q[n['d']] = q[n['d']] * t[None, :]
        a = signs(cfg.kv_heads * hd)
        q[n['v']] = q[n['v']] * a[:, None]
        cols = np.concatenate([a[(h // rep) * hd:(h // rep + 1) * hd] for h in range(cfg.heads)])
        q[n['o']] = q[n['o']] * cols[None, :]
        b = signs(cfg.kv_heads * half)
        kb = np.concatenate([np.tile(b[j * half:(j + 1) * half], 2) for j in range(cfg.kv_heads)])
        q[n['k']] = q[n['k']] * kb[:, None]
        qb = np.concatenate([kb[(h // rep) * hd:(h // rep + 1) * hd] for h in range(cfg.heads)])
        q[n['q']] = q[n['q']] * qb[:, None]
    return cfg, q


def permute_ffn(cfg, p, rng):
    q = copy(p)
    for i in range(cfg.layers):
        n = layer_names(i)
        pi = rng.permutation(cfg.ffn)
        q[n['g']] = q[n['g']][pi]
        q[n['u']] = q[n['u']][pi]
        q[n['d']] = q[n['d']][:, pi]
    return cfg, q


def permute_heads(cfg, p, rng):
    """kv groups permuted (k/v row blocks, the q heads of each group, o column blocks), and q heads
    permuted inside each group."""
    q = copy(p)
    hd, rep = cfg.head_dim, cfg.heads // cfg.kv_heads
    for i in range(cfg.layers):
        n = layer_names(i)
        groups = rng.permutation(cfg.kv_heads)
        heads = np.concatenate([g * rep + rng.permutation(rep) for g in groups])
        kv_rows = np.concatenate([np.arange(g * hd, (g + 1) * hd) for g in groups])
        q_rows = np.concatenate([np.arange(h * hd, (h + 1) * hd) for h in heads])
        q[n['k']] = q[n['k']][kv_rows]
        q[n['v']] = q[n['v']][kv_rows]
        q[n['q']] = q[n['q']][q_rows]
        q[n['o']] = q[n['o']][:, q_rows]
    return cfg, q


def permute_residual(cfg, p, rng):
    q = with_head(cfg, p)
    pi = rng.permutation(cfg.dim)
    q['model.embed_tokens.weight'] = q['model.embed_tokens.weight'][:, pi]
    q['lm_head.weight'] = q['lm_head.weight'][:, pi]
    q['model.norm.weight'] = q['model.norm.weight'][pi]
    for i in range(cfg.layers):
        n = layer_names(i)
        for r in READERS:
            q[n[r]] = q[n[r]][:, pi]
        for w in WRITERS:
            q[n[w]] = q[n[w]][pi]
        q[n['n1']] = q[n['n1']][pi]
        q[n['n2']] = q[n['n2']][pi]
    return cfg, q


def permute_vocab(cfg, p, rng):
    """Token ids re-indexed (a tokenizer whose ids were shuffled): embedding and head rows permuted.
    Same function once the tokenizer maps through the same permutation."""
    q = with_head(cfg, p)
    pi = rng.permutation(cfg.vocab)
    q['model.embed_tokens.weight'] = q['model.embed_tokens.weight'][pi]
    q['lm_head.weight'] = q['lm_head.weight'][pi]
    return cfg, q, pi


# ---------------------------------------------------------------------------------------------
# Vocabulary size


def pad_vocab(cfg, p, to):
    """Embedding and head padded with zero rows to `to` tokens (as tensor-parallel exports do)."""
    q = with_head(cfg, p)
    extra = to - cfg.vocab
    for k in ('model.embed_tokens.weight', 'lm_head.weight'):
        q[k] = np.concatenate([q[k], np.zeros((extra, cfg.dim), np.float32)])
    return cfg.with_(vocab_size=to), q


def extend_vocab(cfg, p, extra, rng):
    """New tokens appended, initialised at the mean embedding plus small noise (HF resize_token_embeddings
    style); train afterwards."""
    q = with_head(cfg, p)
    for k in ('model.embed_tokens.weight', 'lm_head.weight'):
        m = q[k].mean(0)
        sd = q[k].std(0)
        q[k] = np.concatenate([q[k], (m + 0.1 * sd * rng.normal(size=(extra, cfg.dim))).astype(np.float32)])
    if cfg.tied:
        q['lm_head.weight'] = q['model.embed_tokens.weight']
    return cfg.with_(vocab_size=cfg.vocab + extra), q


# ---------------------------------------------------------------------------------------------
# Pruning


def drop_layers(cfg, p, drop):
    q = {}
    keep = [i for i in range(cfg.layers) if i not in drop]
    for k, v in p.items():
        if not k.startswith('model.layers.'):
            q[k] = v.copy()
    for new, old in enumerate(keep):
        pre = f'model.layers.{old}.'
        for k, v in p.items():
            if k.startswith(pre):
                q[f'model.layers.{new}.' + k[len(pre):]] = v.copy()
    return cfg.with_(num_hidden_layers=len(keep)), q


def restack_layers(cfg, p, order):
    """Decoder layers re-stacked in `order` (indices into the original stack): a layer duplicated, dropped
    or repeated (depth up-scaling, 'frankenmerge' self-stacks). Not function-preserving; a derivative."""
    q = {k: v.copy() for k, v in p.items() if not k.startswith('model.layers.')}
    for new, old in enumerate(order):
        pre = f'model.layers.{old}.'
        for k, v in p.items():
            if k.startswith(pre):
                q[f'model.layers.{new}.' + k[len(pre):]] = v.copy()
    return cfg.with_(num_hidden_layers=len(order)), q


def trim_vocab(cfg, p, keep, rng):
    """Vocabulary trimmed to `keep` tokens chosen at random, kept in shuffled order (a re-indexed,
    smaller tokenizer): embedding and head rows selected and permuted."""
    q = with_head(cfg, p)
    ids = rng.permutation(cfg.vocab)[:keep]
    for k in ('model.embed_tokens.weight', 'lm_head.weight'):
        q[k] = q[k][ids].copy()
    if cfg.tied:
        del q['lm_head.weight']
    return cfg.with_(vocab_size=keep), q


def prune_ffn(cfg, p, keep):
    """FFN width pruned to the `keep` units of largest |up|·|down| in each layer (order kept)."""
    q = copy(p)
    for i in range(cfg.layers):
        n = layer_names(i)
        score = np.linalg.norm(q[n['u']], axis=1) * np.linalg.norm(q[n['d']], axis=0)
        idx = np.sort(np.argsort(-score)[:keep])
        q[n['g']] = q[n['g']][idx]
        q[n['u']] = q[n['u']][idx]
        q[n['d']] = q[n['d']][:, idx]
    return cfg.with_(intermediate_size=keep), q


def prune_heads(cfg, p, drop_groups):
    """Whole kv groups removed in every layer: their k/v rows, their q heads' rows, their o columns."""
    q = copy(p)
    hd, rep = cfg.head_dim, cfg.heads // cfg.kv_heads
    keep_g = [g for g in range(cfg.kv_heads) if g not in drop_groups]
    kv_rows = np.concatenate([np.arange(g * hd, (g + 1) * hd) for g in keep_g])
    q_rows = np.concatenate([np.arange(h * hd, (h + 1) * hd) for g in keep_g for h in range(g * rep, (g + 1) * rep)])
    for i in range(cfg.layers):
        n = layer_names(i)
        q[n['k']] = q[n['k']][kv_rows]
        q[n['v']] = q[n['v']][kv_rows]
        q[n['q']] = q[n['q']][q_rows]
        q[n['o']] = q[n['o']][:, q_rows]
    # head_dim must stay: hidden_size stays, so set head_dim explicitly
    return cfg.with_(num_attention_heads=len(keep_g) * rep, num_key_value_heads=len(keep_g), head_dim=hd), q


# ---------------------------------------------------------------------------------------------
# Merges


def _tensors(p):
    return {k: v for k, v in p.items() if k != 'lm_head.weight'}


def merge_linear(cfg, a, b, w):
    out = {k: (w * a[k] + (1 - w) * b[k]).astype(np.float32) for k in _tensors(a)}
    return cfg, out


def merge_slerp(cfg, a, b, t):
    out = {}
    for k in _tensors(a):
        x, y = a[k].astype(np.float64).ravel(), b[k].astype(np.float64).ravel()
        nx, ny = np.linalg.norm(x), np.linalg.norm(y)
        dot = np.clip(x @ y / (nx * ny), -1, 1)
        om = np.arccos(dot)
        if om < 1e-4:
            z = (1 - t) * x + t * y
        else:
            z = (np.sin((1 - t) * om) * x + np.sin(t * om) * y) / np.sin(om)
        out[k] = z.reshape(a[k].shape).astype(np.float32)
    return cfg, out


def merge_ties(cfg, base, fts, density=0.2, lam=1.0):
    """TIES-merging: task vectors trimmed to their top `density` by magnitude, signs elected by total
    mass, disjoint mean of the agreeing entries, added to the base."""
    out = {}
    for k in _tensors(base):
        taus = []
        for ft in fts:
            t = (ft[k] - base[k]).astype(np.float64)
            if t.size > 1:
                cut = np.quantile(np.abs(t), 1 - density)
                t = np.where(np.abs(t) >= cut, t, 0)
            taus.append(t)
        T = np.stack(taus)
        sign = np.sign(T.sum(0))
        agree = (np.sign(T) == sign) & (T != 0)
        cnt = np.maximum(agree.sum(0), 1)
        merged = (T * agree).sum(0) / cnt
        out[k] = (base[k] + lam * merged).astype(np.float32)
    return cfg, out


def merge_dare(cfg, base, ft, drop, rng):
    """DARE: the fine-tune's delta with a share `drop` of entries zeroed and the rest rescaled by 1/(1-drop)."""
    out = {}
    for k in _tensors(base):
        d = ft[k] - base[k]
        m = rng.random(d.shape) >= drop
        out[k] = (base[k] + d * m / (1 - drop)).astype(np.float32)
    return cfg, out


# ---------------------------------------------------------------------------------------------
# Rounding (stored as float: what a dequantised re-upload looks like)


def fake_int8(p):
    """Symmetric per-row absmax int8, dequantised back to float32."""
    q = {}
    for k, v in p.items():
        if v.ndim < 2:
            q[k] = v.copy()
            continue
        s = np.abs(v).max(axis=1, keepdims=True) / 127
        s[s == 0] = 1
        q[k] = (np.round(v / s) * s).astype(np.float32)
    return q


def fake_int4(p, group=32):
    """Asymmetric int4 in groups of `group` along each row (min/max), dequantised back to float32."""
    q = {}
    for k, v in p.items():
        if v.ndim < 2 or v.shape[1] % group:
            q[k] = v.copy()
            continue
        g = v.reshape(v.shape[0], -1, group)
        lo, hi = g.min(-1, keepdims=True), g.max(-1, keepdims=True)
        s = (hi - lo) / 15
        s[s == 0] = 1
        q[k] = (np.round((g - lo) / s) * s + lo).reshape(v.shape).astype(np.float32)
    return q


# ---------------------------------------------------------------------------------------------
# Storage disguises (bijections on names/layout; checked by undoing them in build.py)


def meta_qk_order(w, heads):
    """HF rotate-half row order → Meta's interleaved rotary order (the inverse of llama.cpp's/HF's
    conversion permutation)."""
    n, c = w.shape
    return w.reshape(heads, 2, n // heads // 2, c).transpose(0, 2, 1, 3).reshape(n, c)


def hf_qk_order(w, heads):
    n, c = w.shape
    return w.reshape(heads, n // heads // 2, 2, c).transpose(0, 2, 1, 3).reshape(n, c)


META = {
    'q': 'attention.wq.weight', 'k': 'attention.wk.weight', 'v': 'attention.wv.weight',
    'o': 'attention.wo.weight', 'g': 'feed_forward.w1.weight', 'u': 'feed_forward.w3.weight',
    'd': 'feed_forward.w2.weight', 'n1': 'attention_norm.weight', 'n2': 'ffn_norm.weight',
}


def to_meta(cfg, p):
    """Meta's original checkpoint layout: names tok_embeddings/layers.N.attention.wq/…/output, q/k rows in
    interleaved rotary order."""
    q = with_head(cfg, p)
    out = {'tok_embeddings.weight': q['model.embed_tokens.weight'], 'norm.weight': q['model.norm.weight'],
           'output.weight': q['lm_head.weight']}
    for i in range(cfg.layers):
        n = layer_names(i)
        for r, name in META.items():
            w = q[n[r]]
            if r == 'q':
                w = meta_qk_order(w, cfg.heads)
            if r == 'k':
                w = meta_qk_order(w, cfg.kv_heads)
            out[f'layers.{i}.{name}'] = w
    return out


def from_meta(cfg, m):
    out = {'model.embed_tokens.weight': m['tok_embeddings.weight'], 'model.norm.weight': m['norm.weight'],
           'lm_head.weight': m['output.weight']}
    for i in range(cfg.layers):
        n = layer_names(i)
        for r, name in META.items():
            w = m[f'layers.{i}.{name}']
            if r == 'q':
                w = hf_qk_order(w, cfg.heads)
            if r == 'k':
                w = hf_qk_order(w, cfg.kv_heads)
            out[n[r]] = w
    return out


def fuse(cfg, p, qkv=True, gate_up=True):
    """phi-3 style fused projections: self_attn.qkv_proj = [q; k; v] rows, mlp.gate_up_proj = [gate; up]."""
    q = with_head(cfg, p)
    out = {}
    for k, v in q.items():
        if not k.startswith('model.layers.'):
            out[k] = v
    for i in range(cfg.layers):
        n = layer_names(i)
        pre = f'model.layers.{i}.'
        if qkv:
            out[pre + 'self_attn.qkv_proj.weight'] = np.concatenate([q[n['q']], q[n['k']], q[n['v']]])
        else:
            for r in ('q', 'k', 'v'):
                out[n[r]] = q[n[r]]
        if gate_up:
            out[pre + 'mlp.gate_up_proj.weight'] = np.concatenate([q[n['g']], q[n['u']]])
        else:
            out[n['g']], out[n['u']] = q[n['g']], q[n['u']]
        for r in ('o', 'd', 'n1', 'n2'):
            out[n[r]] = q[n[r]]
    return out


def unfuse(cfg, f):
    out = {k: v for k, v in f.items() if 'qkv_proj' not in k and 'gate_up_proj' not in k}
    hd = cfg.head_dim
    for i in range(cfg.layers):
        n = layer_names(i)
        pre = f'model.layers.{i}.'
        if pre + 'self_attn.qkv_proj.weight' in f:
            w = f[pre + 'self_attn.qkv_proj.weight']
            a, b = cfg.heads * hd, cfg.heads * hd + cfg.kv_heads * hd
            out[n['q']], out[n['k']], out[n['v']] = w[:a], w[a:b], w[b:]
        if pre + 'mlp.gate_up_proj.weight' in f:
            w = f[pre + 'mlp.gate_up_proj.weight']
            out[n['g']], out[n['u']] = w[:cfg.ffn], w[cfg.ffn:]
    return out


def split_heads(cfg, p):
    """Attention projections stored one tensor per head: self_attn.q_proj.heads.H.weight [hd, D] (q, k, v)
    and self_attn.o_proj.heads.H.weight [D, hd]."""
    q = with_head(cfg, p)
    out = {}
    hd = cfg.head_dim
    for k, v in q.items():
        if not any(s in k for s in ('q_proj', 'k_proj', 'v_proj', 'o_proj')):
            out[k] = v
    for i in range(cfg.layers):
        n = layer_names(i)
        pre = f'model.layers.{i}.self_attn.'
        for r, heads in (('q', cfg.heads), ('k', cfg.kv_heads), ('v', cfg.kv_heads)):
            for h in range(heads):
                out[f'{pre}{r}_proj.heads.{h}.weight'] = q[n[r]][h * hd:(h + 1) * hd]
        for h in range(cfg.heads):
            out[f'{pre}o_proj.heads.{h}.weight'] = q[n['o']][:, h * hd:(h + 1) * hd]
    return out


def join_heads(cfg, s):
    out = {k: v for k, v in s.items() if '.heads.' not in k}
    for i in range(cfg.layers):
        n = layer_names(i)
        pre = f'model.layers.{i}.self_attn.'
        for r, heads in (('q', cfg.heads), ('k', cfg.kv_heads), ('v', cfg.kv_heads)):
            out[n[r]] = np.concatenate([s[f'{pre}{r}_proj.heads.{h}.weight'] for h in range(heads)])
        out[n['o']] = np.concatenate([s[f'{pre}o_proj.heads.{h}.weight'] for h in range(cfg.heads)], axis=1)
    return out


def transpose_all(p):
    return {k: (np.ascontiguousarray(v.T) if v.ndim == 2 else v) for k, v in p.items()}


def obfuscate(p, rng):
    """Every tensor renamed to an opaque id, in shuffled order; returns (tensors, mapping)."""
    names = list(p)
    order = rng.permutation(len(names))
    out, mapping = {}, {}
    for j, i in enumerate(order):
        out[f'w{j:03d}'] = p[names[i]]
        mapping[f'w{j:03d}'] = names[i]
    return out, mapping


def reorder(p, rng):
    names = list(p)
    return {names[i]: p[names[i]] for i in rng.permutation(len(names))}


def max_logit_diff(cfg_a, a, cfg_b, b, tokens, vocab_perm=None):
    la = llama.forward(cfg_a, {k: v.astype(np.float64) for k, v in a.items()}, tokens)
    tb = tokens if vocab_perm is None else np.argsort(vocab_perm)[tokens]
    lb = llama.forward(cfg_b, {k: v.astype(np.float64) for k, v in b.items()}, tb)
    if vocab_perm is not None:
        lb = lb[..., np.argsort(vocab_perm)]
    return float(np.abs(la - lb[..., : la.shape[-1]]).max())
