'use strict';
// Test corpora for the tokenizer comparisons, generated (nothing large is
// committed).  Output is bytes on stdout; the same arguments give the
// same bytes.
//
// usage: node corpus.js mixed BYTES [SEED] [FILE...]
//        node corpus.js adversarial [SEED]
//        node corpus.js document [SEED]
//        node corpus.js longline BYTES [SEED]
//
// mixed: real-looking mixed text, one sequence per line, about BYTES
//   long: prose in many languages and scripts (with case changes,
//   numbers, contractions, odd spacing), source code, logs, markup, text
//   assembled from the real vocabularies, and lines of the given real
//   FILEs (the project's sources and docs, the npm packages' READMEs).
// adversarial: one line per case, built to stress every pre-tokenizer
//   regex: all pairs of the "atoms" below, random runs of 3 to 8 atoms,
//   hand-written cases, NUL bytes, invalid UTF-8, long words.
// document: one text for --whole runs: the adversarial atoms joined by
//   runs of newlines, carriage returns, tabs and spaces.
// longline: one line of BYTES with no space (and no other white space):
//   one long run of letters, one of CJK, of digits, of punctuation, and
//   mixed words glued together.
const fs = require('fs');

// xorshift128+ (the same sequence on every platform).
function Rng(seed) {
	let s0 = BigInt(seed) * 0x9E3779B97F4A7C15n & 0xFFFFFFFFFFFFFFFFn | 1n;
	let s1 = s0 ^ 0x6A09E667F3BCC909n;
	const M = 0xFFFFFFFFFFFFFFFFn;
	this.u32 = function () {
		let x = s0;
		const y = s1;
		s0 = y;
		x = (x ^ (x << 23n)) & M;
		s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
		return Number(((s1 + y) & M) >> 32n);
	};
	this.int = (n) => this.u32() % n;
	this.pick = (a) => a[this.int(a.length)];
	this.chance = (p) => this.u32() < p * 4294967296;
}

const cp = (...c) => String.fromCodePoint(...c);
const range = (a, b, step) => {
	const out = [];
	for (let c = a; c <= b; c += step || 1)
		out.push(cp(c));
	return out;
};

