// dossier serve: reloads the page after each rebuild, swaps stylesheets in
// place when only CSS changed, keeps the scroll position across reloads and
// shows build errors in an overlay. Served by `dossier serve` only; never
// part of a built site. Text goes into the page with textContent only.
(function () {
  "use strict";
  if (window.__dossierLive || !window.EventSource) return;
  // The server's words in the site's language, filled in by the server.
  var T = /*TEXT*/{};
  var script = document.currentScript;
  var live = (window.__dossierLive = {
    gen: script ? script.getAttribute("data-gen") : null,
    connected: false,
  });
  var scrollKey = "dossier-serve:scroll:" + location.pathname + location.search;

  // Restore the scroll position saved by the reload that brought us here.
  try {
    var saved = sessionStorage.getItem(scrollKey);
    if (saved) {
      sessionStorage.removeItem(scrollKey);
      var xy = JSON.parse(saved);
      var restore = function () { window.scrollTo(xy[0], xy[1]); };
      restore();
      if (document.readyState !== "complete") window.addEventListener("load", restore);
    }
  } catch (e) { /* storage disabled: reload to the top */ }

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* ignore */ }
    location.reload();
  }

  // Point each matching <link rel=stylesheet> at the new file; the old link
  // stays until the new one has loaded, so the page never flashes unstyled.
  function swapStyles(sheets) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    (sheets || []).forEach(function (s) {
      Array.prototype.forEach.call(links, function (link) {
        var u;
        try { u = new URL(link.href, location.href); } catch (e) { return; }
        var p = u.pathname;
        if (u.origin !== location.origin || p.indexOf(s.prefix) !== 0 ||
            p.length < s.prefix.length + s.suffix.length ||
            p.slice(p.length - s.suffix.length) !== s.suffix) return;
        if (!/^[0-9a-f]*$/.test(p.slice(s.prefix.length, p.length - s.suffix.length))) return;
        var next = link.cloneNode(false);
        if (s.integrity) next.integrity = s.integrity; else next.removeAttribute("integrity");
        next.href = s.href;
        next.onload = next.onerror = function () { link.remove(); };
        link.after(next);
      });
    });
  }

  function el(tag, css, text) {
    var e = document.createElement(tag);
    if (css) e.style.cssText = css;
    if (text != null) e.textContent = text;
    return e;
  }

  var overlay = null;
  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }
  function show(errors) {
    hide();
    if (!errors || !errors.length) return;
    overlay = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
      "padding:2rem 1rem;background:rgba(24,20,18,.94);color:#f3efe9;text-align:left;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;");
    overlay.id = "__dossier-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", T.failed);
    var box = el("div", "max-width:64rem;margin:0 auto;");
    var head = el("div", "display:flex;justify-content:space-between;align-items:baseline;gap:1rem;margin:0 0 1.5rem;");
    var n = errors.length;
    head.appendChild(el("strong", "font-size:1.15rem;color:#ff8a80;", T.failed + T.separator + (n === 1 ? T["errors.one"] : T.errors).replace("%d", n)));
    var close = el("button", "font:inherit;color:inherit;background:none;border:1px solid #776f68;border-radius:4px;padding:0 .6rem;cursor:pointer;", "×");
    close.type = "button";
    close.title = T.hide;
    close.setAttribute("aria-label", close.title);
    close.onclick = hide;
    head.appendChild(close);
    box.appendChild(head);
    var list = el("ol", "list-style:none;margin:0;padding:0;");
    errors.forEach(function (e) {
      var item = el("li", "margin:0 0 1.25rem;padding:0 0 1.25rem;border-bottom:1px solid #4b4540;");
      if (e.where) item.appendChild(el("div", "color:#ffd180;font-weight:bold;", e.where));
      item.appendChild(el("div", "white-space:pre-wrap;", e.message));
      if (e.source) {
        var text = e.source;
        if (e.mark > 0 || e.col === 1) {
          var pad = Array.from(e.source).slice(0, e.mark || 0).map(function (c) { return c === "\t" ? "\t" : " "; }).join("");
          text += "\n" + pad + "^";
        }
        item.appendChild(el("pre", "margin:.5rem 0 0;padding:.5rem .75rem;background:#000;color:#e6e1da;overflow:auto;white-space:pre;font:inherit;", text));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    box.appendChild(el("p", "color:#b9b1a8;margin:0;", T.lastgood));
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);
  }

  function on(es, name, fn) {
    es.addEventListener(name, function (ev) {
      var d;
      try { d = JSON.parse(ev.data); } catch (e) { return; }
      fn(d || {});
    });
  }

  var es = new EventSource("/__dossier/events");
  es.onopen = function () { live.connected = true; };
  es.onerror = function () { live.connected = false; };
  on(es, "hello", function (d) {
    // A rebuild happened while we were not listening: catch up.
    if (live.gen !== null && d.gen !== live.gen) { reload(); return; }
    show(d.errors);
  });
  on(es, "reload", function (d) {
    if (d.gen !== live.gen) reload();
  });
  on(es, "css", function (d) {
    swapStyles(d.sheets);
    live.gen = d.gen;
    hide();
  });
  on(es, "errors", function (d) { show(d.errors); });
  on(es, "ok", function () { hide(); });
  // Free the connection when leaving; a page restored from the back-forward
  // cache may have missed rebuilds, so it reloads.
  window.addEventListener("pagehide", function () { es.close(); });
  window.addEventListener("pageshow", function (ev) { if (ev.persisted) location.reload(); });
})();
