'use strict';
// Reference: OpenAI's tiktoken (its Rust core compiled to WASM, npm
// "tiktoken"), or gpt-tokenizer (pure JS) as a second opinion, or
// js-tiktoken (pure JS; for timing only: its JS RegExp differs, see
// TOKENIZERS notes) on a tiktoken encoding.
//
// usage: node tiktoken.js [--impl tiktoken|gpt-tokenizer|js-tiktoken]
//            --encoding NAME [--file RANKS] [--special refuse|none|all]
//            [--out SUFFIX] [[--whole|--lines] FILE]...
//
// Lines, --whole and --out as in hf.js.
// NAME is gpt2, r50k_base, p50k_base, cl100k_base or o200k_base: it
// selects the pre-tokenizer pattern and the special tokens (tiktoken's own
// registry).  RANKS is a rank file (base64 token, rank) or GPT-2's
// encoder.json (with vocab.bpe beside it); without it the ranks bundled
// with the implementation are used.  --special: refuse (tiktoken's
// default: special-token text is an error naming the line), none (encoded
// as ordinary text), all (matched as special tokens).
const fs = require('fs');
const path = require('path');
const c = require('./common.js');

const usage = 'usage: node tiktoken.js [--impl tiktoken|gpt-tokenizer|' +
    'js-tiktoken] --encoding NAME [--file RANKS] ' +
    '[--special refuse|none|all] [--out SUFFIX] [[--whole|--lines] FILE]...';
const { opts, args, whole } = c.getopt(process.argv.slice(2), {
	'impl': true, 'encoding': true, 'file': true, 'whole': false,
	'special': true, 'out': true,
}, usage);
const impl = opts.impl || 'tiktoken';
const special = opts.special || 'refuse';
if (!opts.encoding ||
    !['refuse', 'none', 'all'].includes(special))
	c.die(usage, 2);

const registry = c.need('tiktoken/registry.json');
const spec = registry[opts.encoding];
if (!spec)
	c.die('unknown encoding ' + opts.encoding, 2);

// The rank file's text, in tiktoken's format, or null for the bundled one.
async function ranksText() {
	if (!opts.file)
		return null;
	if (/\.json$/.test(opts.file)) {
		const dir = path.dirname(opts.file);
		const { load } = c.need('tiktoken/load.cjs');
		const r = await load({
			data_gym_to_mergeable_bpe_ranks: {
				vocab_bpe_file: path.join(dir, 'vocab.bpe'),
				encoder_json_file: opts.file,
			},
			pat_str: spec.pat_str, special_tokens: spec.special_tokens,
		}, async (p) => fs.readFileSync(p, 'utf8'));
		return r.bpe_ranks;
	}
	return fs.readFileSync(opts.file, 'utf8');
}

// An encoder: a function from a string to an array of IDs.
async function encoder() {
	const text = await ranksText();
	const specials = Object.keys(spec.special_tokens);
	if (impl === 'tiktoken') {
		const t = c.need('tiktoken');
		const enc = text === null ? t.get_encoding(opts.encoding) :
		    new t.Tiktoken(text, spec.special_tokens, spec.pat_str);
		if (special === 'none')
			return (s) => enc.encode(s, [], []);
		if (special === 'all')
			return (s) => enc.encode(s, 'all');
		return (s) => enc.encode(s);
	}
	if (impl === 'gpt-tokenizer') {
		if (text !== null)
			c.die('--file is not used with gpt-tokenizer', 2);
		const name = opts.encoding === 'gpt2' ? 'r50k_base' :
		    opts.encoding;
		const g = c.need('gpt-tokenizer/cjs/encoding/' + name + '.js');
		if (special === 'none')
			return (s) => g.encode(s, { disallowedSpecial: new Set() });
		if (special === 'all')
			return (s) => g.encode(s, { allowedSpecial: 'all' });
		return (s) => g.encode(s);
	}
	if (impl === 'js-tiktoken') {
		const j = c.need('js-tiktoken');
		const ranks = j.getEncoding(opts.encoding);
		if (text !== null)
			c.die('--file is not used with js-tiktoken', 2);
		if (special === 'none')
			return (s) => ranks.encode(s, [], []);
		if (special === 'all')
			return (s) => ranks.encode(s, 'all');
		return (s) => ranks.encode(s);
	}
	c.die('unknown implementation ' + impl, 2);
}

(async function () {
	const enc = await encoder();
	for (const inp of c.inputs(args, whole, opts.out, opts.whole)) {
		const seqs = c.sequences(c.readInput(inp.file), inp.whole);
		for (let i = 0; i < seqs.length; i++) {
			let ids;
			try {
				ids = enc(seqs[i].toString('utf8'));
			} catch (e) {
				inp.out.flush();
				c.die((inp.file === '-' ? 'stdin' : inp.file) + ':' +
				    (i + 1) + ': ' + (e.message || String(e)));
			}
			inp.out.ids(ids);
		}
		inp.out.flush();
	}
})().catch((e) => c.die(e.message || String(e)));
