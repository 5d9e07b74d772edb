'use strict';
// Time a reference tokenizer on a text, tokenization only: the tokenizer
// is loaded and the text read and cut into line strings before the clock
// starts; each run encodes every line (as emb-tokenize does by default).
//
// usage: node bench.js --impl tiktoken|gpt-tokenizer|js-tiktoken
//            --encoding NAME [--runs N] FILE
//        node bench.js --impl hf --file TOKENIZER.json [--runs N] FILE
//
// Prints one line: impl, bytes, IDs, the median wall seconds of the runs,
// the median CPU seconds (user + system, process.cpuUsage), and MB/s
// (10^6 bytes per median wall second).  HF tokenizers runs one thread
// when RAYON_NUM_THREADS=1 (tests/bench/tokenize.sh sets it); its batch
// call (encodeBatch, 512 lines at a time) is used, as the fastest way
// to reach it from Node.
const c = require('./common.js');

const usage = 'usage: node bench.js --impl NAME (--encoding E | --file F) ' +
    '[--runs N] FILE';
const { opts, args } = c.getopt(process.argv.slice(2),
    { impl: true, encoding: true, file: true, runs: true }, usage);
if (args.length !== 1 || !opts.impl)
	c.die(usage, 2);
const runs = Number(opts.runs || 3);
const buf = c.readInput(args[0]);
const lines = c.sequences(buf, false).map((b) => b.toString('utf8'));

function median(a) {
	const s = a.slice().sort((x, y) => x - y);
	return s[(s.length - 1) >> 1];
}

async function encoder() {
	const e = opts.encoding;
	switch (opts.impl) {
	case 'tiktoken': {
		const enc = c.need('tiktoken').get_encoding(e);
		return (s) => enc.encode(s, [], []).length;
	}
	case 'gpt-tokenizer': {
		const g = c.need('gpt-tokenizer/cjs/encoding/' +
		    (e === 'gpt2' ? 'r50k_base' : e) + '.js');
		if (!/^(o200k|cl100k|p50k|r50k)_base$|^gpt2$/.test(e))
			c.die('gpt-tokenizer: no encoding ' + e, 2);
		const none = { disallowedSpecial: new Set() };
		return (s) => g.encode(s, none).length;
	}
	case 'js-tiktoken': {
		const enc = c.need('js-tiktoken').getEncoding(e);
		return (s) => enc.encode(s, [], []).length;
	}
	case 'hf': {
		const tok = c.need('tokenizers').Tokenizer.fromFile(opts.file);
		const o = { addSpecialTokens: false };
		return async function (all) {
			let n = 0;
			for (let i = 0; i < all.length; i += 512) {
				const r = await tok.encodeBatch(all.slice(i, i + 512), o);
				for (const x of r)
					n += x.getLength();
			}
			return n;
		};
	}
	}
	c.die('unknown implementation ' + opts.impl, 2);
}

(async function () {
	const enc = await encoder();
	const wall = [];
	const cpu = [];
	let ids = 0;
	for (let r = 0; r < runs; r++) {
		const c0 = process.cpuUsage();
		const t0 = process.hrtime.bigint();
		let n = 0;
		if (opts.impl === 'hf') {
			n = await enc(lines);
		} else {
			for (const s of lines)
				n += enc(s);
		}
		const t1 = process.hrtime.bigint();
		const c1 = process.cpuUsage(c0);
		wall.push(Number(t1 - t0) / 1e9);
		cpu.push((c1.user + c1.system) / 1e6);
		ids = n;
	}
	const w = median(wall);
	console.log([opts.impl, buf.length, ids, w.toFixed(3),
	    median(cpu).toFixed(3), (buf.length / 1e6 / w).toFixed(2)].join(' '));
})().catch((e) => c.die(e.message || String(e)));
