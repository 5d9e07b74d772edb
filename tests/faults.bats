#!/usr/bin/env bats
# Faults: full disks, signals in the middle of a write, closed pipes, and
# models cut short after they were written or while they are in use.
# Outputs named with -o are written to a temporary ".NAME.XXXXXX" next to
# the target and renamed on success (lib/afile.c).

load helper

setup_file() {
	# a table big enough that every tool's output passes 64 KiB
	seq 1 3000 | sed 's/^/w/' >"$BATS_FILE_TMPDIR/vocab.txt"
	emb-init --vocab "$BATS_FILE_TMPDIR/vocab.txt" -d 20 --seed 7 \
	    -o "$BATS_FILE_TMPDIR/big.safetensors"
	seq 1 3000 | sed 's/^/w/' | tr '\n' ' ' >"$BATS_FILE_TMPDIR/corpus.txt"
}

setup() {
	B="$BATS_FILE_TMPDIR/big.safetensors"
	C="$BATS_FILE_TMPDIR/corpus.txt"
	M="$DATA/e5x3.vec"
	# rows of a write long enough to interrupt (fewer under valgrind)
	ROWS=100000
	[ -z "${EMB_TEST_BIN:-}" ] || ROWS=20000
	cd "$BATS_TEST_TMPDIR"
	mkdir w
	cd w
}

expect() {
	if [ "$status" != "$1" ] || [ "$stderr" != "$2" ]; then
		printf 'status: %s (expected %s)\nstderr: %s\nwanted: %s\n' \
		    "$status" "$1" "$stderr" "$2"
		return 1
	fi
}

# wait up to 2 minutes (valgrind is slow) for the temporary file of $1
# to hold data
wait_tmp() {
	local i f

	for i in $(seq 2400); do
		for f in ."$1".*; do
			[ -s "$f" ] && return 0
		done
		sleep 0.05
	done
	return 1
}

# ---- full disks ------------------------------------------------------------

@test "faults: every tool writing to /dev/full exits 1 and says so" {
	for c in "emb-lookup --all -m $M" "emb-nn -m $M t0" \
	    "emb-sim -m $M t0 t1" "emb-analogy -m $M t0 t1 t2" "emb-info $M" \
	    "emb-init -V 3 -d 2" "emb-init -V 3 -d 2 -O vec -o -" \
	    "emb-train -q -d 3 --min-count 1 -o - $C" \
	    "emb-reduce --method pca -d 2 --all -m $M" \
	    "emb-plot $DATA/e4x2.vec"; do
		run --separate-stderr $c
		[ "$status" = 0 ] || { echo "$c: $status $stderr"; return 1; }
		run --separate-stderr bash -c "$c >/dev/full"
		t=${c%% *}
		expect 1 "$t: <stdout>: No space left on device" ||
		    { echo "($c)"; return 1; }
	done
}

@test "faults: -o /dev/full fails and leaves /dev/full a device" {
	# as root, renaming a temporary file over /dev/full would replace it
	run --separate-stderr emb-init -V 3 -d 2 -o /dev/full
	expect 1 "emb-init: /dev/full: No space left on device"
	run --separate-stderr emb-train -q -d 3 --min-count 1 -o /dev/full "$C"
	expect 1 "emb-train: /dev/full: No space left on device"
	[ -c /dev/full ]
	[ -z "$(ls -A /dev | grep '^\.full\.')" ]
	# and /dev/null is written in place too
	run --separate-stderr emb-init -V 3 -d 2 -O vec -o /dev/null
	expect 0 ""
	[ -c /dev/null ]
}

# a full disk: a file-size limit (SIGXFSZ ignored, so writes fail EFBIG)
full() {
	run --separate-stderr bash -c "trap '' XFSZ; ulimit -f 16; $*"
}

@test "faults: a full disk fails emb-init and leaves no file" {
	full emb-init -V 100000 -d 50 -O vec -o new.vec
	expect 1 "emb-init: new.vec: File too large"
	full emb-init -V 100000 -d 50 -o new.safetensors
	expect 1 "emb-init: new.safetensors: File too large"
	[ -z "$(ls -A)" ]
}

@test "faults: a full disk keeps the previous model" {
	emb-init --from "$M" -o m.safetensors
	cp m.safetensors saved
	full emb-init -V 100000 -d 50 -o m.safetensors
	expect 1 "emb-init: m.safetensors: File too large"
	full emb-train -q -d 50 --min-count 1 -o m.safetensors "$C"
	expect 1 "emb-train: m.safetensors: File too large"
	cmp m.safetensors saved
	[ "$(ls -A)" = "$(printf 'm.safetensors\nsaved')" ]
}

# ---- signals in the middle of a write --------------------------------------

@test "faults: SIGKILL mid-write leaves the previous model intact" {
	emb-init --from "$M" -o m.vec
	cp m.vec saved
	emb-init -V $ROWS -d 100 -o m.vec &
	pid=$!
	wait_tmp m.vec
	kill -KILL $pid
	wait $pid || true
	cmp m.vec saved
	run --separate-stderr emb-lookup --all -m m.vec
	expect 0 ""
	[ "$output" = "$(tail -n +2 "$M")" ]
	# SIGKILL cannot be caught: the temporary file is left behind
	ls -A | grep -q '^\.m\.vec\.'
}

