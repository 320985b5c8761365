// Livedesk desk: the suggestions panel and the watched sources' health.
// Cards are rendered by the server (the same template for the page and the
// socket), so this script only places them and wires the buttons.  No build step.
(function () {
  "use strict";

  var list = document.getElementById("ld-suggestion-list");
  if (!list) return;
  var empty = document.getElementById("ld-suggestions-empty");
  var composer = document.getElementById("ld-composer");

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return (input && input.value) || list.dataset.csrf || "";
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();  // server-rendered, every source value escaped
    return template.content.firstElementChild;
  }

  function refreshEmpty() {
    if (empty) empty.hidden = list.querySelector(".ld-suggestion:not(.ld-handled)") !== null;
  }

  function age(seconds) {
    if (seconds < 60) return "just now";
    var minutes = Math.round(seconds / 60);
    if (minutes < 60) return minutes + " min ago";
    return Math.round(minutes / 60) + " h ago";
  }

  function refreshAges() {
    var now = Date.now();
    list.querySelectorAll("time.ld-suggestion-age").forEach(function (time) {
      var at = Date.parse(time.getAttribute("datetime"));
      if (!isNaN(at)) time.textContent = age(Math.max(0, (now - at) / 1000));
    });
  }

  function markHandled(id, state, who) {
    var card = document.getElementById("suggestion-" + id);
    if (!card || card.classList.contains("ld-handled")) return;
    card.classList.add("ld-handled");
    var actions = card.querySelector(".ld-desk-actions");
    if (actions) {
      actions.textContent = (state === "published" ? "Published" : "Dismissed") + (who ? " by " + who : "");
    }
    if (composer && composer.dataset.suggestionId === String(id)) stopEditing();
    refreshEmpty();
    setTimeout(function () { if (card.parentNode) card.parentNode.removeChild(card); }, 4000);
  }

  // Edit first: the composer publishes the edited text through the suggestion,
  // so the update is attributed and the suggestion marked handled for everyone.
  var originalAction = composer ? composer.getAttribute("action") : null;
  var editingNote = null;

  function stopEditing() {
    if (!composer) return;
    composer.setAttribute("action", originalAction);
    delete composer.dataset.suggestionId;
    var draftButton = composer.querySelector("button[name=as_draft]");
    if (draftButton) draftButton.hidden = false;
    if (editingNote && editingNote.parentNode) editingNote.parentNode.removeChild(editingNote);
    editingNote = null;
  }

  function editFirst(card) {
    if (!composer) return;
    var textarea = composer.querySelector("textarea[name=body]");
    textarea.value = card.dataset.body;
    textarea.dispatchEvent(new Event("input"));
    composer.setAttribute("action", card.dataset.publishUrl);
    composer.dataset.suggestionId = card.dataset.id;
    var draftButton = composer.querySelector("button[name=as_draft]");
    if (draftButton) draftButton.hidden = true;
    if (!editingNote) {
      editingNote = document.createElement("p");
      editingNote.className = "ld-muted ld-editing-suggestion";
      composer.insertBefore(editingNote, textarea.parentNode);
    }
    editingNote.textContent = "Editing a suggestion from " + card.querySelector(".ld-suggestion-title").textContent + ". Publish attributes it to the source. ";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "ld-button";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", function () { textarea.value = ""; textarea.dispatchEvent(new Event("input")); stopEditing(); });
    editingNote.appendChild(cancel);
    textarea.focus();
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest(".ld-suggestion-edit");
    if (button) editFirst(button.closest(".ld-suggestion"));
  });

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var card = form.closest(".ld-suggestion");
    if (!card) return;
    event.preventDefault();
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
    }).then(function (response) {
      return response.json().then(function (payload) { return { ok: response.ok, payload: payload }; });
    }).then(function (result) {
      if (result.ok) {
        markHandled(card.dataset.id, result.payload.state, "you");
      } else {
        var note = document.createElement("p");
        note.className = "ld-errors";
        note.textContent = result.payload.error || "That did not work; reload the desk.";
        card.appendChild(note);
      }
    }).catch(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  });

  var handlers = (window.livedeskDesk = window.livedeskDesk || { handlers: {} }).handlers;

  handlers["suggestion.created"] = function (message) {
    var card = fromHtml(message.html);
    if (!card) return;
    var existing = document.getElementById(card.id);
    if (existing) {
      existing.parentNode.replaceChild(card, existing);  // re-drafted with more news
    } else {
      list.insertBefore(card, list.firstChild);
    }
    refreshAges();
    refreshEmpty();
  };

  handlers["suggestion.handled"] = function (message) {
    markHandled(message.id, message.state, message.handled_by);
  };

  handlers["source.health"] = function (message) {
    var row = fromHtml(message.html);
    var healthList = document.getElementById("ld-source-health-list");
    if (!row || !healthList) return;
    var existing = document.getElementById(row.id);
    if (existing) existing.parentNode.replaceChild(row, existing);
    else healthList.appendChild(row);
  };

  refreshAges();
  refreshEmpty();
  setInterval(refreshAges, 15000);
})();
