/* Back office: accessible names for widgets Django's admin builds in JavaScript.
 *
 * The autocomplete fields (select2, bundled with Django) name their combobox after the
 * current value only, leave the search box of multiple choices unlabelled, and put a
 * "clear" button straight into a list; the fields of tabular inlines have a column header
 * but no label; the filter icons of the two-list selector carry an aria-label on an element
 * without a role. Each fix is re-applied whenever the widgets re-render (a
 * MutationObserver), including rows added to inline formsets.
 */
(function () {
  "use strict";

  function ensureId(element, id) {
    if (!element.id) { element.id = id; }
    return element.id;
  }

  /* The id of what names a control: its <label>, or in a tabular inline its column header. */
  function labelId(control) {
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    if (label) { return ensureId(label, control.id + "_label"); }
    var cell = control.closest("td");
    var table = cell && cell.closest("table");
    var headers = table && table.tHead && table.tHead.rows[0];
    var header = headers && headers.cells[cell.cellIndex];
    if (!header || !header.textContent.trim()) { return null; }
    return ensureId(header, (table.id || "table") + "-column-" + cell.cellIndex);
  }

  function nameTabularFields() {
    var selector = ".tabular td :is(input, select, textarea):not([type=hidden])";
    document.querySelectorAll(selector).forEach(function (control) {
      if (control.labels && control.labels.length) { return; }
      if (control.getAttribute("aria-labelledby") || control.getAttribute("aria-hidden")) { return; }
      var name = labelId(control);
      if (name) { control.setAttribute("aria-labelledby", name); }
    });
  }

  function nameAutocomplete(select) {
    var container = select.nextElementSibling;
    var name = labelId(select);
    if (!name || !container || !container.classList.contains("select2")) { return; }
    var box = container.querySelector(".select2-selection");
    var rendered = container.querySelector(".select2-selection__rendered");
    if (rendered && rendered.getAttribute("role") === "textbox") {
      rendered.setAttribute("aria-labelledby", name);
    }
    if (box) {
      var shown = box.classList.contains("select2-selection--single") && rendered && rendered.id;
      box.setAttribute("aria-labelledby", shown ? name + " " + rendered.id : name);
    }
    var search = container.querySelector(".select2-search__field");
    if (search) { search.setAttribute("aria-labelledby", name); }
    if (rendered && rendered.tagName === "UL") {
      // The chosen values are items of the combobox, not a list of their own; the list
      // also holds the clear button, which is no list item.
      rendered.setAttribute("role", "presentation");
    }
  }

  function fix() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameAutocomplete);
    nameTabularFields();
    document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; fix(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fix();
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  });
  window.addEventListener("load", fix);
})();
