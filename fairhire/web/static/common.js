// Helpers shared by the pages. User text only ever goes into the page as text
// (textContent, value), never as markup.
"use strict";

window.fairhire = {
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },

  // Show an error next to the field it concerns (or the form's general place).
  showError(field, message) {
    const spot = document.querySelector(`[data-field="${CSS.escape(field)}"]`) ||
      document.querySelector('[data-field="form"]');
    if (!spot) return;
    spot.textContent = message;
    spot.hidden = false;
    spot.scrollIntoView({ block: "nearest", behavior: "smooth" });
  },

  clearErrors() {
    document.querySelectorAll("[data-field]").forEach((el) => {
      el.textContent = "";
      el.hidden = true;
    });
    document.querySelectorAll(".invalid").forEach((el) => el.classList.remove("invalid"));
  },

  // Save text as a file (the report, the config) without another request.
  download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  },

  el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  },
};
