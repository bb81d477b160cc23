// Self-assessment page: autosave feedback (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var pending = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    pending += 1;
    var el = event.detail.elt;
    if (el && el.name) { el.setAttribute("data-sent", valueOf(el)); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    pending = Math.max(0, pending - 1);
    if (!event.detail.successful) {
      var el = event.detail.elt;
      if (el && el.classList) { el.classList.add("is-invalid"); }
      var box = document.getElementById("autosave-error");
      if (box) { box.hidden = false; }
    }
  });
  // Enter in a score field saves it instead of submitting anything.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && el && el.name === "score") {
      event.preventDefault();
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  // One upload form for the page, in a dialog: a row's "Attach" aims it at
  // the row's criterion (the address its button carries) and opens it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-upload]") : null;
    var dialog = document.getElementById("evidence-dialog");
    if (!button || !dialog) { return; }
    var form = document.getElementById("evidence-upload");
    var row = button.closest(".item-row");
    var code = row.querySelector("b");
    form.reset();
    // The upload address of criterion 0, with the row's criterion instead.
    form.action = form.getAttribute("data-action").replace(
      /\/0\/evidence\/$/, "/" + row.id.replace("item-", "") + "/evidence/");
    document.getElementById("evidence-criterion").textContent = code.textContent;
    alsoList(row);
    dialog.showModal();
  });
  // The other criteria shown on the page, to attach the same file to: built
  // from the rows themselves (their id and code), so the page carries no list.
  function alsoList(current) {
    var box = document.getElementById("evidence-also");
    if (!box) { return; }
    box.querySelectorAll("label").forEach(function (label) { label.remove(); });
    document.querySelectorAll("#assessment-items .item-row").forEach(function (row) {
      if (row === current || !row.querySelector("[data-upload]")) { return; }
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = "criteria";
      input.value = row.id.replace("item-", "");
      input.className = "form-check-input me-1";
      label.appendChild(input);
      var text = row.firstElementChild.firstElementChild.textContent.trim().replace(/\s+/g, " ");
      label.appendChild(document.createTextNode(text.length > 90 ? text.slice(0, 89) + "…" : text));
      box.appendChild(label);
    });
  }
  // Removing a file asks first (the question is said once, on the page's form).
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[form=evidence-delete]") : null;
    var form = document.getElementById("evidence-delete");
    if (button && form && !window.confirm(form.getAttribute("data-ask"))) {
      event.preventDefault();
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); event.returnValue = ""; }
  });

  // A save answers its criterion's whole row. What the person changed in the
  // row while the save was on its way (typing in the note, ticking a box,
  // choosing a file) is carried into the new row, then saved in its turn.
  function valueOf(el) {
    return el.type === "checkbox" ? String(el.checked) : el.value;
  }
  function unsaved(el, source) {
    if (el.type === "file") { return el.files && el.files.length > 0; }
    if (el === source) { return valueOf(el) !== el.getAttribute("data-sent"); }
    if (el.type === "checkbox") { return el.checked !== el.defaultChecked; }
    return el.value !== el.defaultValue;
  }
  // Fields are found by their row and name (a row's fields carry no ids), and
  // the field being typed in keeps the focus and the caret.
  var carried = [];
  document.addEventListener("htmx:beforeSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.classList || !row.classList.contains("item-row")) { return; }
    var source = event.detail.requestConfig ? event.detail.requestConfig.elt : null;
    carried = [];
    row.querySelectorAll("input[name], textarea[name]").forEach(function (el) {
      var focused = el === document.activeElement;
      if (focused || unsaved(el, source)) {
        carried.push({
          row: row.id, name: el.name, el: el, focused: focused,
          changed: unsaved(el, source), start: el.selectionStart, end: el.selectionEnd
        });
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    var items = carried;
    carried = [];
    items.forEach(function (c) {
      var row = document.getElementById(c.row);
      var el = row ? row.querySelector("[name=" + c.name + "]") : null;
      if (!el || el === c.el || el.disabled) { return; }
      if (c.changed) {
        if (el.type === "file") { el.files = c.el.files; return; }
        if (el.type === "checkbox") { el.checked = c.el.checked; } else { el.value = c.el.value; }
      }
      if (c.focused) {
        el.focus();
        if (c.start !== null && c.start !== undefined && el.setSelectionRange) {
          el.setSelectionRange(c.start, c.end);
        }
        if (c.changed) { el.setAttribute("data-unsaved", ""); }  // saved when the person leaves it
      } else if (c.changed) {
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  });
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.removeAttribute) { el.removeAttribute("data-unsaved"); }
  }, true);
  document.addEventListener("focusout", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-unsaved")) {
      el.removeAttribute("data-unsaved");
      if (el.value !== el.defaultValue) {
        el.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  });
})();
