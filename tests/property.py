#!/usr/bin/python3
# See LICENSE file for copyright and license details.
"""Property test: every reader reads exactly the table a file holds.

Random tables (random V and d; labels drawn from numbers, negative-looking
numbers, words with blanks, non-ASCII words, or no labels at all; float32
values of every magnitude) are written here, in Python, in every format
emb reads: word2vec text, .vec, GloVe, word2vec binary, .npy (+ vocab
file), CSV, safetensors, fastText's .bin (no n-grams), and the text and
binary vector streams.  Each
file is then read back by every tool that reads that format, and the
shape, the labels and the values are compared with the table:

    tables   emb-lookup --all, emb-info, emb-init --from (-> safetensors,
             read back here)
    streams  emb-sim --vectors --matrix (the labels, the cosines),
             emb-reduce (the rows and their labels), emb-nn --vectors
             (each query's label)

A table a format cannot hold is not written in it (GloVe: a first label
that is a number; word2vec binary: a label with a blank; fastText .bin:
no labels).

usage: property.py [-r rounds] [-s seed] [-k]   (-k keeps the files)
The tools are found on PATH."""
import getopt
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import numpy as np

NUMBERS = ["7", "-3", "0.5", "-0.25", "1e3", "-1e-3", "42", "0", "-0", "3.14"]
BLANKS = ["new york", ". . .", "a b c", "x\ty", "san  josé", "c'est la vie"]
NONASCII = ["café", "東京", "naïve", "Ελλάδα", "🙂", "ß", "\u00a0nbsp"]
WORDS = ["the", "of", "-", "--", "x-1", "a1", "nan.", "inf-", "0x", "e5"]


def labels(rng, V, kind):
    """V distinct labels of one kind (or a mix), None for unlabelled"""
    if kind == "none":
        return None
    pools = {"numbers": NUMBERS, "blanks": BLANKS, "nonascii": NONASCII,
             "words": WORDS}
    pool = sum(pools.values(), []) if kind == "mix" else pools[kind]
    out, seen = [], set()
    while len(out) < V:
        t = rng.choice(pool)
        if t in seen:
            t = t + "_" + str(len(out)) if kind != "numbers" else str(
                rng.randint(-10 ** 6, 10 ** 6))
        if t in seen:
            continue
        seen.add(t)
        out.append(t)
    return out


def values(rng, V, d):
    a = np.empty((V, d), dtype=np.float32)
    for i in range(V):
        for j in range(d):
            a[i, j] = rng.choice([
                rng.uniform(-1, 1), rng.uniform(-1e6, 1e6),
                rng.uniform(-1e-6, 1e-6), 0.0, rng.gauss(0, 1)])
    # no zero rows: the cosines compared below need a norm
    for i in range(V):
        if not np.any(a[i]):
            a[i, 0] = 1.0
    return a


def num(x):
    return "%.9g" % float(x)


def is_number(s):
    try:
        return np.isfinite(float(s))
    except ValueError:
        return False


def text_rows(toks, E, sep=" "):
    rows = []
    for i, r in enumerate(E):
        nums = sep.join(num(x) for x in r)
        rows.append(nums if toks is None else toks[i] + " " + nums)
    return "".join(r + "\n" for r in rows)


def csv_field(t):
    if is_number(t.strip()) or any(c in t for c in ',"\n') or \
            t != t.strip(" \t"):
        return '"' + t.replace('"', '""') + '"'
    return t


def safetensors(toks, E):
    blobs, hdr, off = [], {}, 0
    emb = E.astype("<f4").tobytes()
    hdr["embeddings"] = {"dtype": "F32", "shape": list(E.shape),
                         "data_offsets": [0, len(emb)]}
    blobs.append(emb)
    off = len(emb)
    if toks is not None:
        v = "".join(t + "\n" for t in toks).encode()
        hdr["vocab"] = {"dtype": "U8", "shape": [len(v)],
                        "data_offsets": [off, off + len(v)]}
        blobs.append(v)
    h = json.dumps(hdr).encode()
    h += b" " * ((64 - (8 + len(h)) % 64) % 64)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def embv(toks, E):
    out = b"EMBV" + bytes([1, 0 if toks is None else 1, 0, 0]) + \
        struct.pack("<I", E.shape[1])
    for i, r in enumerate(E):
        if toks is not None:
            b = toks[i].encode()
            out += struct.pack("<I", len(b)) + b
        out += r.astype("<f4").tobytes()
    return out


