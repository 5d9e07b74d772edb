#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Print set-up command N (1 or 2) of README.md: the indented (code) lines
# of its "## Set up" section, which must be exactly two, so that .ci/run
# runs what the README says, word for word, and the two cannot drift.
# usage: sh tests/readme-setup.sh N [README]
set -eu
n=${1:?usage: sh tests/readme-setup.sh N [README]}
readme=${2:-$(dirname "$0")/../README.md}
cmds=$(awk '
	/^## / { on = ($0 == "## Set up") ; next }
	on && /^    [^ ]/ { sub(/^    /, ""); print }' "$readme")
count=$(printf '%s\n' "$cmds" | grep -c .) || true
if [ "$count" -ne 2 ]; then
	echo "readme-setup.sh: $readme: the Set up section has $count commands (indented lines), not 2" >&2
	exit 1
fi
case $n in
1|2) printf '%s\n' "$cmds" | sed -n "${n}p" ;;
*) echo "readme-setup.sh: N is 1 or 2" >&2; exit 2 ;;
esac
