# See LICENSE file for copyright and license details.
#
# One query (cosine, top 10) over a native model's matrix with faiss
# IndexFlatIP and gensim's KeyedVectors.most_similar, for
# tests/bench/import.sh: the matrix is mapped with numpy (no copy), row R
# is the query.  Prints "name wall cpu" lines, seconds:
#   faiss_prep   normalise a copy of the rows and add them to the index
#   faiss_search index.search of the one query (median of RUNS)
#   gensim_first most_similar on a fresh KeyedVectors (its norms filled)
#   gensim_next  most_similar again (median of RUNS)
# usage: python3 onequery.py model.safetensors ROW RUNS
import json, statistics, struct, sys, time
import numpy as np, faiss
from gensim.models import KeyedVectors

path, row, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    hdr = json.loads(f.read(n))
t = hdr["embeddings"]
V, d = t["shape"]
x = np.memmap(path, dtype="<f4", mode="r", offset=8 + n + t["data_offsets"][0],
              shape=(V, d))

def timed(f):
    w, c = time.perf_counter(), time.process_time()
    r = f()
    return r, time.perf_counter() - w, time.process_time() - c

def med(f):
    ws, cs = [], []
    for _ in range(runs):
        r, w, c = timed(f)
        ws.append(w)
        cs.append(c)
    return r, statistics.median(ws), statistics.median(cs)

q = np.array(x[row:row + 1], dtype=np.float32)
q /= np.linalg.norm(q)
def prep():
    index = faiss.IndexFlatIP(d)
    for b in range(0, V, 1 << 18):	# in slices: no second full copy
        s = np.array(x[b:b + (1 << 18)], dtype=np.float32)
        s /= np.linalg.norm(s, axis=1, keepdims=True)
        index.add(s)
    return index
index, w, c = timed(prep)
print("faiss_prep", w, c)
(D, I), w, c = med(lambda: index.search(q, 11))
print("faiss_search", w, c)
faiss_ids = [int(i) for i in I[0] if i != row][:10]
del index

kv = KeyedVectors(d, count=0)
kv.vectors = x
kv.index_to_key = ["w%d" % i for i in range(V)]
r, w, c = timed(lambda: kv.most_similar(positive=[x[row]], topn=11))
print("gensim_first", w, c)
r, w, c = med(lambda: kv.most_similar(positive=[x[row]], topn=11))
print("gensim_next", w, c)
gensim_ids = [int(k[1:]) for k, _ in r if k != "w%d" % row][:10]
print("ids", " ".join(map(str, faiss_ids)), "|", " ".join(map(str, gensim_ids)))