// ---- prose in several languages and scripts -------------------------
const PROSE = {
	en: ['The capital of France is Paris, and it\'s been that way for centuries.',
	    'I\'m sure they\'ll say we\'ve done what we\'d promised; she\'s not convinced.',
	    'DON\'T PANIC: IT\'S ONLY A TEST, AND WE\'LL BE FINE.',
	    'In 1969, 600 million people watched Apollo 11 land on the Moon.',
	    'The quick brown fox jumps over the lazy dog; the dog doesn\'t care.',
	    'Tokenization is the first step of every language-model pipeline.',
	    'Mr. O\'Neil paid $1,234.56 (about €1.1k) on 2024-03-15 at 09:30.'],
	fr: ['L\'été dernier, nous sommes allés à Québec où il faisait très chaud.',
	    'C\'est l\'œuvre d\'un maître : « Ça ne s\'arrête jamais ! »',
	    'Le cœur a ses raisons que la raison ne connaît point.'],
	de: ['Die Straße war nass, weil es über Nacht geregnet hatte.',
	    'Donaudampfschifffahrtsgesellschaftskapitänsmütze ist ein langes Wort.',
	    'GRÖSSENWAHN UND ÜBERMUT: Äpfel, Öl und Übungen für 12,50 €.'],
	es: ['¿Dónde está la biblioteca? ¡No lo sé, señor!',
	    'El niño comió pan con mantequilla y bebió zumo de naranja.'],
	pt: ['A informação não está disponível; tente novamente às 14h.',
	    'Ele disse: “Não há coração que não sofra.”'],
	it: ['L\'Italia è una repubblica democratica, fondata sul lavoro.',
	    'Perché non vieni più spesso? È già tardi.'],
	pl: ['Zażółć gęślą jaźń, powiedział Łukasz w Świnoujściu.'],
	cs: ['Příliš žluťoučký kůň úpěl ďábelské ódy.'],
	tr: ['İstanbul\'da ılık bir akşamdı; ÇOCUKLAR ŞARKI SÖYLÜYORDU.'],
	vi: ['Tiếng Việt có nhiều dấu thanh: à, á, ả, ã, ạ và ư, ơ.'],
	ru: ['Съешь же ещё этих мягких французских булок, да выпей чаю.',
	    'Москва — столица России; в 2023 году её население 13 млн.'],
	uk: ['Гей, хлопці, вставайте! Ґанок і їжак — українські слова.'],
	el: ['Η γλώσσα μου έδωσαν ελληνική· ΤΟ ΣΠΙΤΙ ΦΤΩΧΙΚΟ ΣΤΙΣ ΑΜΜΟΥΔΙΕΣ.',
	    'Σίσυφος ξεσκεπάζω την ψυχοφθόρα βδελυγμία.'],
	ar: ['اللغة العربية جميلة جدا، وهي لغة القرآن الكريم.',
	    'في عام ٢٠٢٣ زار ١٥ مليون سائح مدينة دبي.'],
	he: ['שלום עולם! עברית נכתבת מימין לשמאל.'],
	fa: ['زبان فارسی با الفبای عربی نوشته می‌شود.'],
	hi: ['हिन्दी भारत की राजभाषा है और इसे देवनागरी में लिखा जाता है।',
	    'क्षत्रिय ज्ञान श्रृंखला २०२४ में प्रकाशित हुई।'],
	bn: ['বাংলা ভাষা বিশ্বের অন্যতম প্রধান ভাষা।'],
	ta: ['தமிழ் மொழி மிகவும் பழமையான மொழியாகும்.'],
	th: ['ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ ทำให้การตัดคำยาก'],
	zh: ['机器学习是人工智能的一个分支，它使计算机能够从数据中学习。',
	    '北京是中华人民共和国的首都，人口超过两千万。'],
	ja: ['東京は日本の首都です。カタカナとひらがな、そして漢字を使います。',
	    'ラーメンを食べたいー！コーヒーもおねがいします。'],
	ko: ['대한민국의 수도는 서울입니다. 한글은 세종대왕이 만들었습니다.'],
	ka: ['ქართული ენა ძალიან ლამაზია.'],
	hy: ['Հայերենը հնդեվրոպական լեզու է։'],
	am: ['አማርኛ የኢትዮጵያ ቋንቋ ነው።'],
	sw: ['Habari za asubuhi? Ninafurahi kukuona tena, rafiki yangu.'],
	fi: ['Hyvää huomenta! Järvenpäässä sataa lunta.'],
	hu: ['Árvíztűrő tükörfúrógép és ő ű ó.'],
	ro: ['Științele și tehnologia se dezvoltă în România.'],
	is: ['Þú ert að lesa íslensku, ðetta er ekki auðvelt.'],
};
const LANGS = Object.keys(PROSE);

