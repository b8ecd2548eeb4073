// sitegen serve: reloads this page when a rebuild changed it, and shows the errors of a broken
// save on top of the last good page. Served only by the preview, never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  var since = (script && script.getAttribute("data-generation")) || "0";
  var here = decodeURIComponent(location.pathname).replace(/index\.html$/, "");
  // A change of a style sheet, script or image may show on any page.
  var sharedFile = /\.(css|js|mjs|png|jpe?g|gif|webp|avif|svg|woff2?)$/i;
  var overlay = null;

  function affectsThisPage(changed) {
    return changed.some(function (url) {
      return url === "*" || url === here || sharedFile.test(url);
    });
  }

  function showErrors(errors) {
    if (!overlay) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = "/__sitegen/overlay.css";
      document.head.appendChild(style);
      overlay = document.createElement("section");
      overlay.id = "sitegen-preview-errors";
      overlay.setAttribute("role", "alert");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = errors.length + (errors.length === 1 ? " error" : " errors") +
      ": the preview shows the last good build";
    var list = document.createElement("ul");
    errors.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;  // text, never markup: a message may quote anything
      list.appendChild(item);
    });
    overlay.appendChild(heading);
    overlay.appendChild(list);
  }

  // The page this tab shows: after a save the preview renders it before the rest of the site.
  var events = new EventSource("/__sitegen/events?since=" + encodeURIComponent(since) +
    "&page=" + encodeURIComponent(here));
  events.onmessage = function (message) {
    var state = JSON.parse(message.data);
    if (state.errors.length) {
      showErrors(state.errors);
    } else if (overlay || affectsThisPage(state.changed)) {
      events.close();
      location.reload();
    }
  };
})();
