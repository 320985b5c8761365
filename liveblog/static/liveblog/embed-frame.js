// Livedesk embed, inside the iframe: tells the host page how tall it is.
//
// The host's embed.js names its origin and this frame's id in the fragment
// (#origin=…&id=…), never in the query, so every host shares one cached copy.
// Heights are posted only to that origin: postMessage drops them if the real
// parent is anyone else.  The live stream itself is live.js, unchanged.
(function () {
  "use strict";
  if (window.parent === window) return;
  var params = new URLSearchParams(location.hash.slice(1));
  var hostOrigin = params.get("origin");
  var id = params.get("id");
  if (!hostOrigin || !/^https?:\/\/[^\/]+$/.test(hostOrigin)) return;

  var root = document.getElementById("ld-live");
  var limit = root ? parseInt(root.dataset.limit, 10) || 0 : 0;
  var last = -1;

  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "livedesk:height", id: id, height: height }, hostOrigin);
  }

  function trim() {
    // live.js adds cards on top; keep the embed to the `limit` it was asked for.
    var stream = document.getElementById("ld-stream");
    if (!stream || !limit) return;
    while (stream.children.length > limit) stream.removeChild(stream.lastElementChild);
  }

  document.addEventListener("click", function (event) {
    // In-page anchors (the pinned card's time) stay in the frame, not a new tab.
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) link.target = "_self";
  });

  window.addEventListener("message", function (event) {
    // Only the declared host, and only our direct parent, may ask for a height.
    if (event.origin !== hostOrigin || event.source !== window.parent) return;
    if (event.data && event.data.type === "livedesk:measure" && event.data.id === id) {
      last = -1;
      report();
    }
  });

  if (window.MutationObserver && root) {
    new MutationObserver(function () { trim(); report(); })
      .observe(root, { childList: true, subtree: true, characterData: true, attributes: true });
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  window.addEventListener("resize", report);
  trim();
  report();
})();