const CODE = [
	'int main(int argc, char **argv) {',
	'\tfor (size_t i = 0; i < n; i++)',
	'\t\tif (buf[i] == \'\\n\' && !escaped) return -1;',
	'    return EXIT_SUCCESS;',
	'#include <stdio.h>',
	'#define MAX(a, b) ((a) > (b) ? (a) : (b))',
	'def tokenize(text: str) -> list[int]:',
	'        return [self.vocab.get(w, self.unk_id) for w in text.split()]',
	'    """Return the IDs of text."""',
	'const ids = await tokenizer.encode("Hello world", { addSpecialTokens: false });',
	'export default function App() { return <div className="app">{items.map((x) => x * 2)}</div>; }',
	'fn main() { let v: Vec<u32> = (0..10).collect(); println!("{:?}", v); }',
	'func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {',
	'SELECT id, name FROM users WHERE created_at >= \'2024-01-01\' ORDER BY id DESC LIMIT 10;',
	'for f in *.txt; do grep -c "^$" "$f" || echo "none"; done 2>/dev/null | sort -rn',
	'if __name__ == \'__main__\': sys.exit(main(sys.argv[1:]))',
	'x = np.array([[1.0, 2.5e-3], [-3.14159, 0x1F]], dtype=np.float32)',
	'    private static final Map<String, List<Integer>> CACHE = new HashMap<>();',
	'// TODO(alice): handle the case where len == 0 && ptr != NULL',
	'/* multi-line comment *** with stars ***/',
	'			}   ',
	'        ',
	'a+=b;c-=d;e*=f;g/=h;i%=j;k<<=1;l>>=2;m&=n;o|=p;q^=r;',
	'URL: https://example.com/path/to/page?query=a%20b&lang=en#section-2',
	'path = "C:\\\\Users\\\\me\\\\AppData\\\\Local\\\\Temp\\\\file.tmp"',
];
const LOGS = [
	() => 'Nov 30 10:49:01 host sshd[1234]: Accepted publickey for root from 10.0.0.23 port 52144 ssh2: RSA SHA256:x8kQ',
	() => '127.0.0.1 - - [30/Nov/2025:10:49:01 +0000] "GET /index.html?q=a%20b HTTP/1.1" 200 5123 "-" "Mozilla/5.0 (X11; Linux x86_64)"',
	() => '{"level":"info","ts":1700000000.123,"caller":"server/main.go:42","msg":"listening","addr":":8080"}',
	() => '[    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0)',
	() => '2024-03-15T09:30:00.123456Z ERROR [worker-3] Task failed: ConnectionResetError(104, \'Connection reset by peer\')',
	() => 'Traceback (most recent call last):',
	() => '  File "/usr/lib/python3/dist-packages/foo/bar.py", line 123, in <module>',
	() => 'E: Unable to locate package libfoo-dev',
	() => 'W/ActivityManager( 1234): Timeout executing service: ServiceRecord{5f3c2d1 u0 com.example/.Svc}',
];
const MARKUP = [
	'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test &amp; more</title></head>',
	'<p class="lead">Caf&eacute; &nbsp; <b>bold</b> <a href="/x?y=1&amp;z=2">link</a></p>',
	'# Heading 1',
	'## Installation',
	'- [ ] item one',
	'* **bold** and _italic_ and `code` and ~~strike~~',
	'| col 1 | col 2 | col 3 |',
	'|-------|:-----:|------:|',
	'```bash',
	'\\begin{equation} E = mc^2 \\quad \\forall x \\in \\mathbb{R} \\end{equation}',
	'<?xml version="1.0" encoding="UTF-8"?><root><item id="1">Text</item></root>',
	'name,age,city\n'.trim(),
	'"Smith, John",42,"New York"',
	'key: value  # a YAML comment',
	'  - name: "quoted: value"',
	'[section]',
	'.TH EMB 1 2024-01-01',
	'.Bl -tag -width Ds',
];

function prose(r) {
	const lang = r.pick(LANGS);
	let s = r.pick(PROSE[lang]);
	if (r.chance(0.4))
		s += ' ' + r.pick(PROSE[r.chance(0.5) ? lang : r.pick(LANGS)]);
	return s;
}

// Vary a line: case, numbers, spacing.
function vary(r, s) {
	const k = r.int(12);
	if (k === 0)
		return s.toUpperCase();
	if (k === 1)
		return s.toLowerCase();
	if (k === 2)
		return s.replace(/ /g, () => r.pick([' ', '  ', '\t', ' ', ' ']));
	if (k === 3)
		return s + r.pick([' ', '   ', '\t', ' \t ']);
	if (k === 4)
		return r.pick(['  ', '\t', '    ', '        ']) + s;
	if (k === 5)
		return s.replace(/\d+/g, () => String(r.u32() % (10 ** (1 + r.int(9)))));
	if (k === 6)
		return s.split(' ').map((w) => r.chance(0.3) ? w.charAt(0).toUpperCase() + w.slice(1) : w).join(' ');
	return s;
}

