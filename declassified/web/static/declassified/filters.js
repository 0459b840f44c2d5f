// The filter panel (web/search/filters.html) works as a <details> element without this
// script. With it: a Close button in the panel, Escape closes it and gives the focus back to
// its toggle, and on wide screens a list with active filters opens with the panel open (on
// phones the panel covers the results, so it stays closed until asked for).
(function () {
  "use strict";
  var panel = document.querySelector("[data-filters]");
  if (!panel) return;
  var toggle = panel.querySelector("summary");
  var close = panel.querySelector("[data-close-filters]");
  var wide = window.matchMedia("(min-width: 37.5rem)");
  function shut() {
    panel.open = false;
    toggle.focus();
  }
  if (close) {
    close.hidden = false;
    close.addEventListener("click", shut);
  }
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.open) {
      event.preventDefault();
      shut();
    }
  });
  if (wide.matches && document.querySelector(".search-chips")) panel.open = true;
})();
