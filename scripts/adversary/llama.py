"""A small, exact llama2.c / Hugging Face Llama model in numpy: safetensors I/O, forward pass, backward
pass, AdamW. Used by the adversary harness to train real weights further (and from scratch), and to
check that function-preserving disguises really preserve the function.

Layout is Hugging Face's: model.embed_tokens.weight [V, D]; per layer self_attn.{q,k,v,o}_proj.weight
(q/k rows in HF's rotate-half RoPE order), mlp.{gate,up,down}_proj.weight, input_layernorm.weight,
post_attention_layernorm.weight; model.norm.weight; lm_head.weight (tied: a copy of the embedding,
trained as one parameter).
"""

from __future__ import annotations

import json
import os
import struct

import numpy as np

# ---------------------------------------------------------------------------------------------
# safetensors I/O (F32/F16/BF16 read; F32/F16/BF16 write)

_DT = {'F32': np.float32, 'F16': np.float16, 'F64': np.float64}


def read_safetensors(path: str) -> dict[str, np.ndarray]:
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == '__metadata__':
            continue
        a, b = meta['data_offsets']
        raw = data[a:b]
        if meta['dtype'] == 'BF16':
            u = np.frombuffer(raw, dtype='<u2').astype(np.uint32) << 16
            arr = u.view(np.float32)
        else:
            arr = np.frombuffer(raw, dtype=np.dtype(_DT[meta['dtype']]).newbyteorder('<'))
        out[name] = arr.astype(np.float32).reshape(meta['shape'])
    return out


def _to_bf16_bytes(a: np.ndarray) -> bytes:
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16  # round to nearest even
    return rounded.astype('<u2').tobytes()