// Text assembled from a real vocabulary's pieces (decoded).
function vocabWords(r, pieces) {
	const n = 3 + r.int(20);
	let s = '';
	for (let i = 0; i < n; i++)
		s += r.pick(pieces);
	return s.replace(/^ +/, '');
}

function loadPieces() {
	const c = require('./common.js');
	const out = [];
	try {
		const js = fs.readFileSync(c.modpath('llama-tokenizer-js/llama-tokenizer.js'), 'utf8');
		const m = js.match(/const llama_vocab_base64 = "([^"]*)"/);
		for (const p of Buffer.from(m[1], 'base64').toString('utf8').split('\n'))
			if (!/^<.*>$/.test(p))
				out.push(p.replace(/\u2581/g, ' '));
	} catch (e) {
		// no vocabulary pieces: the other sources still make the corpus
	}
	return out;
}

function realLines(files) {
	const out = [];
	for (const f of files) {
		let t;
		try {
			t = fs.readFileSync(f);
		} catch (e) {
			continue;
		}
		for (const l of t.toString('latin1').split('\n'))
			if (l.length > 0 && l.length < 2000)
				out.push(Buffer.from(l, 'latin1'));
	}
	return out;
}

function mixed(bytes, seed, files) {
	const r = new Rng(seed);
	const pieces = loadPieces();
	const real = realLines(files);
	const out = [];
	let size = 0;
	while (size < bytes) {
		const k = r.int(20);
		let line;
		if (k < 7)
			line = vary(r, prose(r));
		else if (k < 9)
			line = vary(r, r.pick(CODE));
		else if (k < 10)
			line = r.pick(LOGS)();
		else if (k < 11)
			line = vary(r, r.pick(MARKUP));
		else if (k < 13 && pieces.length)
			line = vocabWords(r, pieces);
		else if (k < 14)
			line = '';
		else if (k < 16)
			line = vary(r, prose(r)) + ' ' + vary(r, prose(r));
		else if (real.length) {
			// a run of consecutive real lines
			let i = r.int(real.length);
			const n = 1 + r.int(4);
			const bufs = [];
			for (let j = 0; j < n && i < real.length; j++, i++)
				bufs.push(real[i], Buffer.from('\n'));
			const b = Buffer.concat(bufs);
			out.push(b);
			size += b.length;
			continue;
		} else
			line = prose(r);
		const b = Buffer.from(line + '\n', 'utf8');
		out.push(b);
		size += b.length;
	}
	return Buffer.concat(out);
}

// ---- the adversarial set ----------------------------------------------
const SPACES = [' ', '  ', '   ', '\t', '\t\t', ' \t', '\t ', '\u000B', '\u000C',
	'\r', ' \r', '\u0085', '\u00A0', '\u00A0\u00A0', '\u1680', '\u180E',
	'\u2000', '\u2009', '\u200A', '\u200B', '\u200D', '\u2028', '\u2029',
	'\u202F', '\u205F', '\u2060', '\u3000', '\uFEFF', ' \u00A0', '\u00A0 ',
	'\u2009 ', ' \u3000', '\u001C', '\u001F'];
