/* The Original tab's deep-zoom viewer (OpenSeadragon, served from /static/vendor/openseadragon/).
 *
 * Progressive enhancement: the page works without this script (each page a plain sized IIIF
 * image with links). Here the same list becomes one OpenSeadragon viewer in sequence mode, each
 * page's IIIF info.json a tile source, with our own buttons (real <button>s: focusable, labelled)
 * and a strip of thumbnails. The text beside the pages is switched in place (the server renders
 * it; we fetch the same page with ?beside=) so the viewer keeps its page and zoom.
 *
 * The search inside the document (boxes as overlays, next/previous hit) is viewer-search.js,
 * loaded before this file. No inline script or style anywhere (the site's
 * Content-Security-Policy forbids both).
 */
(function () {
  "use strict";

  var pane = document.querySelector("[data-viewer]");
  if (!pane || typeof OpenSeadragon !== "function") {
    document.documentElement.classList.remove("viewer-js");  // the plain images, then
    return;
  }
  var list = pane.querySelector(".page-images");
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-info]"));
  if (!items.length) { return; }
  var total = items.length;

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function button(action, label, text) {
    return element("button", {type: "button", "class": "viewer-button", "data-action": action,
                              "aria-label": label, title: label}, text);
  }

  var toolbar = element("div", {"class": "viewer-toolbar", role: "group", "aria-label": "Page viewer controls"});
  [
    button("previous", "Previous page", "‹ Previous"),
    button("next", "Next page", "Next ›"),
    button("zoom-in", "Zoom in", "+"),
    button("zoom-out", "Zoom out", "−"),
    button("home", "Fit the page", "Fit"),
    button("rotate", "Rotate 90° clockwise", "Rotate"),
    button("fullscreen", "Full screen", "Full screen"),
  ].forEach(function (b) { toolbar.appendChild(b); });
  var status = element("p", {"class": "viewer-status", "aria-live": "polite"});
  var canvas = element("div", {"class": "viewer-canvas", id: "viewer-canvas"});
  var download = element("a", {"class": "viewer-download"});
  var fullSize = element("a", {"class": "viewer-full"});
  var links = element("p", {"class": "meta viewer-links"});
  links.appendChild(fullSize);
  links.appendChild(document.createTextNode(" · "));
  links.appendChild(download);
  var strip = element("ol", {"class": "viewer-thumbs", "aria-label": "Pages"});
  items.forEach(function (item, index) {
    var li = element("li");
    var thumb = button("page", "Page " + (index + 1) + " of " + total);
    thumb.setAttribute("data-page", String(index));
    // Sources are set once the first page is drawn: twenty thumbnails must not make the
    // page the reader came for wait.
    thumb.appendChild(element("img", {"data-src": item.getAttribute("data-thumbnail"), alt: "",
                                      loading: "lazy", width: "60", height: "80"}));
    thumb.appendChild(element("span", {"class": "viewer-thumb-number", "aria-hidden": "true"}, String(index + 1)));
    li.appendChild(thumb);
    strip.appendChild(li);
  });

  // ?page=N (what a search hit found on a scan links to) opens the viewer at page N.
  function startPage() {
    var form = pane.querySelector(".inside-search");
    var wanted = Number(form ? form.getAttribute("data-start-page") : 1) || 1;
    return Math.min(total, Math.max(1, wanted)) - 1;
  }

  var shell = element("div", {"class": "viewer"});
  [toolbar, status, canvas, links, strip].forEach(function (node) { shell.appendChild(node); });
  list.hidden = true;
  list.parentNode.insertBefore(shell, list);
  pane.classList.add("original-pages--viewer");

  // OpenSeadragon appends a <style> to the head (no focus outline on touch screens); the
  // Content-Security-Policy would block it and the focus outline is wanted, so that one
  // element is dropped while the viewer is made. Nothing else is touched.
  var head = document.head;
  head.appendChild = function (node) {
    if (node.nodeType === 1 && node.hasAttribute("data-openseadragon-mobile-css")) { return node; }
    return Node.prototype.appendChild.call(head, node);
  };
  var viewer;
  try {
    viewer = OpenSeadragon({
      element: canvas,
      prefixUrl: pane.getAttribute("data-prefix"),
      tileSources: items.map(function (item) { return item.getAttribute("data-info"); }),
      sequenceMode: true,
      initialPage: startPage(),
      drawer: "canvas",
      showNavigationControl: false,  // our own buttons above, which a keyboard can reach
      showSequenceControl: false,
      showReferenceStrip: false,
      crossOriginPolicy: false,
      // The viewer sits in a scrolling page (beside the text; above it on a phone): one finger
      // or the mouse wheel scrolls the page, two fingers or Ctrl + wheel move and zoom the image.
      cooperativeGestures: true,
      visibilityRatio: 0.5,
      minZoomImageRatio: 0.5,
      maxZoomPixelRatio: 3,
    });
  } finally {
    delete head.appendChild;
  }
  window.declassifiedViewer = viewer;  // for the browser tests and curious readers
  var current = startPage();

  function describe(index) {
    var label = "Page " + (index + 1) + " of " + total;
    status.textContent = label;
    viewer.canvas.setAttribute("aria-label", label + ". Zoom with + and −, move with the arrow keys, " +
                               "r rotates, 0 fits the page, Page Down and Page Up turn the page.");
    download.textContent = "Download page " + (index + 1) + " (JPEG)";
    download.href = items[index].getAttribute("data-download");
    fullSize.textContent = "Full size";
    fullSize.href = items[index].getAttribute("data-full");
    strip.querySelectorAll("button").forEach(function (b, i) {
      if (i === index) { b.setAttribute("aria-current", "page"); } else { b.removeAttribute("aria-current"); }
    });
    toolbar.querySelector('[data-action="previous"]').disabled = index === 0;
    toolbar.querySelector('[data-action="next"]').disabled = index === total - 1;
  }

  function goTo(index) {
    if (index >= 0 && index < total && index !== current) { viewer.goToPage(index); }
  }

  // Marks for the browser test and for anyone timing the viewer in the browser's tools: the
  // first tile of the first page drawn, and that page whole at the size shown.
  viewer.addOnceHandler("tile-drawn", function () { performance.mark("viewer:first-tile-drawn"); });
  var thumbnailsShown = false;
  function showThumbnails() {
    if (thumbnailsShown) { return; }
    thumbnailsShown = true;
    strip.querySelectorAll("img[data-src]").forEach(function (img) {
      img.src = img.getAttribute("data-src");
      img.removeAttribute("width");
      img.removeAttribute("height");
    });
  }
  viewer.world.addOnceHandler("add-item", function (event) {
    event.item.addOnceHandler("fully-loaded-change", function () {
      performance.mark("viewer:first-page-loaded");
      showThumbnails();
    });
  });
  window.setTimeout(showThumbnails, 3000);  // a slow first page: show them anyway

  viewer.canvas.setAttribute("role", "application");
  viewer.canvas.setAttribute("aria-roledescription", "zoomable page");
  viewer.addHandler("page", function (event) {
    current = event.page;
    describe(current);
  });
  describe(current);

  function toggleFullScreen() {
    if (document.fullscreenElement) { document.exitFullscreen(); } else { shell.requestFullscreen(); }
  }
  var fullscreenButton = toolbar.querySelector('[data-action="fullscreen"]');
  if (!shell.requestFullscreen) { fullscreenButton.hidden = true; }
  fullscreenButton.setAttribute("aria-pressed", "false");
  document.addEventListener("fullscreenchange", function () {
    fullscreenButton.setAttribute("aria-pressed", document.fullscreenElement === shell ? "true" : "false");
  });

  var actions = {
    previous: function () { goTo(current - 1); },
    next: function () { goTo(current + 1); },
    "zoom-in": function () { viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints(); },
    "zoom-out": function () { viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints(); },
    home: function () { viewer.viewport.goHome(); },
    rotate: function () { viewer.viewport.setRotation((viewer.viewport.getRotation() + 90) % 360); },
    fullscreen: toggleFullScreen,
  };
  shell.addEventListener("click", function (event) {
    var target = event.target.closest("button[data-action]");
    if (!target) { return; }
    if (target.getAttribute("data-action") === "page") {
      goTo(Number(target.getAttribute("data-page")));
    } else {
      actions[target.getAttribute("data-action")]();
    }
  });

  // Page Down / Page Up on the viewer turn the page (OpenSeadragon handles zoom, pan, rotate);
  // arrow keys move between thumbnails in the strip.
  canvas.addEventListener("keydown", function (event) {
    if (event.key === "PageDown") { goTo(current + 1); event.preventDefault(); }
    if (event.key === "PageUp") { goTo(current - 1); event.preventDefault(); }
  }, true);
  strip.addEventListener("keydown", function (event) {
    var thumbs = strip.querySelectorAll("button");
    var index = Array.prototype.indexOf.call(thumbs, document.activeElement);
    var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[event.key];
    if (index < 0 || !step) { return; }
    var next = thumbs[Math.min(thumbs.length - 1, Math.max(0, index + step))];
    next.focus();
    event.preventDefault();
  });

  if (window.declassifiedInsideSearch) {
    window.declassifiedInsideSearch({viewer: viewer, pane: pane, items: items, goTo: goTo,
                                     element: element, button: button,
                                     currentPage: function () { return current; }});
  }

  // The text beside the pages: switched in place, its scroll position its own.
  var choice = document.querySelector(".beside-choice");
  if (choice && window.fetch && window.DOMParser) {
    var select = choice.querySelector("select");
    choice.querySelector("button[type=submit]").hidden = true;
    select.addEventListener("change", function () {
      var url = "?" + new URLSearchParams(new FormData(choice)).toString();
      fetch(url, {credentials: "same-origin"}).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["#beside-h", ".beside-body"].forEach(function (selector) {
          var old = document.querySelector(selector);
          var replacement = fresh.querySelector(selector);
          if (old && replacement) { old.replaceWith(document.importNode(replacement, true)); }
        });
        history.replaceState(null, "", url + "#texts");
      }).catch(function () { choice.submit(); });  // a plain page load still works
    });
  }
}());
