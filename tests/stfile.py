# See LICENSE file for copyright and license details.
"""Safetensors files with the Python standard library alone, for the tests.

load(path) -> (meta, tensors): meta is __metadata__ (a dict), tensors an
ordered dict name -> [dtype, shape, raw bytes] in file order.  save(path,
meta, tensors) writes them back, data in dict order.  find(meta, tensors,
token) looks a token up through the stored token index exactly as
emb-formats(5) describes it, independently of the C code.
"""
import json
import struct

M64 = (1 << 64) - 1


def load(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    h = json.loads(data[8:8 + n])
    meta = h.pop("__metadata__", {})
    items = sorted(h.items(), key=lambda kv: kv[1]["data_offsets"][0])
    tensors = {}
    for name, t in items:
        a, b = (8 + n + x for x in t["data_offsets"])
        tensors[name] = [t["dtype"], list(t["shape"]), data[a:b]]
    return meta, tensors


def save(path, meta, tensors):
    h = {"__metadata__": meta}
    off = 0
    for name, (dtype, shape, raw) in tensors.items():
        h[name] = {"dtype": dtype, "shape": shape,
                   "data_offsets": [off, off + len(raw)]}
        off += len(raw)
    js = json.dumps(h, separators=(",", ":")).encode()
    js += b" " * (-(8 + len(js)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)) + js)
        for _, _, raw in tensors.values():
            f.write(raw)


def token_hash(tok, seed):
    h = 0xcbf29ce484222325 ^ seed
    for c in tok:
        h ^= c
        h = (h * 0x100000001b3) & M64
    h ^= h >> 33
    h = (h * 0xff51afd7ed558ccd) & M64
    h ^= h >> 33
    h = (h * 0xc4ceb9fe1a85ec53) & M64
    h ^= h >> 33
    return h


def ints(raw, fmt):
    size = struct.calcsize(fmt)
    return [x[0] for x in struct.iter_unpack(fmt, raw)] if size else []


def find(meta, tensors, tok):
    """Row of token tok (bytes) through the stored index, or None."""
    assert meta["emb.index.hash"] == "fnv1a64-fmix64"
    seed = int(meta["emb.index.seed"])
    probe = int(meta["emb.index.probe"])
    vocab = tensors["vocab"][2]
    off = ints(tensors["vocab_offsets"][2], "<q")
    slots = ints(tensors["vocab_index"][2], "<i")
    h = token_hash(tok, seed) % len(slots)
    for _ in range(probe):
        s = slots[h]
        if s == 0:
            return None
        if vocab[off[s - 1]:off[s] - 1] == tok:
            return s - 1
        h = (h + 1) % len(slots)
    return None