const LETTERS = ['a', 'A', 'abc', 'ABC', 'Abc', 'aBC', 'aBc', 'I', 'the', 'THE',
	'Hello', 'HELLO', 'hElLo', 'ǅ', 'ǅa', 'ǈ', 'ᾈ', 'ʰ', 'ʰa', 'Aʰ', 'ー', 'ラーメン',
	'中文', '東京都', 'ひらがな', 'カタカナ', '한국어', '한', '가', 'ا', 'العربية',
	'עברית', 'é', 'e\u0301', '\u0301', '\u0301a', 'A\u0301', 'É', 'ß', 'ẞ', 'ſ',
	'ſt', 'K', 'İ', 'ı', 'ﬁ', 'ﬀ', 'Σς', 'σ', 'Ωmega', 'Ꮳ', 'ꭰ', 'क्षि',
	'हिन्दी', 'ภาษา', 'ไทย', 'ñ', 'Ñ', 'ǲ', 'ǳ', '𝐀𝐁𝐂', '𝐚𝐛𝐜', '𝔄',
	'ℕ', 'ℌ', 'µ', 'ª', 'º', 'ↀ', 'ⅰ', 'ǃ', 'ʼ', 'ˆ', '゛', 'ゝ', '々',
	'〆', '𐐀', '𐐨', 'Ա', 'ա', 'Ⴀ', 'ⴀ', 'ა', 'Ა', 'ꙮ', '\u0903', '\u0BCD',
	'a\u20DD', '\u093F', 'x\u0308\u0332'];
const DIGITS = ['0', '1', '12', '123', '1234', '12345', '1234567', '12345678901',
	'3.14', '1,000', '1e10', '0x1F', '٣', '٣٤٥٦', '३४५', '１２３', '²', '³⁴',
	'½', 'Ⅻ', 'ⅻ', '①②', '𝟙𝟚', '٠', '߀', '〇', '𒐀', '1st', '2nd', 'A1',
	'a1b2', '１a'];
const CONTR = ['\'s', '\'S', '\'t', '\'T', '\'re', '\'RE', '\'Re', '\'rE',
	'\'ve', '\'VE', '\'vE', '\'m', '\'M', '\'ll', '\'LL', '\'lL', '\'Ll',
	'\'d', '\'D', '\'ſ', '\'K', '\'', '\'\'', '’s', '’S', '\'x', '\'st',
	'\'sa', '\'S\'T', '\'re\'s', '\'d\'', '"s', '\'\u0301s', 'n\'t',
	'N\'T', 'I\'M', 'it\'S', 'O\'Neil'];
const PUNCT = ['.', '...', '!?', '/', '//', '///', '\\', '-', '--', '_', '__',
	'@', '#', '$', '%', '&&', '||', '(', ')', '{}', '[]', '<', '>', '=>',
	'\u201C', '\u201D', '«', '»', '。', '、', '！', '؟', '¿', '¡', '•',
	'…', '—', '–', '·', '§', '¶', '†', '~', '`', '^', '|', ',', ';', ':',
	'/\r', '/\t', '.\r', '\u00AD', '\u200E', '\u200F', '\u202E', '\u2066',
	'\uFFFD', '\uFFFC', '\u00A9', '\u2122', '\u0000', '\u0001', '\u001B[31m',
	'\u007F', '\u0080', '\u009F', '\uE000', '\uF8FF', '\u{F0000}', '\u{10FFFD}',
	'\uFFFE', '\uFFFF', '\u{1FFFE}', '\u{E0001}', '\u{E0041}'];
const SPECIALS = ['<|endoftext|>', '<|endofprompt|>', '<|fim_prefix|>',
	'<|im_start|>', '<|begin_of_text|>', '<|eot_id|>', '<s>', '</s>',
	'<unk>', '[CLS]', '[SEP]', '[UNK]', '[MASK]', '[PAD]', '<|endof',
	'endoftext|>', '<|ENDOFTEXT|>', '<pad>', '<|reserved_special_token_5|>'];
const EMOJI = ['😀', '👍', '👍🏽', '👍🏿', '👨‍👩‍👧‍👦', '👩🏿‍🚀', '🏳️‍🌈', '🏴‍☠️',
	'1️⃣', '#️⃣', '🇫🇷', '🇺🇳🇯🇵', '❤️', '❤', '☺︎', '✌🏻', '🫠', '🪿', '🫩',
	'🧑‍🧑‍🧒', '🙂‍↔️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🤷‍♀️', '©️', '™️', '🔟', '🅰️', '💯'];
