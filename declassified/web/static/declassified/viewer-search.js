/* Search inside the document, in the deep-zoom viewer: viewer.js calls
 * window.declassifiedInsideSearch once its OpenSeadragon viewer is made.
 *
 * Without JavaScript the search box is a GET form and the server lists the hits and boxes them
 * on the plain images. Here the same form asks the document's IIIF Content Search 2.0 service
 * (the form's data-search), lists the hits with their snippets, draws each hit's boxes as
 * OpenSeadragon overlays on its page (the boxes are in the page's own pixels, the canvas's),
 * and adds Previous hit / Next hit buttons that turn to the hit's page. The count of hits is
 * announced (role="status"). Opened with ?q= (a search result's link), the hits are shown at
 * once, the first one on the page the link names being the current one.
 */
(function () {
  "use strict";

  var MAX_ANSWER_PAGES = 10;  // 100 hits each: enough to page through, bounded all the same

  window.declassifiedInsideSearch = function (view) {
    var form = view.pane.querySelector(".inside-search");
    var results = view.pane.querySelector(".inside-results");
    if (!form || !results || !window.fetch) { return; }
    var viewer = view.viewer;
    var input = form.querySelector("input[name=q]");
    var count = results.querySelector(".inside-count");
    var pageOfCanvas = {};
    view.items.forEach(function (item, index) {
      pageOfCanvas[item.getAttribute("data-page-id")] = index;
    });
    var hits = [];
    var currentHit = -1;

    var nav = view.element("div", {"class": "inside-nav", role: "group", "aria-label": "Hits"});
    var previousHit = view.button("previous-hit", "Previous hit", "‹ Previous hit");
    var nextHit = view.button("next-hit", "Next hit", "Next hit ›");
    var position = view.element("span", {"class": "inside-position", "aria-live": "polite"});
    [previousHit, nextHit, position].forEach(function (node) { nav.appendChild(node); });
    nav.hidden = true;
    results.insertBefore(nav, count.nextSibling);
    var list = results.querySelector(".inside-hits");

    function pageIndex(target) {
      var match = /\/canvas\/(\d+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(target);
      if (!match || !(match[1] in pageOfCanvas)) { return null; }
      return {page: pageOfCanvas[match[1]],
              box: [Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])]};
    }

    // One hit per "contextualizing" annotation, its boxes the items it points at.
    function hitsOf(answer) {
      var boxes = {};
      (answer.items || []).forEach(function (item) { boxes[item.id] = pageIndex(item.target); });
      var context = ((answer.annotations || [])[0] || {}).items || [];
      return context.map(function (annotation) {
        var targets = [].concat(annotation.target);
        var places = targets.map(function (t) { return boxes[t.source]; }).filter(Boolean);
        var selectors = targets.map(function (t) { return t.selector[0]; });
        return {
          page: places.length ? places[0].page : null,
          boxes: places.map(function (p) { return p.box; }),
          prefix: selectors[0].prefix || "",
          exact: selectors.map(function (s) { return s.exact; }).join(" "),
          suffix: selectors[selectors.length - 1].suffix || "",
        };
      }).filter(function (hit) { return hit.page !== null; });
    }

    function fetchAll(url, found, remaining) {
      return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        }).then(function (answer) {
          found = found.concat(hitsOf(answer));
          if (answer.next && remaining > 1) { return fetchAll(answer.next.id, found, remaining - 1); }
          return found;
        });
    }

    function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

    function drawOverlays() {
      viewer.clearOverlays();
      var image = viewer.world.getItemAt(0);
      if (!image) { return; }
      hits.forEach(function (hit, index) {
        if (hit.page !== view.currentPage()) { return; }
        hit.boxes.forEach(function (box) {
          var overlay = document.createElement("div");
          overlay.className = "hit-box-overlay" + (index === currentHit ? " hit-current" : "");
          overlay.setAttribute("data-hit", String(index));
          viewer.addOverlay({element: overlay,
                             location: image.imageToViewportRectangle(box[0], box[1], box[2], box[3])});
        });
      });
    }

    function renderList(query) {
      var fresh = view.element("ol", {"class": "inside-hits"});
      hits.forEach(function (hit, index) {
        var li = view.element("li");
        var link = view.element("a", {href: "#page-" + (hit.page + 1), "data-hit": String(index)},
                                "Page " + (hit.page + 1));
        li.appendChild(link);
        li.appendChild(document.createTextNode(": " + (hit.prefix ? "…" + hit.prefix : "")));
        li.appendChild(view.element("mark", {}, hit.exact));
        li.appendChild(document.createTextNode(hit.suffix ? hit.suffix + "…" : ""));
        fresh.appendChild(li);
      });
      if (list) { list.replaceWith(fresh); } else { results.appendChild(fresh); }
      list = fresh;
      var pages = {};
      hits.forEach(function (hit) { pages[hit.page] = true; });
      count.textContent = hits.length
        ? plural(hits.length, "hit") + " on " + plural(Object.keys(pages).length, "page")
        : "No hits for “" + query + "” in this document’s pages.";
      nav.hidden = hits.length === 0;
    }

    function select(index) {
      if (!hits.length) { return; }
      currentHit = (index + hits.length) % hits.length;
      var hit = hits[currentHit];
      position.textContent = "Hit " + (currentHit + 1) + " of " + hits.length + ", page " + (hit.page + 1);
      list.querySelectorAll("li").forEach(function (li, i) {
        if (i === currentHit) { li.setAttribute("aria-current", "true"); } else { li.removeAttribute("aria-current"); }
      });
      if (hit.page !== view.currentPage()) { view.goTo(hit.page); } else { drawOverlays(); }
    }

    function run(query, firstOnPage) {
      var url = form.getAttribute("data-search") + "?" + new URLSearchParams({q: query}).toString();
      count.textContent = "Searching…";
      return fetchAll(url, [], MAX_ANSWER_PAGES).then(function (found) {
        hits = found;
        currentHit = -1;
        renderList(query);
        var start = hits.findIndex(function (hit) { return hit.page === firstOnPage; });
        if (hits.length) { select(start >= 0 ? start : 0); } else { drawOverlays(); }
      }).catch(function () {
        count.textContent = "The search could not be run; try again.";
      });
    }

    viewer.addHandler("open", drawOverlays);
    previousHit.addEventListener("click", function () { select(currentHit - 1); });
    nextHit.addEventListener("click", function () { select(currentHit + 1); });
    results.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-hit]");
      if (!link) { return; }
      event.preventDefault();
      select(Number(link.getAttribute("data-hit")));
    });
    form.addEventListener("submit", function (event) {
      var query = input.value.trim();
      if (!query) { return; }  // the server says what an empty search is
      event.preventDefault();
      var params = new URLSearchParams(window.location.search);
      params.set("q", query);
      params.delete("page");
      history.replaceState(null, "", "?" + params.toString());
      run(query, view.currentPage());
    });
    if (input.value.trim()) { run(input.value.trim(), view.currentPage()); }
  };
}());
