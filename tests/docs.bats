#!/usr/bin/env bats
# The documentation against the code: every built tool has a page, the
# options in --help, the getopt tables and the man page agree, SYNOPSIS is
# the usage text, the pages lint clean, and the EXAMPLES run.
#
# Each test loops over every tool (or page), collects every mismatch and
# fails once at the end listing them all.  DOCS_TRACE=1 lists the EXAMPLES
# that ran and those skipped.

load helper

# the built tools: cmd/emb-* executables (tools still being written have
# only their .c and are left out)
tools() {
	local f
	for f in "$TOP"/cmd/emb-*; do
		case $f in *.c | *.o | *.h) continue ;; esac
		[ -f "$f" ] && [ -x "$f" ] && basename "$f"
	done
}

pages() {
	ls "$TOP"/man/*.[1-9] 2>/dev/null
}

# Each tool's --help, run once per file (a tool may run under valgrind)
setup_file() {
	local t
	for t in $(tools); do
		"$t" --help >"$BATS_FILE_TMPDIR/help.$t" 2>/dev/null ||
		    echo "status $?" >"$BATS_FILE_TMPDIR/help-failed.$t"
	done
}

# the --help text of a tool; fails if --help failed
help_of() {
	[ ! -e "$BATS_FILE_TMPDIR/help-failed.$1" ] &&
	    cat "$BATS_FILE_TMPDIR/help.$1"
}

# collect a mismatch; the test fails at the end if there is any
bad() {
	errs+=("$(printf '%s\n' "$@")")
}

report() {
	if [ "${#errs[@]}" -gt 0 ]; then
		printf '%s\n' "${errs[@]}"
		return 1
	fi
}

# Options as --help lists them, one per line:
#   long NAME none|req|opt      short X none|req|opt      pair X NAME
# An option line is indented by 1 to 8 spaces and starts with '-'; its
# spec is what precedes the first run of two spaces (the description).
help_opts() {
	awk '
	/^ +-/ {
		spec = $0
		sub(/^ +/, "", spec)
		if (length($0) - length(spec) > 8)
			next
		if ((i = index(spec, "  ")) > 0)
			spec = substr(spec, 1, i - 1)
		n = split(spec, part, /, /)
		short = ""
		for (k = 1; k <= n; k++) {
			p = part[k]
			if (p ~ /^--[a-z0-9]/) {
				name = p; kind = "none"
				if (name ~ /\[=/) { kind = "opt"; sub(/\[=.*/, "", name) }
				else if (name ~ /[= ]/) { kind = "req"; sub(/[= ].*/, "", name) }
				sub(/^--/, "", name)
				print "long", name, kind
				if (short != "") {
					print "short", short, kind
					print "pair", short, name
					short = ""
				}
			} else if (p ~ /^-[A-Za-z0-9]/) {
				if (short != "")
					print "short", short, "none"
				short = substr(p, 2, 1)
				rest = substr(p, 3)
				if (rest ~ /^\[/) { print "short", short, "opt"; short = "" }
				else if (rest ~ /^ ./) { print "short", short, "req"; short = "" }
				else if (k == n) { print "short", short, "none"; short = "" }
			}
		}
	}'
}

# The getopt_long table of a C source, one per line: NAME none|req|opt VAL
c_longopts() {
	tr '\n' ' ' <"$1" |
	    grep -oE '\{[[:space:]]*"[^"]+"[[:space:]]*,[[:space:]]*(no_argument|required_argument|optional_argument|[012])[[:space:]]*,[^,}]+,[^,}]+\}' |
	    sed -E 's/^\{[[:space:]]*"([^"]+)"[[:space:]]*,[[:space:]]*([a-z_012]+)[[:space:]]*,[^,]+,[[:space:]]*([^}]*[^[:space:]])[[:space:]]*\}$/\1 \2 \3/' |
	    sed -E 's/ (no_argument|0) / none /; s/ (required_argument|1) / req /; s/ (optional_argument|2) / opt /'
}

# The optstring given to getopt_long (a literal, or a named string)
c_optstring() {
	local flat arg
	flat=$(tr '\n' ' ' <"$1")
	arg=$(printf '%s' "$flat" |
	    grep -oE 'getopt_long[[:space:]]*\([^,]+,[^,]+,[[:space:]]*("[^"]*"|[A-Za-z_][A-Za-z0-9_]*)' |
	    head -n 1 | sed -E 's/.*,[[:space:]]*//')
	case $arg in
	\"*) arg=${arg#\"}; printf '%s\n' "${arg%\"}" ;;
	?*) printf '%s' "$flat" |
	    grep -oE "(char[[:space:]]+\*?[[:space:]]*$arg(\[\])?[[:space:]]*=|define[[:space:]]+$arg)[[:space:]]*\"[^\"]*\"" |
	    head -n 1 | sed -E 's/.*"([^"]*)"$/\1/' ;;
	esac
}

# the usage block at the start of a text: "usage:" and its indented
# continuation lines, whitespace collapsed, "usage:" dropped
usage_block() {
	awk '
	/^usage:/ { on = 1; sub(/^usage:/, ""); print; next }
	on && /^[ \t]/ { print; next }
	on { exit }' | tr -s ' \t\n' '   ' | sed -E 's/^ +//; s/ +$//'
}

# the SYNOPSIS as mandoc (else groff) renders it, whitespace collapsed
synopsis() {
	if command -v mandoc >/dev/null; then
		mandoc -Tascii -Owidth=1000 "$1"
	else
		groff -mdoc -Tascii -P-cbou -rLL=1000n "$1" 2>/dev/null
	fi | sed 's/.\x08//g' | awk '
	/^SYNOPSIS/ { on = 1; next }
	on && /^[A-Z]/ { exit }
	on { print }' | tr -s ' \t\n' '   ' | sed -E 's/^ +//; s/ +$//'
}