def write_safetensors(path: str, tensors: dict[str, np.ndarray], dtype: str = 'F32', metadata=None) -> None:
    header: dict = {}
    blobs = []
    offset = 0
    for name, arr in tensors.items():
        arr = np.asarray(arr)
        if dtype == 'BF16':
            raw = _to_bf16_bytes(arr)
        else:
            raw = np.ascontiguousarray(arr, dtype=np.dtype(_DT[dtype]).newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(arr.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    if metadata:
        header['__metadata__'] = metadata
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# Config and parameters


class Config:
    def __init__(self, d: dict):
        self.raw = dict(d)
        self.dim = d['hidden_size']
        self.ffn = d['intermediate_size']
        self.layers = d['num_hidden_layers']
        self.heads = d['num_attention_heads']
        self.kv_heads = d.get('num_key_value_heads', self.heads)
        self.vocab = d['vocab_size']
        self.eps = d.get('rms_norm_eps', 1e-5)
        self.theta = d.get('rope_theta', 10000.0)
        self.tied = d.get('tie_word_embeddings', True)
        self.head_dim = d.get('head_dim', self.dim // self.heads)

    def with_(self, **kw) -> 'Config':
        d = dict(self.raw)
        d.update(kw)
        return Config(d)


def load_model(folder: str) -> tuple[Config, dict[str, np.ndarray]]:
    with open(os.path.join(folder, 'config.json')) as f:
        cfg = Config(json.load(f))
    return cfg, read_safetensors(os.path.join(folder, 'model.safetensors'))


def save_model(folder: str, cfg: Config, params: dict[str, np.ndarray], dtype='F32', metadata=None) -> str:
    os.makedirs(folder, exist_ok=True)
    out = dict(params)
    if cfg.tied and 'lm_head.weight' not in out:
        out['lm_head.weight'] = out['model.embed_tokens.weight']
    write_safetensors(os.path.join(folder, 'model.safetensors'), out, dtype, metadata)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg.raw, f, indent=1)
    return folder


def trainable(cfg: Config, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The parameters that are trained: a tied head is the embedding (one parameter)."""
    p = {k: np.array(v, dtype=np.float32) for k, v in params.items()}
    if cfg.tied:
        p.pop('lm_head.weight', None)
    return p


def layer_names(i: int) -> dict[str, str]:
    pre = f'model.layers.{i}.'
    return {
        'q': pre + 'self_attn.q_proj.weight',
        'k': pre + 'self_attn.k_proj.weight',
        'v': pre + 'self_attn.v_proj.weight',
        'o': pre + 'self_attn.o_proj.weight',
        'g': pre + 'mlp.gate_proj.weight',
        'u': pre + 'mlp.up_proj.weight',
        'd': pre + 'mlp.down_proj.weight',
        'n1': pre + 'input_layernorm.weight',
        'n2': pre + 'post_attention_layernorm.weight',
    }


def init_params(cfg: Config, seed: int) -> dict[str, np.ndarray]:
    """llama2.c's initialisation: every matrix N(0, 0.02), the residual writers (wo, w2 = o/down) scaled
    by 1/sqrt(2·layers); norm gains 1. Drawn in file order from one generator: the same seed gives the
    same weights bit for bit (the default-seed trap)."""
    rng = np.random.default_rng(seed)
    d, f, hd = cfg.dim, cfg.ffn, cfg.head_dim
    p = {'model.embed_tokens.weight': rng.normal(0, 0.02, (cfg.vocab, d))}
    small = 0.02 / np.sqrt(2 * cfg.layers)
    for i in range(cfg.layers):
        n = layer_names(i)
        p[n['q']] = rng.normal(0, 0.02, (cfg.heads * hd, d))
        p[n['k']] = rng.normal(0, 0.02, (cfg.kv_heads * hd, d))
        p[n['v']] = rng.normal(0, 0.02, (cfg.kv_heads * hd, d))
        p[n['o']] = rng.normal(0, small, (d, cfg.heads * hd))
        p[n['g']] = rng.normal(0, 0.02, (f, d))
        p[n['u']] = rng.normal(0, 0.02, (f, d))
        p[n['d']] = rng.normal(0, small, (d, f))
        p[n['n1']] = np.ones(d)
        p[n['n2']] = np.ones(d)
    p['model.norm.weight'] = np.ones(d)
    if not cfg.tied:
        p['lm_head.weight'] = rng.normal(0, 0.02, (cfg.vocab, d))
    return {k: v.astype(np.float32) for k, v in p.items()}


# ---------------------------------------------------------------------------------------------
# Forward and backward


def rope_tables(cfg: Config, t: int, dtype=np.float32):
    hd = cfg.head_dim
    inv = 1.0 / (cfg.theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
    ang = np.outer(np.arange(t, dtype=np.float64), inv)  # [T, hd/2]
    ang = np.concatenate([ang, ang], axis=1)  # HF rotate-half: pairs (i, i + hd/2)
    return np.cos(ang).astype(dtype), np.sin(ang).astype(dtype)


def _rot(x):
    h = x.shape[-1] // 2
    return np.concatenate([-x[..., h:], x[..., :h]], axis=-1)


def _rot_t(x):
    h = x.shape[-1] // 2
    return np.concatenate([x[..., h:], -x[..., :h]], axis=-1)


def _rms(x, g, eps):
    r = 1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps)
    return x * r * g, r


def _rms_back(dy, x, g, r):
    # y = x·r·g with r = (mean(x²)+eps)^-½
    xhat = x * r
    dg = np.sum(dy * xhat, axis=tuple(range(dy.ndim - 1)))
    dxhat = dy * g
    dx = r * (dxhat - xhat * np.mean(dxhat * xhat, axis=-1, keepdims=True))
    return dx, dg


def forward(cfg: Config, p: dict[str, np.ndarray], tokens: np.ndarray, keep=False):
    """Logits [B, T, V] for token ids [B, T]; with keep=True also the activations backward() needs."""
    B, T = tokens.shape
    H, KV, hd = cfg.heads, cfg.kv_heads, cfg.head_dim
    rep = H // KV
    dt = p['model.embed_tokens.weight'].dtype
    cos, sin = rope_tables(cfg, T, dt)
    mask = np.triu(np.full((T, T), -np.inf, dtype=dt), 1)
    x = p['model.embed_tokens.weight'][tokens]
    cache = []
    for i in range(cfg.layers):
        n = layer_names(i)
        h1, r1 = _rms(x, p[n['n1']], cfg.eps)
        q = (h1 @ p[n['q']].T).reshape(B, T, H, hd).transpose(0, 2, 1, 3)
        k = (h1 @ p[n['k']].T).reshape(B, T, KV, hd).transpose(0, 2, 1, 3)
        v = (h1 @ p[n['v']].T).reshape(B, T, KV, hd).transpose(0, 2, 1, 3)
        qr = q * cos + _rot(q) * sin
        kr = k * cos + _rot(k) * sin
        krep = np.repeat(kr, rep, axis=1)
        vrep = np.repeat(v, rep, axis=1)
        s = qr @ krep.transpose(0, 1, 3, 2) / np.sqrt(hd) + mask
        s = s - s.max(-1, keepdims=True)
        a = np.exp(s)
        a /= a.sum(-1, keepdims=True)
        o = (a @ vrep).transpose(0, 2, 1, 3).reshape(B, T, H * hd)
        x1 = x + o @ p[n['o']].T
        h2, r2 = _rms(x1, p[n['n2']], cfg.eps)
        ga = h2 @ p[n['g']].T
        ua = h2 @ p[n['u']].T
        sg = 1.0 / (1.0 + np.exp(-ga))
        m = ga * sg * ua
        x2 = x1 + m @ p[n['d']].T
        if keep:
            cache.append((x, h1, r1, qr, krep, vrep, a, o, x1, h2, r2, ga, ua, sg, m))
        x = x2
    hn, rn = _rms(x, p['model.norm.weight'], cfg.eps)
    head = p['lm_head.weight'] if 'lm_head.weight' in p and not cfg.tied else p['model.embed_tokens.weight']
    logits = hn @ head.T
    if keep:
        return logits, (tokens, cache, x, hn, rn, cos, sin)
    return logits


def loss_and_grad(cfg: Config, p: dict[str, np.ndarray], tokens: np.ndarray, targets: np.ndarray):
    """Mean cross-entropy of next-token prediction and its gradient w.r.t. every trained parameter."""
    logits, (tok, cache, xf, hn, rn, cos, sin) = forward(cfg, p, tokens, keep=True)
    B, T, V = logits.shape
    H, KV, hd = cfg.heads, cfg.kv_heads, cfg.head_dim
    rep = H // KV
    z = logits - logits.max(-1, keepdims=True)
    lse = np.log(np.exp(z).sum(-1, keepdims=True))
    logp = z - lse
    n_tok = B * T
    loss = -np.take_along_axis(logp, targets[..., None], -1).sum() / n_tok
    dlogits = np.exp(logp)
    np.put_along_axis(dlogits, targets[..., None], np.take_along_axis(dlogits, targets[..., None], -1) - 1, -1)
    dlogits /= n_tok
    g = {k: np.zeros_like(v) for k, v in p.items()}
    tied = cfg.tied or 'lm_head.weight' not in p
    head = p['model.embed_tokens.weight'] if tied else p['lm_head.weight']
    dhead = dlogits.reshape(-1, V).T @ hn.reshape(-1, cfg.dim)
    if tied:
        g['model.embed_tokens.weight'] += dhead
    else:
        g['lm_head.weight'] += dhead
    dhn = dlogits @ head
    dx, dgn = _rms_back(dhn, xf, p['model.norm.weight'], rn)
    g['model.norm.weight'] += dgn
    for i in reversed(range(cfg.layers)):
        n = layer_names(i)
        (x0, h1, r1, qr, krep, vrep, a, o, x1, h2, r2, ga, ua, sg, m) = cache[i]
        # MLP
        dm = dx @ p[n['d']]
        g[n['d']] += dx.reshape(-1, cfg.dim).T @ m.reshape(-1, cfg.ffn)
        silu = ga * sg
        dua = dm * silu
        dga = dm * ua * (sg * (1 + ga * (1 - sg)))
        g[n['u']] += dua.reshape(-1, cfg.ffn).T @ h2.reshape(-1, cfg.dim)
        g[n['g']] += dga.reshape(-1, cfg.ffn).T @ h2.reshape(-1, cfg.dim)
        dh2 = dua @ p[n['u']] + dga @ p[n['g']]
        dx1_n, dg2 = _rms_back(dh2, x1, p[n['n2']], r2)
        g[n['n2']] += dg2
        dx1 = dx + dx1_n
        # attention
        do = dx1 @ p[n['o']]
        g[n['o']] += dx1.reshape(-1, cfg.dim).T @ o.reshape(-1, H * hd)
        do = do.reshape(B, T, H, hd).transpose(0, 2, 1, 3)
        da = do @ vrep.transpose(0, 1, 3, 2)
        dvrep = a.transpose(0, 1, 3, 2) @ do
        ds = a * (da - (da * a).sum(-1, keepdims=True)) / np.sqrt(hd)
        dqr = ds @ krep
        dkrep = ds.transpose(0, 1, 3, 2) @ qr
        dkr = dkrep.reshape(B, KV, rep, T, hd).sum(2)
        dv = dvrep.reshape(B, KV, rep, T, hd).sum(2)
        dq = dqr * cos + _rot_t(dqr * sin)
        dk = dkr * cos + _rot_t(dkr * sin)
        dq = dq.transpose(0, 2, 1, 3).reshape(B * T, H * hd)
        dk = dk.transpose(0, 2, 1, 3).reshape(B * T, KV * hd)
        dv = dv.transpose(0, 2, 1, 3).reshape(B * T, KV * hd)
        h1f = h1.reshape(-1, cfg.dim)
        g[n['q']] += dq.T @ h1f
        g[n['k']] += dk.T @ h1f
        g[n['v']] += dv.T @ h1f
        dh1 = (dq @ p[n['q']] + dk @ p[n['k']] + dv @ p[n['v']]).reshape(B, T, cfg.dim)
        dx0_n, dg1 = _rms_back(dh1, x0, p[n['n1']], r1)
        g[n['n1']] += dg1
        dx = dx1 + dx0_n
    np.add.at(g['model.embed_tokens.weight'], tok.reshape(-1), dx.reshape(-1, cfg.dim))
    return float(loss), g


def mean_loss(cfg: Config, p, tokens, targets) -> float:
    logits = forward(cfg, p, tokens)
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return float(-np.take_along_axis(logp, targets[..., None], -1).mean())


# ---------------------------------------------------------------------------------------------
# AdamW


class AdamW:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1):
        self.lr, self.b1, self.b2, self.eps, self.wd = lr, betas[0], betas[1], eps, weight_decay
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params, grads, lr=None):
        lr = self.lr if lr is None else lr
        self.t += 1
        c1 = 1 - self.b1**self.t
        c2 = 1 - self.b2**self.t
        for k, w in params.items():
            gk = grads[k]
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * gk
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * gk * gk
            if w.ndim >= 2:  # llama2.c decays matrices only
                w *= 1 - lr * self.wd
            w -= lr * (self.m[k] / c1) / (np.sqrt(self.v[k] / c2) + self.eps)


def clip_grads(grads, max_norm=1.0):
    total = np.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total


def train(cfg: Config, params, data: np.ndarray, steps: int, seed: int, lr=1e-3, batch=8, seq=128,
          warmup=20, weight_decay=0.1, log=None, eval_batches=None):
    """Trains `params` (a dict, updated in place) on the token stream `data` for `steps` AdamW steps
    with cosine decay; batches are random windows drawn by `seed` (the data order). Returns the
    losses (first and last few) and held-out losses before and after when `eval_batches` is given."""
    p = trainable(cfg, params)
    opt = AdamW(p, lr=lr, weight_decay=weight_decay)
    rng = np.random.default_rng(seed)
    losses = []
    before = None
    if eval_batches is not None:
        before = np.mean([mean_loss(cfg, p, x, y) for x, y in eval_batches])
    for step in range(steps):
        starts = rng.integers(0, len(data) - seq - 1, batch)
        x = np.stack([data[s:s + seq] for s in starts])
        y = np.stack([data[s + 1:s + seq + 1] for s in starts])
        loss, g = loss_and_grad(cfg, p, x, y)
        clip_grads(g, 1.0)
        if step < warmup:
            cur = lr * (step + 1) / warmup
        else:
            cur = lr * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * (step - warmup) / max(1, steps - warmup))))
        opt.step(p, g, cur)
        losses.append(loss)
        if log and (step % 50 == 0 or step == steps - 1):
            log(f'    step {step:4d}  loss {loss:.3f}')
    after = None
    if eval_batches is not None:
        after = np.mean([mean_loss(cfg, p, x, y) for x, y in eval_batches])
    params.clear()
    params.update(p)
    if cfg.tied:
        params['lm_head.weight'] = params['model.embed_tokens.weight']
    return {'first': float(np.mean(losses[:10])), 'last': float(np.mean(losses[-10:])),
            'heldout_before': None if before is None else float(before),
            'heldout_after': None if after is None else float(after)}


def eval_batches(data: np.ndarray, n=4, batch=8, seq=128, seed=999):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        starts = rng.integers(0, len(data) - seq - 1, batch)
        out.append((np.stack([data[s:s + seq] for s in starts]), np.stack([data[s + 1:s + seq + 1] for s in starts])))
    return out


# ---------------------------------------------------------------------------------------------
# Sampling (to make a corpus from a real model's own output)


def sample(cfg: Config, p, n_seq: int, length: int, seed: int, temperature=1.0, bos=1) -> np.ndarray:
    """`n_seq` sequences of `length` tokens, each starting at BOS, sampled with a KV cache: [n_seq, length]."""
    rng = np.random.default_rng(seed)
    H, KV, hd = cfg.heads, cfg.kv_heads, cfg.head_dim
    rep = H // KV
    cos, sin = rope_tables(cfg, length, np.float64)
    ks = [np.zeros((n_seq, KV, length, hd)) for _ in range(cfg.layers)]
    vs = [np.zeros((n_seq, KV, length, hd)) for _ in range(cfg.layers)]
    toks = np.full((n_seq, length), bos, dtype=np.int64)
    emb = p['model.embed_tokens.weight'].astype(np.float64)
    head = emb if cfg.tied or 'lm_head.weight' not in p else p['lm_head.weight'].astype(np.float64)
    P = {k: v.astype(np.float64) for k, v in p.items()}
    for t in range(length - 1):
        x = emb[toks[:, t]]
        c, s_ = cos[t], sin[t]
        for i in range(cfg.layers):
            n = layer_names(i)
            h1, _ = _rms(x, P[n['n1']], cfg.eps)
            q = (h1 @ P[n['q']].T).reshape(n_seq, H, hd)
            k = (h1 @ P[n['k']].T).reshape(n_seq, KV, hd)
            v = (h1 @ P[n['v']].T).reshape(n_seq, KV, hd)
            q = q * c + _rot(q) * s_
            k = k * c + _rot(k) * s_
            ks[i][:, :, t] = k
            vs[i][:, :, t] = v
            kk = np.repeat(ks[i][:, :, :t + 1], rep, axis=1)
            vv = np.repeat(vs[i][:, :, :t + 1], rep, axis=1)
            sc = np.einsum('bhd,bhtd->bht', q, kk) / np.sqrt(hd)
            sc -= sc.max(-1, keepdims=True)
            a = np.exp(sc)
            a /= a.sum(-1, keepdims=True)
            o = np.einsum('bht,bhtd->bhd', a, vv).reshape(n_seq, H * hd)
            x = x + o @ P[n['o']].T
            h2, _ = _rms(x, P[n['n2']], cfg.eps)
            ga = h2 @ P[n['g']].T
            x = x + (ga / (1 + np.exp(-ga)) * (h2 @ P[n['u']].T)) @ P[n['d']].T
        hn, _ = _rms(x, P['model.norm.weight'], cfg.eps)
        logits = hn @ head.T
        if temperature == 0:
            nxt = logits.argmax(-1)
        else:
            logits = logits / temperature
            logits -= logits.max(-1, keepdims=True)
            pr = np.exp(logits)
            pr /= pr.sum(-1, keepdims=True)
            nxt = np.minimum((pr.cumsum(-1) < rng.random((n_seq, 1))).sum(-1), cfg.vocab - 1)
        toks[:, t + 1] = nxt
    return toks
