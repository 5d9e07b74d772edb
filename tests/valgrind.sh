#!/bin/sh
# See LICENSE file for copyright and license details.
#
# The bats suite with every tool run under valgrind (make check-valgrind):
# a directory of wrapper scripts goes first on PATH through EMB_TEST_BIN,
# which tests/helper.bash honours.  Memory errors and definite leaks exit
# 99, a status no tool uses, and valgrind's report lands on stderr, which
# the tests compare exactly.  usage: tests/valgrind.sh [bats-file ...]
cd "$(dirname "$0")/.." || exit 2
top=$(pwd)
VALGRIND=${VALGRIND:-valgrind -q --error-exitcode=99 --leak-check=full \
--errors-for-leak-kinds=definite}
bin=$(mktemp -d) || exit 2
trap 'rm -rf "$bin"' EXIT
for t in cmd/emb-*; do
	case $t in *.c | *.o) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	n=${t#cmd/}
	printf '#!/bin/sh\nexec %s "%s/%s" "$@"\n' "$VALGRIND" "$top" "$t" \
	    >"$bin/$n"
	chmod +x "$bin/$n"
done
EMB_TEST_BIN=$bin sh tests/run-bats.sh "$@"