// Letters and numbers added in Unicode 15.0, 16.0 and 17.0 (the
// references classify by one version exactly: a letter it does not know
// is not a letter), and a few neighbours that are unassigned.
const NEWCHARS = [].concat(
	range(0x1E030, 0x1E06D, 7),    // 15.0 Cyrillic Extended-D (Lm)
	range(0x11F00, 0x11F59, 9),    // 15.0 Kawi
	range(0x1E4D0, 0x1E4F9, 5),    // 15.0 Nag Mundari
	range(0x31350, 0x323AF, 400),  // 15.0 CJK Extension H
	range(0x1DF25, 0x1DF2A, 1),    // 15.0 Latin Extended-G additions
	range(0x10D40, 0x10D8F, 4),    // 16.0 Garay (cased)
	range(0x16100, 0x16139, 6),    // 16.0 Gurung Khema
	range(0x16D40, 0x16D79, 6),    // 16.0 Kirat Rai
	range(0x1E5D0, 0x1E5FA, 6),    // 16.0 Ol Onal
	range(0x11BC0, 0x11BF9, 6),    // 16.0 Sunuwar
	range(0x105C0, 0x105F3, 5),    // 16.0 Todhri
	range(0x11380, 0x113E2, 9),    // 16.0 Tulu-Tigalari
	range(0xA7CB, 0xA7DC, 1),      // 16.0 Latin Extended-D additions
	range(0x1CC00, 0x1CCF9, 25),   // 16.0 Symbols for Legacy Computing Sup.
	range(0x13460, 0x143FA, 300),  // 16.0 Egyptian Hieroglyphs Ext-A
	range(0x10940, 0x10959, 5),    // 17.0 Sidetic
	range(0x11DB0, 0x11DE9, 6),    // 17.0 Tolong Siki
	range(0x16EA0, 0x16ED3, 6),    // 17.0 Beria Erfe
	range(0x1E6C0, 0x1E6FF, 7),    // 17.0 Tai Yo
	range(0x323B0, 0x3347F, 500),  // 17.0 CJK Extension J
	range(0x2EBF0, 0x2EE5D, 120),  // 15.1 CJK Extension I
	[cp(0x0C5D), cp(0x0CDD), cp(0x1123F), cp(0x11240), cp(0x1B132),
	    cp(0x1B155), cp(0x1E4E8), cp(0x0897)]);
// Invalid UTF-8, as raw bytes (each is spliced into a line).
const BADBYTES = [[0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0x80],
	[0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5],
	[0xFF], [0xFE], [0xE2, 0x82], [0xE2], [0xF0, 0x9F, 0x98], [0xF0, 0x9F],
	[0xC3], [0xC3, 0x28], [0xE2, 0x28, 0xA1], [0xF8, 0x88, 0x80, 0x80, 0x80],
	[0x80, 0x80, 0x80], [0xC3, 0xA9, 0xA9], [0xEF, 0xBB], [0xEF, 0xBB, 0xBF]];

const CORE = [].concat(SPACES, LETTERS.slice(0, 40), DIGITS.slice(0, 18),
	CONTR.slice(0, 24), PUNCT.slice(0, 30), EMOJI.slice(0, 10),
	NEWCHARS.filter((_, i) => i % 8 === 0), SPECIALS.slice(0, 4));
const ALL = [].concat(SPACES, LETTERS, DIGITS, CONTR, PUNCT, SPECIALS, EMOJI,
	NEWCHARS);