def ftbin(toks, E):
    """fastText's .bin (version 12) of a table without n-grams (maxn 0,
    bucket 0): a word's vector is then its input row"""
    V, d = E.shape
    b = struct.pack("<ii", 793712314, 12)
    b += struct.pack("<12id", d, 5, 5, 1, 5, 1, 2, 2, 0, 0, 0, 100, 1e-4)
    b += struct.pack("<iiiqq", V, V, 0, V, -1)
    for i, t in enumerate(toks):
        b += t.encode() + b"\0" + struct.pack("<qb", V - i, 0)
    b += struct.pack("<Bqq", 0, V, d) + E.astype("<f4").tobytes()
    b += struct.pack("<Bqq", 0, V, d) + bytes(4 * V * d)
    return b


def write_all(dirname, toks, E):
    """every format that can hold the table: name -> (path, --format)"""
    V, d = E.shape
    files = {}

    def put(name, data, fmt):
        p = os.path.join(dirname, name)
        with open(p, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        files[name] = (p, fmt)

    put("t.txt", "%d %d\n" % (V, d) + text_rows(toks, E), "word2vec-text")
    put("t.vec", "%d %d\n" % (V, d) + text_rows(toks, E, "\t"), "vec")
    if toks is None or not is_number(toks[0].split()[0]):
        put("t.glove", text_rows(toks, E), "glove")
    if toks is not None and not any(" " in t for t in toks):
        b = ("%d %d\n" % (V, d)).encode()
        for i, r in enumerate(E):
            b += toks[i].encode() + b" " + r.astype("<f4").tobytes() + b"\n"
        put("t.bin", b, "word2vec-bin")
    import io
    buf = io.BytesIO()
    np.save(buf, E)
    put("t.npy", buf.getvalue(), "npy")
    if toks is not None:
        put("vocab.txt", "".join(t + "\n" for t in toks), None)
    put("t.csv", "".join(
        (csv_field(toks[i]) + "," if toks is not None else "") +
        ",".join(num(x) for x in r) + "\n" for i, r in enumerate(E)), "csv")
    put("t.safetensors", safetensors(toks, E), "safetensors")
    if toks is not None:
        put("t.ftbin", ftbin(toks, E), "fasttext-bin")
    return files


def run(args, stdin=None):
    p = subprocess.run(args, input=stdin, capture_output=True)
    if p.returncode != 0:
        raise AssertionError("%s: exit %d: %s" % (
            " ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p.stdout.decode()


def parse_rows(out, d):
    """label (None) and d floats per line of a text vector stream"""
    lines = out.split("\n")[:-1]
    if lines and len(lines[0].split()) == 2 and d != 2 and \
            all(x.isdigit() for x in lines[0].split()):
        lines = lines[1:]		# the "N d" header
    elif lines and d == 2 and len(lines) > 1 and \
            len(lines[0].split()) == 2 and len(lines[1].split()) != 2:
        lines = lines[1:]
    rows = []
    for ln in lines:
        parts = ln.split(" ")
        lab = " ".join(parts[:-d]) if len(parts) > d else None
        rows.append((lab, np.array([np.float32(x) for x in parts[-d:]])))
    return rows


def check_rows(what, rows, toks, E):
    V, d = E.shape
    assert len(rows) == V, "%s: %d rows, the table has %d" % (
        what, len(rows), V)
    for i, (lab, v) in enumerate(rows):
        want = toks[i] if toks is not None else str(i)
        assert lab == want, "%s: row %d: label %r, want %r" % (
            what, i, lab, want)
        assert v.shape == (d,) and np.array_equal(
            v.view(np.uint32), E[i].view(np.uint32)), \
            "%s: row %d: %s, want %s" % (what, i, v, E[i])


def load_st(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    h = json.loads(data[8:8 + n])
    h.pop("__metadata__", None)
    t = {}
    for name, x in h.items():
        a, b = (8 + n + o for o in x["data_offsets"])
        dt = {"F32": "<f4", "U8": "u1", "I64": "<i8", "I32": "<i4"}.get(
            x["dtype"])
        if dt is not None:
            t[name] = np.frombuffer(data[a:b], dt).reshape(x["shape"])
    toks = None
    if "vocab" in t:
        toks = [s.decode() for s in bytes(t["vocab"]).split(b"\n")[:-1]]
    return t["embeddings"], toks


def check_table(dirname, name, path, fmt, toks, E):
    V, d = E.shape
    extra = []
    labelled = toks
    if fmt == "npy":
        if toks is None:
            labelled = None
        else:
            extra = ["--vocab", os.path.join(dirname, "vocab.txt")]
    # emb-lookup --all (detected, and named with --format)
    for f in ([], ["--format", fmt]):
        if extra:
            continue	# emb-lookup has no --vocab: through emb-init below
        out = run(["emb-lookup", "--all", "-m", path] + f)
        check_rows("emb-lookup %s %s" % (name, " ".join(f)),
                   parse_rows(out, d), labelled, E)
    info = dict(ln.split("\t", 1) for ln in run(
        ["emb-info", "--no-stats", path]).split("\n") if "\t" in ln)
    assert (int(info["rows"]), int(info["dim"])) == (V, d), \
        "emb-info %s: %s x %s, want %d x %d" % (name, info["rows"],
                                                info["dim"], V, d)
    assert int(info["vocab"]) == (0 if fmt == "npy" or toks is None else V), \
        "emb-info %s: vocab %s" % (name, info["vocab"])
    out = os.path.join(dirname, "back.safetensors")
    run(["emb-init", "--from", path, "--format", fmt, "-o", out] + extra)
    E2, t2 = load_st(out)
    os.unlink(out)
    assert E2.shape == (V, d), "emb-init %s: %s" % (name, E2.shape)
    assert np.array_equal(E2.view(np.uint32), E.view(np.uint32)), \
        "emb-init %s: values differ" % name
    assert t2 == toks, "emb-init %s: labels %r, want %r" % (name, t2, toks)


def check_streams(dirname, toks, E, model):
    V, d = E.shape
    text = text_rows(toks, E)
    if toks is not None and is_number(toks[0].split()[0]):
        text = "%d %d\n" % (V, d) + text	# as emb writes it
    unit = E.astype(np.float64)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    cos = unit @ unit.T
    for kind, data in (("text", text.encode()), ("binary", embv(toks, E))):
        if V >= 2:
            out = run(["emb-sim", "--vectors", "--matrix", "--csv"], data)
            lines = out.split("\n")[:-1]
            assert len(lines) == V + 1, "emb-sim %s: %d lines" % (
                kind, len(lines))
            import csv
            rows = list(csv.reader(lines))
            want = toks if toks is not None else [
                str(i + 1) for i in range(V)]
            assert rows[0][1:] == want, "emb-sim %s: labels %r, want %r" % (
                kind, rows[0][1:], want)
            got = np.array([[float(x) for x in r[1:]] for r in rows[1:]])
            assert np.allclose(got, cos, atol=2e-6), \
                "emb-sim %s: cosines differ" % kind
            out = run(["emb-reduce", "-d", "1"], data)
            got = parse_rows(out, 1)
            assert len(got) == V, "emb-reduce %s: %d rows" % (kind, len(got))
            assert [g[0] for g in got] == (toks or [None] * V), \
                "emb-reduce %s: labels differ" % kind
        out = run(["emb-nn", "-m", model, "--vectors", "-k", "1",
                   "--include-query", "--csv"], data)
        import csv
        q = [r[0] for r in csv.reader(out.split("\n")[:-1])]
        want = toks if toks is not None else [str(i + 1) for i in range(V)]
        assert q == want, "emb-nn %s: queries %r, want %r" % (kind, q, want)


def main():
    rounds, seed, keep = 8, 1, False
    opts, _ = getopt.getopt(sys.argv[1:], "r:s:k")
    for o, a in opts:
        if o == "-r":
            rounds = int(a)
        elif o == "-s":
            seed = int(a)
        else:
            keep = True
    rng = random.Random(seed)
    kinds = ["none", "numbers", "blanks", "nonascii", "words", "mix"]
    checked = 0
    for r in range(rounds):
        V, d = rng.randint(1, 30), rng.randint(1, 9)
        kind = kinds[r % len(kinds)] if r < len(kinds) else rng.choice(kinds)
        toks = labels(rng, V, kind)
        E = values(rng, V, d)
        dirname = tempfile.mkdtemp(prefix="emb-prop.")
        try:
            files = write_all(dirname, toks, E)
            for name, (path, fmt) in sorted(files.items()):
                if fmt is None:
                    continue
                check_table(dirname, name, path, fmt, toks, E)
                checked += 1
            check_streams(dirname, toks, E, files["t.safetensors"][0])
        except AssertionError as x:
            print("round %d (seed %d, %s labels, %d x %d): %s" % (
                r, seed, kind, V, d, x))
            print("files kept in " + dirname)
            sys.exit(1)
        if not keep:
            for f in os.listdir(dirname):
                os.unlink(os.path.join(dirname, f))
            os.rmdir(dirname)
    print("property: %d rounds, %d files read back by every reader" % (
        rounds, checked))


main()
