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
})();
