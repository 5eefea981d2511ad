// Test harness for assets/js/search.js, run by js_test.go:
//   node harness.js <search.js> <mode> < input.json > output.json
// It only computes; the Go tests compare the output with the Go package.
'use strict';
const fs = require('fs');
const path = require('path');

const [, , lib, mode] = process.argv;
const S = require(path.resolve(lib));
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const bytes = (s, i) => Buffer.byteLength(s.slice(0, i));

async function main() {
  switch (mode) {
    case 'vectors':
      return {
        tokenize: input.tokenize.map((c) => S.tokenize(c.text).map((t) => [t.term, bytes(c.text, t.start), bytes(c.text, t.end)])),
        normalize: input.normalize.map((c) => S.normalize(c.in)),
        stem: input.stem.map((c) => S.stem(c.term, c.lang)),
      };
    case 'unicode': {
      // Every code point whose normalization is not itself, and the ranges
      // of word code points.
      const norm = [], words = [];
      let start = -1;
      for (let cp = 0; cp <= 0x110000; cp++) {
        const surrogate = cp >= 0xd800 && cp <= 0xdfff;
        const ch = cp <= 0x10ffff && !surrogate ? String.fromCodePoint(cp) : '';
        if (ch) {
          const n = S.normalize(ch);
          if (n !== ch) norm.push([cp, n]);
        }
        const w = ch !== '' && S.isWord(ch);
        if (w && start < 0) start = cp;
        if (!w && start >= 0) { words.push([start, cp - 1]); start = -1; }
      }
      return { norm, words };
    }
    case 'search': {
      const out = [];
      for (const q of input.queries) {
        const loaded = new Set();
        const read = (p) => { loaded.add(p); return JSON.parse(fs.readFileSync(path.join(input.dir, p), 'utf8')); };
        const meta = read('search/meta.json');
        const ix = S.open(meta, async (p) => read('search/' + p)); // the page reads files from its index folder
        const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
        const res = await ix.search(q);
        if (res.hits.length) await ix.doc(res.hits[0].id);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const c = process.cpuUsage(c0), cpu = (c.user + c.system) / 1000;
        out.push({ terms: res.terms, stop: res.stop, hits: res.hits.map((h) => [h.id, h.score, h.kind]), files: [...loaded].sort(), ms, cpu });
      }
      return out;
    }
    case 'snippet':
      return input.map((c) => S.snippet(c.text, c.terms, c.stop, c.size));
  }
  throw new Error('unknown mode ' + mode);
}

main().then((out) => process.stdout.write(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });
