#!/usr/bin/env python3
"""
The numpy peer of `weightprint fingerprint` (full mode), written the way such scripts are written
today: read the safetensors header, then stream each tensor in chunks through hashlib.sha256,
np.bincount of the bf16 bit patterns, and float64 moments; take the same deterministic coordinate
sample and the same structure score. One process, no multiprocessing — plain numpy (whose BLAS
may spin extra threads in np.dot: that shows as CPU time, not as speed; OPENBLAS_NUM_THREADS=1
gives the same wall time).

It computes the same per-tensor fields as weightprint (sha256, valueDigest, distinct, moments,
sample, fullRows of embedding-like matrices, traits.structured), so the benchmark can check that
the two agree before comparing their speed.

    python3 scripts/bench/numpy_fingerprint.py model.safetensors [-o out.json] [--k 4096] [--seed N]

Supports the dtypes a benchmark model uses: BF16, F16 and F32.
"""
import argparse
import base64
import hashlib
import json
import re
import math
import struct
import sys

import numpy as np

CHUNK = 8 * 1024 * 1024  # bytes per read, as weightprint
STRUCTURE_PREFIX = 65536
DEFAULT_K = 4096
DEFAULT_SEED = 0x5EED2026
M32 = 0xFFFFFFFF


def imul(a, b):
    return (a * b) & M32


def hash32(seed, tag, index):
    """weightprint's sample hash (fingerprint/sample.ts), vectorised over `index` (uint64 array)."""
    idx = index.astype(np.uint64)
    c = (seed ^ imul(tag + 0x9E3779B9, 0x85EBCA6B)) & M32
    h = (np.uint64(c) ^ ((idx * np.uint64(0xCC9E2D51)) & np.uint64(M32))) & np.uint64(M32)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & np.uint64(M32)
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & np.uint64(M32)
    h ^= h >> np.uint64(16)
    h = ((h ^ (idx >> np.uint64(16))) * np.uint64(0x27D4EB2D)) & np.uint64(M32)
    h ^= h >> np.uint64(15)
    return h


def pick_axis(length, target, seed):
    if target >= length:
        return np.arange(length, dtype=np.int64)
    threshold = (target / length) * 4294967296.0
    h = hash32(seed, 1, np.arange(length, dtype=np.uint64)).astype(np.float64)
    picked = np.nonzero(h < threshold)[0]
    if picked.size == 0:
        picked = np.array([int(np.argmin(h))])
    return picked.astype(np.int64)


RUNS_ABOVE = 2**18  # schema 2: tensors above this many elements are sampled in runs
RUN_ROWS = 3


def grid_plan(shape, k, seed):
    if len(shape) == 0:
        R, C = 1, 1
    elif len(shape) == 1:
        R, C = 1, shape[0]
    else:
        R, C = shape[0], int(np.prod(shape[1:], dtype=np.int64))
    # a grid wider than tall: sqrt(K)/2 rows x 2 sqrt(K) columns (fingerprint/sample.ts)
    row_target = max(1, math.ceil(math.sqrt(k) / 2))
    col_target = math.ceil(k / row_target)
    tr, tc = min(R, row_target), min(C, col_target)
    if C < col_target:
        tr = min(R, math.ceil(k / max(C, 1)))
    if R < row_target:
        tc = min(C, math.ceil(k / max(R, 1)))
    if R == 0 or C == 0:
        return R, C, np.zeros(0, np.int64), np.zeros(0, np.int64)
    return R, C, pick_axis(R, tr, seed), pick_axis(C, tc, seed)


def plan_sample(shape, k, seed):
    """weightprint's schema 2 layout: the grid up to RUNS_ABOVE elements, runs above."""
    R, C, rows, cols = grid_plan(shape, k, seed)
    if R * C <= RUNS_ABOVE or R == 0 or C == 0:
        return R, C, rows, cols
    # runs: rows 0 and R-1 and the rows of smallest (hash, index) among the others, each a run of
    # its first ceil(k/3) columns
    L = min(C, max(1, math.ceil(k / RUN_ROWS)))
    m = min(R, max(RUN_ROWS, math.ceil(k / C)))
    ends = [0, R - 1] if R > 1 else [0]
    inner = np.arange(1, max(1, R - 1), dtype=np.int64)
    count = m - len(ends)
    picked = []
    if count > 0 and inner.size:
        h = hash32(seed, 1, inner.astype(np.uint64)).astype(np.int64)
        order = np.lexsort((inner, h))
        picked = inner[order[:count]].tolist()
    rows = np.array(sorted(ends + picked), dtype=np.int64)
    return R, C, rows, np.arange(L, dtype=np.int64)


