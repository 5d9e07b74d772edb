#!/usr/bin/env bats
# README.md's two set-up commands, which tests/readme-setup.sh prints and
# .ci/run runs word for word in a fresh clone: the first updates apt's
# lists before it installs, uses sudo only when not root, installs the
# Debian package of every library the build links and ends in make demo;
# the second is make check.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

@test "README: exactly two set-up commands, the second make check" {
	run -0 sh "$TOP/tests/readme-setup.sh" 2
	[ "$output" = "make check" ]
	run -0 sh "$TOP/tests/readme-setup.sh" 1
	[[ "$output" == *" && make demo" ]]
	# a third command (or one fewer) is refused, so none slips by CI
	sed '/^## Set up/a\
\
    echo third' "$TOP/README.md" >r3.md
	run -1 --separate-stderr sh "$TOP/tests/readme-setup.sh" 1 r3.md
	[ "$stderr" = "readme-setup.sh: r3.md: the Set up section has 3 commands (indented lines), not 2" ]
	# .ci/run runs both, and the suite only through the second
	grep -q 'readme-setup.sh 1' "$TOP/.ci/run"
	grep -q 'readme-setup.sh 2' "$TOP/.ci/run"
	! grep -q '^make check$' "$TOP/.ci/run"
}

@test "README: the first command installs every library the build links" {
	local cmd l p

	cmd=" $(sh "$TOP/tests/readme-setup.sh" 1) "
	for l in $(sed -n 's/^LDLIBS *= *//p' "$TOP/Makefile"); do
		case $l in
		-lm|-lpthread) continue ;;
		-lcsv) p=libcsv-dev ;;
		-lcjson) p=libcjson-dev ;;
		-lz) p=zlib1g-dev ;;
		-lpcre2-8) p=libpcre2-dev ;;
		-lutf8proc) p=libutf8proc-dev ;;
		*) echo "$l: which Debian package? add it here and to README.md"
		   return 1 ;;
		esac
		[[ $cmd == *" $p "* ]] || {
			echo "README's first command lacks $p (the build links $l)"
			return 1
		}
	done
	[[ $cmd == *" build-essential "* ]]
	[[ $cmd == *" bats "* ]]
}

# Run the first command with stand-ins for id (printing uid $1), sudo,
# apt-get and make that log their arguments; apt-get fails on $2.
fake_setup() {
	mkdir -p bin
	cat >bin/id <<EOF
#!/bin/sh
echo $1
EOF
	cat >bin/sudo <<EOF
#!/bin/sh
echo "sudo \$*" >>"$PWD/log"
exec "\$@"
EOF
	cat >bin/apt-get <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$PWD/log"
[ "\$1" != "${2:-none}" ]
EOF
	cat >bin/make <<EOF
#!/bin/sh
echo "make \$*" >>"$PWD/log"
EOF
	chmod +x bin/*
	rm -f log
	PATH="$PWD/bin:$PATH" sh -c "$(sh "$TOP/tests/readme-setup.sh" 1)"
}

@test "README: the first command, as root: no sudo, apt-get update first" {
	run -0 fake_setup 0
	run -0 cat log
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "apt-get update" ]
	[[ ${lines[1]} == "apt-get install -y build-essential "* ]]
	[ "${lines[2]}" = "make demo" ]
}

@test "README: the first command, as a user: sudo for apt-get only" {
	run -0 fake_setup 1000
	run -0 cat log
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" = "sudo apt-get update" ]
	[ "${lines[1]}" = "apt-get update" ]
	[[ ${lines[2]} == "sudo apt-get install -y build-essential "* ]]
	[ "${lines[4]}" = "make demo" ]
	# a failed update stops it before anything is installed or built
	run fake_setup 1000 update
	[ "$status" -ne 0 ]
	run -0 cat log
	[ "$output" = "$(printf 'sudo apt-get update\napt-get update')" ]
}
