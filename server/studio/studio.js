// The studio's page: price the form's request as it changes, through the
// same JSON API as every client (POST /v1/explain), and show the answer.
"use strict";
(function () {
  const form = document.getElementById("quote");
  if (!form) return;
  const list = form.dataset.list;
  let seq = 0;

  function request() {
    const input = {};
    for (const el of form.elements) {
      if (!el.name || el.value.trim() === "") continue; // left out: its default
      input[el.name] = el.value.trim();
    }
    return { list: list, input: input };
  }

  function text(el, s) { el.textContent = s; }

  function clearErrors() {
    for (const el of document.querySelectorAll(".error[id^='error']")) text(el, "");
  }

  function showError(body) {
    const beside = body.input && document.getElementById("error-" + body.input);
    text(beside || document.getElementById("error"), body.error);
  }

  function row(tbody, cells, cls) {
    const tr = document.createElement("tr");
    cells.forEach(function (c, i) {
      const td = document.createElement("td");
      text(td, c);
      if (cls && cls[i]) td.className = cls[i];
      tr.appendChild(td);
    });
    tbody.appendChild(tr);
    return tr;
  }

  function show(req, e) {
    const q = e.quote;
    const totals = document.querySelector("#totals tbody");
    totals.replaceChildren();
    for (const [meter, amount] of Object.entries(q.totals)) {
      const tr = row(totals, ["total", amount, meter], [null, "amount", null]);
      tr.id = "total-" + meter;
    }
    const lines = document.querySelector("#lines tbody");
    lines.replaceChildren();
    for (const l of e.lines || []) {
      const uses = (l.uses || []).map(function (u) { return u.name + " = " + (Array.isArray(u.value) ? "[" + u.value.join(", ") + "]" : u.value); }).join(", ");
      const how = l.expr + (uses ? "  with " + uses : "") + "  exact " + l.raw + ", rounded " + l.rounding + " to " + l.places + " places";
      row(lines, [l.rate + (l.item ? " #" + l.item : ""), l.rounded, l.meter, how], [null, "amount", null, "how"]);
    }
    let id = "price list " + q.list;
    if (q.ruleset.version) id += " version " + q.ruleset.version;
    if (q.ruleset.effective) id += " effective " + q.ruleset.effective;
    text(document.getElementById("identity"), id + ", rules " + q.ruleset.digest);
    // A test case for a rule directory's test file, of this request and answer.
    let yaml = "  - name: " + JSON.stringify(Object.entries(req.input).map(function (kv) { return kv[0] + "=" + kv[1]; }).join(" ") || "defaults") + "\n";
    yaml += "    input: {" + Object.entries(req.input).map(function (kv) { return kv[0] + ": " + JSON.stringify(kv[1]); }).join(", ") + "}\n";
    yaml += "    totals: {" + Object.entries(q.totals).map(function (kv) { return kv[0] + ": " + kv[1]; }).join(", ") + "}\n";
    document.getElementById("testcase").value = yaml;
    document.getElementById("curl").value = "curl -s -X POST " + location.origin + "/v1/quote -d '" + JSON.stringify(req).replace(/'/g, "'\\''") + "'";
  }

  async function price() {
    const mine = ++seq;
    const req = request();
    const params = new URLSearchParams(Object.assign({ list: list }, req.input));
    history.replaceState(null, "", "?" + params.toString()); // the URL holds the request, to share it
    let resp, body;
    try {
      resp = await fetch("/v1/explain", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
      body = await resp.json();
    } catch (err) {
      if (mine === seq) text(document.getElementById("error"), "the server did not answer: " + err);
      return;
    }
    if (mine !== seq) return; // an older answer, arriving late
    clearErrors();
    if (!resp.ok) { showError(body); return; }
    show(req, body);
    document.body.dataset.priced = String(mine); // for tests: the answer to the latest request is shown
  }

  let timer;
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(price, 150); });
  form.addEventListener("change", price);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); price(); });
  price();

  // The draft editor: check each change with POST /v1/check and mark the
  // lines its errors are at.
  const draft = document.getElementById("draft-text");
  if (draft) {
    const gutter = document.getElementById("gutter");
    const problems = document.getElementById("draft-problems");
    const status = document.getElementById("draft-status");
    let checkSeq = 0;
    function lines(marked) {
      const n = draft.value.split("\n").length;
      gutter.replaceChildren();
      for (let i = 1; i <= n; i++) {
        const el = document.createElement(marked.has(i) ? "mark" : "span");
        el.textContent = String(i);
        gutter.appendChild(el);
        gutter.appendChild(document.createTextNode("\n"));
      }
    }
    function problem(p) {
      const li = document.createElement("li");
      li.textContent = (p.line ? "line " + p.line + ":" + p.column + ": " : (p.file ? p.file + ": " : "")) + p.message;
      problems.appendChild(li);
    }
    async function check() {
      const mine = ++checkSeq;
      let body;
      try {
        const resp = await fetch("/v1/check", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ file: draft.dataset.file, text: draft.value }) });
        body = await resp.json();
        if (!resp.ok) { body = { ok: false, errors: [{ message: body.error }], lists: [] }; }
      } catch (err) {
        body = { ok: false, errors: [{ message: "the server did not answer: " + err }], lists: [] };
      }
      if (mine !== checkSeq) return;
      problems.replaceChildren();
      const marked = new Set();
      for (const e of body.errors) { problem(e); if (e.line) marked.add(e.line); }
      let examples = 0;
      for (const l of body.lists) {
        examples += l.examples;
        for (const f of l.failing_examples) { problem(f); marked.add(f.line); }
        for (const v of l.violations) problem({ message: l.list + ": " + v });
      }
      lines(marked);
      status.textContent = body.ok ? "ok: it loads, its " + examples + " examples pass and its invariants hold" : (body.errors.length ? body.errors.length + " errors" : "it loads, but see below");
      document.body.dataset.checked = String(mine); // for tests
      if (!body.errors.length) diff(mine, false);
    }

    // The draft against the live rules: its tables cell by cell, and usage
    // repriced under both when asked.
    let usageText = "", jsonLines = false;
    function table(t) {
      const el = document.createElement("table");
      el.className = "grid";
      const cap = el.createCaption();
      cap.textContent = t.title + " (" + t.changed + " cells change)";
      const head = el.createTHead().insertRow();
      for (const h of t.header) { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); }
      const tb = el.createTBody();
      for (const r of t.rows) {
        const tr = tb.insertRow();
        for (const c of r) { const td = tr.insertCell(); td.textContent = c; if (c.endsWith("*")) td.className = "changed"; }
      }
      return el;
    }
    async function diff(mine, withUsage) {
      const req = { file: draft.dataset.file, text: draft.value };
      if (withUsage && usageText) { req.usage = usageText; req.json_lines = jsonLines; }
      let body;
      try {
        const resp = await fetch("/v1/diff", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
        body = await resp.json();
        if (!resp.ok) body = { ok: false, errors: [{ message: body.error }], tables: [], usage: [] };
      } catch (err) {
        body = { ok: false, errors: [{ message: "the server did not answer: " + err }], tables: [], usage: [] };
      }
      if (mine !== checkSeq) return;
      const tables = document.getElementById("draft-tables");
      tables.replaceChildren();
      for (const t of body.tables) tables.appendChild(table(t));
      const whatif = document.getElementById("whatif");
      if (withUsage) {
        whatif.replaceChildren();
        for (const e of body.errors) { const p = document.createElement("p"); p.className = "error"; p.textContent = e.message; whatif.appendChild(p); }
        for (const c of body.usage) {
          whatif.appendChild(table({ title: c.list + ": " + c.records_read + " records read, " + c.records_priced + " priced", changed: c.meters.filter(function (m) { return m.old !== m.new; }).length,
            header: ["meter", "live", "draft", "pay more", "pay less", "same"],
            rows: c.meters.map(function (m) { return [m.meter, m.old, m.new + (m.old !== m.new ? " *" : ""), String(m.records_paying_more), String(m.records_paying_less), String(m.records_paying_the_same)]; }) }));
        }
        document.body.dataset.repriced = String(mine); // for tests
      }
    }
    document.getElementById("usage-file").addEventListener("change", function (ev) {
      const f = ev.target.files[0];
      if (!f) return;
      if (f.size > 4 << 20) { document.getElementById("whatif").textContent = "the file is over 4 MiB"; return; }
      jsonLines = /\.(jsonl|ndjson|json)$/.test(f.name);
      f.text().then(function (t) { usageText = t; document.getElementById("usage").value = t.slice(0, 2000); });
    });
    document.getElementById("reprice").addEventListener("click", function () {
      const pasted = document.getElementById("usage").value;
      if (pasted && !usageText.startsWith(pasted.slice(0, 100))) { usageText = pasted; jsonLines = false; }
      diff(checkSeq, true);
    });
    let checkTimer;
    draft.addEventListener("input", function () { clearTimeout(checkTimer); checkTimer = setTimeout(check, 400); });
    draft.addEventListener("scroll", function () { gutter.scrollTop = draft.scrollTop; });
    document.getElementById("download").addEventListener("click", function () {
      const a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([draft.value], { type: "application/yaml" }));
      a.download = draft.dataset.file;
      a.click();
      URL.revokeObjectURL(a.href);
    });
    lines(new Set());
    check();
  }

  // A grid of two inputs, over the live rules (GET /v1/grid).
  const gridForm = document.getElementById("grid-form");
  if (gridForm) {
    gridForm.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      const params = new URLSearchParams({ list: list });
      for (const name of ["rows", "columns", "show"]) {
        const v = gridForm.elements[name].value.trim();
        if (v) params.set(name, v);
      }
      const out = document.getElementById("grid");
      const error = document.getElementById("grid-error");
      out.replaceChildren();
      text(error, "");
      const resp = await fetch("/v1/grid?" + params.toString());
      const body = await resp.json();
      if (!resp.ok) { text(error, body.error); return; }
      const el = document.createElement("table");
      el.className = "grid";
      el.id = "grid-table";
      const head = el.createTHead().insertRow();
      for (const h of body.header) { const th = document.createElement("th"); th.textContent = h; head.appendChild(th); }
      const tb = el.createTBody();
      for (const r of body.rows) { const tr = tb.insertRow(); for (const c of r) tr.insertCell().textContent = c; }
      out.appendChild(el);
    });
  }
})();
