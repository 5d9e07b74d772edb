'use strict';
// Shared by the reference runners: read the input the way emb-tokenize
// does and print token IDs in its output format.
//
// Input: a file (or stdin, "-"); by default each line is a sequence and
// its newline is not encoded (a last line without a newline still counts;
// a file that ends with a newline has no empty last sequence); with
// --whole the whole file is one sequence.  The references take strings,
// so each sequence's bytes are decoded as UTF-8 with the WHATWG
// replacement (Buffer.toString: one U+FFFD per maximal invalid
// subsequence), which is what any tool must do to get their IDs on
// invalid input.  Output: one line per sequence, IDs separated by one
// space (an empty sequence gives an empty line).
const fs = require('fs');
const path = require('path');

// Where the npm references live: tests/ref/node_modules, or the
// directory EMB_REF_MODULES names (a developer's own install).
const MODULES = process.env.EMB_REF_MODULES ||
    path.join(__dirname, 'node_modules');

function need(name) {
	return require(path.join(MODULES, name));
}

function modpath(rel) {
	return path.join(MODULES, rel);
}

function die(msg, status) {
	process.stderr.write(path.basename(process.argv[1]) + ': ' + msg + '\n');
	process.exit(status === undefined ? 1 : status);
}

// Parse argv: flags given as {name: takesValue}; returns {opts, args,
// whole}: whole[i] tells whether --whole (and no --lines) came before
// args[i], so that one run can read some files by lines, others whole.
function getopt(argv, flags, usage) {
	const opts = {};
	const args = [];
	const whole = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--') {
			for (const x of argv.slice(i + 1)) {
				args.push(x);
				whole.push(!!opts.whole);
			}
			break;
		}
		if (a === '--lines' && 'whole' in flags) {
			opts.whole = false;
			continue;
		}
		if (a.startsWith('--') && a.length > 2) {
			const eq = a.indexOf('=');
			const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
			if (!(name in flags))
				die('unknown option --' + name + '\n' + usage, 2);
			if (flags[name]) {
				let v = eq < 0 ? argv[++i] : a.slice(eq + 1);
				if (v === undefined)
					die('--' + name + ' needs a value', 2);
				opts[name] = v;
			} else {
				opts[name] = true;
			}
		} else {
			args.push(a);
			whole.push(!!opts.whole);
		}
	}
	return { opts, args, whole };
}

function readInput(file) {
	return fs.readFileSync(file === undefined || file === '-' ? 0 : file);
}

// The sequences of buf: Buffers, split at LF (or the whole buffer).
function sequences(buf, whole) {
	if (whole)
		return [buf];
	const out = [];
	let start = 0;
	for (;;) {
		const nl = buf.indexOf(10, start);
		if (nl < 0)
			break;
		out.push(buf.subarray(start, nl));
		start = nl + 1;
	}
	if (start < buf.length)
		out.push(buf.subarray(start));
	return out;
}

// Write buf to stdout whole (stdout may be a non-blocking pipe).
function writeAll(buf, fd) {
	fd = fd === undefined ? 1 : fd;
	let off = 0;
	while (off < buf.length) {
		try {
			off += fs.writeSync(fd, buf, off, buf.length - off);
		} catch (e) {
			if (e.code === 'EPIPE')
				process.exit(0);
			if (e.code !== 'EAGAIN')
				throw e;
		}
	}
}

// Write lines (arrays of IDs) to stdout, or to the file fd, in large
// blocks.
function Writer(fd) {
	fd = fd === undefined ? 1 : fd;
	let parts = [];
	let size = 0;
	this.ids = function (ids) {
		const s = Array.prototype.join.call(ids, ' ') + '\n';
		parts.push(s);
		size += s.length;
		if (size > (1 << 20))
			this.flush();
	};
	this.text = function (s) {
		parts.push(s);
		size += s.length;
		if (size > (1 << 20))
			this.flush();
	};
	this.flush = function () {
		if (parts.length)
			writeAll(Buffer.from(parts.join(''), 'utf8'), fd);
		parts = [];
		size = 0;
	};
}

// An ID stream (for --decode): arrays of numbers, one per line.
function idLines(buf) {
	return sequences(buf, false).map(function (b) {
		const s = b.toString('latin1').trim();
		return s === '' ? [] : s.split(/[ \t]+/).map(Number);
	});
}

// The inputs of a runner: [{file, whole, out}] where out is a Writer to
// FILE + suffix when --out SUFFIX was given, else to stdout.
function inputs(args, whole, suffix, wholeDefault) {
	if (args.length === 0) {
		args = ['-'];
		whole = [!!wholeDefault];
	}
	return args.map((f, i) => ({
		file: f, whole: whole[i],
		out: suffix ? new Writer(fs.openSync(f + suffix, 'w')) : new Writer(),
	}));
}

module.exports = { need, modpath, die, getopt, readInput, sequences,
    Writer, writeAll, idLines, inputs, MODULES };
