"""Checks the adversary trainer (llama.py): its analytic gradient against central finite differences
on a tiny llama (GQA, RoPE, SwiGLU; tied and untied head) in float64, that the check catches a
gradient that is slightly wrong, and that AdamW steps lower the loss. Prints one JSON object.

  python3 scripts/adversary/gradcheck.py
"""

import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import llama  # noqa: E402


def worst_error(cfg, p, x, y, grads, rng, per_tensor=4, h=1e-6):
    """Worst |analytic − numeric| / (1e-7 + 1e-4·|numeric|) over a few coordinates of every tensor
    (≤ 1 passes)."""
    worst = 0.0
    for k in p:
        for _ in range(per_tensor):
            idx = tuple(int(rng.integers(0, s)) for s in p[k].shape)
            old = p[k][idx]
            p[k][idx] = old + h
            up = llama.mean_loss(cfg, p, x, y)
            p[k][idx] = old - h
            down = llama.mean_loss(cfg, p, x, y)
            p[k][idx] = old
            num = (up - down) / (2 * h)
            worst = max(worst, abs(grads[k][idx] - num) / (1e-7 + 1e-4 * abs(num)))
    return worst


def main():
    rng = np.random.default_rng(0)
    base = dict(hidden_size=16, intermediate_size=24, num_hidden_layers=2, num_attention_heads=4,
                num_key_value_heads=2, vocab_size=13)
    out = {}
    for tied in (True, False):
        cfg = llama.Config({**base, 'tie_word_embeddings': tied})
        p = {k: v.astype(np.float64) for k, v in llama.init_params(cfg, 3).items()}
        for k in p:  # larger weights and non-unit gains: every term of the gradient matters
            p[k] = p[k] * 20 if p[k].ndim == 2 else p[k] + rng.normal(0, 0.3, p[k].shape)
        x = rng.integers(0, 13, (2, 9))
        y = rng.integers(0, 13, (2, 9))
        _, g = llama.loss_and_grad(cfg, p, x, y)
        out['tied' if tied else 'untied'] = worst_error(cfg, p, x, y, g, np.random.default_rng(1))
        if tied:
            # the check has teeth: a gradient off by 1 % in one tensor fails it
            bad = {k: v.copy() for k, v in g.items()}
            bad['model.layers.1.self_attn.k_proj.weight'] *= 1.01
            out['corrupted'] = worst_error(cfg, p, x, y, bad, np.random.default_rng(1), per_tensor=16)
    # training is real: a short repeated text is learned
    cfg = llama.Config({**base, 'tie_word_embeddings': True})
    params = llama.init_params(cfg, 5)
    data = np.tile(np.array([1, 4, 7, 2, 9, 4, 11, 3, 5, 8, 6, 12, 10, 0]), 40)
    stats = llama.train(cfg, params, data, steps=60, seed=1, lr=1e-2, batch=4, seq=16, warmup=5,
                        eval_batches=llama.eval_batches(data, n=2, batch=4, seq=16))
    out['loss_before'] = stats['heldout_before']
    out['loss_after'] = stats['heldout_after']
    print(json.dumps(out))


if __name__ == '__main__':
    main()
