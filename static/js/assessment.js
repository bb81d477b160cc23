// Self-assessment page: autosave feedback (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  var pending = 0;
  document.addEventListener("htmx:beforeRequest", function () { pending += 1; });
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
  window.addEventListener("beforeunload", function (event) {
    if (pending > 0) { event.preventDefault(); event.returnValue = ""; }
  });
})();
