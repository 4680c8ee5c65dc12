"""Token streams for the adversary harness: a real model's own samples (its training distribution), and
English prose from the README files installed under node_modules (a domain shift for fine-tunes),
tokenized with the real llama2.c piece lists in ../shared/realmodels/llama2c/tokenizers."""

from __future__ import annotations

import glob
import json
import os
import re

import numpy as np

import llama

TOKENIZERS = {
    'tok512': 'tok512_pieces.json',
    'tok361': 'EN10_tok361_pieces_inferred.json',
    'tok105': 'EN10_tok105.vocab',
}


def load_pieces(llama2c: str, name: str) -> list[str]:
    path = os.path.join(llama2c, 'tokenizers', TOKENIZERS[name])
    if path.endswith('.json'):
        with open(path) as f:
            pieces = json.load(f)
    else:
        with open(path) as f:
            pieces = [line.split('\t')[0] for line in f.read().split('\n') if line]
    return [p.replace('\u2581', ' ') for p in pieces]


class Tokenizer:
    """Greedy longest-match over the model's pieces, with llama2.c's <0xNN> byte fallback when the
    vocabulary has it (else <unk>). Not SentencePiece's exact segmentation, but every id it emits is a
    real piece of the model's vocabulary, which is what training needs."""

    def __init__(self, pieces: list[str]):
        self.pieces = pieces
        self.ids: dict[str, int] = {}
        for i, p in enumerate(pieces):
            if not re.fullmatch(r'<0x[0-9A-F]{2}>|<unk>|<s>|</s>|\n<s>\n|\n</s>\n', p):
                self.ids.setdefault(p, i)
        self.bytes = {int(p[3:5], 16): i for i, p in enumerate(pieces) if re.fullmatch(r'<0x[0-9A-F]{2}>', p)}
        self.longest = max(len(p) for p in self.ids)

    def encode(self, text: str) -> list[int]:
        out = []
        i = 0
        while i < len(text):
            for n in range(min(self.longest, len(text) - i), 0, -1):
                j = self.ids.get(text[i:i + n])
                if j is not None:
                    out.append(j)
                    i += n
                    break
            else:
                if self.bytes:
                    out.extend(self.bytes[b] for b in text[i].encode('utf-8'))
                else:
                    out.append(0)
                i += 1
        return out


def docs_text(max_chars: int) -> str:
    """Prose from installed packages' READMEs (sorted, deterministic): code blocks, tables, links and
    markup dropped, paragraphs kept."""
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.join(here, '..', '..', 'node_modules')
    files = sorted(glob.glob(os.path.join(root, '*', 'README.md')) + glob.glob(os.path.join(root, '@*', '*', 'README.md')))
    paras = []
    for path in files:
        with open(path, encoding='utf-8', errors='replace') as f:
            text = f.read()
        text = re.sub(r'```.*?```', ' ', text, flags=re.S)
        text = re.sub(r'<[^>]+>|\[!\[.*?\]\(.*?\)\]\(.*?\)|!\[.*?\]\(.*?\)', ' ', text)
        text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)
        for para in re.split(r'\n\s*\n', text):
            para = ' '.join(para.split())
            if len(para) < 80 or para.count('|') > 2 or para.startswith('#'):
                continue
            para = re.sub(r'[`*_]', '', para)
            paras.append(para)
    out = '\n'.join(paras)
    if len(out) < max_chars // 4:
        raise SystemExit(f'adversary: too little README prose under {root} ({len(out)} chars)')
    return out[:max_chars]


def model_samples(folder: str, n_tokens: int, seed: int, temperature=1.0) -> np.ndarray:
    cfg, p = llama.load_model(folder)
    n_seq = max(1, n_tokens // 256)
    toks = llama.sample(cfg, p, n_seq, 256, seed, temperature)
    return toks.reshape(-1)


def cached(work: str, name: str, make) -> np.ndarray:
    path = os.path.join(work, 'corpus', name + '.npy')
    if os.path.exists(path):
        return np.load(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    arr = np.asarray(make(), dtype=np.int64)
    np.save(path + '.tmp.npy', arr)
    os.replace(path + '.tmp.npy', path)
    return arr
