// Relationship maps: the SVG is complete without this script. It adds
// neighbour highlighting (hover or focus a point: its links and neighbours
// stay, the rest fades), zoom buttons and drag to pan, and on a
// neighbourhood map scrolls the centre into view on narrow screens.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "fr" ? "fr" : "en";
  var words = {
    fr: { zin: "Agrandir", zout: "Réduire", fit: "1:1, taille d’origine" },
    en: { zin: "Zoom in", zout: "Zoom out", fit: "1:1, original size" }
  }[lang];

  function setup(figure) {
    var canvas = figure.querySelector(".map__canvas");
    var svg = canvas && canvas.querySelector("svg.graph");
    if (!svg || svg.dataset.ready) return;
    svg.dataset.ready = "1";
    highlight(svg);
    zoom(figure, canvas, svg);
    // A frame narrower than the map starts on its middle: an entity's
    // centre a little left of the middle, for its label on the right.
    var left = svg.classList.contains("graph--neighbourhood") ? 0.35 : 0.5;
    canvas.scrollLeft = canvas.scrollWidth / 2 - canvas.clientWidth * left;
    canvas.scrollTop = (canvas.scrollHeight - canvas.clientHeight) / 2;
  }

  // Highlighting: data-e="a b" on each line names its ends by their
  // places among the points.
  function highlight(svg) {
    var lines = svg.querySelectorAll("line[data-e]");
    var nodes = svg.querySelectorAll(".graph__nodes > *");
    var adj = {};
    lines.forEach(function (l) {
      var e = l.getAttribute("data-e").split(" ");
      (adj[e[0]] = adj[e[0]] || []).push([e[1], l]);
      (adj[e[1]] = adj[e[1]] || []).push([e[0], l]);
    });
    function clear() {
      svg.classList.remove("is-focused");
      svg.querySelectorAll(".is-near").forEach(function (el) { el.classList.remove("is-near"); });
    }
    function show(n) {
      clear();
      svg.classList.add("is-focused");
      n.classList.add("is-near");
      (adj[n.dataset.i] || []).forEach(function (p) {
        p[1].classList.add("is-near");
        if (nodes[p[0]]) nodes[p[0]].classList.add("is-near");
      });
    }
    nodes.forEach(function (n, i) {
      n.dataset.i = i;
      n.addEventListener("mouseenter", function () { show(n); });
      n.addEventListener("focus", function () { show(n); });
      n.addEventListener("mouseleave", clear);
      n.addEventListener("blur", clear);
    });
  }

  // Zoom changes the drawn size (the canvas scrolls); drag pans.
  function zoom(figure, canvas, svg) {
    var w = svg.width.baseVal.value, h = svg.height.baseVal.value, k = 1;
    var bar = document.createElement("div");
    bar.className = "map__zoom";
    function button(text, label, f) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.title = label;
      b.addEventListener("click", f);
      bar.appendChild(b);
    }
    function scale(to) {
      var cx = (canvas.scrollLeft + canvas.clientWidth / 2) / k;
      var cy = (canvas.scrollTop + canvas.clientHeight / 2) / k;
      k = Math.min(3, Math.max(0.5, to));
      svg.setAttribute("width", Math.round(w * k));
      svg.setAttribute("height", Math.round(h * k));
      canvas.scrollLeft = cx * k - canvas.clientWidth / 2;
      canvas.scrollTop = cy * k - canvas.clientHeight / 2;
    }
    button("+", words.zin, function () { scale(k * 1.25); });
    button("−", words.zout, function () { scale(k / 1.25); });
    button("1:1", words.fit, function () { scale(1); });
    canvas.parentNode.insertBefore(bar, canvas);

    var drag = null;
    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.pointerType !== "mouse" || ev.button !== 0 || ev.target.closest("a")) return;
      drag = { x: ev.clientX, y: ev.clientY, l: canvas.scrollLeft, t: canvas.scrollTop };
      canvas.setPointerCapture(ev.pointerId);
      canvas.classList.add("is-dragging");
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      canvas.scrollLeft = drag.l - (ev.clientX - drag.x);
      canvas.scrollTop = drag.t - (ev.clientY - drag.y);
    });
    function stop() { drag = null; canvas.classList.remove("is-dragging"); }
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
  }

  document.querySelectorAll("figure.map").forEach(setup);
})();
