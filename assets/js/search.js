/* Full-text search client for the index built by generator/search.
 * normalize/tokenize/stem and the ranking mirror the Go package exactly
 * (tested against it); see docs/search.md. Results are inserted with DOM
 * APIs and textContent only, never parsed as HTML. */
(function () {
  'use strict';
  const FOLD_TABLE = 'a:àáâãäåāăąǎǟǡǻȁȃȧḁạảấầẩẫậắằẳẵặ ae:æ b:ƀḃḅḇ c:çćĉċčƈȼḉ d:ðďđƌḋḍḏḑḓ dz:ǆǳ e:èéêëēĕėęěǝȅȇȩɇḕḗḙḛḝẹẻẽếềểễệ f:ƒḟ ff:ﬀ ffi:ﬃ ffl:ﬄ fi:ﬁ fl:ﬂ g:ĝğġģǥǧǵɠḡ h:ĥħȟḣḥḧḩḫẖ i:ìíîïĩīĭįıǐȉȋḭḯỉị ij:ĳ j:ĵǰɉ k:ķĸƙǩḱḳḵ l:ĺļľŀłƚḷḹḻḽ lj:ǉ m:ḿṁṃ n:ñńņňŉǹṅṇṉṋ nj:ǌ o:òóôõöøōŏőơǒǫǭȍȏȫȭȯȱṍṏṑṓọỏốồổỗộớờởỡợ oe:œ p:ƥṕṗ r:ŕŗřȑȓɍṙṛṝṟ s:śŝşšſșṡṣṥṧṩẛ ss:ß st:ﬅﬆ t:ţťŧƭțṫṭṯṱẗ th:þ u:ùúûüũūŭůűųưǔǖǘǚǜȕȗʉṳṵṷṹṻụủứừửữự v:ṽṿ w:ŵẁẃẅẇẉẘ x:ẋẍ y:ýÿŷȳɏẏẙỳỵỷỹ z:źżžƶẑẓẕ α:ά β:ϐ ε:έϵ η:ή θ:ϑ ι:ΐίϊ κ:ϰ ο:ό π:ϖ ρ:ϱ σ:ςϲ υ:ΰϋύϒϓϔ φ:ϕ ω:ώ а:ӑӓ г:ѓ е:ѐёӗ ж:ӂӝ з:ӟ и:йѝӣӥ к:ќ о:ӧ у:ўӯӱӳ ч:ӵ ы:ӹ э:ӭ і:ї';
  const FOLD = {};
  for (const g of FOLD_TABLE.split(' ')) {
    const [t, s] = g.split(':');
    for (const c of s) FOLD[c] = t;
  }
  const ELISIONS = new Set('l d j m n s t c qu jusqu lorsqu puisqu quoiqu'.split(' '));
  const WORD = /[\p{L}\p{M}\p{N}]/u;
  const DROP = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad]/;
  const isWord = (c) => c !== '\u02bc' && WORD.test(c);
  const isApos = (c) => "'\u2019\u2018\u02bc\u00b4".includes(c);
  const isHyphen = (c) => '-\u2010\u2011'.includes(c);
  const charAt = (s, i) => (i < s.length ? String.fromCodePoint(s.codePointAt(i)) : '');
  const runes = (s) => (/[\ud800-\udfff]/.test(s) ? [...s].length : s.length);

  function normalize(word) {
    let out = '';
    for (const ch of word) for (const c of ch.toLowerCase()) if (!DROP.test(c)) out += FOLD[c] || c;
    return out;
  }

  // tokenize returns {term, start, end} with UTF-16 offsets into text.
  function tokenize(text) {
    const toks = [];
    for (let i = 0; i < text.length; ) {
      let c = charAt(text, i);
      if (!isWord(c)) { i += c.length; continue; }
      const parts = [], apos = [];
      for (;;) {
        const start = i;
        for (;;) {
          c = charAt(text, i);
          if (c && (isWord(c) || (c === '\u00ad' && isWord(charAt(text, i + 1))))) i += c.length;
          else break;
        }
        parts.push({ term: normalize(text.slice(start, i)), start, end: i });
        c = charAt(text, i);
        const a = isApos(c);
        if (!c || (!a && !isHyphen(c)) || !isWord(charAt(text, i + c.length))) break;
        apos.push(a);
        i += c.length;
      }
      let ps = parts;
      if (ps.length >= 2 && apos[0] && ELISIONS.has(ps[0].term)) { ps = ps.slice(1); apos.shift(); }
      if (ps.length >= 2 && apos[ps.length - 2] && ps[ps.length - 1].term === 's') ps = ps.slice(0, -1);
      ps = ps.filter((p) => p.term);
      if (ps.length >= 2) toks.push({ term: ps.map((p) => p.term).join(''), start: ps[0].start, end: ps[ps.length - 1].end });
      toks.push(...ps);
    }
    return toks;
  }

  const rules = (spec) => spec.split(' ').map((r) => { const [end, n, ...not] = r.split(','); return [end, +n, not]; });
  const FR_PLURAL = rules('aux,2 s,1,ss x,1');
  const FR_SUFFIX = rules('ement,5 ation,5 tion,4 euse,2');
  const FR_ENDING = rules('er,2 eu,2 al,1');
  const EN_PLURAL = rules('ies,3 sses,2 xes,2 ches,2 shes,2 zes,2 s,1,ss,us,is');
  const EN_VERBAL = rules('ing,3 ed,2');
  const FINAL_E = rules('e,1');
  const FINAL_Y = rules('y,1');
  const UNDOUBLE = 'bcdfgkmnprtvz';
  function apply(t, rs) {
    for (const [end, n, not] of rs) {
      if (t.endsWith(end) && runes(t) - n >= 3 && !not.some((x) => t.endsWith(x))) return [t.slice(0, -n), true];
    }
    return [t, false];
  }
  const fr = (t) => {
    for (const rs of [FR_PLURAL, FR_SUFFIX, FINAL_E, FINAL_E, FR_ENDING]) t = apply(t, rs)[0];
    return t;
  };
  const en = (t) => {
    t = apply(t, EN_PLURAL)[0];
    const [s, ok] = apply(t, EN_VERBAL);
    if (ok && /[aeiouy]/.test(s)) {
      t = s;
      const n = t.length;
      if (n >= 2 && t[n - 1] === t[n - 2] && UNDOUBLE.includes(t[n - 1]) && runes(t) > 3) t = t.slice(0, -1);
    }
    return apply(apply(t, FINAL_E)[0], FINAL_Y)[0];
  };
  function stem(term, lang) {
    const l = String(lang || '').toLowerCase().replace('_', '-');
    const f = /^fr(-|$)/.test(l) ? fr : /^en(-|$)/.test(l) ? en : null;
    return !f || /\p{N}/u.test(term) ? term : f(term);
  }
  function stemVariants(s, lang) {
    const out = [];
    const cross = (a, b) => a.flatMap((x) => b.map((y) => x + y));
    if (lang === 'fr') return cross(cross(cross(cross([s], ['', 'er', 'eu', 'l']), ['', 'e', 'ee']), ['', 'ement', 'ation', 'tion', 'se']), ['', 'ux', 's', 'x']);
    for (const base of cross(cross([s], ['', 'y']), ['', 'e'])) {
      const last = base.slice(-1);
      for (let p2 of ['', 'ing', 'ed', '+ing', '+ed']) {
        if (p2[0] === '+') { if (!UNDOUBLE.includes(last)) continue; p2 = last + p2.slice(1); }
        for (const p1 of ['', 'ies', 'es', 's']) out.push(base + p2 + p1);
      }
    }
    return out;
  }

  // tierOf returns a function rating an index term u against query term q:
  // 1 exact, 0.75 same French or English stem, 0.5 completion of q, 0 none.
  // (Stems are prefixes, so u can only share a stem it starts with.)
  function tierOf(q) {
    const fr = stem(q, 'fr'), en = stem(q, 'en'), prefix = runes(q) >= 3;
    const same = (u, s, l) => u.startsWith(s) && stem(u, l) === s;
    return (u) => (u === q ? 1 : same(u, fr, 'fr') || same(u, en, 'en') ? 0.75 : prefix && u.startsWith(q) ? 0.5 : 0);
  }
  const matchTier = (q, u) => tierOf(q)(u);

  const utf8Len = (s) => [...s].reduce((n, c) => { const p = c.codePointAt(0); return n + (p < 0x80 ? 1 : p < 0x800 ? 2 : p < 0x10000 ? 3 : 4); }, 0);
  // queryTerms: distinct terms without stop words, or only stop words.
  function queryTerms(query, stop) {
    const all = [];
    for (const { term } of tokenize(query)) if (utf8Len(term) <= 64 && !all.includes(term)) all.push(term);
    const content = all.filter((t) => !stop.includes(t));
    return content.length ? [content, false] : [all, true];
  }

  const A = new Int8Array(128).fill(-1);
  [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_'].forEach((c, i) => { A[c.charCodeAt(0)] = i; });
  // decode calls f(id, weight) for each posting of an encoded posting list
  // (a varint ID gap, 5 bits a character, then a weight character) and
  // returns their number; it stops at malformed input.
  function decode(p, f) {
    let n = 0;
    for (let i = 0, id = -1; i < p.length; n++) {
      let gap = 0, shift = 0, v;
      do {
        v = shift > 25 ? -1 : A[p.charCodeAt(i++)];
        if (!(v >= 0)) return n;
        gap += (v & 31) * 2 ** shift;
        shift += 5;
      } while (v >= 32);
      const w = A[p.charCodeAt(i++)];
      if (!(w >= 0)) return n;
      id += gap + 1;
      if (f) f(id, w);
    }
    return n;
  }

  // open returns the query API of an index; get(path) resolves to parsed JSON.
  function open(meta, get) {
    const cache = new Map();
    const load = (p) => {
      if (!cache.has(p)) cache.set(p, get(p).catch((e) => { cache.delete(p); throw e; }));
      return cache.get(p);
    };
    const T = meta.terms;
    const chunkOf = (t) => {
      let lo = 0, hi = T.length;
      while (lo < hi) { const m = (lo + hi) >> 1; if (T[m] <= t) lo = m + 1; else hi = m; }
      return Math.max(lo - 1, 0);
    };
    const chunksFor = (q) => {
      if (!T.length) return [];
      const k = chunkOf(q), set = [k];
      const add = (n) => { if (set.length < 4 && !set.includes(n)) set.push(n); };
      if (runes(q) >= 3) {
        for (let n = k + 1; n < T.length && n < k + 3 && T[n].startsWith(q); n++) add(n);
        const vs = [];
        for (const l of ['fr', 'en']) {
          const s = stem(q, l);
          if (s !== q) for (const v of stemVariants(s, l)) if (stem(v, l) === s) vs.push(v);
        }
        vs.sort((a, b) => runes(a) - runes(b) || (a < b ? -1 : a > b ? 1 : 0));
        vs.forEach((v) => add(chunkOf(v)));
      }
      return set.sort((a, b) => a - b);
    };
    const kindOf = (id) => {
      for (let i = 0; i < meta.counts.length; id -= meta.counts[i++]) if (id < meta.counts[i]) return meta.kinds[i];
      return '';
    };
    async function search(query) {
      const [terms, stop] = queryTerms(query, meta.stop);
      const lists = await Promise.all(terms.map(async (q) => {
        const files = stop ? ['s/' + q + '.json'] : chunksFor(q).map((k) => 't/' + k + '.json');
        const ms = [], tier = stop ? (u) => +(u === q) : tierOf(q);
        for (const c of await Promise.all(files.map((f) => load(f)))) {
          for (const [u, p] of c || []) {
            const t = tier(u);
            if (t) ms.push([p, t]);
          }
        }
        return ms;
      }));
      // Per document: score sum, matched terms, terms in title; per term:
      // best score over the index terms matching it.
      const N = meta.docs, n = terms.length;
      const sum = new Float64Array(N), matched = new Uint8Array(N), inTitle = new Uint8Array(N);
      const best = new Float64Array(N), titled = new Uint8Array(N), found = [];
      for (const ms of lists) {
        const touched = [];
        for (const [p, tier] of ms) {
          const df = decode(p), idf = Math.log(1 + (N - df + 0.5) / (df + 0.5));
          decode(p, (id, w) => {
            if (id >= N) return;
            const sc = tier * idf * ((w & 31) / 31 * 2.2 + (w >> 5) * 1.5);
            if (best[id] === 0) touched.push(id);
            if (sc > best[id]) best[id] = sc;
            if (w & 32) titled[id] = 1;
          });
        }
        for (const id of touched) {
          if (!matched[id]) found.push(id);
          sum[id] += best[id]; matched[id]++; inTitle[id] += titled[id];
          best[id] = titled[id] = 0;
        }
      }
      const score = best; // reused: all zero again
      for (const id of found) {
        let sc = sum[id] * (matched[id] * matched[id]) / (n * n);
        if (n >= 2 && inTitle[id] === n) sc *= 1.5;
        score[id] = Math.round(sc * 1e6) / 1e6;
      }
      found.sort((a, b) => score[b] - score[a] || a - b);
      const hits = found.map((id) => ({ id, kind: kindOf(id), score: score[id] }));
      return { terms, stop, hits };
    }
    const doc = (id) => load('d/' + Math.floor(id / meta.docChunk) + '.json').then((c) => c[id % meta.docChunk]);
    return { meta, search, doc };
  }

  // marks returns the [start, end) UTF-16 ranges of text matching the query.
  function marks(text, terms, stop) {
    const out = [], tiers = terms.map((q) => (stop ? (u) => u === q : tierOf(q)));
    for (const t of tokenize(text)) {
      if (!tiers.some((f) => f(t.term))) continue;
      const last = out[out.length - 1];
      if (last && t.start <= last[1]) last[1] = Math.max(last[1], t.end);
      else out.push([t.start, t.end]);
    }
    return out;
  }

  // snippet cuts text to about size UTF-16 units around the first match,
  // preferring the beginning of the text: {text, ranges}.
  function snippet(text, terms, stop, size = 180) {
    let ranges = marks(text, terms, stop);
    if (text.length <= size) return { text, ranges };
    let start = ranges.length ? Math.floor(Math.min(ranges[0][0] - size / 3, text.length - size)) : 0;
    start = start < size / 4 ? 0 : text.indexOf(' ', start) + 1 || start;
    let end = Math.min(start + size, text.length);
    if (end < text.length && text.lastIndexOf(' ', end) > start) end = text.lastIndexOf(' ', end);
    const pre = start > 0 ? '… ' : '', post = end < text.length ? ' …' : '';
    const shift = pre.length - start;
    ranges = ranges.filter(([s, e]) => s >= start && e <= end).map(([s, e]) => [s + shift, e + shift]);
    return { text: pre + text.slice(start, end) + post, ranges };
  }

  if (typeof module === 'object' && module.exports) {
    module.exports = { FOLD_TABLE, isWord, normalize, tokenize, stem, stemVariants, matchTier, queryTerms, open, marks, snippet };
    return;
  }
  if (typeof document === 'undefined') return;

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const fill = (e, { text, ranges }) => {
    let p = 0;
    for (const [s, t] of ranges) { e.append(text.slice(p, s), el('mark', '', text.slice(s, t))); p = t; }
    e.append(text.slice(p));
    return e;
  };
  // Document URLs are site-relative paths; refuse anything with a scheme.
  const safeURL = (u) => typeof u === 'string' && !/^([a-z][a-z0-9+.-]*:|[\\/])/i.test(u);

  function setup(form) {
    const input = form.querySelector('input[name="q"]') || form.querySelector('input');
    const out = document.getElementById('search-results');
    if (!input || !out) return;
    let root = form.getAttribute('data-search-root') || '/';
    if (!root.endsWith('/')) root += '/';
    // The index of the page's language, beside its search page.
    const dir = form.getAttribute('data-search-index') || root + 'search/';
    const label = (k) => form.getAttribute('data-label-' + k) || k;
    // Dates in the page's language, as the site writes them ("1er juin
    // 2024", "19 June 2024"): month names from data-months (the theme's
    // i18n table), else the browser's own (Intl), else ISO.
    const lang = document.documentElement.lang || 'en';
    const months = (form.getAttribute('data-months') || '').split(',');
    const formatDate = (iso) => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      if (!m) return iso;
      const [y, mo, d] = [+m[1], +m[2], +m[3]];
      if (months.length === 12 && months[mo - 1]) return (d === 1 && lang.split('-')[0] === 'fr' ? '1er' : String(d)) + ' ' + months[mo - 1] + ' ' + y;
      try {
        return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, d));
      } catch (e) { return iso; }
    };
    input.setAttribute('aria-controls', out.id);
    let index = null, seq = 0, timer = 0;
    const getIndex = () => index || (index = fetch(dir + 'meta.json', { cache: 'no-cache' })
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error('search: meta.json ' + r.status))))
      .then((meta) => open(meta, (p) => fetch(dir + p + '?v=' + meta.hash)
        .then((r) => (r.ok ? r.json() : Promise.reject(new Error('search: ' + p + ' ' + r.status))))))
      .catch((e) => { index = null; throw e; }));

    async function showHits(ol, ix, res, hits) {
      const docs = await Promise.all(hits.map((h) => ix.doc(h.id)));
      docs.forEach((d, i) => {
        if (!d || !safeURL(d[0])) return;
        const li = el('li', 'search-result');
        if (d[2]) li.lang = d[2];
        const a = el('a', 'search-link');
        a.href = root + d[0];
        a.append(fill(el('span', 'search-title'), { text: d[1], ranges: marks(d[1], res.terms, res.stop) }));
        if (d[3]) { const t = el('time', 'search-date', formatDate(d[3])); t.dateTime = d[3]; a.append(' ', t); }
        li.append(a);
        if (d[4]) li.append(fill(el('p', 'search-snippet'), snippet(d[4], res.terms, res.stop)));
        ol.append(li);
      });
    }

    async function run(query) {
      const my = ++seq;
      const url = new URL(location.href);
      if (query.trim()) url.searchParams.set('q', query); else url.searchParams.delete('q');
      try { history.replaceState(history.state, '', url); } catch (e) { /* rate-limited */ }
      if (!query.trim()) { out.replaceChildren(); return; }
      const ix = await getIndex();
      const res = await ix.search(query);
      const frag = document.createDocumentFragment();
      const groups = [];
      for (const kind of ix.meta.kinds) {
        const hits = res.hits.filter((h) => h.kind === kind);
        if (!hits.length) continue;
        const sec = el('section', 'search-group');
        sec.dataset.kind = kind;
        const ol = el('ol', 'search-list');
        sec.append(el('h2', 'search-heading', label(kind)), ol);
        groups.push(showHits(ol, ix, res, hits.slice(0, 5)).then(() => {
          let shown = 5;
          if (hits.length <= shown) return;
          const more = el('button', 'search-more', label('more') + ' (' + (hits.length - shown) + ')');
          more.type = 'button';
          more.addEventListener('click', async () => {
            const first = ol.children.length;
            await showHits(ol, ix, res, hits.slice(shown, (shown += 10)));
            if (shown >= hits.length) more.remove();
            else more.textContent = label('more') + ' (' + (hits.length - shown) + ')';
            const a = ol.children[first] && ol.children[first].querySelector('a');
            if (a) a.focus();
          });
          sec.append(more);
        }));
        frag.append(sec);
      }
      await Promise.all(groups);
      if (my !== seq) return;
      if (!groups.length) frag.append(el('p', 'search-none', label('none')));
      out.replaceChildren(frag);
    }
    const go = (q) => run(q).catch((e) => console.warn(e));
    input.addEventListener('focus', () => getIndex().catch(() => {}), { once: true });
    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(go, 60, input.value); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearTimeout(timer);
      await go(input.value);
      const a = out.querySelector('a');
      if (a) a.focus();
    });
    const clear = () => { clearTimeout(timer); input.value = ''; go(''); input.focus(); };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowDown') {
        const a = out.querySelector('a, button');
        if (a) { e.preventDefault(); a.focus(); }
      } else if (e.key === 'Escape') { e.preventDefault(); clear(); }
    });
    out.addEventListener('keydown', (e) => {
      const items = [...out.querySelectorAll('a, button')];
      const i = items.indexOf(document.activeElement);
      if (i < 0) return;
      let next = null;
      if (e.key === 'ArrowDown') next = items[i + 1];
      else if (e.key === 'ArrowUp') next = items[i - 1] || input;
      else if (e.key === 'Home') next = items[0];
      else if (e.key === 'End') next = items[items.length - 1];
      else if (e.key === 'Escape') { e.preventDefault(); clear(); return; }
      else return;
      e.preventDefault();
      if (next) next.focus();
    });
    const q = new URLSearchParams(location.search).get('q');
    if (q) { input.value = q; go(q); }
  }
  const init = () => document.querySelectorAll('form[data-search-root]').forEach(setup);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