# send signal $1 to a long write over an existing model
interrupt() {
	emb-init --from "$M" -o m.vec
	cp m.vec saved
	# background jobs start with SIGINT ignored; give it its default back
	env --default-signal="$1" emb-init -V $ROWS -d 100 -o m.vec &
	pid=$!
	wait_tmp m.vec
	kill -"$1" $pid
	st=0
	wait $pid || st=$?
	[ "$st" = $((128 + $(kill -l "$1"))) ]
	cmp m.vec saved
	[ "$(ls -A)" = "$(printf 'm.vec\nsaved')" ]
}

@test "faults: SIGINT mid-write removes the temporary file" {
	interrupt INT
}

@test "faults: SIGTERM mid-write removes the temporary file" {
	interrupt TERM
}

@test "faults: SIGHUP mid-write removes the temporary file" {
	interrupt HUP
}

# ---- closed pipes ----------------------------------------------------------

@test "faults: a closed pipe ends every tool quietly with status 0" {
	seq 0 2999 >ids
	awk '{ print $1, ($1 + 1) % 3000; print $1, ($1 + 7) % 3000 }' ids >pairs
	for i in $(seq 200); do echo "w$i w$((i + 1)) w$((i + 2))"; done >q3
	for i in $(seq 400); do echo "$M"; done >files
	emb-reduce --method pca -d 2 --all -m "$B" >pts
	for c in "emb-lookup --all -m $B" \
	    "emb-lookup -m $B --ids <ids" \
	    "emb-lookup -m $B --ids -b <ids" \
	    "emb-nn -m $B --ids -k 50 <ids" \
	    "emb-sim -m $B --matrix $(seq -f 'w%g' 1 100 | tr '\n' ' ')" \
	    "emb-sim -m $B --ids <pairs" \
	    "emb-analogy -m $B -k 100 <q3" \
	    "emb-info \$(cat files)" \
	    "emb-init --from $B -O vec" \
	    "emb-init -V 5000 -d 20 -O csv" \
	    "emb-init -V 20000 -d 20" \
	    "emb-reduce --method pca -d 2 --all -m $B" \
	    "emb-plot pts"; do
		run bash -c "set -o pipefail; $c | head -c 1 >/dev/null"
		[ "$status" = 0 ] && [ -z "$output" ] ||
		    { echo "$c: $status $output"; return 1; }
		# and the output really was over 64 KiB
		n=$(bash -c "$c" | wc -c)
		[ "$n" -gt 65536 ] || { echo "$c: only $n bytes"; return 1; }
	done
}

@test "faults: a closed pipe ends emb-train -o - quietly with status 0" {
	c="emb-train -q -d 20 --min-count 1 -O vec -o - $C"
	run bash -c "set -o pipefail; $c | head -c 1 >/dev/null"
	[ "$status" = 0 ] && [ -z "$output" ]
	n=$(bash -c "$c" | wc -c)
	[ "$n" -gt 65536 ]
}

# ---- models cut short --------------------------------------------------------

# every tool on a damaged model: status 1 and "TOOL: $1"
broken() {
	local t

	for t in "emb-lookup --all -m" "emb-nn -m m.safetensors t0" \
	    "emb-sim -m m.safetensors t0 t1" "emb-info" "emb-init --from"; do
		case $t in
		*m.safetensors*) run --separate-stderr $t ;;
		*) run --separate-stderr $t m.safetensors ;;
		esac
		expect 1 "${t%% *}: $1" || { echo "($t)"; return 1; }
	done
}

@test "faults: a model truncated after it was written: a clear error at open" {
	emb-init --from "$M" -o m.safetensors
	size=$(wc -c <m.safetensors)
	hlen=$(od -An -tu8 -N8 m.safetensors | tr -d ' ')
	truncate -s $((size - 1)) m.safetensors
	broken 'm.safetensors: tensor "vocab": data offsets outside the file (file truncated?)'
	truncate -s $((8 + hlen + 10)) m.safetensors
	broken 'm.safetensors: tensor "vocab_offsets": data offsets outside the file (file truncated?)'
	truncate -s 100 m.safetensors
	broken "m.safetensors: safetensors header length $hlen is invalid for a file of 100 bytes"
	truncate -s 0 m.safetensors
	broken "m.safetensors: empty file"
}

@test "faults: a text model truncated mid-row" {
	head -c 30 "$M" >m.vec
	run --separate-stderr emb-lookup --all -m m.vec
	expect 1 "emb-lookup: m.vec:4: expected a token and 3 numbers, found 3 fields"
}

@test "faults: a model truncated while a tool has it mapped: an error, not a crash" {
	[ -z "${EMB_TEST_BIN:-}" ] || skip "valgrind handles SIGBUS itself"
	cp "$B" m.safetensors
	mkfifo q
	emb-nn -m m.safetensors -k 2 <q >out 2>err &
	pid=$!
	exec 9>q
	# the tool has opened (mapped) the model once it waits for queries
	sleep 0.5
	truncate -s 100000 m.safetensors
	echo w5 >&9
	exec 9>&-
	st=0
	wait $pid || st=$?
	[ "$st" = 1 ]
	[ "$(cat err)" = "emb-nn: a mapped file was truncated while in use (bus error)" ]
}

@test "faults: out of memory: the message names the program, status 1" {
	[ -z "${EMB_TEST_BIN:-}" ] || skip "valgrind needs more address space"
	grep -q __asan_init "$TOP/cmd/emb-init" &&
	    skip "ASan reserves more address space than the limit"
	cd "$BATS_TEST_TMPDIR"
	# 4 GB of rows under a 200 MB address space limit
	run -1 --separate-stderr bash -c \
	    'ulimit -v 200000; emb-init -V 1000000 -d 1000 -o x.safetensors'
	[ "$stderr" = "emb-init: out of memory" ]
	[ ! -e x.safetensors ]
}
