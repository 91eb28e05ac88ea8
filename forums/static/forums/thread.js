// Live thread updates. Without this script every action still works by form POST.
(function () {
  "use strict";
  var posts = document.getElementById("posts");
  if (!posts || !("WebSocket" in window)) return;

  var userId = posts.dataset.userId;
  var canAccept = posts.dataset.canAccept === "true";
  var onLastPage = posts.dataset.lastPage === "true";
  var announcer = document.getElementById("live-announcer");
  var status = document.getElementById("live-status");
  var toggle = document.getElementById("live-toggle");
  var replyForm = document.getElementById("reply-form");
  var socket = null;
  var paused = false;
  var missed = false;
  var retry = 0;
  var lastSeen = 0;

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken][value]:not([value=''])");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function prepare(article) {
    // Fragments from the server are the same for every viewer; show this
    // viewer's controls here.
    article.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      if (!input.value) input.value = csrfToken();
    });
    if (article.dataset.authorId && article.dataset.authorId === userId) {
      article.querySelectorAll(".app-own-only").forEach(function (el) { el.hidden = false; });
    }
    if (canAccept) {
      article.querySelectorAll(".app-accept-form").forEach(function (el) { el.hidden = false; });
    }
  }

  function seen(id) {
    if (id > lastSeen) lastSeen = id;
  }
  posts.querySelectorAll("article[data-post-id]").forEach(function (article) {
    seen(parseInt(article.dataset.postId, 10));
  });

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function showStatus(text) {
    status.hidden = !text;
    status.textContent = text || "";
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function addPost(id, author, html) {
    if (document.getElementById("post-" + id)) return;
    seen(id);
    if (!onLastPage) {
      announce("New post from " + author + ". It is on the last page.");
      return;
    }
    var article = fragment(html);
    prepare(article);
    posts.appendChild(article);
    announce("New post from " + author);
  }

  function replacePart(id, html, selectors) {
    var current = document.getElementById("post-" + id);
    if (!current) return;
    var fresh = fragment(html);
    prepare(fresh);
    selectors.forEach(function (selector) {
      var oldPart = current.querySelector(selector);
      var newPart = fresh.querySelector(selector);
      if (oldPart && newPart) oldPart.replaceWith(newPart);
      else if (oldPart && !newPart) oldPart.remove();
    });
  }

  function handle(event) {
    switch (event.type) {
      case "post.created":
        addPost(event.post_id, event.author, event.html);
        break;
      case "post.edited":
        replacePart(event.post_id, event.html, [".app-post__meta", ".app-post__body"]);
        break;
      case "post.hidden":
        replacePart(event.post_id, event.html, [".app-post__body", ".app-post__actions"]);
        announce("A moderator hid a post");
        break;
      case "reaction.updated":
        var article = document.getElementById("post-" + event.post_id);
        if (!article) return;
        Object.keys(event.counts).forEach(function (kind) {
          var count = article.querySelector("[data-reaction='" + kind + "'] .app-reaction-count");
          if (count) count.textContent = event.counts[kind];
        });
        break;
      case "thread.locked":
        showStatus(event.locked ? "A moderator locked this thread. Reload to see the change." : "A moderator unlocked this thread.");
        break;
      case "post.ack":
        if (replyForm) {
          replyForm.querySelector("textarea").value = "";
          clearError();
        }
        break;
      case "resync":
        // The server's live feed was interrupted (Redis restarted): fetch
        // anything posted meanwhile.
        catchUp();
        break;
      case "error":
        showError(event.message);
        break;
    }
  }

  function showError(message) {
    if (!replyForm) { showStatus(message); return; }
    var error = replyForm.querySelector(".app-live-error");
    if (!error) {
      error = document.createElement("p");
      error.className = "govuk-error-message app-live-error";
      error.setAttribute("role", "alert");
      replyForm.insertBefore(error, replyForm.firstChild.nextSibling);
    }
    error.textContent = message;
  }

  function clearError() {
    var error = replyForm && replyForm.querySelector(".app-live-error");
    if (error) error.remove();
  }

  function catchUp() {
    var url = posts.dataset.catchupUrl + "?after=" + lastSeen;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { posts: [] }; })
      .then(function (data) {
        data.posts.forEach(function (post) { addPost(post.id, post.author, post.html); });
      })
      .catch(function () {});
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + posts.dataset.wsPath);
    socket.addEventListener("open", function () {
      var reconnecting = retry > 0;
      retry = 0;
      showStatus("");
      posts.dataset.live = "true";
      if (reconnecting) catchUp();
    });
    socket.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (paused && event.type !== "error" && event.type !== "post.ack") {
        missed = true;
        return;
      }
      handle(event);
    });
    socket.addEventListener("close", function (event) {
      posts.dataset.live = "false";
      socket = null;
      if (event.code >= 4400 && event.code < 4500) return; // refused: do not retry
      var delay = Math.min(30000, 1000 * Math.pow(2, retry)) + Math.random() * 500;
      retry += 1;
      showStatus("Live updates lost. Reconnecting…");
      window.setTimeout(connect, delay);
    });
  }

  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.setAttribute("aria-pressed", paused ? "true" : "false");
      toggle.textContent = paused ? "Resume live updates" : "Pause live updates";
      if (!paused && missed) {
        missed = false;
        catchUp();
      }
    });
  }

  if (replyForm) {
    replyForm.addEventListener("submit", function (event) {
      var body = replyForm.querySelector("textarea").value;
      if (!socket || socket.readyState !== WebSocket.OPEN || !body.trim()) return;
      event.preventDefault();
      socket.send(JSON.stringify({ type: "post", body: body }));
    });
  }

  posts.querySelectorAll("article[data-post-id]").forEach(prepare);
  connect();
})();
