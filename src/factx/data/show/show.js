(function () {
  "use strict";

  function closeTips(except) {
    document.querySelectorAll("mark.fx.open").forEach(function (m) {
      if (m !== except) {
        m.classList.remove("open");
        m.setAttribute("aria-expanded", "false");
      }
    });
  }

  // Keep a tooltip inside the window: flip it to the mark's right edge when it would overflow.
  function placeTip(mark) {
    var tip = mark.querySelector(":scope > .tip");
    if (!tip) { return; }
    tip.classList.remove("flip");
    var box = tip.getBoundingClientRect();
    if (box.width && box.right > document.documentElement.clientWidth - 8) {
      tip.classList.add("flip");
    }
  }

  function toggleTip(mark) {
    var open = !mark.classList.contains("open");
    closeTips(mark);
    mark.classList.toggle("open", open);
    mark.setAttribute("aria-expanded", open ? "true" : "false");
    placeTip(mark);
  }

  function selectRow(row, on) {
    var section = row.closest("section.article");
    section.querySelectorAll("tr.ev.selected").forEach(function (r) {
      r.classList.remove("selected");
      r.setAttribute("aria-selected", "false");
    });
    section.querySelectorAll(".sent.sel").forEach(function (s) { s.classList.remove("sel"); });
    section.querySelectorAll("mark.trig-sel").forEach(function (m) { m.classList.remove("trig-sel"); });
    section.querySelectorAll(".tl-ev.sel").forEach(function (g) { g.classList.remove("sel"); });
    var status = section.querySelector(".status");
    if (!on) {
      if (status) { status.textContent = "Selection cleared."; }
      return;
    }
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    var first = null;
    (row.getAttribute("data-sent") || "").split(" ").forEach(function (key) {
      if (!key) { return; }
      section.querySelectorAll('.sent[data-sent~="' + CSS.escape(key) + '"]').forEach(function (s) {
        s.classList.add("sel");
        first = first || s;
      });
    });
    var trigger = row.getAttribute("data-trigger");
    var mark = trigger ? document.getElementById(trigger) : null;
    if (mark) { mark.classList.add("trig-sel"); }
    section.querySelectorAll('.tl-ev[data-row="' + CSS.escape(row.id) + '"]').forEach(function (g) {
      g.classList.add("sel");
    });
    if (first) {
      var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      first.scrollIntoView({ block: "nearest", behavior: still ? "auto" : "smooth" });
    }
    if (status) {
      status.textContent = first ? "Evidence sentence highlighted for " + row.cells[0].textContent + "." : "This event has no evidence sentence.";
    }
  }

  function focusRow(row) {
    var rows = row.closest("tbody").querySelectorAll("tr.ev");
    rows.forEach(function (r) { r.tabIndex = r === row ? 0 : -1; });
    row.focus();
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest("mark.fx[role=button]");
    if (mark && !event.target.closest(".tip")) {
      toggleTip(mark);
      return;
    }
    if (!event.target.closest(".tip")) { closeTips(null); }
    var link = event.target.closest("a.ev-link");
    var linked = link ? document.getElementById(link.getAttribute("data-row")) : null;
    if (linked) {
      // The page moves to the row by its anchor; the row's sentence is highlighted as if it were clicked.
      focusRow(linked);
      selectRow(linked, true);
      return;
    }
    var row = event.target.closest("tr.ev");
    if (row) {
      focusRow(row);
      selectRow(row, !row.classList.contains("selected"));
      return;
    }
    var dot = event.target.closest(".tl-ev");
    var target = dot ? document.getElementById(dot.getAttribute("data-row")) : null;
    if (target) {
      focusRow(target);
      selectRow(target, true);
    }
  });

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Escape") {
      closeTips(null);
      return;
    }
    if (el.matches && el.matches("mark.fx[role=button]") && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      toggleTip(el);
      return;
    }
    if (!(el.matches && el.matches("tr.ev"))) { return; }
    var rows = Array.prototype.slice.call(el.closest("tbody").querySelectorAll("tr.ev"));
    var at = rows.indexOf(el);
    var next = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      selectRow(el, !el.classList.contains("selected"));
    } else if (next !== undefined && rows[next]) {
      event.preventDefault();
      focusRow(rows[next]);
    }
  });

  document.addEventListener("mouseover", function (event) {
    var mark = event.target.closest && event.target.closest("mark.fx[role=button]");
    if (mark) { placeTip(mark); }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("mark.fx[role=button]")) { placeTip(event.target); }
  });
})();