@test "every built tool has a man page, in the Makefile's MAN1" {
	local t errs=() n=0
	for t in $(tools); do
		n=$((n + 1))
		[ -f "$TOP/man/$t.1" ] || bad "$t: no man/$t.1"
		grep -Eq "^MAN1[[:space:]]*=.*(^|[[:space:]])man/$t\.1([[:space:]]|\\\\|$)" \
		    <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$TOP/Makefile") ||
		    bad "$t: man/$t.1 is not in the Makefile's MAN1"
	done
	[ "$n" -gt 0 ] || skip "no tool is built"
	report
}

@test "every page in man/ is installed and linted by the Makefile" {
	local p errs=() mk
	mk=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$TOP/Makefile" | grep -E '^MAN[157][[:space:]]*=')
	for p in $(pages); do
		p=man/${p##*/}
		grep -Eq "(=|[[:space:]])$p([[:space:]]|$)" <<<"$mk" ||
		    bad "$p is not in the Makefile's MAN1/MAN5/MAN7"
	done
	report
}

# The options of the .It entries of a page, one per line:
#   long NAME none|req|opt      short X none|req
# (".Fl \-name Ns = Ns Ar arg" or ".Fl \-name Ar arg" takes an argument,
# ".Fl \-name Oo Ns = Ns Ar arg Oc" an optional one)
page_its() {
	awk '
	/^\.It / {
		n = split($0, w, /[ \t]+/)
		for (i = 2; i < n; i++) {
			if (w[i] != "Fl")
				continue
			f = w[i + 1]
			if (f ~ /^\\?-[a-z0-9]/) {
				sub(/^\\?-/, "", f)
				k = "none"
				if (w[i + 2] == "Ar" || (w[i + 2] == "Ns" && w[i + 3] == "=" &&
				    w[i + 4] == "Ns" && w[i + 5] == "Ar"))
					k = "req"
				else if (w[i + 2] == "Oo")
					k = "opt"
				print "long", f, k
			} else if (f ~ /^[A-Za-z0-9]$/) {
				print "short", f, (w[i + 2] == "Ar" ? "req" : "none")
			} else if (f ~ /^[A-Za-z0-9]+$/) {
				for (j = 1; j <= length(f); j++)
					print "short", substr(f, j, 1), "none"
			}
		}
	}' "$1"
}

# Load the output of help_opts or page_its into the associative arrays
# named $1 (long options) and $2 (short letters), and for help_opts the
# pairs into PAIRS (letter -> long) and PAIRL (long -> letter).
load_opts() {
	local -n L=$1 S=$2
	local kind a b
	L=()
	S=()
	PAIRS=()
	PAIRL=()
	while read -r kind a b; do
		case $kind in
		long) L[$a]=$b ;;
		short) [ -n "${S[$a]:-}" ] || S[$a]=$b ;;
		pair) PAIRS[$a]=$b; PAIRL[$b]=$a ;;
		esac
	done
}

@test "--help and the man page list the same options" {
	local t errs=() help page name
	declare -A HL HS ML MS PAIRS PAIRL
	for t in $(tools); do
		page=$TOP/man/$t.1
		[ -f "$page" ] || continue
		help=$(help_of "$t") || { bad "$t --help: failed"; continue; }
		load_opts ML MS < <(page_its "$page")
		load_opts HL HS < <(help_opts <<<"$help")
		# each option in --help has an .It entry in the page
		for name in "${!HL[@]}"; do
			[ -n "${ML[$name]:-}" ] ||
			    bad "$t: --$name is in --help but has no .It entry in man/$t.1"
		done
		for name in "${!HS[@]}"; do
			[ -n "${MS[$name]:-}" ] ||
			    bad "$t: -$name is in --help but has no .It entry in man/$t.1"
		done
		# each .Fl \-name anywhere in the page is a long option of --help
		for name in $(grep -oE 'Fl \\?-[a-z0-9][a-z0-9-]*' "$page" |
		    sed -E 's/^Fl \\?-//' | sort -u); do
			[ -n "${HL[$name]:-}" ] || bad "$t: man/$t.1 has --$name, --help does not"
		done
		# each .Fl x anywhere in the page is a short option of --help
		for name in $(grep -oE '(^|[^a-zA-Z])Fl [A-Za-z0-9]+([^A-Za-z0-9-]|$)' "$page" |
		    sed -E 's/^.?Fl ([A-Za-z0-9]+).*/\1/' | grep -o . | sort -u); do
			[ -n "${HS[$name]:-}" ] || bad "$t: man/$t.1 has -$name, --help does not"
		done
		# every --word anywhere in --help (usage, prose) is an option
		for name in $(grep -oE -- '(^|[^a-zA-Z0-9-])--[a-z0-9][a-z0-9-]*' <<<"$help" |
		    sed -E 's/^.?--//' | sort -u); do
			[ -n "${HL[$name]:-}" ] || bad "$t: --help mentions --$name, which it does not list"
		done
	done
	report
}

