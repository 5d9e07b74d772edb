#!/bin/sh
# See LICENSE file for copyright and license details.
#
# Build the libFuzzer targets (lib/ compiled again with clang, ASan, UBSan
# and coverage) and run each for FUZZ_SECONDS under nice, FUZZ_JOBS at a
# time.  Usage:
#   sh tests/fuzz/run.sh [-b] [target ...]      (-b: build only)
# Each target starts from its seed corpus tests/fuzz/corpus/NAME (kept in
# git) and adds what it finds to tests/fuzz/work/NAME (not kept); crashes
# go to tests/fuzz/crashes/NAME-*.  The summary is one line per target.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
FUZZCC=${FUZZCC:-clang}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_JOBS=${FUZZ_JOBS:-1}
CFLAGS="-g -O1 -std=c99 -D_POSIX_C_SOURCE=200809L -Ilib -pthread \
-fsanitize=address,undefined -fno-sanitize-recover=undefined \
-fno-omit-frame-pointer"
LDLIBS="-lcsv -lcjson -lz -lpcre2-8 -lutf8proc -lm"
ALL="safetensors vstream ids num vocab w2v npy csv simeval analogy fmt corpus shard plot fasttext"

build_only=0
if [ "${1:-}" = "-b" ]; then build_only=1; shift; fi
targets=${*:-$ALL}

obj=tests/fuzz/obj
bin=tests/fuzz/bin
mkdir -p "$obj" "$bin" tests/fuzz/work tests/fuzz/crashes tests/fuzz/logs
for c in lib/*.c; do
	o=$obj/$(basename "$c" .c).o
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] ||
	    [ -n "$(find lib -name '*.h' -newer "$o" 2>/dev/null)" ]; then
		nice -n 19 $FUZZCC $CFLAGS -fsanitize=fuzzer-no-link \
		    -c -o "$o" "$c" || exit 1
	fi
done
rm -f "$obj/libemb-fuzz.a"
ar rc "$obj/libemb-fuzz.a" "$obj"/*.o
for t in $targets; do
	nice -n 19 $FUZZCC $CFLAGS -fsanitize=fuzzer -Itests/fuzz \
	    -o "$bin/fuzz_$t" "tests/fuzz/fuzz_$t.c" "$obj/libemb-fuzz.a" \
	    $LDLIBS || exit 1
done
[ "$build_only" = 1 ] && exit 0

# one target: run it, then write its summary line to logs/NAME.sum
fuzz_one() {
	t=$1
	mkdir -p "tests/fuzz/work/$t" "tests/fuzz/corpus/$t"
	log=tests/fuzz/logs/$t.log
	# the safetensors and w2v readers are handed big claims on purpose:
	# an allocation over 1 GB is a finding, not a test-machine hazard
	nice -n 19 "$bin/fuzz_$t" -max_total_time="$FUZZ_SECONDS" \
	    -timeout=20 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
	    -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="tests/fuzz/crashes/$t-" \
	    "tests/fuzz/work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
	echo $? >"tests/fuzz/logs/$t.status"
}

# FUZZ_JOBS targets run at a time; each runs for FUZZ_SECONDS, so
# batches of equal length keep every job busy
n=0
for t in $targets; do
	rm -f "tests/fuzz/logs/$t.status"
	fuzz_one "$t" &
	n=$((n + 1))
	if [ "$n" -ge "$FUZZ_JOBS" ]; then wait; n=0; fi
done
wait

fail=0
printf '%-12s %12s %8s %8s\n' target executions exec/s crashes
for t in $targets; do
	log=tests/fuzz/logs/$t.log
	st=$(cat "tests/fuzz/logs/$t.status" 2>/dev/null || echo 1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	crashes=$(ls tests/fuzz/crashes 2>/dev/null | grep -c "^$t-")
	printf '%-12s %12s %8s %8s\n' "$t" "${runs:-?}" "${rate:-?}" "$crashes"
	if [ "$st" != 0 ] || [ "$crashes" != 0 ]; then
		fail=1
		grep -m 3 -E 'ERROR|SUMMARY|==[0-9]+==' "$log" | sed 's/^/    /'
	fi
done
exit $fail
