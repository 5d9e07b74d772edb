'use strict';
// Compare two ID streams (a reference's and emb-tokenize's) for the same
// input, sequence by sequence.
//
// usage: node cmp.js [--label NAME] [--whole] [--show N] [--ignore S,S...]
//            INPUT EXPECTED GOT
//
// --ignore: sequences whose text contains one of these strings (special
// tokens, say, that one side matches and the other encodes as text) are
// counted apart and not compared.
// Prints "NAME: N sequences, M differ (K IDs expected, J got)" and, for the
// first N (default 3) differing sequences, the sequence number, its bytes
// (as a JSON string, and in hex when short or not valid UTF-8), both ID
// lists and the first position where they part.  Exit status 0 when no
// sequence differs, 1 otherwise, 2 on a usage error.
const fs = require('fs');
const c = require('./common.js');

const usage = 'usage: node cmp.js [--label NAME] [--whole] [--show N] ' +
    '[--ignore S,S...] INPUT EXPECTED GOT';
const { opts, args } = c.getopt(process.argv.slice(2),
    { label: true, whole: false, show: true, ignore: true }, usage);
const ignore = opts.ignore ? opts.ignore.split(',') : [];
if (args.length !== 3)
	c.die(usage, 2);
const label = opts.label || args[2];
const show = opts.show === undefined ? 3 : Number(opts.show);

const input = c.sequences(fs.readFileSync(args[0]), opts.whole);
const readIds = (f) => c.sequences(fs.readFileSync(f), false)
    .map((b) => b.toString('latin1').trim());
const exp = readIds(args[1]);
const got = readIds(args[2]);

function describe(buf) {
	const s = buf.toString('utf8');
	const valid = Buffer.from(s, 'utf8').equals(buf);
	let d = (buf.length > 300 ? JSON.stringify(s.slice(0, 300)) + '... (' +
	    buf.length + ' bytes)' : JSON.stringify(s));
	if (!valid || buf.length <= 40)
		d += '\n    hex: ' + buf.subarray(0, 120).toString('hex')
		    .replace(/(..)/g, '$1 ').trim() + (buf.length > 120 ? ' ...' : '') +
		    (valid ? '' : '  (not valid UTF-8)');
	return d;
}

function clip(ids, from) {
	const a = ids === '' ? [] : ids.split(' ');
	if (a.length <= 60)
		return ids;
	const lo = Math.max(0, from - 10);
	return (lo > 0 ? '[' + lo + ' IDs] ' : '') + a.slice(lo, lo + 50).join(' ') +
	    (lo + 50 < a.length ? ' ... [' + a.length + ' IDs in all]' : '');
}

let differ = 0;
let ignored = 0;
let nexp = 0;
let ngot = 0;
const n = Math.max(input.length, exp.length, got.length);
const out = [];
for (let i = 0; i < n; i++) {
	const e = i < exp.length ? exp[i] : undefined;
	const g = i < got.length ? got[i] : undefined;
	nexp += e ? e.split(' ').length : 0;
	ngot += g ? g.split(' ').length : 0;
	if (ignore.length && i < input.length) {
		const t = input[i].toString('utf8');
		if (ignore.some((x) => t.includes(x))) {
			ignored++;
			continue;
		}
	}
	if (e === g)
		continue;
	differ++;
	if (differ > show)
		continue;
	const ea = e === undefined ? [] : e.split(' ');
	const ga = g === undefined ? [] : g.split(' ');
	let k = 0;
	while (k < ea.length && k < ga.length && ea[k] === ga[k])
		k++;
	out.push('  sequence ' + (i + 1) + ': ' +
	    (i < input.length ? describe(input[i]) : '(no such input sequence)') +
	    '\n    expected: ' + (e === undefined ? '(no line)' : clip(e, k)) +
	    '\n    got:      ' + (g === undefined ? '(no line)' : clip(g, k)) +
	    '\n    first difference at ID ' + k);
}
if (input.length !== exp.length || exp.length !== got.length)
	out.unshift('  sequence counts: input ' + input.length + ', expected ' +
	    exp.length + ', got ' + got.length);
console.log(label + ': ' + n + ' sequences, ' + differ + ' differ (' + nexp +
    ' IDs expected, ' + ngot + ' got)' +
    (ignore.length ? ', ' + ignored + ' not compared (' + opts.ignore + ')' : ''));
if (out.length)
	console.log(out.join('\n'));
process.exit(differ || input.length !== exp.length ? 1 : 0);
