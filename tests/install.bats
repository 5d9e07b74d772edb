#!/usr/bin/env bats
# make install / uninstall honour PREFIX and DESTDIR

load helper

@test "make install puts every tool and page under DESTDIR/PREFIX, uninstall removes them" {
	stage="$BATS_TEST_TMPDIR/stage"
	run -0 make -s -C "$TOP" install DESTDIR="$stage" PREFIX=/usr
	for t in "$TOP"/cmd/emb-*.c; do
		b=$(basename "$t" .c)
		[ -x "$stage/usr/bin/$b" ]
		[ -f "$stage/usr/share/man/man1/$b.1" ]
	done
	[ -f "$stage/usr/share/man/man5/emb-formats.5" ]
	[ -f "$stage/usr/share/man/man7/emb.7" ]
	run -0 "$stage/usr/bin/emb-lookup" --version
	run -0 make -s -C "$TOP" uninstall DESTDIR="$stage" PREFIX=/usr
	[ -z "$(find "$stage" -type f)" ]
}
