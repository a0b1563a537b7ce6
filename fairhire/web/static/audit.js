// The audit page: upload, check the guessed column roles, pick analyses, run with progress,
// read the report in a sandboxed frame, download it.
"use strict";

(() => {
  const fh = window.fairhire;
  const fileInput = document.getElementById("file");
  const roleLabels = JSON.parse(document.getElementById("roles-data").textContent);
  const runButton = document.getElementById("run");
  const progress = document.getElementById("progress");
  const progressText = document.getElementById("progress-text");
  const frame = document.getElementById("report");
  const runNotes = document.getElementById("run-notes");
  // short enough for a phone's width (the fieldset's note says the rest)
  const DEFAULT_REFERENCE = "(default: highest rate, groups ≥ min_n)";
  let output = null;
  let columnValues = Object.create(null);  // column -> its values (null: too many to list)
  let references = Object.create(null);  // column -> the reference group chosen for it

  function show(id, on = true) {
    document.getElementById(id).hidden = !on;
  }

  function fail(reply) {
    fh.showError(reply.field || "form", reply.error || "something went wrong");
    if (reply.column) {
      const select = document.querySelector(`select[data-column="${CSS.escape(reply.column)}"]`);
      if (select) select.classList.add("invalid");
    }
  }

  function roleSelect(column, role) {
    const select = fh.el("select");
    select.dataset.column = column;
    select.setAttribute("aria-label", `Role of column ${column}`);
    Object.entries(roleLabels).forEach(([value, label]) => {
      const option = fh.el("option", null, label);
      option.value = value;
      option.selected = value === role;
      select.append(option);
    });
    select.addEventListener("change", () => { fh.clearErrors(); drawReferences(); });
    return select;
  }

  // One reference-group choice per column with the role "group": its values as the upload
  // shows them (or a text field when it has too many), the default rule first.
  function referenceChoice(column) {
    const values = columnValues[column];
    let input;
    if (values) {
      input = fh.el("select");
      [["", DEFAULT_REFERENCE], ...values.map((v) => [v, v])].forEach(([value, text]) => {
        const option = fh.el("option", null, text);
        option.value = value;
        input.append(option);
      });
    } else {
      input = fh.el("input");
      input.type = "text";
      input.maxLength = 200;
      input.placeholder = DEFAULT_REFERENCE;
    }
    input.value = references[column] || "";
    input.dataset.reference = column;
    input.addEventListener("change", () => { fh.clearErrors(); references[column] = input.value; });
    const label = fh.el("label", null, `Compare ${column} with `);
    label.append(input);
    const error = fh.el("p", "error");
    error.dataset.field = `reference:${column}`;
    error.setAttribute("role", "alert");
    error.hidden = true;
    return [label, error];
  }

  function drawReferences() {
    const groups = [...document.querySelectorAll("select[data-column]")]
      .filter((s) => s.value === "group").map((s) => s.dataset.column);
    document.getElementById("reference-list").replaceChildren(...groups.flatMap(referenceChoice));
    show("no-group-column", !groups.length);
  }

  function drawColumns(reply) {
    const body = document.querySelector("#roles tbody");
    body.replaceChildren();
    columnValues = Object.create(null);
    references = Object.create(null);
    reply.columns.forEach((col) => {
      columnValues[col.name] = col.values;
      const tr = fh.el("tr");
      const examples = col.examples.join(", ") + (col.distinct > col.examples.length ? ", …" : "");
      tr.append(fh.el("th", null, col.name), fh.el("td", "examples", examples));
      const cell = fh.el("td");
      cell.append(roleSelect(col.name, reply.roles[col.name]));
      tr.append(cell);
      body.append(tr);
    });
    document.querySelectorAll('input[name="analysis"]').forEach((box) => {
      box.checked = reply.analyses.includes(box.value);
    });
    document.getElementById("in-process").value = (reply.in_process || []).join("\n");
    drawReferences();
    const notes = reply.notes.length ? ` ${reply.notes.join(" ")}` : "";
    document.getElementById("file-info").textContent =
      `${reply.file}: ${reply.rows.toLocaleString("en")} rows, ${reply.columns.length} columns.${notes}`;
  }

  async function inspect() {
    fh.clearErrors();
    ["step-roles", "step-analyses", "step-run", "step-report"].forEach((id) => show(id, false));
    const file = fileInput.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("csrf", fh.csrf());
    form.append("file", file);
    document.getElementById("file-info").textContent = "reading the file…";
    let reply;
    try {
      const response = await fetch("/audit/inspect", { method: "POST", body: form });
      reply = await response.json();
      if (!response.ok) {
        document.getElementById("file-info").textContent = "";
        fail({ field: "file", ...reply });
        return;
      }
    } catch (err) {
      fail({ field: "file", error: `the file could not be sent: ${err.message}` });
      return;
    }
    drawColumns(reply);
    ["step-roles", "step-analyses", "step-run"].forEach((id) => show(id));
  }

  function choices() {
    const roles = Object.create(null);  // a column may be named "__proto__"
    document.querySelectorAll("select[data-column]").forEach((s) => { roles[s.dataset.column] = s.value; });
    const analyses = [...document.querySelectorAll('input[name="analysis"]:checked')].map((b) => b.value);
    const chosen = Object.create(null);
    document.querySelectorAll("[data-reference]").forEach((input) => {
      if (input.value.trim()) chosen[input.dataset.reference] = input.value;
    });
    return { roles, analyses, chosen };
  }

  function onEvent(event) {
    if (event.step) {
      progress.max = event.total;
      progress.value = event.step - 1;
      progressText.textContent = `Step ${event.step} of ${event.total}: ${event.title}…`;
    } else if (event.done) {
      output = event;
      progress.value = progress.max;
      progressText.textContent = "Done.";
      showReport(event);
    } else if (event.error) {
      progressText.textContent = "";
      fail(event);
      // how the file was read ("'$1.2m' (row 7) ... not read") often says why
      runNotes.replaceChildren(...(event.notes || []).map((n) => fh.el("li", null, n)));
    }
  }

  async function run() {
    fh.clearErrors();
    runNotes.replaceChildren();
    const file = fileInput.files[0];
    if (!file) { fail({ field: "file", error: "choose a file to upload." }); return; }
    const { roles, analyses, chosen } = choices();
    const form = new FormData();
    form.append("csrf", fh.csrf());
    form.append("file", file);
    form.append("roles", JSON.stringify(roles));
    form.append("analyses", JSON.stringify(analyses));
    form.append("title", document.getElementById("title").value);
    form.append("organization", document.getElementById("organization").value);
    form.append("min_cell", document.getElementById("min-cell").value);
    form.append("threshold", document.getElementById("threshold").value);
    form.append("alpha", document.getElementById("alpha").value);
    form.append("min_n", document.getElementById("min-n").value);
    form.append("references", JSON.stringify(chosen));
    form.append("unknown_labels", document.getElementById("unknown-labels").value);
    form.append("in_process", document.getElementById("in-process").value);
    form.append("blank_means_no", document.getElementById("blank-means-no").checked ? "1" : "");
    runButton.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    progressText.textContent = "Uploading…";
    show("step-report", false);
    try {
      const response = await fetch("/audit/run", { method: "POST", body: form });
      if (!response.ok) { fail(await response.json()); return; }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (value) buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 1);
          if (line.trim()) onEvent(JSON.parse(line));
        }
        if (done) break;
      }
    } catch (err) {
      fail({ field: "form", error: `the audit could not run: ${err.message}` });
    } finally {
      runButton.disabled = false;
      progress.hidden = true;
    }
  }

  function showReport(event) {
    const notes = document.getElementById("notes");
    notes.replaceChildren(...event.notes.map((n) => fh.el("li", null, n)));
    show("step-report");
    frame.srcdoc = event.report.html;
  }

  // The report is a full document in a sandboxed frame (no scripts run in it); size the frame
  // to its content so the page scrolls, not the frame.
  function fit() {
    const doc = frame.contentDocument;
    if (doc && doc.documentElement) {
      frame.style.height = `${doc.documentElement.scrollHeight + 20}px`;
    }
  }
  frame.addEventListener("load", () => {
    fit();
    setTimeout(fit, 300);
  });
  window.addEventListener("resize", () => setTimeout(fit, 100));

  const types = {
    html: ["audit.html", "text/html", () => output.report.html],
    markdown: ["audit.md", "text/markdown", () => output.report.markdown],
    json: ["audit.json", "application/json", () => output.report.json],
    config: ["audit.toml", "application/toml", () => output.config],
  };
  document.querySelectorAll("[data-download]").forEach((button) => {
    button.addEventListener("click", () => {
      if (!output) return;
      const [name, type, text] = types[button.dataset.download];
      fh.download(name, type, text());
    });
  });
  fileInput.addEventListener("change", inspect);
  runButton.addEventListener("click", run);
  if (fileInput.files.length) inspect();
})();
