#!/usr/bin/env bats
# The property test of tests/property.py: random tables (labels drawn from
# numbers, words with blanks and non-ASCII words, or none) written in every
# format emb reads, then read back by every tool that reads that format;
# shape, labels and values must be the table's.  PROPERTY_ROUNDS and
# PROPERTY_SEED run more (the suite runs 12 rounds of seed 1: 86 files).

load helper

@test "property: every reader reads back exactly the table each format holds" {
	need_py numpy
	run -0 "$PY" "$TOP/tests/property.py" -r "${PROPERTY_ROUNDS:-12}" \
	    -s "${PROPERTY_SEED:-1}"
	if [ -z "${PROPERTY_ROUNDS:-}${PROPERTY_SEED:-}" ]; then
		[ "$output" = "property: 12 rounds, 86 files read back by every reader" ]
	else
		[[ $output == "property: ${PROPERTY_ROUNDS:-12} rounds, "* ]]
	fi
}
