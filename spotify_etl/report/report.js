// The report's interactive parts, written for this page (no library, nothing fetched):
// cover placeholders when an image cannot load, and the rank history (hover, zoom, pick songs).
"use strict";

(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var MARGIN = { top: 14, right: 150, bottom: 34, left: 40 };
  var HOUR_MS = 3600 * 1000;
  var LABELLED_LINES = 25;
  var ROW_HEIGHT = 16;
  var MIN_HEIGHT = 360;
  var MAX_HEIGHT = 1400;

  function coverFallbacks() {
    document.querySelectorAll("img.cover-img").forEach(function (img) {
      var drop = function () { img.remove(); };
      if (img.complete && img.naturalWidth === 0) { drop(); } else { img.addEventListener("error", drop); }
    });
  }

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function niceStep(span, maxTicks, steps) {
    for (var i = 0; i < steps.length; i++) { if (span / steps[i] <= maxTicks) { return steps[i]; } }
    return steps[steps.length - 1];
  }

  function formatTime(ms, withDay) {
    var d = new Date(ms);
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var hh = String(d.getUTCHours()).padStart(2, "0") + ":00";
    return withDay ? months[d.getUTCMonth()] + " " + d.getUTCDate() + " " + hh : hh;
  }

  function BumpChart(root, data) {
    this.root = root;
    this.data = data;
    this.times = data.snapshots.map(function (t) { return Date.parse(t + "Z"); });
    this.window = [0, this.times.length - 1];
    this.selected = new Set(data.songs.slice(0, data.initial).map(function (s) { return s.id; }));
    this.hot = null;
    this.build();
    this.draw();
  }

  BumpChart.prototype.build = function () {
    var self = this;
    var controls = this.root.querySelector(".bump-controls");
    controls.querySelectorAll("button[data-show]").forEach(function (button) {
      button.addEventListener("click", function () {
        var n = button.getAttribute("data-show");
        var count = n === "all" ? self.data.songs.length : parseInt(n, 10);
        self.selected = new Set(self.data.songs.slice(0, count).map(function (s) { return s.id; }));
        self.syncList();
        self.draw();
      });
    });
    controls.querySelector("button.reset").addEventListener("click", function () { self.zoom(null); });
    controls.querySelector("button.zoom-out").addEventListener("click", function () { self.zoomOut(); });
    var search = controls.querySelector("input");
    search.addEventListener("input", function () {
      var q = search.value.toLowerCase();
      self.list.querySelectorAll("label").forEach(function (label) {
        label.style.display = label.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none";
      });
    });
    this.list = this.root.querySelector(".bump-list");
    this.data.songs.forEach(function (song, i) {
      song.color = self.data.palette[i % self.data.palette.length];
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = song.id;
      box.addEventListener("change", function () {
        if (box.checked) { self.selected.add(song.id); } else { self.selected.delete(song.id); }
        self.draw();
      });
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = song.color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(song.label));
      label.title = song.name + " - " + song.artists;
      self.list.appendChild(label);
    });
    this.plot = this.root.querySelector(".bump-plot");
    this.tip = this.plot.querySelector(".bump-tip");
    this.svg = el("svg", { role: "img", "aria-label": "Rank history" });
    this.plot.insertBefore(this.svg, this.tip);
    this.svg.addEventListener("mousemove", function (e) { self.onMove(e); });
    this.svg.addEventListener("mouseleave", function () { self.setHot(null); });
    this.svg.addEventListener("mousedown", function (e) { self.onDown(e); });
    this.svg.addEventListener("dblclick", function () { self.zoom(null); });
    window.addEventListener("mouseup", function (e) { self.onUp(e); });
    window.addEventListener("resize", function () { self.draw(); });
    this.syncList();
  };

  BumpChart.prototype.syncList = function () {
    var self = this;
    this.list.querySelectorAll("input").forEach(function (box) { box.checked = self.selected.has(box.value); });
  };

  BumpChart.prototype.visible = function () {
    var self = this;
    return this.data.songs.filter(function (s) { return self.selected.has(s.id); });
  };

  BumpChart.prototype.domain = function () {
    // Ranks run from 1 to the deepest position a picked song reaches in the window (never 0).
    var deepest = 1;
    var songs = this.visible();
    if (songs.length === 0) { songs = this.data.songs; }
    for (var s = 0; s < songs.length; s++) {
      for (var i = this.window[0]; i <= this.window[1]; i++) {
        var p = songs[s].positions[i];
        if (p !== null && p > deepest) { deepest = p; }
      }
    }
    return [1, Math.max(deepest, Math.min(songs.length, this.data.maxRank))];
  };

  BumpChart.prototype.draw = function () {
    var self = this;
    var width = Math.max(this.plot.clientWidth || 700, 420);
    var ranks = this.domain();
    var rows = ranks[1] - ranks[0] + 1;
    var height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, ROW_HEIGHT * rows)) + MARGIN.top + MARGIN.bottom;
    var x0 = this.times[this.window[0]];
    var x1 = this.times[this.window[1]];
    var innerW = width - MARGIN.left - MARGIN.right;
    var innerH = height - MARGIN.top - MARGIN.bottom;
    this.scaleX = function (t) { return MARGIN.left + (x1 === x0 ? innerW / 2 : (t - x0) / (x1 - x0) * innerW); };
    this.scaleY = function (r) {
      return MARGIN.top + (ranks[1] === ranks[0] ? innerH / 2 : (r - ranks[0]) / (ranks[1] - ranks[0]) * innerH);
    };
    this.ranks = ranks;
    var svg = this.svg;
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("height", height);
    svg.setAttribute("data-first", this.data.snapshots[this.window[0]]);
    svg.setAttribute("data-last", this.data.snapshots[this.window[1]]);
    svg.setAttribute("data-ranks", ranks.join("-"));
    var clip = el("clipPath", { id: "bump-clip" }, el("defs", {}, svg));
    el("rect", { x: MARGIN.left - 6, y: MARGIN.top - 6, width: innerW + 12, height: innerH + 12 }, clip);
    var axis = el("g", { "class": "axis" }, svg);
    var step = niceStep(ranks[1] - ranks[0] + 1, 14, [1, 2, 5, 10, 20, 25, 50, 100, 200, 500]);
    var ticks = [ranks[0]];
    for (var r = step; r <= ranks[1]; r += step) { if (r > ranks[0]) { ticks.push(r); } }
    ticks.forEach(function (rank) {
      var y = self.scaleY(rank);
      el("line", { "class": "grid", x1: MARGIN.left, x2: MARGIN.left + innerW, y1: y, y2: y }, axis);
      el("text", { x: MARGIN.left - 8, y: y + 4, "text-anchor": "end", "class": "rank-tick" }, axis).textContent = "#" + rank;
    });
    var spanH = (x1 - x0) / HOUR_MS;
    var hourStep = niceStep(spanH, Math.max(2, Math.floor(innerW / 90)), [1, 2, 3, 6, 12, 24, 48, 72, 168, 336, 720]);
    var first = Math.ceil(x0 / (hourStep * HOUR_MS)) * hourStep * HOUR_MS;
    for (var t = first; t <= x1; t += hourStep * HOUR_MS) {
      var x = this.scaleX(t);
      el("line", { "class": "grid", x1: x, x2: x, y1: MARGIN.top, y2: MARGIN.top + innerH }, axis);
      var label = formatTime(t, hourStep >= 24 || new Date(t).getUTCHours() === 0 || t === first);
      el("text", { x: x, y: height - 12, "text-anchor": "middle" }, axis).textContent = label;
    }
    var lines = el("g", { "clip-path": "url(#bump-clip)" }, svg);
    var picked = this.visible();
    this.data.songs.forEach(function (song) {
      if (!self.selected.has(song.id)) { self.path(lines, song, false); }
    });
    picked.forEach(function (song) { self.path(lines, song, true); });
    if (picked.length <= LABELLED_LINES) { picked.forEach(function (song) { self.endLabel(svg, song); }); }
    this.guide = el("line", { stroke: "#999", "stroke-dasharray": "3 3", y1: MARGIN.top, y2: MARGIN.top + innerH, visibility: "hidden" }, svg);
    this.brush = el("rect", { "class": "brush", y: MARGIN.top, height: innerH, visibility: "hidden" }, svg);
    if (this.hot) { this.setHot(this.hot); }
  };

  BumpChart.prototype.path = function (parent, song, picked) {
    var d = "";
    var pen = false;
    for (var i = this.window[0]; i <= this.window[1]; i++) {
      var p = song.positions[i];
      if (p === null) { pen = false; continue; }
      d += (pen ? "L" : "M") + this.scaleX(this.times[i]).toFixed(1) + " " + this.scaleY(p).toFixed(1);
      pen = true;
    }
    if (!d) { return; }
    var node = el("path", { d: d, "class": "song-line" + (picked ? " picked" : " off"), "data-song": song.id }, parent);
    if (picked) {
      node.setAttribute("stroke", song.color);
      node.setAttribute("stroke-width", this.selected.size > 30 ? 1.5 : 2.5);
    }
  };

  BumpChart.prototype.endLabel = function (svg, song) {
    for (var i = this.window[1]; i >= this.window[0]; i--) {
      var p = song.positions[i];
      if (p === null) { continue; }
      var text = el("text", { x: this.scaleX(this.times[i]) + 6, y: this.scaleY(p) + 4, fill: song.color, "font-size": 11 }, svg);
      text.textContent = song.label.length > 24 ? song.label.slice(0, 23) + "…" : song.label;
      return;
    }
  };

  BumpChart.prototype.pointer = function (e) {
    var box = this.svg.getBoundingClientRect();
    var scale = this.svg.viewBox.baseVal.width / box.width;
    return { x: (e.clientX - box.left) * scale, y: (e.clientY - box.top) * scale };
  };

  BumpChart.prototype.nearestIndex = function (x) {
    var best = this.window[0];
    for (var i = this.window[0]; i <= this.window[1]; i++) {
      if (Math.abs(this.scaleX(this.times[i]) - x) < Math.abs(this.scaleX(this.times[best]) - x)) { best = i; }
    }
    return best;
  };

  BumpChart.prototype.onMove = function (e) {
    var pt = this.pointer(e);
    if (this.dragFrom !== undefined) {
      var left = Math.min(this.dragFrom, pt.x);
      this.brush.setAttribute("x", left);
      this.brush.setAttribute("width", Math.abs(pt.x - this.dragFrom));
      this.brush.setAttribute("visibility", "visible");
      return;
    }
    var i = this.nearestIndex(pt.x);
    // Every line answers the pointer; a picked one wins over a grey one nearby.
    var songs = this.data.songs;
    var best = null;
    var bestDist = 18;
    for (var s = 0; s < songs.length; s++) {
      var p = songs[s].positions[i];
      if (p === null || p > this.ranks[1]) { continue; }
      var dist = Math.abs(this.scaleY(p) - pt.y) + (this.selected.has(songs[s].id) ? 0 : 6);
      if (dist < bestDist) { best = songs[s]; bestDist = dist; }
    }
    this.guide.setAttribute("x1", this.scaleX(this.times[i]));
    this.guide.setAttribute("x2", this.scaleX(this.times[i]));
    this.guide.setAttribute("visibility", "visible");
    this.setHot(best, i, e);
  };

  BumpChart.prototype.setHot = function (song, index, e) {
    this.svg.querySelectorAll(".song-line.hot").forEach(function (n) { n.classList.remove("hot"); });
    this.hot = song;
    if (!song || index === undefined) {
      this.tip.style.display = "none";
      if (this.guide && !song) { this.guide.setAttribute("visibility", "hidden"); }
      return;
    }
    var line = this.svg.querySelector('.song-line[data-song="' + song.id + '"]');
    if (line) { line.classList.add("hot"); line.parentNode.appendChild(line); }
    var p = song.positions[index];
    this.tip.textContent = "#" + p + "  " + song.name + " - " + song.artists + "  (" + formatTime(this.times[index], true) + " UTC)";
    var box = this.plot.getBoundingClientRect();
    this.tip.style.left = Math.min(e.clientX - box.left + 12, box.width - 260) + "px";
    this.tip.style.top = (e.clientY - box.top + 12) + "px";
    this.tip.style.display = "block";
  };

  BumpChart.prototype.onDown = function (e) {
    if (e.button !== 0) { return; }
    this.dragFrom = this.pointer(e).x;
    this.dragMoved = false;
    e.preventDefault();
  };

  BumpChart.prototype.onUp = function (e) {
    if (this.dragFrom === undefined) { return; }
    var from = this.dragFrom;
    this.dragFrom = undefined;
    this.brush.setAttribute("visibility", "hidden");
    var to = this.pointer(e).x;
    if (Math.abs(to - from) < 6) {
      if (this.hot) { this.toggle(this.hot); }
      return;
    }
    var a = this.nearestIndex(Math.min(from, to));
    var b = this.nearestIndex(Math.max(from, to));
    if (b > a) { this.zoom([a, b]); }
  };

  BumpChart.prototype.toggle = function (song) {
    if (this.selected.has(song.id)) { this.selected.delete(song.id); } else { this.selected.add(song.id); }
    this.syncList();
    this.draw();
  };

  BumpChart.prototype.zoom = function (range) {
    this.window = range || [0, this.times.length - 1];
    this.draw();
  };

  BumpChart.prototype.zoomOut = function () {
    var span = this.window[1] - this.window[0];
    var last = this.times.length - 1;
    this.zoom([Math.max(0, this.window[0] - Math.ceil(span / 2)), Math.min(last, this.window[1] + Math.ceil(span / 2))]);
  };

  function start() {
    coverFallbacks();
    var root = document.getElementById("rank-history");
    var source = document.getElementById("rank-history-data");
    if (root && source) {
      root.classList.add("ready");
      window.rankHistory = new BumpChart(root, JSON.parse(source.textContent));
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