@test "an option's argument: the C tables, --help and the man page agree" {
	local t errs=() src page optstr name kind val ch x arg
	declare -A HL HS ML MS PAIRS PAIRL CL OPTSTR
	for t in $(tools); do
		src=$TOP/cmd/$t.c
		page=$TOP/man/$t.1
		[ -f "$src" ] || { bad "$t: no cmd/$t.c"; continue; }
		load_opts HL HS < <(help_of "$t" | help_opts)
		optstr=$(c_optstring "$src")
		[ -n "$optstr" ] || bad "$t: no getopt_long optstring found in cmd/$t.c"
		# the optstring's letters: x -> none, x: -> req, x:: -> opt
		OPTSTR=()
		for x in $(sed 's/^[+:-]*//' <<<"$optstr" | grep -o "[A-Za-z0-9]:*"); do
			case $x in ?::) arg=opt ;; ?:) arg=req ;; *) arg=none ;; esac
			OPTSTR[${x:0:1}]=$arg
		done
		# the long table against --help and the optstring
		CL=()
		while read -r name kind val; do
			[ -n "$name" ] || continue
			CL[$name]=$kind
			if [ -z "${HL[$name]:-}" ]; then
				bad "$t: --$name is in the C table, not in --help"
			elif [ "${HL[$name]}" != "$kind" ]; then
				bad "$t: --$name takes $kind argument in the C table, ${HL[$name]} in --help"
			fi
			# a long option tied to a letter: the letter agrees too
			case $val in
			\'?\')
				ch=${val:1:1}
				if [ -z "${OPTSTR[$ch]:-}" ]; then
					bad "$t: --$name maps to '$ch', which is not in the optstring \"$optstr\""
				elif [ "${OPTSTR[$ch]}" != "$kind" ]; then
					bad "$t: --$name ($kind) and '$ch' in the optstring \"$optstr\" disagree"
				fi
				[ "${PAIRS[$ch]:-}" = "$name" ] ||
				    bad "$t: --help does not show -$ch, --$name together"
				;;
			esac
		done < <(c_longopts "$src")
		[ "${#CL[@]}" -gt 0 ] || bad "$t: no struct option table found in cmd/$t.c"
		for name in "${!HL[@]}"; do
			[ -n "${CL[$name]:-}" ] || bad "$t: --$name is in --help, not in the C table"
		done
		# the optstring against --help: a letter takes an argument iff ':'
		for ch in "${!OPTSTR[@]}"; do
			if [ -z "${HS[$ch]:-}" ]; then
				bad "$t: -$ch is in the optstring, not in --help"
			elif [ "${HS[$ch]}" != "${OPTSTR[$ch]}" ]; then
				bad "$t: -$ch takes ${OPTSTR[$ch]} argument in the optstring, ${HS[$ch]} in --help"
			fi
		done
		# the man page's .It entries show an argument where --help does
		[ -f "$page" ] || continue
		load_opts ML MS < <(page_its "$page")
		for name in "${!HL[@]}"; do
			[ -n "${ML[$name]:-}" ] && [ "${ML[$name]}" != "${HL[$name]}" ] &&
			    bad "$t: --$name takes ${HL[$name]} argument in --help, ${ML[$name]} in man/$t.1"
		done
		for ch in "${!HS[@]}"; do
			[ -n "${MS[$ch]:-}" ] && [ "${MS[$ch]}" != "${HS[$ch]}" ] &&
			    bad "$t: -$ch takes ${HS[$ch]} argument in --help, ${MS[$ch]} in man/$t.1"
		done
	done
	report
}

@test "SYNOPSIS is the usage text of --help and of a usage error" {
	local t errs=() u s e
	for t in $(tools); do
		[ -f "$TOP/man/$t.1" ] || continue
		u=$(help_of "$t" | usage_block)
		s=$(synopsis "$TOP/man/$t.1")
		[ -n "$u" ] || { bad "$t: --help prints no usage: line"; continue; }
		[ "$u" = "$s" ] ||
		    bad "$t: usage and SYNOPSIS differ:" "  usage:    $u" "  SYNOPSIS: $s"
		# a usage error: status 2, nothing on stdout, the same usage
		run --separate-stderr "$t" --no-such-option-exists
		[ "$status" -eq 2 ] || bad "$t --no-such-option-exists: status $status, not 2"
		[ -z "$output" ] || bad "$t --no-such-option-exists: wrote to stdout"
		e=$(usage_block <<<"$stderr")
		[ "$e" = "$u" ] || bad "$t: the usage on a usage error differs from --help's:" \
		    "  error: $e" "  help:  $u"
	done
	report
}

@test "-h, --help and --version exit 0 and write to stdout only" {
	local t errs=()
	for t in $(tools); do
		for x in -h --help --version; do
			run --separate-stderr "$t" "$x"
			[ "$status" -eq 0 ] || bad "$t $x: status $status"
			[ -n "$output" ] || bad "$t $x: no output"
			[ -z "$stderr" ] || bad "$t $x: wrote to stderr: $stderr"
		done
		run "$t" --version
		[[ $output == "$t "[0-9]* ]] || bad "$t --version: \"$output\" is not \"$t VERSION\""
	done
	report
}

@test "groff -mdoc -ww -z is silent on every page" {
	local p errs=() out
	for p in $(pages); do
		out=$(groff -mdoc -ww -z "$p" 2>&1)
		[ -z "$out" ] || bad "${p#"$TOP"/}: $out"
	done
	report
}

@test "mandoc -Tlint -Wwarning is clean on every page" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local p errs=() out
	for p in $(pages); do
		out=$(mandoc -Tlint -Wwarning "$p" 2>&1) || bad "${p#"$TOP"/}: mandoc status $?"
		[ -z "$out" ] || bad "$out"
	done
	report
}

