// Livedesk reader: keeps a server-rendered live article current.
//
// Guarantee: every event is applied exactly once, in seq order.  The socket
// resumes from the last applied seq; a seq jump is filled over HTTP before
// anything newer is applied; a seq already applied is ignored.  When sockets
// fail, the same events endpoint is polled.  No build step.
(function () {
  "use strict";
  var root = document.getElementById("ld-live");
  if (!root || root.dataset.archive) return;

  var RETRY_BASE_MS = 1000, RETRY_CAP_MS = 30000;
  var POLL_MS = 5000;
  var SILENCE_MS = 70000;            // server pings every 25 s; 70 s of silence = dead link
  var FAILURES_BEFORE_POLLING = 3;   // sockets that never opened: blocked by a proxy?

  var seq = parseInt(root.dataset.seq, 10) || 0;
  var lang = root.dataset.language || "en";
  var stream = document.getElementById("ld-stream");
  var newBox = document.getElementById("ld-new");
  var newButton = document.getElementById("ld-new-button");
  var announcer = document.getElementById("ld-announcer");
  var pending = [];        // cards held while the reader is scrolled down
  var hiddenQueue = [];    // events held while the tab is hidden
  var busy = null;         // the running HTTP catch-up, if any
  var socket = null, attempts = 0, failuresUnopened = 0, silenceTimer = null;
  var pollTimer = null, retryTimer = null;

  function el(html) {
    var t = document.createElement("template");
    t.innerHTML = html.trim();
    return t.content.firstElementChild;
  }

  function announce(text) {
    announcer.textContent = "";
    setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function readerIsDown() {
    // Scrolled past the top of the stream: new cards must not move the page.
    return stream.getBoundingClientRect().top < -40;
  }

  function showPendingButton() {
    if (!pending.length) { newBox.hidden = true; return; }
    var n = pending.length;
    newButton.textContent = n === 1 ? (lang === "es" ? "1 actualización nueva" : "1 new update")
                                    : n + " " + root.dataset.newWord;
    newBox.hidden = false;
  }

  newButton.addEventListener("click", function () {
    // Oldest pending first, each on top: the newest ends up first.
    pending.forEach(function (node) { stream.insertBefore(node, stream.firstChild); });
    pending = [];
    showPendingButton();
    tick();
    stream.scrollIntoView({ behavior: "smooth", block: "start" });
  });

  function replaceOrRemove(id, html) {
    var existing = document.getElementById(id);
    var held = pending.findIndex(function (n) { return n.id === id; });
    if (!html) {
      if (existing) existing.remove();
      if (held >= 0) { pending.splice(held, 1); showPendingButton(); }
      return;
    }
    var node = el(html);
    if (existing) existing.replaceWith(node);
    else if (held >= 0) pending[held] = node;
  }

  function setKeyEvent(update) {
    var list = document.getElementById("ld-key-events-list");
    var existing = document.getElementById("key-" + update.id);
    if (update.key_event) {
      var node = el(update.key_event);
      if (existing) existing.replaceWith(node);
      else {
        // Keep newest first, as the server renders it: before the first entry
        // with a lower seq, else last (an older update that became a key event).
        var after = Array.prototype.find.call(list.children, function (li) {
          return parseInt(li.dataset.seq, 10) < update.seq;
        });
        list.insertBefore(node, after || null);
      }
    } else if (existing) existing.remove();
    document.getElementById("ld-key-events").hidden = list.children.length === 0;
  }

  function apply(event) {
    var u = event.update;
    if (event.type === "update.created" && u) {
      if (!document.getElementById("update-" + u.id) && u.card) {
        var node = el(u.card);
        node.classList.add("ld-fresh");
        if (readerIsDown()) { pending.push(node); showPendingButton(); }
        else stream.insertBefore(node, stream.firstChild);
        var label = node.querySelector(".ld-label");
        announce(readerIsDown() ? newButton.textContent : (label ? label.textContent + ": " : "") +
                 (node.querySelector(".ld-body") || node).textContent.trim().slice(0, 200));
      }
      setKeyEvent(u);
    } else if (u) {
      replaceOrRemove("update-" + u.id, u.card);
      setKeyEvent(u);
    }
    if (typeof event.pinned === "string") document.getElementById("ld-pinned").innerHTML = event.pinned;
    if (event.header) {
      var header = document.getElementById("ld-header");
      header.replaceWith(el(event.header));
      root.dataset.status = event.header.indexOf("ld-status-ended") >= 0 ? "ended" : "live";
    }
    var last = document.querySelector("#ld-header .ld-last-updated time");
    if (last && event.modified_label) {
      last.textContent = event.modified_label;
      last.setAttribute("datetime", event.modified);
    }
    seq = event.seq;
    root.dataset.seq = String(seq);
    if (event.type === "update.created") tick();  // "now" beside the new label
  }

  function accept(event) {
    // The one gate every event passes: dedupe, order, fill gaps.
    if (typeof event.seq !== "number" || event.seq <= seq) return;
    if (event.seq > seq + 1) { catchUp().then(function () { accept(event); }); return; }
    if (document.hidden) { hiddenQueue.push(event); seq = event.seq; return; }
    apply(event);
  }

  function flushHidden() {
    // Held events are already counted in seq; apply them in order now.
    var queued = hiddenQueue; hiddenQueue = [];
    queued.forEach(apply);
    tick();
  }

  function catchUp() {
    // Fetch every event after the last one applied; one request at a time.
    if (busy) return busy;
    busy = new Promise(function (resolve) {
      function page() {
        fetch(root.dataset.eventsUrl + "?since=" + seq, { cache: "no-cache" })
          .then(function (r) { return r.json(); })
          .then(function (body) {
            if (body.resync) { resync().then(resolve); return; }
            body.events.forEach(function (e) {
              if (e.seq === seq + 1) {
                if (document.hidden) { hiddenQueue.push(e); seq = e.seq; } else apply(e);
              }
            });
            if (body.more) page(); else resolve();
          })
          .catch(function () { resolve(); });
      }
      page();
    }).then(function () { busy = null; });
    return busy;
  }

  function resync() {
    // Our position is unusable: take the stream from a fresh page render.
    return fetch(location.pathname, { cache: "no-cache" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["ld-header", "ld-key-events", "ld-pinned", "ld-stream"].forEach(function (id) {
          var node = fresh.getElementById(id);
          if (node) document.getElementById(id).replaceWith(document.adoptNode(node));
        });
        stream = document.getElementById("ld-stream");
        pending = []; hiddenQueue = []; showPendingButton();
        seq = parseInt(fresh.getElementById("ld-live").dataset.seq, 10) || seq;
        root.dataset.seq = String(seq);
        tick();
      }).catch(function () {});
  }

  // Socket ------------------------------------------------------------------

  function watchSilence() {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(function () { if (socket) socket.close(); }, SILENCE_MS);
  }

  function connect() {
    clearTimeout(retryTimer);
    if (!window.WebSocket) { startPolling(); return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + root.dataset.wsPath + "?since=" + seq);
    var opened = false;
    socket = ws;
    ws.onopen = function () { opened = true; attempts = 0; failuresUnopened = 0; stopPolling(); watchSilence(); };
    ws.onmessage = function (message) {
      watchSilence();
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "hello") {
        if (event.seq > seq) catchUpSoon();  // replay follows; this is a safety net
        return;
      }
      if (event.type === "resync") { resync().then(catchUp); return; }
      if (event.type === "ping" || event.type === "pong") return;
      accept(event);
    };
    ws.onclose = function (closeEvent) {
      if (socket === ws) socket = null;
      clearTimeout(silenceTimer);
      if (closeEvent.code === 4404) return;  // the article is gone
      if (!opened) failuresUnopened += 1;
      // Sockets that never open (a proxy that blocks them, a server restarting):
      // keep up over HTTP meanwhile, and keep trying the socket with backoff.
      if (failuresUnopened >= FAILURES_BEFORE_POLLING) startPolling();
      attempts += 1;
      var delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, attempts - 1));
      delay = delay / 2 + Math.random() * delay / 2;  // jitter: no thundering herd
      retryTimer = setTimeout(connect, document.hidden ? delay * 2 : delay);
    };
  }

  var soon = null;
  function catchUpSoon() {
    clearTimeout(soon);
    soon = setTimeout(function () { catchUp(); }, 1500);
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(catchUp, POLL_MS);
    catchUp();
  }

  function stopPolling() { clearInterval(pollTimer); pollTimer = null; }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) return;
    flushHidden();
    if (!socket || socket.readyState > 1) { attempts = 0; connect(); }
    catchUp();
  });
  window.addEventListener("online", function () { if (!socket) { attempts = 0; connect(); } });

  // Relative times -----------------------------------------------------------

  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto", style: "short" }) : null;
  function tick() {
    if (!relative || document.hidden) return;
    var now = Date.now();
    document.querySelectorAll(".ld-ago[data-ago]").forEach(function (node) {
      var seconds = Math.round((Date.parse(node.dataset.ago) - now) / 1000);
      var text;
      if (seconds > -45) text = relative.format(0, "second");
      else if (seconds > -3600) text = relative.format(Math.round(seconds / 60), "minute");
      else if (seconds > -86400) text = relative.format(Math.round(seconds / 3600), "hour");
      else text = relative.format(Math.round(seconds / 86400), "day");
      node.textContent = "· " + text;
    });
  }
  setInterval(tick, 30000);
  tick();

  window.livedesk = {
    seq: function () { return seq; },
    socket: function () { return socket; },
  };
  if (root.dataset.status !== "draft") connect();
})();
