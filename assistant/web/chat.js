/* Partnership Assistant chat: one component for the full page and the embeddable widget.
 * Plain JavaScript, no build step. Every string that comes from the server (answers, titles, quotes,
 * sections, notices) is put into the page with textContent, never as HTML, so a document that contains
 * markup shows it as text. Links are only made from http(s) URLs.
 *
 * PartnershipChat.mount(root, {endpoint, apiKey, compact}) builds the chat inside `root` (an element or
 * a shadow root). Elements with a `data-partnership-chat` attribute are mounted automatically.
 */
(function () {
  "use strict";

  var KEY_STORAGE = "partnership-assistant-api-key";
  var MAX_CHARS = 2000;
  var counter = 0;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "className") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }

  function where(citation) {
    var parts = [];
    if (citation.section) parts.push(citation.section);
    if (citation.page) parts.push("page " + citation.page);
    return parts.join(" · ");
  }

  /* Split a Server-Sent Events buffer into complete events and the unfinished rest. */
  function parseEvents(buffer) {
    var events = [];
    var blocks = buffer.replace(/\r\n/g, "\n").split("\n\n");
    var rest = blocks.pop();
    blocks.forEach(function (block) {
      var name = "message";
      var data = [];
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event:") === 0) name = line.slice(6).trim();
        else if (line.indexOf("data:") === 0) data.push(line.slice(5).replace(/^ /, ""));
      });
      if (data.length) events.push({ name: name, data: JSON.parse(data.join("\n")) });
    });
    return { events: events, rest: rest };
  }

  function mount(root, options) {
    options = options || {};
    var endpoint = (options.endpoint || "").replace(/\/+$/, "");
    var apiKey = options.apiKey || readStoredKey();
    var uid = "pa" + ++counter;

    function url(path) { return endpoint + path; }

    function readStoredKey() {
      try { return window.sessionStorage.getItem(KEY_STORAGE) || ""; } catch (e) { return ""; }
    }

    function headers() {
      var h = { "Content-Type": "application/json", "Accept": "text/event-stream" };
      if (apiKey) h["Authorization"] = "Bearer " + apiKey;
      return h;
    }

    // --- the frame: conversation log, status line, question form ---
    var log = el("div", {
      className: "pa-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "-1",
    });
    var empty = el("p", {
      className: "pa-empty",
      text: "Ask a question about the partnership's safeguarding guidance. Answers quote the guidance and " +
        "show their sources.",
    });
    log.appendChild(empty);
    var status = el("p", { className: "pa-status", role: "status", "aria-live": "polite" });
    var textarea = el("textarea", {
      id: options.compact ? uid + "-question" : "pa-question", className: "pa-input", name: "question",
      rows: "2", maxlength: String(MAX_CHARS), required: true, autocomplete: "off",
      "aria-describedby": uid + "-hint",
    });
    var button = el("button", { type: "submit", className: "pa-send", text: "Ask" });
    var hint = el("p", {
      id: uid + "-hint", className: "pa-hint",
      text: "Enter sends, Shift+Enter starts a new line. Do not include names or details that identify a child.",
    });
    var form = el("form", { className: "pa-form", "aria-label": "Ask a question" }, [
      el("label", { for: textarea.id, className: "pa-label", text: "Your question" }),
      el("div", { className: "pa-row" }, [textarea, button]),
      hint,
    ]);
    var keyInput = el("input", { type: "password", id: uid + "-key", className: "pa-key-input", autocomplete: "off" });
    var keyForm = el("form", { className: "pa-keyform", hidden: true }, [
      el("label", { for: keyInput.id, text: "This service needs an access key. Enter it to continue:" }),
      el("div", { className: "pa-row" }, [keyInput, el("button", { type: "submit", className: "pa-send", text: "Use key" })]),
    ]);
    var frame = el("div", { className: "pa-chat" + (options.compact ? " pa-compact" : "") }, [
      log, status, keyForm, form,
    ]);
    root.appendChild(frame);

    var pending = null; // question waiting for an access key

    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = textarea.value.trim();
      if (!question) {
        status.textContent = "Type a question first.";
        textarea.focus();
        return;
      }
      ask(question);
    });

    keyForm.addEventListener("submit", function (event) {
      event.preventDefault();
      apiKey = keyInput.value.trim();
      try { window.sessionStorage.setItem(KEY_STORAGE, apiKey); } catch (e) { /* private mode */ }
      keyForm.hidden = true;
      if (pending) ask(pending);
      pending = null;
    });

    function setBusy(busy) {
      button.disabled = busy;
      textarea.setAttribute("aria-busy", busy ? "true" : "false");
      status.textContent = busy ? "Searching the guidance…" : "";
    }

    // --- one question and its answer ---
    function ask(question) {
      if (empty.parentNode) empty.parentNode.removeChild(empty);
      var turn = el("article", { className: "pa-turn", "aria-busy": "true" });
      turn.appendChild(el("p", { className: "pa-question" }, [
        el("span", { className: "pa-visually-hidden", text: "You asked: " }), question,
      ]));
      var body = el("div", { className: "pa-answer" });
      var text = el("p", { className: "pa-text" });
      body.appendChild(text);
      turn.appendChild(body);
      log.appendChild(turn);
      turn.scrollIntoView({ block: "nearest" });
      setBusy(true);
      textarea.value = "";

      var state = { turn: turn, body: body, text: text, sources: null };
      fetch(url("/v1/ask/stream"), {
        method: "POST", headers: headers(), body: JSON.stringify({ question: question }),
      }).then(function (response) {
        if (!response.ok) return failed(response, state, question);
        return readStream(response, function (name, data) { onEvent(name, data, state); });
      }).catch(function () {
        showError(state, "The assistant could not be reached. Check your connection and try again.");
      }).then(function () {
        turn.setAttribute("aria-busy", "false");
        setBusy(false);
      });
    }

    function readStream(response, handle) {
      if (!response.body || !response.body.getReader) {
        return response.text().then(function (all) {
          parseEvents(all + "\n\n").events.forEach(function (e) { handle(e.name, e.data); });
        });
      }
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) {
            parseEvents(buffer + decoder.decode() + "\n\n").events.forEach(function (e) { handle(e.name, e.data); });
            return;
          }
          var parsed = parseEvents(buffer + decoder.decode(chunk.value, { stream: true }));
          buffer = parsed.rest;
          parsed.events.forEach(function (e) { handle(e.name, e.data); });
          return pump();
        });
      }
      return pump();
    }

    function failed(response, state, question) {
      return response.json().catch(function () { return {}; }).then(function (problem) {
        var detail = problem && typeof problem.detail === "string" ? problem.detail : "";
        if (response.status === 401) {
          pending = question;
          keyForm.hidden = false;
          keyInput.focus();
          showError(state, "This service needs an access key" + (apiKey ? " (the one given was not accepted)." : "."));
        } else if (response.status === 429) {
          showError(state, "Too many questions in a short time. " + (detail ? "(" + detail + ")" : "Wait a minute and try again."));
        } else if (response.status >= 500) {
          showError(state, "Something went wrong on the server. Please try again in a moment.");
        } else {
          showError(state, "The question could not be asked: " + (detail || "status " + response.status) + ".");
        }
      });
    }

    function showError(state, message) {
      state.text.textContent = "";
      state.body.appendChild(el("p", { className: "pa-error", role: "alert", text: message }));
    }

    function onEvent(name, data, state) {
      if (name === "sources") {
        state.sources = data;
        if (data.notice) state.body.insertBefore(noticeBanner(data.notice), state.body.firstChild);
        if (data.answered && data.citations.length) {
          state.body.appendChild(citationList(data.citations, state, "Sources", true));
        }
      } else if (name === "delta") {
        appendWithMarkers(state.text, data.text, state);
      } else if (name === "done") {
        if (!data.answered) showNotCovered(data, state);
        state.body.appendChild(feedbackBar(data.answer_id));
        state.turn.scrollIntoView({ block: "start" });
      }
    }

    // The emergency notice: a banner at the top of its answer, announced at once (role=alert).
    function noticeBanner(text) {
      return el("div", { className: "pa-notice", role: "alert" }, [
        el("strong", { className: "pa-notice-label", text: "Urgent" }), el("p", { text: text }),
      ]);
    }

    // Text with [n] markers: the words as text nodes, each marker a button that opens its source.
    function appendWithMarkers(container, text, state) {
      var pattern = /\[(\d+)\]/g;
      var last = 0;
      var match;
      while ((match = pattern.exec(text)) !== null) {
        if (match.index > last) container.appendChild(document.createTextNode(text.slice(last, match.index)));
        container.appendChild(markerButton(parseInt(match[1], 10), state));
        last = pattern.lastIndex;
      }
      if (last < text.length) container.appendChild(document.createTextNode(text.slice(last)));
    }

    function markerButton(n, state) {
      var marker = el("button", {
        type: "button", className: "pa-marker", text: String(n), "aria-label": "Source " + n,
      });
      marker.addEventListener("click", function () {
        var details = state.turn.querySelector('details[data-n="' + n + '"]');
        if (!details) return;
        details.open = true;
        var summary = details.querySelector("summary");
        summary.focus();
        details.scrollIntoView({ block: "nearest" });
      });
      return marker;
    }

    function citationList(citations, state, heading, numbered) {
      var section = el("section", { className: "pa-sources", "aria-label": heading });
      section.appendChild(el("h3", { className: "pa-sources-heading", text: heading }));
      var list = el("ol", { className: "pa-citations" });
      citations.forEach(function (c) {
        var details = el("details", { className: "pa-citation", "data-n": String(c.n) });
        var summary = el("summary", {}, [
          numbered ? el("span", { className: "pa-cite-n", text: String(c.n) }) : null,
          el("span", { className: "pa-cite-title", text: c.title || c.document }),
          where(c) ? el("span", { className: "pa-cite-where", text: where(c) }) : null,
        ]);
        details.appendChild(summary);
        details.appendChild(el("blockquote", { className: "pa-quote", text: c.quote }));
        var facts = el("dl", { className: "pa-cite-facts" });
        if (c.section) facts.appendChild(el("dt", { text: "Section" }));
        if (c.section) facts.appendChild(el("dd", { text: c.section }));
        if (c.page) facts.appendChild(el("dt", { text: "Page" }));
        if (c.page) facts.appendChild(el("dd", { text: String(c.page) }));
        details.appendChild(facts);
        var href = safeUrl(c.url);
        if (href) {
          details.appendChild(el("a", {
            className: "pa-cite-link", href: href, target: "_blank", rel: "noopener noreferrer",
            text: "Open the source" + (c.page ? " at page " + c.page : ""),
          }));
        }
        list.appendChild(el("li", {}, [details]));
      });
      section.appendChild(list);
      return section;
    }

    function showNotCovered(data, state) {
      state.body.classList.add("pa-not-covered");
      state.text.textContent = data.answer;
      state.body.insertBefore(
        el("h3", { className: "pa-not-covered-heading", text: "Not covered by the guidance" }), state.text);
      if (data.closest_sources && data.closest_sources.length) {
        state.body.appendChild(citationList(data.closest_sources, state, "Closest passages", false));
      }
    }

    function feedbackBar(answerId) {
      var thanks = el("span", { className: "pa-feedback-status", role: "status" });
      var up = el("button", { type: "button", className: "pa-vote", "aria-pressed": "false", "aria-label": "Helpful" },
        [el("span", { className: "pa-vote-icon", "aria-hidden": "true", text: "▲" }), "Yes"]);
      var down = el("button", { type: "button", className: "pa-vote", "aria-pressed": "false", "aria-label": "Not helpful" },
        [el("span", { className: "pa-vote-icon", "aria-hidden": "true", text: "▼" }), "No"]);
      function vote(helpful, pressed) {
        up.disabled = down.disabled = true;
        pressed.setAttribute("aria-pressed", "true");
        var h = headers();
        h["Accept"] = "application/json";
        fetch(url("/v1/feedback"), {
          method: "POST", headers: h, body: JSON.stringify({ answer_id: answerId, helpful: helpful }),
        }).then(function (response) {
          thanks.textContent = response.ok ? "Thanks for your feedback." : "Your feedback could not be saved.";
        }).catch(function () {
          thanks.textContent = "Your feedback could not be saved.";
        });
      }
      up.addEventListener("click", function () { vote(true, up); });
      down.addEventListener("click", function () { vote(false, down); });
      return el("div", { className: "pa-feedback", role: "group", "aria-label": "Was this answer helpful?" }, [
        el("span", { className: "pa-feedback-label", text: "Was this helpful?" }), up, down, thanks,
      ]);
    }

    return { ask: ask, frame: frame, input: textarea };
  }

  window.PartnershipChat = { mount: mount, parseEvents: parseEvents };

  function autoMount() {
    var nodes = document.querySelectorAll("[data-partnership-chat]");
    Array.prototype.forEach.call(nodes, function (node) {
      if (node.getAttribute("data-mounted")) return;
      node.setAttribute("data-mounted", "true");
      mount(node, { endpoint: node.getAttribute("data-endpoint") || "" });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", autoMount);
  else autoMount();
})();