def quantize(values):
    """weightprint's int8 sample encoding; sequential sums (cumsum) so the result matches exactly."""
    v = values.astype(np.float64)
    fin = v[np.isfinite(v)]
    n = fin.size
    center = float(np.cumsum(fin)[-1]) / n if n else 0.0
    d = fin - center
    ss = float(np.cumsum(d * d)[-1]) if n else 0.0
    max_dev = float(np.max(np.abs(d))) if n else 0.0
    sd = math.sqrt(ss / n) if n > 1 else 0.0
    span = min(max_dev, 8 * sd)
    scale = span / 127 if span > 0 else 0.0
    q = np.zeros(v.size, np.int8)
    if scale > 0:
        ok = np.isfinite(v)
        x = np.floor((v[ok] - center) / scale + 0.5)  # Math.round: halves round up
        q[ok] = np.clip(x, -127, 127).astype(np.int8)
    return float(np.float32(center)), float(np.float32(scale)), base64.b64encode(q.tobytes()).decode()


def structure_score(prefix, shape):
    L = shape[-1] if shape else 0
    if L < 8 or prefix.size < L:
        return None
    rows = prefix[: (prefix.size // L) * L].astype(np.float64).reshape(-1, L)
    rows = rows - rows.mean(axis=1, keepdims=True)
    a = rows[:, 1:-1]
    s = rows[:, :-2] + rows[:, 2:]
    saa = (a * a).sum(axis=1)
    sab = (a * s).sum(axis=1)
    sbb = (s * s).sum(axis=1)
    keep = sbb > 0
    if not keep.any():
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        resid = sbb - np.where(saa > 0, sab * sab / np.where(saa > 0, saa, 1), 0)
    resid, total = float(resid[keep].sum()), float(sbb[keep].sum())
    return max(0.0, 1 - resid / total) if total > 0 else None


def value_digest(counts):
    """SHA-256 over (uint16 LE bf16 key, uint64 LE count) of the non-empty bins, −0 → +0, NaNs as one."""
    c = counts.astype(np.uint64).copy()
    c[0] += c[0x8000]
    c[0x8000] = 0
    nan = c[0x7F81:0x8000].sum() + c[0xFF81:0x10000].sum()
    c[0x7F81:0x8000] = 0
    c[0xFF81:0x10000] = 0
    c[0x7FC0] = nan
    keys = np.nonzero(c)[0]
    rec = np.zeros(keys.size, dtype=[("k", "<u2"), ("c", "<u8")])
    rec["k"] = keys
    rec["c"] = c[keys]
    return hashlib.sha256(rec.tobytes()).hexdigest(), int(keys.size)


FULL_ROWS_NAME = re.compile(
    r"(?:^|[._/])(?:embed_tokens|wte|word_embeddings|tok_embeddings|embed_in|token_embedding|lm_head|embed_out)(?:[._/]|$)|^output\.weight$"
)


def wants_full_rows(name, shape):
    """Embedding-like matrices keep their sampled rows in full (weightprint's fullRows)."""
    return len(shape) == 2 and shape[0] >= shape[1] and 16 <= shape[1] <= 16384 and FULL_ROWS_NAME.search(name) is not None


def to_float32(raw, dtype):
    if dtype == "BF16":
        return (raw.astype(np.uint32) << 16).view(np.float32)
    if dtype == "F16":
        return raw.view(np.float16).astype(np.float32)
    return raw.view(np.float32)


def fingerprint_tensor(f, base, name, info, k, seed, buf):
    dtype, shape = info["dtype"], info["shape"]
    begin, end = info["data_offsets"]
    es = {"BF16": 2, "F16": 2, "F32": 4}.get(dtype)
    if es is None:
        raise SystemExit(f"{name}: dtype {dtype} not supported by this script")
    numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
    R, C, rows, cols = plan_sample(shape, k, seed)
    flat = (rows[:, None] * C + cols[None, :]).ravel()
    sample = np.zeros(flat.size, np.float32)
    full = wants_full_rows(name, shape)
    grid_rows = grid_plan(shape, k, seed)[2]  # full rows follow the grid's rows in every layout
    row_flat = (grid_rows[:, None] * C + np.arange(C)[None, :]).ravel() if full else np.zeros(0, np.int64)
    row_vals = np.zeros(row_flat.size, np.float32)
    prefix = np.zeros(min(numel, STRUCTURE_PREFIX), np.float32)

    sha = hashlib.sha256()
    counts = np.zeros(65536, np.int64)
    s1 = s2 = sa = 0.0
    n = bad = 0
    mn, mx = math.inf, -math.inf
    f.seek(base + begin)
    left = end - begin
    elem = 0
    while left > 0:
        want = min(CHUNK, left)
        mv = memoryview(buf)[:want]
        got = f.readinto(mv)
        if got != want:
            raise SystemExit(f"{name}: file truncated")
        sha.update(mv)
        raw = np.frombuffer(buf, dtype="<u2" if es == 2 else "<u4", count=want // es)
        x = to_float32(raw, dtype)
        if dtype == "BF16":
            counts += np.bincount(raw, minlength=65536)
        else:
            b = x.view(np.uint32)
            key = ((b + np.uint32(0x7FFF) + ((b >> np.uint32(16)) & np.uint32(1))) >> np.uint32(16)) & np.uint32(0xFFFF)
            counts += np.bincount(key, minlength=65536)
        x64 = x.astype(np.float64)
        ok = np.isfinite(x64)
        if not ok.all():
            bad += int(x64.size - ok.sum())
            x64 = x64[ok]
        if x64.size:
            s1 += float(x64.sum())
            s2 += float(np.dot(x64, x64))
            sa += float(np.abs(x64).sum())
            mn = min(mn, float(x64.min()))
            mx = max(mx, float(x64.max()))
            n += x64.size
        # coordinate sample and structure prefix from this chunk
        count = raw.size
        lo, hi = np.searchsorted(flat, [elem, elem + count])
        if hi > lo:
            sample[lo:hi] = x[flat[lo:hi] - elem]
        if full:
            lo, hi = np.searchsorted(row_flat, [elem, elem + count])
            row_vals[lo:hi] = x[row_flat[lo:hi] - elem]
        if elem < prefix.size:
            take = min(prefix.size - elem, count)
            prefix[elem : elem + take] = x[:take]
        elem += count
        left -= want

    mean = s1 / n if n else 0.0
    fp = {
        "name": name,
        "dtype": dtype,
        "shape": shape,
        "bytes": end - begin,
        "sha256": sha.hexdigest(),
    }
    digest, distinct = value_digest(counts)
    fp["valueDigest"] = digest
    fp["moments"] = {
        "mean": mean,
        "std": math.sqrt(max(0.0, s2 / n - mean * mean)) if n else 0.0,
        "meanAbs": sa / n if n else 0.0,
        "min": mn if n else 0.0,
        "max": mx if n else 0.0,
        "l2": math.sqrt(s2) if n else 0.0,
        "nonFinite": bad,
        "exact": True,
    }
    traits = {"distinct": distinct}
    st = structure_score(prefix, shape)
    if st is not None:
        traits["structured"] = st
    fp["traits"] = traits
    center, scale, q = quantize(sample)
    fp["sample"] = {"rows": int(rows.size), "cols": int(cols.size), "center": center, "scale": scale, "q": q}
    if full:
        center, scale, q = quantize(row_vals)
        fp["fullRows"] = {"rows": int(grid_rows.size), "cols": int(C), "center": center, "scale": scale, "q": q}
    return fp


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("-o", "--output")
    ap.add_argument("--k", type=int, default=DEFAULT_K)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args()
    buf = bytearray(CHUNK)
    with open(args.file, "rb", buffering=0) as f:
        (hlen,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(hlen))
        base = 8 + hlen
        header.pop("__metadata__", None)
        tensors = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
        fps = [fingerprint_tensor(f, base, name, info, args.k, args.seed, buf) for name, info in tensors]
    doc = {"tool": "numpy " + np.__version__, "tensors": fps}
    text = json.dumps(doc)
    if args.output:
        with open(args.output, "w") as out:
            out.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
