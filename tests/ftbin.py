#!/usr/bin/env python3
# See LICENSE file for copyright and license details.
"""Write a small fastText .bin (version 12 layout, as FastText::saveModel
writes it) with chosen fields, for the reader's tests.

    ftbin.py OUT [key=value ...]

Keys: magic version dim ws epoch minCount neg wordNgrams loss model bucket
minn maxn lrUpdateRate t, size nwords nlabels ntokens prune, words (comma
separated), types (comma separated 0/1), quant qout, inm inn outm outn
(matrix shapes; default from the others), inrows (input rows written,
default inm: fewer make a claim the file does not back), big (word rows
-big, n-gram rows big: sums of n-gram rows overflow), nan (an input row index to set
to NaN), extra (bytes appended).  It prints the byte offset of each
section boundary to stdout as "name offset" lines.
"""
import struct
import sys


def main():
    out = sys.argv[1]
    kv = dict(a.split("=", 1) for a in sys.argv[2:])

    def get(k, d):
        return type(d)(kv[k]) if k in kv else d

    dim = get("dim", 3)
    words = kv.get("words", "</s>,cat,dog,été").split(",")
    bucket = get("bucket", 5)
    nw = len(words)
    types = [int(x) for x in kv["types"].split(",")] if "types" in kv \
        else [0] * nw
    b = bytearray()
    off = []
    b += struct.pack("<ii", get("magic", 793712314), get("version", 12))
    off.append(("header", len(b)))
    b += struct.pack("<12id", dim, get("ws", 5), get("epoch", 5),
                     get("minCount", 1), get("neg", 5), get("wordNgrams", 1),
                     get("loss", 2), get("model", 2), bucket,
                     get("minn", 2), get("maxn", 3), get("lrUpdateRate", 100),
                     get("t", 1e-4))
    off.append(("args", len(b)))
    b += struct.pack("<iiiqq", get("size", nw), get("nwords", nw),
                     get("nlabels", 0), get("ntokens", 100),
                     get("prune", -1))
    off.append(("dict-head", len(b)))
    for i, (w, t) in enumerate(zip(words, types)):
        b += w.encode() + b"\0" + struct.pack("<qb", 10 * (nw - i), t)
        off.append(("word%d" % i, len(b)))
    b += struct.pack("<B", get("quant", 0))
    off.append(("quant", len(b)))
    inm, inn = get("inm", nw + bucket), get("inn", dim)
    b += struct.pack("<qq", inm, inn)
    off.append(("input-head", len(b)))
    nan = get("nan", -1)
    big = get("big", 0.0)
    for r in range(max(get("inrows", inm), 0)):
        for j in range(max(inn, 0)):
            x = float("nan") if r == nan else (r + 1) * 0.25 - j * 0.125
            if big:
                x = -big if r < nw else big
            b += struct.pack("<f", x)
        off.append(("input-row%d" % r, len(b)))
    b += struct.pack("<B", get("qout", 0))
    off.append(("qout", len(b)))
    outm, outn = get("outm", nw), get("outn", dim)
    b += struct.pack("<qq", outm, outn)
    off.append(("output-head", len(b)))
    for r in range(max(outm, 0)):
        b += struct.pack("<%df" % outn, *[0.5 * r] * outn)
    off.append(("output", len(b)))
    b += kv.get("extra", "").encode()
    with open(out, "wb") as f:
        f.write(b)
    for name, o in off:
        print(name, o)


main()
