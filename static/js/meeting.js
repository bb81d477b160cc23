// The conference pages: the ballot (at most N ticks, one submission) and the
// attendance form (proxy fields only when "proxy" is chosen). No inline JS (CSP).
(function () {
  "use strict";

  function setUpBallot(form) {
    var quota = parseInt(form.getAttribute("data-quota"), 10) || 1;
    var boxes = form.querySelectorAll("input[type=checkbox][name=candidates]");
    var counter = form.querySelector(".ballot-count");
    var label = document.documentElement.lang === "vi" ? "Đã chọn %k/%n" : "Chosen %k/%n";

    function update() {
      var chosen = 0;
      boxes.forEach(function (b) { if (b.checked) { chosen += 1; } });
      boxes.forEach(function (b) { b.disabled = !b.checked && chosen >= quota; });
      if (counter) {
        counter.textContent = label.replace("%k", chosen).replace("%n", quota);
      }
    }
    boxes.forEach(function (b) { b.addEventListener("change", update); });
    update();

    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-sent") === "1") {
        event.preventDefault();
        return;
      }
      // app.js asks for confirmation on click; if the user cancelled, the
      // submit event never fires. Once sent, block a second submission.
      form.setAttribute("data-sent", "1");
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  }

  function setUpAttendance(form) {
    var radios = form.querySelectorAll("input[name=status]");
    var proxyOnly = ["id_proxy_to", "id_authorisation"];
    var presentOnly = ["id_representative"];

    function wrapperOf(id) {
      var el = document.getElementById(id);
      return el ? el.closest(".mb-3") || el.parentElement : null;
    }
    function update() {
      var status = "";
      radios.forEach(function (r) { if (r.checked) { status = r.value; } });
      proxyOnly.forEach(function (id) {
        var w = wrapperOf(id);
        if (w) { w.hidden = status !== "proxy"; }
      });
      presentOnly.forEach(function (id) {
        var w = wrapperOf(id);
        if (w) { w.hidden = status !== "present"; }
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.ballot-form").forEach(setUpBallot);
    document.querySelectorAll("form.js-attendance-form").forEach(setUpAttendance);
  });
})();
