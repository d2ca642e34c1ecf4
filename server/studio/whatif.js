// The studio's what-if: draws a comparison of usage repriced under the
// live rules and a draft (one entry of POST /v1/diff's "usage"), as
// `ratecard diff` reports it: each meter's totals, the rates that change,
// the groups, the histogram of per-record changes with its plot, and the
// largest changes. Every text goes in as text, never as HTML.
"use strict";
window.ratecardWhatIf = (function () {
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  // table makes a table of a caption, a header and rows of cells; a cell
  // is a string, or {text, cls}.
  function table(caption, header, rows, id) {
    const t = el("table", undefined, "grid");
    if (id) t.id = id;
    t.createCaption().textContent = caption;
    const head = t.createTHead().insertRow();
    for (const h of header) head.appendChild(el("th", h));
    const body = t.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      for (const c of r) {
        const td = tr.insertCell();
        if (typeof c === "string") { td.textContent = c; continue; }
        td.textContent = c.text;
        if (c.cls) td.className = c.cls;
      }
    }
    return t;
  }

  // An amount as an exact integer of its last places ("14575.20" ->
  // 1457520n), to order and compare amounts without floating point.
  function units(s) { return BigInt(s.replace(".", "")); }
  function signed(s) { return s.startsWith("-") || units(s) === 0n ? s : "+" + s; }
  function amount(s, changed) { return { text: s, cls: changed ? "amount changed" : "amount" }; }
  function percent(oldS, changeS) {
    const o = Number(oldS);
    return o === 0 ? "" : (Number(changeS) >= 0 ? "+" : "") + (100 * Number(changeS) / o).toFixed(2) + "%";
  }

  return function draw(out, c) {
    out.appendChild(el("h4", c.list + ": " + c.records_read + " records read, " + c.records_priced + " priced, " + c.records_rejected + " rejected"));
    out.appendChild(table("Totals, live → draft", ["meter", "live", "draft", "change", "%", "pay more", "pay less", "same"],
      c.meters.map(function (m) {
        const changed = units(m.change) !== 0n;
        return [m.meter, amount(m.old), amount(m.new, changed), amount(signed(m.change), changed), percent(m.old, m.change),
          String(m.records_paying_more), String(m.records_paying_less), String(m.records_paying_the_same)];
      }), "whatif-totals"));
    const rates = c.rates.filter(function (r) { return r.changed; });
    out.appendChild(table(rates.length ? "Which rates changed" : "No rate's total changed", ["rate", "meter", "live", "draft", "change"],
      rates.map(function (r) { return [r.rate, r.meter, amount(r.old), amount(r.new, true), amount(signed(r.change), true)]; }), "whatif-rates"));
    if (c.group_by && c.groups) {
      // The groups whose totals change most (on the first meter that
      // changes), at most 20 of them.
      const i = Math.max(0, c.meters.findIndex(function (m) { return units(m.change) !== 0n; }));
      const size = function (g) { const u = units(g.change[i]); return u < 0n ? -u : u; };
      const groups = c.groups.slice().sort(function (a, b) { const d = size(b) - size(a); return d > 0n ? 1 : d < 0n ? -1 : 0; }).slice(0, 20);
      out.appendChild(table("By " + c.group_by + " (the " + groups.length + " of " + c.groups.length + " that change most on " + c.meters[i].meter + ")",
        [c.group_by, "records"].concat(c.meters.flatMap(function (m) { return [m.meter + " live", "draft", "change"]; })),
        groups.map(function (g) {
          return [g.group, String(g.records)].concat(g.old.flatMap(function (o, k) {
            const changed = units(g.change[k]) !== 0n;
            return [amount(o), amount(g.new[k], changed), amount(signed(g.change[k]), changed)];
          }));
        }), "whatif-groups"));
    }
    for (const m of c.meters) {
      if (m.records_paying_more === 0 && m.records_paying_less === 0) continue;
      const most = Math.max.apply(null, m.histogram.map(function (b) { return b.records; }));
      const hist = table("Change per record, " + m.meter + " (p50 " + signed(m.percentiles.find(function (p) { return p.p === 50; }).delta) + ")",
        ["change from", "to", "records", ""], m.histogram.map(function (b) { return [amount(signed(b.from)), amount(signed(b.to)), amount(String(b.records)), ""]; }));
      hist.classList.add("histogram");
      // Each bin's bar, drawn through the CSSOM (no inline styles: the
      // page's Content-Security-Policy refuses them).
      Array.from(hist.tBodies[0].rows).forEach(function (tr, k) {
        const bar = el("span", undefined, "bar");
        bar.style.width = (most ? 12 * m.histogram[k].records / most : 0).toFixed(2) + "rem";
        tr.cells[3].appendChild(bar);
      });
      out.appendChild(hist);
      out.appendChild(table("Largest changes, " + m.meter, ["line", "record", "live", "draft", "change"],
        m.largest_changes.map(function (ch) { return [String(ch.line), ch.record, amount(ch.old), amount(ch.new, true), amount(signed(ch.delta), true)]; }),
        "whatif-largest-" + m.meter));
    }
    if (c.plot_svg) {
      const img = el("img", undefined, "plot");
      img.alt = "the histogram of per-record changes and each rate's total, live and draft";
      img.src = URL.createObjectURL(new Blob([c.plot_svg], { type: "image/svg+xml" }));
      out.appendChild(img);
    }
  };
})();
