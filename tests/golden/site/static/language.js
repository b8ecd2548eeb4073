// Root page only: send the reader on to the site's language that best matches their browser's
// languages (navigator.languages, in the reader's order of preference). Nothing is stored.
// Without JavaScript, or with no match, the page stays a plain list of all languages.
(function () {
  "use strict";
  var list = document.querySelector("[data-languages]");
  if (!list || !window.location.replace) return;
  var links = list.querySelectorAll("a[hreflang]");
  var offered = [];
  for (var i = 0; i < links.length; i++) {
    offered.push({ tag: links[i].getAttribute("hreflang").toLowerCase(), href: links[i].href });
  }
  function primary(tag) { return tag.split("-")[0]; }
  function best(wanted) {
    for (var w = 0; w < wanted.length; w++) {
      // "pt-BR", "pt_br", "de-DE-u-co-phonebk": compare case-insensitively, "_" as "-".
      var tag = String(wanted[w] || "").toLowerCase().replace(/_/g, "-");
      if (!tag) continue;
      var o;
      for (o = 0; o < offered.length; o++) if (offered[o].tag === tag) return offered[o];
      // "de-AT" -> "de"; "pt" -> "pt-br"; "zh-Hant-TW" -> "zh-hant" before "zh".
      var parts = tag.split("-");
      for (var n = parts.length - 1; n > 0; n--) {
        var prefix = parts.slice(0, n).join("-");
        for (o = 0; o < offered.length; o++) if (offered[o].tag === prefix) return offered[o];
      }
      for (o = 0; o < offered.length; o++) if (primary(offered[o].tag) === parts[0]) return offered[o];
    }
    return null;
  }
  var wanted = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || navigator.userLanguage || ""];
  var match = best(wanted);
  // replace(), not assign(): the Back button leaves the site instead of bouncing here again.
  if (match) window.location.replace(match.href);
})();