@test "every page: .Dd, .Os emb, .Dt matching the file name" {
	local p errs=() base sec
	for p in $(pages); do
		base=${p##*/}
		sec=${base##*.}
		base=${base%.*}
		grep -Eq '^\.Dd [A-Z][a-z]+ [0-9]{1,2}, [0-9]{4}$' "$p" ||
		    bad "man/${p##*/}: .Dd is not \"Month D, YYYY\""
		grep -qx '\.Os emb' "$p" || bad "man/${p##*/}: no \".Os emb\""
		grep -qix "\.Dt $base $sec" "$p" || bad "man/${p##*/}: .Dt is not \"$base $sec\""
	done
	report
}

@test "cross-references name pages that exist" {
	local p errs=() name sec planned=" emb-init emb-lookup emb-sim emb-nn emb-analogy emb-train "
	for p in $(pages); do
		while read -r name sec; do
			[ -n "$name" ] || continue
			[ -f "$TOP/man/$name.$sec" ] && continue
			# a page for one of the six tools may still be being written
			[ "$sec" = 1 ] && [[ $planned == *" $name "* ]] && continue
			bad "man/${p##*/}: .Xr $name $sec: no man/$name.$sec"
		done < <(grep -oE '^\.Xr emb[a-z0-9-]* [0-9]' "$p" | sed 's/^\.Xr //')
	done
	report
}

# The EXAMPLES of a page: "$ command" lines from .Dl and literal displays,
# each followed by the output lines shown for it (if any), as
#   C<TAB>command     O<TAB>output line
examples() {
	awk '
	function unesc(s) {
		gsub(/\\-/, "-", s); gsub(/\\\(dq/, "\"", s); gsub(/\\\(aq/, "\047", s)
		gsub(/\\\(ga/, "`", s); gsub(/\\&/, "", s); gsub(/\\e/, "\\", s)
		gsub(/\\\(ti/, "~", s); gsub(/\\\(ha/, "^", s)
		return s
	}
	/^\.Sh / { ex = ($0 ~ /^\.Sh EXAMPLES/); lit = 0; cmd = 0; next }
	!ex { next }
	/^\.Bd .*-literal/ { lit = 1; cmd = 0; next }
	/^\.Ed/ { lit = 0; cmd = 0; next }
	/^\.Dl \$ / { s = $0; sub(/^\.Dl \$ /, "", s); print "C\t" unesc(s); cmd = 1; next }
	/^\.Dl / { if (cmd) { s = $0; sub(/^\.Dl /, "", s); print "O\t" unesc(s) }; next }
	lit && /^\$ / { s = $0; sub(/^\$ /, "", s); print "C\t" unesc(s); cmd = 1; next }
	lit && !/^\./ { if (cmd) print "O\t" unesc($0); next }
	{ cmd = 0 }
	' "$1"
}

# Can this example run here?  Every emb-* command in it is built, and every
# file it reads is under data/ or was written by an earlier example of the
# same page (files it writes, after > or -o, may be anywhere).
runnable() {
	local cmd=$1 w out=0
	for w in $(grep -oE '(^|[|;&(`]|\$\()[[:space:]]*emb-[a-z0-9-]+' <<<"$cmd" |
	    grep -oE 'emb-[a-z0-9-]+'); do
		[ -x "$TOP/cmd/$w" ] || return 1
		# training a real corpus under valgrind takes too long
		[ -z "${EMB_TEST_BIN:-}" ] || [ "$w" != emb-train ] || return 1
	done
	for w in $(tr -d "\"'" <<<"$cmd"); do
		if [ "$out" = 1 ]; then
			out=0
			continue
		fi
		case $w in
		'>' | '>>' | '2>' | -o | --output) out=1; continue ;;
		'>'* | '2>'*) continue ;;
		'<'*) w=${w#<} ;;
		--shard=*) continue ;;	# i/n, not a path
		--*=*) w=${w#*=} ;;
		-*) continue ;;
		esac
		case $w in
		data/*) ;;
		*/* | *.txt | *.vec | *.bin | *.emb | *.safetensors | *.npy | *.csv | \
		*.gz | *.tsv | *.json)
			[ -e "$w" ] || return 1 ;;
		esac
	done
}

# run one example; compare the first lines of its output with those shown
run_example() {
	local page=$1 cmd=$2 got st exp act
	shift 2
	[ -z "${DOCS_TRACE:-}" ] || echo "# ran: $page: $cmd" >&3
	got=$(timeout 120 bash -c "set -o pipefail; $prelude $cmd" 2>"$BATS_TEST_TMPDIR/ex.err") &&
	    st=0 || st=$?
	if [ "$st" -ne 0 ]; then
		bad "$page: \$ $cmd: status $st: $(head -c 300 "$BATS_TEST_TMPDIR/ex.err")"
	elif [ "$#" -gt 0 ]; then
		exp=$(printf '%s\n' "$@" | tr -s ' \t' '  ' | sed -E 's/^ //; s/ $//')
		act=$(printf '%s\n' "$got" | tr -s ' \t' '  ' | sed -E 's/^ //; s/ $//' |
		    head -n "$#")
		[ "$exp" = "$act" ] ||
		    bad "$page: \$ $cmd: the output differs from the page's:" \
		    "  page: $(tr '\n' '|' <<<"$exp")" "  got:  $(tr '\n' '|' <<<"$act")"
	fi
}

@test "every EXAMPLES command that uses only data/ runs, with the output shown" {
	local p errs=() lines line i cmd want n=0 prelude held
	for p in $(pages); do
		# a fresh directory per page with a copy of data/: examples may
		# write files, and later examples of the page may read them
		rm -rf "$BATS_TEST_TMPDIR/ex"
		mkdir "$BATS_TEST_TMPDIR/ex"
		cp -R "$TOP/data" "$BATS_TEST_TMPDIR/ex/data"
		cd "$BATS_TEST_TMPDIR/ex"
		prelude=
		held=0
		mapfile -t lines < <(examples "$p")
		lines+=("E")
		cmd=
		want=()
		for line in "${lines[@]}"; do
			if [ "${line%%$'\t'*}" = O ]; then
				[ -n "$cmd" ] && want+=("${line#*$'\t'}")
				continue
			fi
			if [ -n "$cmd" ]; then
				n=$((n + 1))
				run_example "man/${p##*/}" "$cmd" "${want[@]}"
			fi
			cmd=
			want=()
			[ "${line%%$'\t'*}" = C ] || continue
			line=${line#*$'\t'}
			# variable settings carry over to the page's later
			# examples; one naming a file that is not here (yet)
			# holds them back until the next setting
			if [[ $line =~ ^(export[[:space:]]+)?[A-Z_][A-Z0-9_]*=([^[:space:]]*)$ ]]; then
				prelude+="$line; "
				runnable "${BASH_REMATCH[2]}" && held=0 || held=1
				continue
			fi
			if [ "$held" = 0 ] && runnable "$line"; then
				cmd=$line
			elif [ -n "${DOCS_TRACE:-}" ]; then
				echo "# skipped: man/${p##*/}: $line" >&3
			fi
		done
	done
	cd "$TOP"
	[ "$n" -gt 0 ] || skip "no example can run yet"
	report
}

# emb.7's common options: "S L kind" per line, S "-" when there is no letter
common_opts() {
	awk '
	/^\.Ss Common options/ { on = 1; next }
	on && /^\.S[sh] / { exit }
	on && /^\.It / {
		s = "-"; l = "-"; k = "none"
		line = $0
		if (match(line, /Fl [A-Za-z0-9]( |$)/)) {
			s = substr(line, RSTART + 3, 1)
			if (substr(line, RSTART + 4, 4) == " Ar ")
				k = "req"
		}
		if (match(line, /Fl \\-[a-z0-9-]+/)) {
			l = substr(line, RSTART + 5, RLENGTH - 5)
			rest = substr(line, RSTART + RLENGTH)
			if (rest ~ /^ (Ns = Ns )?Ar /)
				k = "req"
		}
		print s, l, k
	}' "$TOP/man/emb.7"
}

@test "the common options of emb(7) mean the same in every tool" {
	[ -f "$TOP/man/emb.7" ] || skip "no man/emb.7 yet"
	local t errs=() common s l k
	declare -A HL HS PAIRS PAIRL
	common=$(common_opts)
	[ "$(wc -l <<<"$common")" -ge 8 ] || bad "emb.7: cannot find the common options: $common"
	for t in $(tools); do
		load_opts HL HS < <(help_of "$t" | help_opts)
		while read -r s l k; do
			# the exceptions emb(7) states: emb-init --count (SPEC),
			# emb-tokenize --count (a flag, as in issue 12)
			[ "$t $l" = "emb-init count" ] && continue
			[ "$t $l" = "emb-tokenize count" ] && continue
			if [ -n "${HL[$l]:-}" ] && [ "${HL[$l]}" != "$k" ]; then
				bad "$t: --$l takes ${HL[$l]} argument, emb(7) says $k"
			fi
			# the letter of --l, if any, is emb(7)'s
			if [ -n "${PAIRL[$l]:-}" ] && [ "${PAIRL[$l]}" != "$s" ]; then
				bad "$t: -${PAIRL[$l]}, --$l: emb(7) gives --$l the letter ${s#-}"
			fi
			# emb(7)'s letter, if the tool has it, means --l
			if [ "$s" != - ] && [ -n "${HS[$s]:-}" ] && [ "${PAIRS[$s]:-}" != "$l" ]; then
				bad "$t: -$s is ${PAIRS[$s]:+--}${PAIRS[$s]:-not paired with a long option}, emb(7) says --$l"
			fi
		done <<<"$common"
	done
	report
}

@test "emb(7) SEE ALSO names every other page" {
	[ -f "$TOP/man/emb.7" ] || skip "no man/emb.7 yet"
	local p errs=() base see
	see=$(sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' "$TOP/man/emb.7")
	for p in $(pages); do
		base=${p##*/}
		[ "$base" = emb.7 ] && continue
		grep -q "^\.Xr ${base%.*} ${base##*.}\( \|$\)" <<<"$see" ||
		    bad "emb.7: SEE ALSO lacks .Xr ${base%.*} ${base##*.}"
	done
	report
}

@test "emb-formats(5): a binary vector stream starts as documented" {
	[ -x "$TOP/cmd/emb-lookup" ] || skip "emb-lookup is not built"
	# header: EMBV, version 1, flags (bit 1: sequences), 2 reserved,
	# d = 3; a sequence of 1 row; row 2 = -1 1 1
	run -0 bash -c 'echo 2 | emb-lookup -b --ids -m "$DATA/e5x3.vec" | od -A n -t x1 | tr -s " \n" "  "'
	[ "$output" = " 45 4d 42 56 01 02 00 00 03 00 00 00 01 00 00 00 00 00 80 bf 00 00 80 3f 00 00 80 3f " ]
	# labelled: flags bit 0, then per row u32 LE length + label + floats
	run -0 bash -c 'echo t2 | emb-lookup -b --label -m "$DATA/e5x3.vec" | od -A n -t x1 | tr -s " \n" "  "'
	[ "$output" = " 45 4d 42 56 01 03 00 00 03 00 00 00 01 00 00 00 02 00 00 00 74 32 00 00 80 bf 00 00 80 3f 00 00 80 3f " ]
	# no sequences: --all
	run -0 bash -c 'emb-lookup -b --all -m "$DATA/e4x2.vec" | head -c 24 | od -A n -t x1 | tr -s " \n" "  "'
	[ "$output" = " 45 4d 42 56 01 01 00 00 02 00 00 00 02 00 00 00 74 30 00 00 00 00 00 00 " ]
}

# the Python example of emb-formats(5) that reads a model with json + numpy
formats_python() {
	awk '
	/^Read a native model in Python/ { want = 1 }
	want && /^\.Bd -literal/ { on = 1; next }
	on && /^\.Ed/ { exit }
	on { gsub(/\\e/, "\\"); gsub(/\\&/, ""); print }' "$TOP/man/emb-formats.5"
}

@test "emb-formats(5): native models are laid out as documented, the Python example reads them" {
	[ -x "$TOP/cmd/emb-init" ] || skip "emb-init is not built"
	need_py numpy
	cd "$BATS_TEST_TMPDIR"
	formats_python >load.py
	grep -q '^def load_emb' load.py
	emb-init --from "$DATA/e5x3.vec" -o f32.emb
	emb-init --from "$DATA/e5x3.vec" --dtype f16 -o f16.emb
	emb-init --from "$DATA/e5x3.vec" --dtype bf16 -o bf16.emb
	printf 'b a b c b a\n' | emb-init --count --min-count 1 -d 2 -o counts.emb
	cat >check.py <<'PY'
import json, sys
exec(open("load.py").read().replace('load_emb("model.emb")', 'load_emb(sys.argv[1])'))
data = open(sys.argv[1], "rb").read()
n = int.from_bytes(data[:8], "little")
assert (8 + n) % 64 == 0, "data not 64-byte aligned"
text = data[8:8 + n].decode()
assert text == text.rstrip(" ") + " " * (len(text) - len(text.rstrip(" "))), "padding"
h = json.loads(text)
size = {"I64": 8, "F32": 4, "I32": 4, "F16": 2, "BF16": 2, "U8": 1}
ts = sorted((v["data_offsets"], size[v["dtype"]], k) for k, v in h.items()
            if k != "__metadata__")
assert ts[0][0][0] == 0, "data does not start at 0"
for a, b in zip(ts, ts[1:]):
    assert a[0][1] == b[0][0], "tensors not back to back"
    assert a[1] >= b[1], "not ordered by element size"
assert ts[-1][0][1] == len(data) - 8 - n, "trailing bytes"
assert meta["format"] == "emb" and meta["emb.version"] == "1", meta
assert all(k.startswith("emb.") or k == "format" for k in meta), meta
assert data[8 + n + h["vocab"]["data_offsets"][1] - 1] == 10, "vocab end"
print(E.dtype, list(E.shape), b" ".join(tokens).decode(),
      " ".join("%g" % x for x in E[-1]),
      "" if counts is None else " ".join(map(str, counts)))
PY
	run -0 "$PY" check.py f32.emb
	[ "$output" = "float32 [5, 3] t0 t1 t2 t3 t4 0 -1 3 " ]
	run -0 "$PY" check.py f16.emb
	[ "$output" = "float16 [5, 3] t0 t1 t2 t3 t4 0 -1 3 " ]
	run -0 "$PY" check.py bf16.emb
	[ "$output" = "float32 [5, 3] t0 t1 t2 t3 t4 0 -1 3 " ]
	run -0 "$PY" check.py counts.emb
	[[ $output == "float32 [3, 2] b a c "*" 3 2 1" ]]
	# with output vectors: after F32 embeddings, before F16 ones
	[ -x "$TOP/cmd/emb-train" ] || return 0
	printf 'a b c a b c a b\nc a b\n' >tiny.txt
	emb-train -q --min-count 1 -d 4 --epochs 1 --threads 1 -o out32.emb tiny.txt
	emb-init --from out32.emb --dtype f16 -o out16.emb
	for f in out32.emb out16.emb; do
		run -0 "$PY" check.py "$f"
		[[ $output == "float"*" [3, 4] a b c "*" 4 4 3" ]]
		run -0 "$PY" -c '
import json, sys
d = open(sys.argv[1], "rb").read()
n = int.from_bytes(d[:8], "little")
h = json.loads(d[8:8 + n])
print(" ".join(k for _, k in sorted((v["data_offsets"][0], k)
      for k, v in h.items() if k != "__metadata__")))' "$f"
		case $f in
		out32.emb) [ "$output" = "counts vocab_offsets embeddings output vocab_index vocab" ] ;;
		out16.emb) [ "$output" = "counts vocab_offsets output vocab_index embeddings vocab" ] ;;
		esac
	done
}

@test "emb-formats(5): the other formats are written as documented" {
	[ -x "$TOP/cmd/emb-init" ] || skip "emb-init is not built"
	cd "$BATS_TEST_TMPDIR"
	# word2vec binary: "V d\n", token, ' ', float32 LE, '\n' unless --no-newline
	emb-init --from "$DATA/cos3.txt" -o a.bin
	run -0 bash -c 'od -A n -t x1 a.bin | tr -s " \n" "  "'
	[ "$output" = " 32 20 33 0a 61 20 00 00 00 40 00 00 00 00 00 00 80 3f 0a 62 20 00 00 80 3f 00 00 80 3f 00 00 00 00 0a " ]
	emb-init --from "$DATA/cos3.txt" --no-newline -O word2vec-bin -o b.out
	[ "$(wc -c <b.out)" -eq $(($(wc -c <a.bin) - 2)) ]
	# both read back the same, whatever their names
	run -0 emb-lookup --all -m b.out
	[ "$output" = "$(printf 'a 2 0 1\nb 1 1 0')" ]
	# text: header for word2vec-text and vec, none for glove
	emb-init --from "$DATA/cos3.txt" -o a.txt
	emb-init --from "$DATA/cos3.txt" -o a.vec
	emb-init --from a.bin -O glove -o a.g
	[ "$(cat a.txt)" = "$(printf '2 3\na 2 0 1\nb 1 1 0')" ]
	cmp a.txt a.vec
	[ "$(cat a.g)" = "$(printf 'a 2 0 1\nb 1 1 0')" ]
	# CSV quotes what needs it and reads it back unchanged
	printf '"a,b",1,2\n"q""x",3,4\nplain,5,6\n' >q.csv
	emb-init --from q.csv -o r.csv
	cmp q.csv r.csv
	# CRLF and a trailing blank read the same
	printf '2 3\r\na 2 0 1 \r\nb 1 1 0\r\n' >crlf.txt
	run -0 emb-lookup --all -m crlf.txt
	[ "$output" = "$(printf 'a 2 0 1\nb 1 1 0')" ]
	# tokens with spaces: the last d fields are the numbers
	printf 'new york 1 2\nb 3 4\n' >sp.glove
	run -0 emb-lookup --all -m sp.glove
	[ "$output" = "$(printf 'new york 1 2\nb 3 4')" ]
}

@test "emb-formats(5): npy is version 1.0, '<f4', 64-byte aligned" {
	[ -x "$TOP/cmd/emb-init" ] || skip "emb-init is not built"
	need_py numpy
	cd "$BATS_TEST_TMPDIR"
	emb-init --from "$DATA/e5x3.vec" -o m.npy
	run -0 "$PY" -c '
import numpy as np
d = open("m.npy", "rb").read()
hl = int.from_bytes(d[8:10], "little")
a = np.load("m.npy")
print(d[:8], (10 + hl) % 64, d[9 + hl], a.dtype, a.shape, a[2].tolist())'
	[ "$output" = "b'\\x93NUMPY\\x01\\x00' 0 10 float32 (5, 3) [-1.0, 1.0, 1.0]" ]
}

@test "every tool's page has the sections STYLE.md asks for" {
	local t errs=() page secs x
	for t in $(tools); do
		page=$TOP/man/$t.1
		[ -f "$page" ] || continue
		secs=$(grep '^\.Sh ' "$page" | sed 's/^\.Sh //' | tr '\n' '|')
		for x in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES DIAGNOSTICS "SEE ALSO"; do
			[[ "|$secs" == *"|$x|"* ]] || bad "man/$t.1: no $x section"
		done
		# EXIT STATUS lists 0, 1 and 2
		x=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page" | grep -E '^\.It [0-9]+$' |
		    sed 's/^\.It //' | tr '\n' ' ')
		[ "$x" = "0 1 2 " ] || bad "man/$t.1: EXIT STATUS lists \"$x\", not 0 1 2"
		# a tool with -m documents EMB_MODEL
		if help_of "$t" | grep -q -- '--model'; then
			sed -n '/^\.Sh ENVIRONMENT/,/^\.Sh /p' "$page" | grep -q '^\.It Ev EMB_MODEL' ||
			    bad "man/$t.1: --model but no EMB_MODEL in ENVIRONMENT"
		fi
		x=$(sed -n '/^\.Sh SEE ALSO/,/^\.Sh /p' "$page")
		grep -q '^\.Xr emb 7' <<<"$x" || bad "man/$t.1: SEE ALSO lacks emb(7)"
		grep -q '^\.Xr emb-formats 5' <<<"$x" || bad "man/$t.1: SEE ALSO lacks emb-formats(5)"
		grep -q "^\.Nm $t\$" "$page" || bad "man/$t.1: no \".Nm $t\""
	done
	report
}

# "NAME ARG" for each long option of --help that takes an argument
help_args() {
	awk '
	/^ +-/ {
		spec = $0
		sub(/^ +/, "", spec)
		if (length($0) - length(spec) > 8)
			next
		if ((i = index(spec, "  ")) > 0)
			spec = substr(spec, 1, i - 1)
		n = split(spec, part, /, /)
		for (k = 1; k <= n; k++)
			if (part[k] ~ /^--[a-z0-9-]+\[?[= ]/) {
				name = part[k]; sub(/^--/, "", name); sub(/[[= ].*/, "", name)
				arg = part[k]; sub(/^--[a-z0-9-]+\[?[= ]/, "", arg); sub(/\]$/, "", arg)
				print name, toupper(arg)
			}
	}'
}

@test "a long option names its argument the same way in every tool" {
	local t errs=() all name args
	all=$(for t in $(tools); do
		help_of "$t" | help_args | sed "s/^/$t /"
	done)
	for name in $(awk '{ print $2 }' <<<"$all" | sort -u); do
		args=$(awk -v n="$name" '$2 == n { print $3 }' <<<"$all" | sort -u)
		[ "$(wc -l <<<"$args")" -eq 1 ] && continue
		bad "--$name means different things: $(awk -v n="$name" '$2 == n { printf "%s --%s=%s; ", $1, n, $3 }' <<<"$all")"
	done
	report
}

@test "EXAMPLES use only options their tools have, even those that cannot run here" {
	local p errs=() line seg t x c i w
	declare -A HL HS PAIRS PAIRL
	declare -A TL TS
	# every tool's options, as "tool name" keys
	for t in $(tools); do
		load_opts HL HS < <(help_of "$t" | help_opts)
		for x in "${!HL[@]}"; do TL["$t $x"]=${HL[$x]}; done
		for x in "${!HS[@]}"; do TS["$t $x"]=${HS[$x]}; done
	done
	for p in $(pages); do
		while IFS= read -r line; do
			[ "${line%%$'\t'*}" = C ] || continue
			line=${line#*$'\t'}
			# one command per line: split pipelines and lists
			while IFS= read -r seg; do
				read -r -a w <<<"$(tr -d "\"'" <<<"$seg")"
				# skip variable settings before the command
				while [ "${#w[@]}" -gt 0 ] && [[ ${w[0]} == *=* ]]; do
					w=("${w[@]:1}")
				done
				[ "${#w[@]}" -gt 0 ] || continue
				t=${w[0]}
				[[ $t == emb-* ]] && [ -x "$TOP/cmd/$t" ] || continue
				for x in "${w[@]:1}"; do
					if [[ $x =~ ^--([a-z0-9][a-z0-9-]*) ]]; then
						[ -n "${TL["$t ${BASH_REMATCH[1]}"]:-}" ] ||
						    bad "man/${p##*/}: \$ $line: $t has no --${BASH_REMATCH[1]}"
					elif [[ $x =~ ^-([A-Za-z]+)$ ]]; then
						# a cluster of letters; stop at one taking an argument
						for ((i = 0; i < ${#BASH_REMATCH[1]}; i++)); do
							c=${BASH_REMATCH[1]:i:1}
							if [ -z "${TS["$t $c"]:-}" ]; then
								bad "man/${p##*/}: \$ $line: $t has no -$c"
								break
							fi
							[ "${TS["$t $c"]}" = req ] && break
						done
					fi
				done
			done < <(sed -E 's/\|\||&&|[|;`]|\$\(/\n/g' <<<"$line")
		done < <(examples "$p")
	done
	report
}

@test "no mdoc macro is stranded inside a text line" {
	local p errs=() out
	for p in $(pages); do
		# ".It", ".Xr", ... after other text: a lost line break
		out=$(grep -nE '^[^.].*[^\\]\.(It|Xr|Fl|Ar|Op|Pp|Sh|Ss|Bl|El|Nm|Dl|Bd|Ed|Pq|Ql|Cm|Ev|Va)( |$)' "$p") &&
		    bad "man/${p##*/}: $out"
	done
	report
}

@test "emb(7): the DIAGNOSTICS shown are what the tools print" {
	[ -f "$TOP/man/emb.7" ] || skip "no man/emb.7 yet"
	[ -x "$TOP/cmd/emb-lookup" ] && [ -x "$TOP/cmd/emb-nn" ] ||
	    skip "emb-lookup or emb-nn is not built"
	local shown
	cd "$BATS_TEST_TMPDIR"
	shown=$(sed -n '/^\.Sh DIAGNOSTICS/,/^\.Sh /p' "$TOP/man/emb.7" |
	    sed -n '/^\.Bd -literal/,/^\.Ed/p' | sed '1d;$d')
	for i in 1 2 3 4 5 6 7 8 9 10 11; do echo t1; done >words.txt
	echo qwzx >>words.txt
	run -1 --separate-stderr emb-lookup -m "$DATA/e5x3.vec" words.txt
	[ "$stderr" = "$(sed -n 1p <<<"$shown")" ]
	run -1 --separate-stderr emb-nn -m model.safetensors cat
	[ "$stderr" = "$(sed -n 2p <<<"$shown")" ]
	run -1 --separate-stderr emb-lookup --ids -m "$DATA/e5x3.vec" <<<"$(printf '0\n1\n7\n')"
	[ "$stderr" = "$(sed -n 3p <<<"$shown")" ]
	[ "$(wc -l <<<"$shown")" -eq 3 ]
}

@test "--threads 0 and --restrict 0 mean all, in every tool that has them" {
	local t errs=() o
	cd "$BATS_TEST_TMPDIR"
	# each tool with the option in --help runs it below
	for t in $(tools); do
		for o in threads restrict; do
			help_of "$t" | grep -q -- "--$o=" || continue
			case "$t $o" in
			"emb-analogy threads" | "emb-analogy restrict" | \
			"emb-nn threads" | "emb-nn restrict" | \
			"emb-reduce threads" | "emb-sim restrict" | \
			"emb-tokenize threads" | "emb-train threads") ;;
			*) bad "$t: --$o 0 is not tried here" ;;
			esac
		done
	done
	emb-nn -m "$DATA/e5x3.vec" t0 t3 >nn.txt
	emb-nn -m "$DATA/e5x3.vec" --threads 0 --restrict 0 t0 t3 >nn0.txt ||
	    bad "emb-nn refuses --threads 0 --restrict 0"
	cmp -s nn.txt nn0.txt || bad "emb-nn: --restrict 0 is not all rows"
	emb-analogy -m "$DATA/e5x3.vec" t0 t1 t2 >an.txt
	emb-analogy -m "$DATA/e5x3.vec" --threads 0 --restrict 0 t0 t1 t2 \
	    >an0.txt || bad "emb-analogy refuses --threads 0 --restrict 0"
	cmp -s an.txt an0.txt || bad "emb-analogy: --restrict 0 is not all rows"
	emb-lookup --all -m "$DATA/e5x3.vec" >v.txt
	emb-reduce --threads 1 v.txt >r1.txt
	emb-reduce --threads 0 v.txt >r0.txt || bad "emb-reduce refuses --threads 0"
	cmp -s r1.txt r0.txt || bad "emb-reduce: --threads 0 changes the result"
	printf 'Hello world\n\nThe weather in Tokyo\n' >t.txt
	emb-tokenize -t r50k_base --threads 1 t.txt >t1.txt
	emb-tokenize -t r50k_base --threads 0 t.txt >t0.txt ||
	    bad "emb-tokenize refuses --threads 0"
	cmp -s t1.txt t0.txt || bad "emb-tokenize: --threads 0 changes the output"
	printf 't0 t1 t2 t3\nt1 t2 t0\n' >c.txt
	emb-train -q --threads 0 --min-count 1 -d 4 --epochs 1 -o m.safetensors \
	    c.txt || bad "emb-train refuses --threads 0"
	printf 't0\tt1\t1\nt1\tt2\t2\nt0\tt3\t3\n' >s.tsv
	emb-sim -m "$DATA/e5x3.vec" --eval s.tsv >s.txt
	emb-sim -m "$DATA/e5x3.vec" --eval s.tsv --restrict 0 >s0.txt ||
	    bad "emb-sim refuses --restrict 0"
	cmp -s s.txt s0.txt || bad "emb-sim: --restrict 0 is not all rows"
	report
}

# the rows of HACKING.md's module table (its lib/ section, up to the next
# heading)
module_table() {
	sed -n '/^## lib\//,/^## /p' "$TOP/HACKING.md" | grep '^| '
}

@test "HACKING.md's table names every lib module, and only those" {
	local f m errs=() table
	# the rows of the module table; a .c file is there as a module (its
	# row) or as a part of one ("tokopen.c" in the tokenizer row)
	table=$(module_table)
	for f in "$TOP"/lib/*.c; do
		m=$(basename "$f" .c)
		grep -q "^| $m *|" <<<"$table" || grep -q "\b$m\.c\b" <<<"$table" ||
		    bad "lib/$m.c is not in HACKING.md's module table"
	done
	for m in $(sed -n 's/^| \([a-z0-9_]*\) *|.*/\1/p' <<<"$table"); do
		[ "$m" = module ] && continue
		[ -f "$TOP/lib/$m.c" ] || [ -f "$TOP/lib/$m.h" ] ||
		    bad "HACKING.md names lib/$m, which does not exist"
	done
	report
}
