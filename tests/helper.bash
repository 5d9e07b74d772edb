# Common set-up for the bats tests: the tools under test come first on PATH.
bats_require_minimum_version 1.5.0

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
PATH="$TOP/cmd:$PATH"
# make check-valgrind: wrappers that run the tools under valgrind go first
[ -z "${EMB_TEST_BIN:-}" ] || PATH="$EMB_TEST_BIN:$PATH"
DATA="$TOP/data"
# Debian's python packages (gensim, numpy, faiss) are only seen by this one
PY=/usr/bin/python3
export TOP DATA PY
unset EMB_MODEL

# skip a test when a Python module is not installed
need_py() {
	"$PY" -c "import $1" 2>/dev/null || skip "python3 module $1 not installed"
}

# a pipeline's status must be the first failing command's
closed_pipe() {
	bash -c "set -o pipefail; $1 | head -n 1 >/dev/null"
}
