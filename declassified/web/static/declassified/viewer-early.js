/* Runs before the page images are laid out: with JavaScript, the plain page images (all
 * loading="lazy") stay hidden, so they are never fetched and the viewer's first page has the
 * server to itself. If the viewer has not started once the page has loaded (a script that did
 * not arrive), the plain images come back. */
document.documentElement.classList.add("viewer-js");
window.addEventListener("load", function () {
  if (!window.declassifiedViewer) { document.documentElement.classList.remove("viewer-js"); }
});
