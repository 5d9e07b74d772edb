#!/usr/bin/env bats
# emb-plot: labelled 2-D points to SVG

load helper

setup() {
	cd "$BATS_TEST_TMPDIR"
}

need_svg_tools() {
	command -v xmllint >/dev/null || skip "xmllint not installed (libxml2-utils)"
	command -v rsvg-convert >/dev/null || skip "rsvg-convert not installed (librsvg2-bin)"
}

# 3 groups of 10 points on a circle each, rows "label group x y"
three_groups() {
	awk 'BEGIN { split("animals countries colours", g, " ");
	    for (c = 0; c < 3; c++) for (i = 0; i < 10; i++)
	    printf "%s%d %s %.4f %.4f\n", substr(g[c + 1], 1, 3), i, g[c + 1],
	    10 * c + cos(i), 5 * (c % 2) + sin(i) }'
}

@test "groups: valid SVG that renders, one colour per group in the pixels" {
	need_svg_tools
	need_py PIL
	three_groups >p.txt
	emb-plot --group --title 'Three <groups> & more' p.txt >p.svg
	run -0 xmllint --noout p.svg
	[ -z "$output" ]
	rsvg-convert -o p.png p.svg
	# the pixel at each marker's centre has its group's colour, the
	# groups' colours differ, and none is the white background
	run -0 "$PY" - <<'PYEOF'
import xml.etree.ElementTree as ET
from PIL import Image
ns = "{http://www.w3.org/2000/svg}"
img = Image.open("p.png").convert("RGB")
seen = {}
for g in ET.parse("p.svg").getroot().iter(ns + "g"):
    if g.get("class") != "group":
        continue
    want = tuple(int(g.get("fill")[k:k + 2], 16) for k in (1, 3, 5))
    got = set()
    for c in g.iter(ns + "circle"):
        got.add(img.getpixel((int(float(c.get("cx"))), int(float(c.get("cy"))))))
    assert got == {want}, (g.get("id"), want, got)
    seen[g.get("id")] = want
assert len(seen) == 3 and len(set(seen.values())) == 3, seen
assert (255, 255, 255) not in seen.values()
print(" ".join("%02X%02X%02X" % v for v in seen.values()))
PYEOF
	[ "$output" = "0072B2 E69F00 009E73" ]
	# the legend names the groups in order; the title is escaped
	[ "$(grep -c 'class="group"' p.svg)" = 3 ]
	grep -q '>Three &lt;groups&gt; &amp; more</text>' p.svg
	[ "$(grep -A 10 'class="legend"' p.svg | grep -o '>[a-z()]*</text>' | tr '\n' ' ')" = ">animals</text> >countries</text> >colours</text> " ]
}