function adversarial(seed) {
	const r = new Rng(seed);
	const out = [];
	const push = (s) => out.push(Buffer.from(s + '\n', 'utf8'));
	// every atom alone, and after a space, a letter, a digit
	for (const a of ALL) {
		push(a);
		push(' ' + a);
		push('x' + a + 'y');
		push('1' + a + ' 2');
		push(a + a + a);
	}
	// all pairs of the core atoms
	for (const a of CORE)
		for (const b of CORE)
			push(a + b);
	// random runs of atoms
	for (let i = 0; i < 4000; i++) {
		let s = '';
		const n = 3 + r.int(6);
		for (let j = 0; j < n; j++)
			s += r.pick(ALL);
		push(s);
	}
	// white space runs before words, at line ends, mixed
	for (const a of SPACES)
		for (const n of [1, 2, 3, 5, 17])
			push('word' + a.repeat(n) + 'word' + a.repeat(n));
	for (let n = 1; n <= 40; n++)
		push(' '.repeat(n) + 'x' + ' '.repeat(n) + '1' + '\t'.repeat(n % 7) + '!' + ' '.repeat(n));
	// digit runs of every length, in several scripts
	for (let n = 1; n <= 25; n++) {
		push('1234567890123456789012345'.slice(0, n));
		push('x' + '٠١٢٣٤٥٦٧٨٩'.repeat(3).slice(0, n) + 'y ' + '9'.repeat(n));
	}
	// contractions after every kind of letter
	for (const c of CONTR)
		for (const w of ['it', 'IT', 'I', 'ǅ', 'ʰ', '中', 'é', 'e\u0301', '1', ' ', '.', ''])
			push(w + c + ' ' + w + c + 'x');
	// NUL bytes, control characters
	push('\u0000');
	push('a\u0000b \u0000\u0000 c\u0000');
	push('\u0000 \u0000\t\u0000\r\u0000');
	// very long words and runs (kept to a few KB: tiktoken is quadratic
	// in the length of one piece)
	push('a'.repeat(3000));
	push('Ab'.repeat(1500));
	push('中'.repeat(1500));
	push('1'.repeat(3000));
	push('.'.repeat(3000));
	push(' '.repeat(3000));
	push(' '.repeat(2000) + 'x');
	push('\t'.repeat(2000));
	push('e\u0301'.repeat(1000));
	push('👍🏽'.repeat(500));
	push('\u00A0'.repeat(1000) + 'x');
	push('pneumonoultramicroscopicsilicovolcanoconiosis '.repeat(40));
	push('Supercalifragilisticexpialidocious'.repeat(50));
	// invalid UTF-8: alone, inside words, next to spaces and digits
	for (const b of BADBYTES) {
		const bad = Buffer.from(b);
		for (const [pre, post] of [['', ''], ['a', 'b'], [' ', ' '],
		    ['1', '2'], ['\'', 's'], ['é', ''], ['', '\u0301'], ['中', '文']])
			out.push(Buffer.concat([Buffer.from(pre), bad,
			    Buffer.from(post + '\n')]));
	}
	for (let i = 0; i < 300; i++) {
		const parts = [];
		for (let j = 0; j < 2 + r.int(5); j++)
			parts.push(r.chance(0.4) ? Buffer.from(r.pick(BADBYTES)) :
			    Buffer.from(r.pick(ALL)));
		parts.push(Buffer.from('\n'));
		out.push(Buffer.concat(parts));
	}
	// random bytes
	for (let i = 0; i < 200; i++) {
		const b = Buffer.alloc(1 + r.int(40));
		for (let j = 0; j < b.length; j++) {
			b[j] = r.int(256);
			if (b[j] === 10)
				b[j] = 32;
		}
		out.push(b, Buffer.from('\n'));
	}
	// random code points of every plane
	for (let i = 0; i < 500; i++) {
		let s = '';
		for (let j = 0; j < 1 + r.int(8); j++) {
			let c = r.chance(0.5) ? r.int(0x3400) : r.int(0x110000);
			if ((c >= 0xD800 && c <= 0xDFFF) || c === 10)
				c = 0x20;
			s += cp(c);
		}
		push(s);
	}
	// an empty line, and a last line without a newline
	push('');
	out.push(Buffer.from('no newline at the end'));
	return Buffer.concat(out);
}

