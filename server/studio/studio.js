// The studio's page: price the form's request as it changes, through the
// same JSON API as every client (POST /v1/explain), and show the answer.
"use strict";
(function () {
  const form = document.getElementById("quote");
  if (!form) return;
  const list = form.dataset.list;
  let seq = 0;

  // request is the form's request: each input left empty is left out
  // (its default); a list's rows are its elements, a records input's rows
  // its records (a field left empty is left out of its record).
  function request() {
    const input = {};
    for (const el of form.elements) {
      if (!el.name || el.value.trim() === "") continue;
      input[el.name] = el.value.trim();
    }
    for (const box of form.querySelectorAll(".rows")) {
      const rows = Array.from(box.querySelectorAll(":scope > .row")).map(function (row) {
        const cells = Array.from(row.querySelectorAll("[data-field]"));
        if (box.dataset.kind === "list") return cells[0].value.trim();
        const rec = {};
        for (const c of cells) if (c.value.trim() !== "") rec[c.dataset.field] = c.value.trim();
        return rec;
      }).filter(function (v) { return v !== ""; });
      if (rows.length) input[box.dataset.rows] = rows;
    }
    return { list: list, input: input };
  }

  // The URL's form of an input's value: a list's elements comma-separated,
  // records as JSON, as the API accepts them.
  function urlValue(v) {
    if (!Array.isArray(v)) return v;
    return v.length && typeof v[0] === "object" ? JSON.stringify(v) : v.join(",");
  }

  // yamlValue writes a value for a test file: numbers, true/false and
  // plain words bare, other text quoted (so are the words YAML would read
  // otherwise), lists and records in flow style.
  function yamlValue(v) {
    if (Array.isArray(v)) return "[" + v.map(yamlValue).join(", ") + "]";
    if (typeof v === "object") return "{" + Object.entries(v).map(function (kv) { return kv[0] + ": " + yamlValue(kv[1]); }).join(", ") + "}";
    const bare = /^-?[0-9]+(\.[0-9]+)?$|^(true|false)$/.test(v) || (/^[A-Za-z][A-Za-z0-9_.-]*$/.test(v) && !/^(null|yes|no|on|off|y|n)$/i.test(v));
    return bare ? v : JSON.stringify(v);
  }

  // Rows to add and remove, for list and records inputs.
  form.addEventListener("click", function (ev) {
    const t = ev.target;
    if (t.classList.contains("add-row")) {
      const box = t.closest(".rows");
      box.insertBefore(box.querySelector("template").content.cloneNode(true), t);
      box.querySelector(":scope > .row:last-of-type [data-field]").focus();
    } else if (t.classList.contains("remove-row")) {
      t.closest(".row").remove();
    } else {
      return;
    }
    price();
  });

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
    let yaml = "  - name: " + JSON.stringify(Object.entries(req.input).map(function (kv) { return kv[0] + "=" + urlValue(kv[1]); }).join(" ") || "defaults") + "\n";
    yaml += "    input: " + yamlValue(req.input) + "\n";
    yaml += "    totals: {" + Object.entries(q.totals).map(function (kv) { return kv[0] + ": " + kv[1]; }).join(", ") + "}\n";
    document.getElementById("testcase").value = yaml;
    document.getElementById("curl").value = "curl -s -X POST " + location.origin + "/v1/quote -d '" + JSON.stringify(req).replace(/'/g, "'\\''") + "'";
  }

  async function price() {
    const mine = ++seq;
    const req = request();
    const params = new URLSearchParams({ list: list });
    for (const [name, v] of Object.entries(req.input)) params.set(name, urlValue(v));
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
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(price, 50); });
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
      if (p.line) {
        li.className = "at";
        li.title = "go to line " + p.line;
        li.addEventListener("click", function () { goTo(p.line, p.column || 1); });
      }
      problems.appendChild(li);
    }
    // goTo puts the cursor at a line and column of the draft, scrolled
    // into view with a few lines above it.
    function goTo(line, column) {
      const lines = draft.value.split("\n");
      let at = 0;
      for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
      at += Math.min(column - 1, (lines[line - 1] || "").length);
      draft.focus();
      draft.setSelectionRange(at, at);
      draft.scrollTop = Math.max(0, (line - 6) * parseFloat(getComputedStyle(draft).lineHeight));
      gutter.scrollTop = draft.scrollTop;
    }
    // caseItem lists an example's or a test case's outcome under the draft,
    // with how it differs when it fails.
    const cases = document.getElementById("draft-cases");
    function caseItem(c) {
      const li = document.createElement("li");
      li.className = c.passed ? "pass" : "fail";
      li.textContent = (c.passed ? "✓ " : "✗ ") + c.name + " (" + (c.file || draft.dataset.file) + ":" + c.line + "; " + (c.request || "defaults") + ")";
      const why = [];
      if (c.error) why.push(c.error);
      for (const m of c.totals || []) why.push(m.meter + ": want " + m.want + ", got " + m.got);
      for (const d of c.line_diff || []) why.push(d);
      if (why.length) {
        const pre = document.createElement("pre");
        pre.textContent = why.join("\n");
        li.appendChild(pre);
      }
      cases.appendChild(li);
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
      let examples = 0, tests = 0;
      cases.replaceChildren();
      for (const l of body.lists) {
        examples += l.examples;
        for (const f of l.failing_examples) { problem(f); marked.add(f.line); }
        for (const v of l.violations) problem({ message: l.list + ": " + v });
        for (const c of l.cases) { if (c.file) tests++; caseItem(c); }
      }
      lines(marked);
      if (cases.querySelector(".fail")) document.getElementById("draft-cases-box").open = true;
      status.textContent = body.ok ? "ok: it loads, its " + examples + " examples and " + tests + " test cases pass and its invariants hold" : (body.errors.length ? body.errors.length + (body.errors.length === 1 ? " error" : " errors") : "it loads, but see below");
      document.body.dataset.checked = String(mine); // for tests
      if (!body.errors.length) diff(mine, false);
    }

    // The draft against the live rules: its tables cell by cell, and usage
    // repriced under both when asked.
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
    // usage is what the what-if reprices: {usage, json_lines}, or
    // {sample} naming one of the server's samples.
    let usage = null;
    async function diff(mine, withUsage) {
      const req = { file: draft.dataset.file, text: draft.value };
      if (withUsage && usage) {
        Object.assign(req, usage, { plot: true });
        const groupBy = document.getElementById("group-by").value.trim();
        if (groupBy) req.group_by = groupBy;
      }
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
      if (withUsage) {
        const whatif = document.getElementById("whatif");
        for (const img of whatif.querySelectorAll("img")) URL.revokeObjectURL(img.src);
        whatif.replaceChildren();
        for (const e of body.errors) { const p = document.createElement("p"); p.className = "error"; p.textContent = e.message; whatif.appendChild(p); }
        for (const c of body.usage) window.ratecardWhatIf(whatif, c);
        document.body.dataset.repriced = String(mine); // for tests
      }
    }
    let uploaded = "";
    document.getElementById("usage-file").addEventListener("change", function (ev) {
      const f = ev.target.files[0];
      if (!f) return;
      if (f.size > 4 << 20) { document.getElementById("whatif").textContent = "the file is over 4 MiB"; return; }
      f.text().then(function (t) {
        uploaded = t;
        usage = { usage: t, json_lines: /\.(jsonl|ndjson|json)$/.test(f.name) };
        document.getElementById("usage").value = t.slice(0, 2000);
      });
    });
    document.getElementById("reprice").addEventListener("click", function () {
      const pasted = document.getElementById("usage").value;
      if (!uploaded.startsWith(pasted)) usage = { usage: pasted, json_lines: false }; // typed or pasted over an upload's first lines
      if (pasted) diff(checkSeq, true);
    });
    for (const b of document.querySelectorAll("button[data-sample]")) {
      b.addEventListener("click", function () {
        usage = { sample: b.dataset.sample };
        diff(checkSeq, true);
      });
    }
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
