// Livedesk embed loader, for the host page:
//
//   <div data-livedesk="SLUG"><a href="https://live.example.com/live/SLUG/">Follow live</a></div>
//   <script async src="https://live.example.com/static/liveblog/embed.js"></script>
//
// Turns every [data-livedesk] element into an iframe once it nears the
// viewport, and sizes the iframe to its content from the frame's messages
// (accepted only from Livedesk's origin and from that very iframe).  The link
// inside the element stays until the frame reports in, so readers without
// scripts, or on a site the newsroom does not allow, still get a link.
// Optional attributes: data-update (one update), data-theme, data-limit,
// data-pinned, data-lang, data-title.
(function () {
  "use strict";
  if (window.__livedeskEmbed) { window.__livedeskEmbed.scan(); return; }

  var NEAR_VIEWPORT = "600px";     // start loading a screen ahead of the reader
  var GIVE_UP_MS = 15000;          // no word from the frame: leave only the link
  var MAX_HEIGHT = 30000;          // a runaway height cannot swallow the host page
  var OPTIONS = ["theme", "limit", "pinned", "lang"];

  var script = document.currentScript ||
    Array.prototype.slice.call(document.querySelectorAll("script[src*='liveblog/embed.js']")).pop();
  var livedesk = new URL(script.src, location.href).origin;
  var frames = {};
  var counter = 0;

  function source(element, id) {
    var slug = encodeURIComponent(element.dataset.livedesk);
    var path = "/embed/" + slug + "/";
    if (element.dataset.update) path += "updates/" + encodeURIComponent(element.dataset.update) + "/";
    var query = new URLSearchParams();
    OPTIONS.forEach(function (name) {
      if (element.dataset[name]) query.set(name, element.dataset[name]);
    });
    var search = query.toString();
    return livedesk + path + (search ? "?" + search : "") +
      "#origin=" + encodeURIComponent(location.origin) + "&id=" + id;
  }

  function load(element) {
    if (element.dataset.livedeskState) return;
    var id = "livedesk-" + (++counter);
    var iframe = document.createElement("iframe");
    iframe.src = source(element, id);
    iframe.title = element.dataset.title || element.textContent.trim() || "Live coverage";
    iframe.setAttribute("scrolling", "no");
    iframe.style.cssText = "display:block;width:100%;border:0;height:0;overflow:hidden;";
    iframe.dataset.livedeskId = id;
    frames[id] = { iframe: iframe, element: element };
    element.dataset.livedeskState = "loading";
    element.insertBefore(iframe, element.firstChild);
    setTimeout(function () {
      if (element.dataset.livedeskState !== "loading") return;
      // Refused (the newsroom does not allow this site) or unreachable.
      element.dataset.livedeskState = "failed";
      iframe.remove();
      delete frames[id];
    }, GIVE_UP_MS);
  }

  function ready(entry) {
    if (entry.element.dataset.livedeskState === "ready") return;
    entry.element.dataset.livedeskState = "ready";
    Array.prototype.forEach.call(entry.element.children, function (child) {
      if (child !== entry.iframe) child.hidden = true;
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== livedesk) return;
    var data = event.data;
    if (!data || data.type !== "livedesk:height" || typeof data.height !== "number") return;
    var entry = frames[data.id];
    if (!entry || event.source !== entry.iframe.contentWindow) return;
    entry.iframe.style.height = Math.max(0, Math.min(MAX_HEIGHT, Math.ceil(data.height))) + "px";
    ready(entry);
  });

  var observer = window.IntersectionObserver ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); load(entry.target); }
    });
  }, { rootMargin: NEAR_VIEWPORT }) : null;

  function scan() {
    document.querySelectorAll("[data-livedesk]").forEach(function (element) {
      if (element.dataset.livedeskState || element.dataset.livedeskSeen) return;
      element.dataset.livedeskSeen = "1";
      if (observer) observer.observe(element); else load(element);
    });
  }

  window.__livedeskEmbed = { scan: scan };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
