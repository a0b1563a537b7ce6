// The job-ad page: scan as you type (debounced), highlight in place, explain each finding.
"use strict";

(() => {
  const fh = window.fairhire;
  const ad = document.getElementById("ad");
  const lexicon = document.getElementById("lexicon");
  const highlights = document.getElementById("highlights");
  const list = document.getElementById("findings");
  const status = document.getElementById("status");
  const applyAll = document.getElementById("apply-all");
  const csvButton = document.getElementById("download-csv");
  let timer = null;
  let sequence = 0;
  let rewrite = null;

  // The scanner counts characters as Python does (code points); JavaScript strings count
  // UTF-16 units. Map code-point offsets to string indices so emoji do not shift highlights.
  function indexer(text) {
    const map = [];
    let i = 0;
    for (const ch of text) {
      map.push(i);
      i += ch.length;
    }
    map.push(i);
    return (cp) => map[Math.min(cp, map.length - 1)];
  }

  function matchCase(original, replacement) {
    if (original.length > 1 && original === original.toUpperCase() &&
        original !== original.toLowerCase()) return replacement.toUpperCase();
    if (original[0] && original[0] !== original[0].toLowerCase()) {
      return replacement[0].toUpperCase() + replacement.slice(1);
    }
    return replacement;
  }

  function autosize() {
    ad.style.height = "auto";
    ad.style.height = `${Math.max(ad.scrollHeight, 240)}px`;
  }

  function drawHighlights(text, findings) {
    const at = indexer(text);
    highlights.replaceChildren();
    let pos = 0;
    const ordered = findings.map((f, i) => ({ f, n: i })).sort((a, b) => a.f.start - b.f.start);
    ordered.forEach(({ f, n }) => {
      const start = at(f.start);
      const end = at(f.end);
      if (start < pos) return; // overlapping finding: the first one is highlighted
      highlights.append(document.createTextNode(text.slice(pos, start)));
      const mark = fh.el("mark", `mark sev-${f.severity}`, text.slice(start, end));
      mark.dataset.n = String(n + 1);
      highlights.append(mark);
      pos = end;
    });
    // a trailing newline keeps the last line's height equal to the textarea's
    highlights.append(document.createTextNode(`${text.slice(pos)}\n`));
  }

  function applySuggestion(f, suggestion) {
    const at = indexer(ad.value);
    const start = at(f.start);
    const end = at(f.end);
    if (ad.value.slice(start, end) !== f.term) return; // the text changed since the scan
    ad.setRangeText(matchCase(f.term, suggestion), start, end, "end");
    ad.dispatchEvent(new Event("input"));
  }

  function why(f, categories) {
    const kind = categories[f.category] || f.category;
    const source = f.source ? ` (source: ${f.source})` : "";
    return f.note ? `${kind}. ${f.note}${source}` : `${kind}${source}.`;
  }

  function drawFindings(scan) {
    list.replaceChildren();
    scan.findings.forEach((f, n) => {
      const item = fh.el("li", `finding sev-${f.severity}`);
      item.dataset.n = String(n + 1);
      const head = fh.el("p", "finding-head");
      head.append(fh.el("span", "badge", String(n + 1)), fh.el("strong", "term", `“${f.term}”`),
        fh.el("span", `sev sev-${f.severity}`, f.severity === "info" ? "for information" : f.severity));
      item.append(head, fh.el("p", "why", `Why: ${why(f, scan.categories)}`));
      if (f.suggestions && f.suggestions.length) {
        const row = fh.el("p", "suggest", "Try: ");
        f.suggestions.forEach((s) => {
          const button = fh.el("button", "suggestion", s);
          button.type = "button";
          button.setAttribute("aria-label", `Replace “${f.term}” with “${s}”`);
          button.addEventListener("click", () => applySuggestion(f, s));
          row.append(button, " ");
        });
        item.append(row);
      }
      item.addEventListener("mouseenter", () => focusMark(n + 1, true));
      item.addEventListener("mouseleave", () => focusMark(n + 1, false));
      list.append(item);
    });
    document.getElementById("count").textContent = scan.findings.length ? `(${scan.findings.length})` : "";
    document.getElementById("no-findings").hidden = scan.findings.length > 0 || !ad.value.trim();
  }

  function focusMark(n, on) {
    const mark = highlights.querySelector(`mark[data-n="${n}"]`);
    if (mark) mark.classList.toggle("active", on);
  }

  function drawChecks(rows) {
    const body = document.querySelector("#checks tbody");
    body.replaceChildren();
    rows.forEach(([check, result]) => {
      const tr = fh.el("tr");
      const missing = result === "no" || result === "not stated";
      tr.append(fh.el("th", null, check), fh.el("td", missing ? "missing" : null, result));
      body.append(tr);
    });
  }

  function drawLabel(scan) {
    document.getElementById("label-text").textContent = scan.label;
    const m = (scan.counts && scan.counts[scan.masculine_category]) || 0;
    const w = (scan.counts && scan.counts[scan.feminine_category]) || 0;
    document.getElementById("label-detail").textContent =
      `${scan.word_count} words; ${m} masculine-coded, ${w} feminine-coded.`;
    document.getElementById("label").dataset.label = scan.label;
  }

  async function run() {
    const mine = ++sequence;
    const text = ad.value;
    status.textContent = "checking…";
    let reply;
    try {
      const response = await fetch("/scan/live", {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": fh.csrf() },
        body: JSON.stringify({ text, lexicon: lexicon.value }),
      });
      reply = await response.json();
      if (!response.ok) throw new Error(reply.error || response.statusText);
    } catch (err) {
      if (mine === sequence) status.textContent = `Could not check the ad: ${err.message}`;
      return;
    }
    if (mine !== sequence || text !== ad.value) return; // a newer edit is on its way
    const scan = reply.scan;
    drawHighlights(text, scan.findings);
    drawFindings(scan);
    drawChecks(reply.checks);
    drawLabel(scan);
    rewrite = reply.rewrite;
    applyAll.disabled = !rewrite;
    csvButton.disabled = scan.findings.length === 0;
    status.textContent = reply.note || "";
  }

  function schedule() {
    autosize();
    highlights.replaceChildren(document.createTextNode(`${ad.value}\n`));
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  ad.addEventListener("input", schedule);
  lexicon.addEventListener("change", () => { clearTimeout(timer); run(); });
  applyAll.addEventListener("click", () => {
    if (rewrite === null) return;
    ad.value = rewrite;
    ad.dispatchEvent(new Event("input"));
  });
  document.getElementById("csv-form").addEventListener("submit", () => {
    document.getElementById("csv-text").value = ad.value;
    document.getElementById("csv-lexicon").value = lexicon.value;
  });
  autosize();
  if (ad.value) run();
})();
