// Livedesk desk: live preview of the composer and the desk socket (presence,
// readers connected, activity, suggestions).  No build step.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Composer: preview is rendered by the server's one Markdown function, so it
  // is exactly what readers will see.
  var composer = document.getElementById("ld-composer");
  if (composer) {
    var textarea = composer.querySelector("textarea[name=body]");
    var preview = document.getElementById("ld-preview");
    var counter = document.getElementById("ld-char-count");
    var limit = parseInt(composer.dataset.maxChars, 10);
    var timer = null;
    var inFlight = 0;
    var refresh = function () {
      var ticket = ++inFlight;
      var data = new FormData();
      data.append("body", textarea.value);
      fetch(composer.dataset.previewUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(composer) },
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (payload) {
        if (!payload || ticket !== inFlight) return;  // a newer keystroke won
        preview.innerHTML = payload.html;  // sanitised by the server
      }).catch(function () {});
    };
    var onInput = function () {
      counter.textContent = textarea.value.length;
      counter.parentElement.classList.toggle("ld-errors", textarea.value.length > limit);
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    };
    textarea.addEventListener("input", onInput);
    counter.textContent = textarea.value.length;
    if (textarea.value) refresh();
  }

  // Desk socket.
  var desk = document.getElementById("ld-desk");
  if (!desk || !window.WebSocket) return;
  var presence = document.getElementById("ld-presence");
  var base = presence ? presence.textContent : "";
  var attempt = 0;
  window.livedeskDesk = { handlers: {} };

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + desk.dataset.wsPath);
    socket.onopen = function () { attempt = 0; };
    socket.onmessage = function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "presence" && presence) {
        presence.textContent = base + " · " + data.readers + " reading now · editors here: " + data.editors.join(", ");
      }
      var handler = window.livedeskDesk.handlers[data.type];
      if (handler) handler(data, socket);
    };
    socket.onclose = function () {
      attempt += 1;
      var delay = Math.min(30000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
    window.livedeskDesk.socket = socket;
  }
  connect();
})();