@test "--groups FILE: groups by label, unlisted points grey, legend in the file's order" {
	need_svg_tools
	printf 'cat\tanimals\ndog\tanimals\nred\tcolours\n' >g.tsv
	printf 'red 0 0\ncat 1 1\ndog 1 2\nzebra 3 3\n' >p.txt
	emb-plot --groups g.tsv p.txt >p.svg
	xmllint --noout p.svg
	[ "$(grep -o 'id="g[0-9]" fill="#[0-9A-F]*"' p.svg | tr '\n' ' ')" = 'id="g0" fill="#0072B2" id="g1" fill="#E69F00" id="g2" fill="#999999" ' ]
	[ "$(grep -A 10 'class="legend"' p.svg | grep -o '>[a-z()]*</text>' | tr '\n' ' ')" = ">animals</text> >colours</text> >(other)</text> " ]
	# the group of cat and dog holds two markers
	[ "$(sed -n '/id="g0"/,/<\/g>/p' p.svg | grep -c '<circle')" = 2 ]
}

@test "labels: placed without overlaps when there is room; sizes and fonts" {
	awk 'BEGIN { for (i = 0; i < 12; i++) printf "label%d %.4f %.4f\n", i, cos(i * 0.5236), sin(i * 0.5236) }' >p.txt
	emb-plot --width 500 --height 400 --font-size 14 p.txt >p.svg
	grep -q 'width="500" height="400"' p.svg
	grep -q 'font-size="14.00"' p.svg
	run -0 "$PY" - <<'PYEOF'
import re
s = open("p.svg").read()
boxes = [(float(x), float(y) - 14 * 0.78, float(x) + len(t) * 0.6 * 14, float(y) + 14 * 0.22)
         for x, y, t in re.findall(r'<text x="([-0-9.]+)" y="([-0-9.]+)">(label[0-9]+)</text>', s)]
assert len(boxes) == 12, len(boxes)
bad = 0
for i in range(12):
    for j in range(i):
        a, b = boxes[i], boxes[j]
        if min(a[2], b[2]) - max(a[0], b[0]) > 0.01 and min(a[3], b[3]) - max(a[1], b[1]) > 0.01:
            bad += 1
print(bad)
PYEOF
	[ "$output" = 0 ]
	emb-plot --no-labels p.txt >n.svg
	! grep -q 'label0' n.svg
}

@test "odd labels: markup, invalid UTF-8 and control bytes still give valid XML" {
	need_svg_tools
	printf 'a&b 0 0\n<x> 1 1\n\xff\xfe 2 2\ncaf\xc3\xa9 3 3\n' >p.txt
	emb-plot p.txt >p.svg
	run -0 xmllint --noout p.svg
	grep -q '>a&amp;b</text>' p.svg
	grep -q '>&lt;x&gt;</text>' p.svg
	grep -q "$(printf '>caf\xc3\xa9</text>')" p.svg
	rsvg-convert -o p.png p.svg
}

@test "the whole pipeline: emb-reduce | emb-plot, binary too" {
	need_svg_tools
	emb-reduce -m "$DATA/animals.vec" --all | emb-plot --title Animals >a.svg
	xmllint --noout a.svg
	[ "$(grep -c '<circle' a.svg)" = 3 ]
	emb-reduce -b -m "$DATA/animals.vec" --all | emb-plot --title Animals | cmp - a.svg
	emb-plot - <<<'' >e.svg
	xmllint --noout e.svg
	[ "$(grep -c '<circle' e.svg)" = 0 ]
}

@test "bad input: NaN (file:line), not 2-D, a label without a group, a bad groups file" {
	printf 'a 1 2\nb nan 1\n' >nan.txt
	run -1 --separate-stderr emb-plot nan.txt
	[ "$stderr" = "emb-plot: nan.txt:2: NaN or infinite value \"nan\"" ]
	[ -z "$output" ]
	emb-reduce -b -d 1 -m "$DATA/animals.vec" --all >one.bin
	run -1 --separate-stderr emb-plot one.bin
	[ "$stderr" = "emb-plot: one.bin: vectors have 1 dimensions, expected 2" ]
	run -1 --separate-stderr emb-plot --group <<<'a 1 2'
	[ "$stderr" = 'emb-plot: <stdin>: row 1: label "a" has no group (expected "token group x y")' ]
	printf 'cat\tanimals\ndog animals\n' >g.tsv
	run -1 --separate-stderr emb-plot --groups g.tsv <<<'cat 1 2'
	[ "$stderr" = "emb-plot: g.tsv:2: expected token<TAB>group" ]
	run -1 --separate-stderr emb-plot --groups no-such.tsv <<<'cat 1 2'
	[ "$stderr" = "emb-plot: no-such.tsv: No such file or directory" ]
}

@test "usage errors exit 2; /dev/full exits 1; a closed pipe: quiet 0" {
	run -2 --separate-stderr emb-plot --width 10
	[ -z "$output" ]
	[[ "$stderr" == 'emb-plot: --width: "10" is too small'* ]]
	[[ "$stderr" == *"usage: emb-plot"* ]]
	run -2 --separate-stderr emb-plot --group --groups g.tsv
	[[ "$stderr" == "emb-plot: conflicting options"* ]]
	run -2 --separate-stderr emb-plot a b
	run -2 --separate-stderr emb-plot --font-size=big
	run -1 --separate-stderr bash -c "printf 'a 1 2\nb 2 3\n' | emb-plot >/dev/full"
	[ "$stderr" = "emb-plot: <stdout>: No space left on device" ]
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "w%d %d %d\n", i, i % 71, i % 97 }' >big.txt
	[ "$(emb-plot big.txt | wc -c)" -gt 70000 ]
	run -0 --separate-stderr closed_pipe "emb-plot big.txt"
	[ -z "$stderr" ]
}

@test "tests/demo-map.sh: the seeds' map from a table with the words of data/map-words.txt" {
	need_svg_tools
	# a table where each group's words sit around their own corner
	awk -F '\t' 'BEGIN { srand(3) } !($2 in g) { g[$2] = n++ }
	    { printf "%s", $1; for (j = 0; j < 8; j++)
	    printf " %.4f", (j == g[$2]) * 4 + rand(); printf "\n" }' \
	    "$DATA/map-words.txt" >m.vec
	# a word the model lacks is left out
	grep -v '^dog ' m.vec >m2.vec
	emb-init --from m2.vec -o m.safetensors
	run -0 --separate-stderr sh "$TOP/tests/demo-map.sh" m.safetensors map.svg
	[ -z "$stderr" ]
	xmllint --noout map.svg
	# the words but dog, and the 5 legend markers
	[ "$(grep -c '<circle' map.svg)" = $(( $(wc -l <"$DATA/map-words.txt") - 1 + 5 )) ]
	! grep -q '>dog</text>' map.svg
	grep -q '>cat</text>' map.svg
	[ "$(grep -A 12 'class="legend"' map.svg | grep -o '>[a-z]*</text>' | tr '\n' ' ')" = ">animals</text> >countries</text> >colours</text> >programming</text> >emotions</text> " ]
	! grep -q 'id="g5"' map.svg
	run -2 sh "$TOP/tests/demo-map.sh" m.safetensors
}
