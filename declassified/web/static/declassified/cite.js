/* "Cite this document" with JavaScript: a Copy button beside each citation (the formatted
 * citation goes to the clipboard as HTML and as plain text, so italics survive a paste into a
 * word processor), a spoken status, and the block opened for a #cite link and for printing.
 * Without this file the block still works: the picker is CSS and the plain text is in a
 * readonly textarea to select. */
(function () {
  "use strict";
  var block = document.getElementById("cite");
  if (!block) { return; }
  var status = document.getElementById("cite-status");

  function say(message) {
    // Emptied first so the same message twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function copyBySelection(text) {
    // The fallback where navigator.clipboard is missing (an http:// page, an old browser).
    var scratch = document.createElement("textarea");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "visually-hidden";
    document.body.appendChild(scratch);
    scratch.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    document.body.removeChild(scratch);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text, html) {
    var clipboard = navigator.clipboard;
    if (clipboard && clipboard.write && window.ClipboardItem) {
      var item = new window.ClipboardItem({
        "text/plain": new Blob([text], {type: "text/plain"}),
        "text/html": new Blob([html], {type: "text/html"})
      });
      return clipboard.write([item]).catch(function () { return clipboard.writeText(text); })
        .catch(function () { return copyBySelection(text); });
    }
    if (clipboard && clipboard.writeText) {
      return clipboard.writeText(text).catch(function () { return copyBySelection(text); });
    }
    return copyBySelection(text);
  }

  function styleLabel(citation) {
    var section = citation.closest(".cite-style");
    var heading = section && section.querySelector("h3");
    return heading ? heading.textContent.trim() : "";
  }

  block.querySelectorAll(".citation").forEach(function (citation) {
    var plain = document.getElementById(citation.id + "-text");
    if (!plain) { return; }
    var what = citation.getAttribute("data-copy-label") || "citation";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cite-copy-button";
    button.textContent = "Copy " + what;
    button.setAttribute("aria-describedby", citation.id);
    button.addEventListener("click", function () {
      var named = styleLabel(citation) + " " + what;
      copy(plain.value, citation.innerHTML).then(
        function () { say("Copied the " + named + "."); },
        function () {
          // Nothing reached the clipboard: show the text, selected, for a manual copy.
          plain.closest("details").open = true;
          plain.focus();
          plain.select();
          say("Copying is not allowed here; the " + named + " is selected: press Ctrl+C or ⌘C.");
        });
    });
    citation.insertAdjacentElement("afterend", button);
  });

  function openForLink() {
    var id = window.location.hash.slice(1);
    if (id === "cite" || id.indexOf("cite-") === 0) { block.open = true; }
  }
  openForLink();
  window.addEventListener("hashchange", openForLink);

  // The printed page carries the citation: open the block while printing, then restore it.
  var wasOpen = false;
  window.addEventListener("beforeprint", function () { wasOpen = block.open; block.open = true; });
  window.addEventListener("afterprint", function () { block.open = wasOpen; });
}());
