/* Runs before the page images are laid out: with JavaScript, the plain page images (all
 * loading="lazy") stay hidden, so they are never fetched and the viewer's first page has the
 * server to itself. viewer.js shows them again if the viewer cannot start. */
document.documentElement.classList.add("viewer-js");
