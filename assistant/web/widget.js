/* Partnership Assistant widget: one tag on any page opens the chat in a shadow DOM.
 *
 *   <script src="https://assistant.example.org/widget.js" data-endpoint="https://assistant.example.org"></script>
 *
 * Optional attributes: data-title (launcher and dialog label), data-api-key (non-public deployments only:
 * anyone who can read the page can read the key). The host page's styles do not reach inside the widget,
 * and the widget's do not leak out. The API must list the host page's origin in ASSISTANT_CORS_ORIGINS.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) return;
  var endpoint = (script.getAttribute("data-endpoint") || new URL(script.src, document.baseURI).origin)
    .replace(/\/+$/, "");
  var title = script.getAttribute("data-title") || "Ask the guidance";
  var apiKey = script.getAttribute("data-api-key") || "";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function loadChat(callback) {
    if (window.PartnershipChat) { callback(); return; }
    var existing = document.querySelector("script[data-partnership-chat-js]");
    var tag = existing || el("script", { src: endpoint + "/static/chat.js", "data-partnership-chat-js": "" });
    tag.addEventListener("load", callback);
    if (!existing) document.head.appendChild(tag);
  }

  function start() {
    var host = el("div", { id: "partnership-assistant-widget" });
    document.body.appendChild(host);
    var shadow = host.attachShadow({ mode: "open" });
    shadow.appendChild(el("link", { rel: "stylesheet", href: endpoint + "/static/chat.css" }));

    var launcher = el("button", {
      type: "button", class: "pa-launcher", "aria-expanded": "false", "aria-controls": "pa-widget-panel",
    }, title);
    var panel = el("div", {
      id: "pa-widget-panel", class: "pa-panel", role: "dialog", "aria-label": title, hidden: "",
    });
    var bar = el("div", { class: "pa-panel-bar" });
    bar.appendChild(el("h2", { class: "pa-panel-title" }, title));
    var close = el("button", { type: "button", class: "pa-close", "aria-label": "Close" }, "×");
    bar.appendChild(close);
    panel.appendChild(bar);
    var body = el("div", { class: "pa-panel-body" });
    panel.appendChild(body);
    shadow.appendChild(panel);
    shadow.appendChild(launcher);

    var chat = null;
    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      if (chat) { chat.input.focus(); return; }
      loadChat(function () {
        if (!chat) chat = window.PartnershipChat.mount(body, { endpoint: endpoint, apiKey: apiKey, compact: true });
        chat.input.focus();
      });
    }
    function shut() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    launcher.addEventListener("click", function () { if (panel.hidden) open(); else shut(); });
    close.addEventListener("click", shut);
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
