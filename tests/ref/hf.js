'use strict';
// Reference: Hugging Face tokenizers (the Rust library through its
// official Node binding) on any tokenizer.json.
//
// usage: node hf.js [--no-add-special] [--out SUFFIX] TOKENIZER.json
//            [[--whole|--lines] FILE]...
//        node hf.js --decode [--skip-special] TOKENIZER.json [FILE]
//
// Encodes each line of each FILE (default stdin; see common.js for lines
// and invalid UTF-8), or each FILE after --whole as one sequence, and
// prints the IDs, one line per sequence: on stdout, or with --out in
// FILE.SUFFIX.  Added tokens are matched in the text as the library
// always does; the post-processor (BOS, [CLS]/[SEP]) is applied unless
// --no-add-special.  --decode reads an ID stream and prints each line's
// decoded text.
const c = require('./common.js');

const usage = 'usage: node hf.js [--no-add-special] [--out SUFFIX] ' +
    'TOKENIZER.json [[--whole|--lines] FILE]...\n' +
    '       node hf.js --decode [--skip-special] TOKENIZER.json [FILE]';
const { opts, args, whole } = c.getopt(process.argv.slice(2), {
	'whole': false, 'no-add-special': false, 'decode': false,
	'skip-special': false, 'out': true,
}, usage);
if (args.length < 1)
	c.die(usage, 2);

const { Tokenizer } = c.need('tokenizers');
let tok;
try {
	tok = Tokenizer.fromFile(args[0]);
} catch (e) {
	c.die(args[0] + ': ' + e.message);
}
const ins = c.inputs(args.slice(1), whole.slice(1), opts.out, opts.whole);

async function encode(inp) {
	const seqs = c.sequences(c.readInput(inp.file), inp.whole)
	    .map((b) => b.toString('utf8'));
	const o = { addSpecialTokens: !opts['no-add-special'] };
	const BATCH = 512;
	for (let i = 0; i < seqs.length; i += BATCH) {
		const encs = await tok.encodeBatch(seqs.slice(i, i + BATCH), o);
		for (const e of encs)
			inp.out.ids(e.getIds());
	}
	inp.out.flush();
}

async function decode(inp) {
	for (const ids of c.idLines(c.readInput(inp.file)))
		inp.out.text(await tok.decode(ids, !!opts['skip-special']) + '\n');
	inp.out.flush();
}

(async function () {
	for (const inp of ins)
		await (opts.decode ? decode(inp) : encode(inp));
})().catch((e) => c.die(e.message || String(e)));
