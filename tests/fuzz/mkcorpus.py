#!/usr/bin/python3
# See LICENSE file for copyright and license details.
"""Write the seed corpora tests/fuzz/corpus/<target>/ from the data/
fixtures (and a few hand-made edge cases).  Run with /usr/bin/python3 from
the top directory; the output is kept in git, so this only needs re-running
when the fixtures change."""
import io
import json
import os
import struct

import numpy as np

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(TOP, "data")
OUT = os.path.join(TOP, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def data(name, n=None):
    with open(os.path.join(DATA, name), "rb") as f:
        b = f.read()
    if n is not None:
        b = b"".join(b.splitlines(keepends=True)[:n])
    return b


def read_vec(name):
    lines = data(name).decode().split("\n")
    rows = [l.split() for l in lines[1:] if l.strip()]
    return [r[0] for r in rows], np.array([[float(x) for x in r[1:]]
                                           for r in rows], dtype=np.float32)


def safetensors(tensors, meta=None, align=64):
    hdr, blobs, off = {}, [], 0
    if meta is not None:
        hdr["__metadata__"] = meta
    for name, dtype, shape, raw in tensors:
        hdr[name] = {"dtype": dtype, "shape": list(shape),
                     "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(hdr, separators=(",", ":")).encode()
    h += b" " * ((align - (8 + len(h)) % align) % align)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def w2v_bin(toks, m, newline=True):
    out = io.BytesIO()
    out.write(b"%d %d\n" % m.shape)
    for t, r in zip(toks, m):
        out.write(t.encode() + b" " + r.astype("<f4").tobytes())
        if newline:
            out.write(b"\n")
    return out.getvalue()


def npy(a, fortran=False):
    f = io.BytesIO()
    np.save(f, np.asfortranarray(a) if fortran else a)
    return f.getvalue()


toks, m = read_vec("e5x3.vec")
atoks, am = read_vec("animals.vec")
vocab = "".join(t + "\n" for t in toks).encode()

# safetensors: the native model, F16/BF16-like variants, no vocab, metadata
put("safetensors", "native-f32", safetensors(
    [("embeddings", "F32", m.shape, m.tobytes()),
     ("vocab", "U8", [len(vocab)], vocab)],
    {"format": "emb", "emb.version": "1"}))
put("safetensors", "native-counts-output", safetensors(
    [("counts", "I64", [5], np.arange(5, 0, -1, dtype="<i8").tobytes()),
     ("embeddings", "F32", m.shape, m.tobytes()),
     ("output", "F32", m.shape, (m * 2).tobytes()),
     ("vocab", "U8", [len(vocab)], vocab)],
    {"format": "emb"}))
put("safetensors", "f16", safetensors(
    [("embeddings", "F16", m.shape, m.astype("<f2").tobytes())]))
put("safetensors", "bf16-unaligned", safetensors(
    [("x", "U8", [1], b"\x00"),
     ("wte.weight", "BF16", m.shape,
      (m.view("<u4") >> 16).astype("<u2").tobytes())], align=1))
put("safetensors", "f64", safetensors(
    [("w", "F64", am.shape, am.astype("<f8").tobytes())]))
put("safetensors", "empty-object", struct.pack("<Q", 2) + b"{}")
put("safetensors", "zero-rows", safetensors(
    [("embeddings", "F32", [0, 3], b"")]))

# vector streams (first byte: expected d mod 8; 0 = learn it)
put("vstream", "e5x3", b"\x00" + data("e5x3.vec"))
put("vstream", "animals-d5", b"\x05" + data("animals.vec"))
put("vstream", "glove", b"\x00" + data("cos3.txt"))
put("vstream", "unlabelled", b"\x00" + b"1 2 3\n-4.5e-3 0 7\n")
put("vstream", "label-spaces", b"\x02" + b"new york 1 2\r\n\tla 3 4 \n\n")
hdr = b"EMBV\x01\x01\x00\x00" + struct.pack("<I", 3)
rows = b"".join(struct.pack("<I", len(t)) + t.encode() + r.astype("<f4").tobytes()
                for t, r in zip(toks, m))
put("vstream", "binary-labelled", b"\x00" + hdr + rows)
put("vstream", "binary-plain", b"\x03" + b"EMBV\x01\x00\x00\x00" +
    struct.pack("<I", 3) + m.astype("<f4").tobytes())
# sequences (flags bit 1): a row count before each sequence, 0 allowed
seqrows = [struct.pack("<I", len(t)) + t.encode() + r.astype("<f4").tobytes()
           for t, r in zip(toks, m)]
put("vstream", "binary-sequences", b"\x00" + b"EMBV\x01\x03\x00\x00" +
    struct.pack("<I", 3) + struct.pack("<I", 2) + b"".join(seqrows[:2]) +
    struct.pack("<I", 0) + struct.pack("<I", 1) + seqrows[2])

# ID lines (first byte: limit selector)
put("ids", "small", b"\x01" + b"3 1 1 0")
put("ids", "tabs", b"\x02" + b"\t0\t 4294967295  12 ")
put("ids", "big", b"\x03" + b"18446744073709551615 99999999999999999999")
put("ids", "junk", b"\x02" + b"1 2x 3")

# numbers
for i, s in enumerate(["0", "-0", "1", "0.9", "-4.5e-3", "1e38", "3.4028235e38",
                       "1e-45", "1.17549435e-38", "0x1p-3", "nan", "-inf",
                       "123456789012345678901234567890", ".5", "5.", "1e",
                       "0.000000000000000000000000000001", "2.5e+10x",
                       "16777217", "0.1234567890123"]):
    put("num", "n%02d" % i, s)

# vocab files and vocab.json
put("vocab", "lines", vocab)
put("vocab", "counts", b"the 10\nof\t9\r\nnew york 3\n")
put("vocab", "json", json.dumps({t: i for i, t in enumerate(toks)}))
put("vocab", "json-unicode", '{"\\u00e9t\\u00e9": 1, "<unk>": 0}')

# word2vec text/bin (first byte: reader in bits 0-1, limit in bits 2-3)
put("w2v", "text-header", b"\x00" + data("e5x3.vec"))
put("w2v", "text-auto", b"\x01" + data("animals.vec"))
put("w2v", "glove", b"\x02" + data("cos3.txt"))
put("w2v", "glove-limit", b"\x06" + data("cos3.txt"))
put("w2v", "bin-newline", b"\x03" + w2v_bin(toks, m))
put("w2v", "bin-gensim", b"\x07" + w2v_bin(atoks, am, newline=False))
put("w2v", "text-spaces-crlf", b"\x00" + b"2 2\r\nnew york 1 2\r\nla 3 4\r\n")

# .npy (first byte: limit)
put("npy", "f4", b"\x00" + npy(m))
put("npy", "f2-limit", b"\x01" + npy(m.astype("<f2")))
put("npy", "f8-fortran", b"\x00" + npy(am.astype("<f8"), fortran=True))
put("npy", "f4-big-endian", b"\x02" + npy(m.astype(">f4")))

# CSV (first byte: header flag)
csv = "".join(t + "," + ",".join("%g" % x for x in r) + "\n"
              for t, r in zip(toks, m))
put("csv", "plain", b"\x00" + csv.encode())
put("csv", "header-quoted", b"\x01" + b'token,a,b\n"x, ""y""",1,2\n"multi\nline",3,4\n')

# word-similarity and analogy sets
put("simeval", "wordsim353-head", data("wordsim353.tsv", 20))
put("simeval", "csv-and-blanks", b"# c\n\na,b,1.5\nc d 2\n")
put("analogy", "questions-head", data("questions-words.txt", 20))
q = data("questions-words.txt").split(b"\n")
put("analogy", "questions-gram", b"\n".join(q[8869:8880]) + b"\n")
put("analogy", "expression", b"king - man + woman\n")

# fmt (detection + any reader): the readers' seeds without selector bytes
for t, strip in (("safetensors", 0), ("w2v", 1), ("npy", 1), ("csv", 1)):
    d = os.path.join(OUT, t)
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            put("fmt", t + "-" + name, f.read()[strip:])

# emb-train corpora (first byte: bit 0 IDs, bits 1-2 min_count, 3-5 max_vocab)
put("corpus", "words", b"\x02" + b"the cat sat on the mat\nthe dog\n\n  a\tb c\r\n")
put("corpus", "ids", b"\x01" + b"0 1 2 3\n4 49 0\n\n7\n")
put("corpus", "text8-like", b"\x00" + data("questions-words.txt", 30).replace(b":", b""))

# shard partial lists: "qno<TAB>query<TAB>neighbour<TAB>score<TAB>row"
part1 = b"0\tt0\tt3\t0.774596691\t3\n0\tt0\tt4\t0.84852814\t4\n1\tt1\tt2\t0.57735\t2\n"
part2 = b"0\tt0\tt1\t0\t1\n1\tt1\tt0\t0\t0\n"
put("shard", "two-parts", b"\x03" + b"1/2" + b"\n" + part1 + b"\0" + part2)
put("shard", "one-part", b"\x00" + part1)

# emb-plot: 2-D labelled points, then after a NUL a groups file
put("plot", "points-groups", b"cat animal 1 2\ndog animal 3 4\napple fruit -1 0.5\n"
    b"\0cat\tpets\ndog\tpets\n")
put("plot", "unlabelled", b"1 2\n3 4\n")