function documentText(seed) {
	const r = new Rng(seed);
	const NL = ['\n', '\n\n', '\n\n\n', '\r\n', '\r\n\r\n', ' \n', '\n ', ' \n ',
		'\t\n', '\n\t', '  \n\n  ', '\r', '\n\r', '\u2028', '\u0085\n', '\u00A0\n'];
	let s = '';
	for (let i = 0; i < 20000; i++)
		s += r.pick(ALL) + (r.chance(0.3) ? r.pick(NL) : '');
	for (let i = 0; i < 100; i++)
		s += prose(r) + r.pick(NL) + r.pick(CODE) + r.pick(NL);
	return Buffer.from(s + '\n\n  \n', 'utf8');
}

function longline(bytes, seed) {
	const r = new Rng(seed);
	const part = Math.floor(bytes / 6);
	const out = [];
	// one run of lower-case letters (one pre-token, one BPE word)
	const b = Buffer.alloc(part);
	const lc = 'etaoinshrdlcumwfgypbvkjxqz';
	for (let i = 0; i < part; i++)
		b[i] = lc.charCodeAt(Math.min(r.int(26), r.int(26)));
	out.push(b);
	// upper and lower case mixed, no space
	const w = [];
	let n = 0;
	while (n < part) {
		const t = r.pick(['The', 'quick', 'BROWN', 'fox', 'Jumps', 'oVer',
		    'the', 'lazy', 'dog', 'Émile', 'naïve', 'straße']);
		w.push(t);
		n += Buffer.byteLength(t);
	}
	out.push(Buffer.from(w.join('')));
	// CJK, digits, punctuation, letters with marks
	const cjk = [];
	for (n = 0; n < part; n += 3)
		cjk.push(cp(0x4E00 + r.int(0x5000)));
	out.push(Buffer.from(cjk.join('')));
	const d = Buffer.alloc(Math.floor(part / 2));
	for (let i = 0; i < d.length; i++)
		d[i] = 0x30 + r.int(10);
	out.push(d);
	const p = Buffer.alloc(Math.floor(part / 2));
	const pc = '.,;:!?-_/()[]{}<>*&^%$#@~`|+=';
	for (let i = 0; i < p.length; i++)
		p[i] = pc.charCodeAt(r.int(pc.length));
	out.push(p);
	// glued words from many scripts with punctuation between
	const g = [];
	n = out.reduce((a, x) => a + x.length, 0);
	while (n < bytes) {
		const t = prose(r).replace(/\s+/g, r.pick(['', '-', '.', '_', '/']));
		g.push(t);
		n += Buffer.byteLength(t);
	}
	out.push(Buffer.from(g.join('')));
	return Buffer.concat([Buffer.concat(out).subarray(0, bytes), Buffer.from('\n')]);
}

function main(argv) {
	const [what, ...rest] = argv;
	let buf;
	if (what === 'mixed' && rest.length >= 1)
		buf = mixed(Number(rest[0]), Number(rest[1] || 1), rest.slice(2));
	else if (what === 'adversarial')
		buf = adversarial(Number(rest[0] || 1));
	else if (what === 'document')
		buf = documentText(Number(rest[0] || 1));
	else if (what === 'longline' && rest.length >= 1)
		buf = longline(Number(rest[0]), Number(rest[1] || 1));
	else {
		process.stderr.write('usage: node corpus.js mixed BYTES [SEED] [FILE...]\n' +
		    '       node corpus.js adversarial|document [SEED]\n' +
		    '       node corpus.js longline BYTES [SEED]\n');
		process.exit(2);
	}
	require('./common.js').writeAll(buf);
}

main(process.argv.slice(2));
