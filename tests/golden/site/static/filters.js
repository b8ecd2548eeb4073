// Offer listing: combined filters, as progressive enhancement.
// Without JavaScript every filter value is a link to its own pre-rendered page. With it, the
// links on the full listing become checkboxes: values of one kind widen the choice (Borken OR
// Bocholt), kinds narrow it (language Arabic AND city Borken). Cards carry their keys in data-
// attributes. Later listing pages are fetched from this site and joined, so filtering sees every
// offer. The choice is kept in the address (?city=borken&language=ar) and nowhere else.
(function () {
  "use strict";
  var box = document.getElementById("filters");
  var list = document.querySelector("ul.cards.offers");
  if (!box || !list || !box.querySelector) return;
  var status = document.querySelector(".filter-status");
  var count = status && status.querySelector("[data-count]");
  var empty = document.querySelector(".filter-empty");
  var tools = box.querySelector(".filter-tools");
  var reset = box.querySelector("[data-reset]");
  var pagination = document.querySelector(".pagination");
  var checks = [];
  var navs = box.querySelectorAll("nav[data-filter]");
  var wanted = readQuery();

  for (var n = 0; n < navs.length; n++) {
    var nav = navs[n];
    var kind = nav.getAttribute("data-filter");
    var group = document.createElement("div");
    group.className = nav.className;
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", nav.getAttribute("aria-labelledby"));
    group.setAttribute("data-filter", kind);
    while (nav.firstChild) group.appendChild(nav.firstChild);
    nav.parentNode.replaceChild(group, nav);
    var links = group.querySelectorAll("a[data-key]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var key = link.getAttribute("data-key");
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = kind;
      input.value = key;
      input.checked = (wanted[kind] || []).indexOf(key) !== -1;
      input.addEventListener("change", update);
      label.appendChild(input);
      var text = document.createElement("span");
      while (link.firstChild) text.appendChild(link.firstChild);
      label.appendChild(text);
      var li = link.parentNode;
      var countSpan = li.querySelector(".count");
      if (countSpan) label.appendChild(countSpan);
      li.replaceChild(label, link);
      checks.push(input);
    }
  }
  if (tools) tools.hidden = false;
  // The filters start folded (an open list would push the offers off a phone's first screen, and
  // folding it after loading would shift the page); filters chosen in the address open them.
  for (var w in wanted) if (Object.prototype.hasOwnProperty.call(wanted, w)) box.open = true;
  if (reset) {
    reset.addEventListener("click", function () {
      for (var i = 0; i < checks.length; i++) checks[i].checked = false;
      update();
    });
  }

  function readQuery() {
    var found = {};
    var query = window.location.search.replace(/^\?/, "");
    if (!query) return found;
    var pairs = query.split("&");
    for (var i = 0; i < pairs.length; i++) {
      var kv = pairs[i].split("=");
      var k = decodeURIComponent(kv[0] || "");
      var v = decodeURIComponent((kv[1] || "").replace(/\+/g, " "));
      if (k && v) (found[k] = found[k] || []).push(v);
    }
    return found;
  }

  function chosen() {
    var found = {};
    for (var i = 0; i < checks.length; i++) {
      if (checks[i].checked) (found[checks[i].name] = found[checks[i].name] || []).push(checks[i].value);
    }
    return found;
  }

  function matches(card, choice) {
    for (var kind in choice) {
      if (!Object.prototype.hasOwnProperty.call(choice, kind)) continue;
      var have = (card.getAttribute("data-" + kind) || "").split(" ");
      var any = false;
      for (var i = 0; i < choice[kind].length; i++) if (have.indexOf(choice[kind][i]) !== -1) any = true;
      if (!any) return false;
    }
    return true;
  }

  function update() {
    var choice = chosen();
    var active = false;
    for (var k in choice) if (Object.prototype.hasOwnProperty.call(choice, k)) active = true;
    var cards = list.querySelectorAll("li.offer-card");
    var shown = 0;
    for (var i = 0; i < cards.length; i++) {
      // Without a filter the page shows its own cards and keeps its page links.
      var ok = active ? matches(cards[i], choice) : !cards[i].hasAttribute("data-joined");
      cards[i].hidden = !ok;
      if (ok) shown++;
    }
    if (status) status.hidden = !active;
    if (count) count.textContent = String(shown);
    if (empty) empty.hidden = !(active && shown === 0);
    if (pagination) pagination.hidden = active && joined;
    if (window.history && window.history.replaceState) {
      var parts = [];
      for (var j = 0; j < checks.length; j++) {
        if (checks[j].checked) parts.push(encodeURIComponent(checks[j].name) + "=" + encodeURIComponent(checks[j].value));
      }
      var url = window.location.pathname + (parts.length ? "?" + parts.join("&") : "") + window.location.hash;
      window.history.replaceState(null, "", url);
    }
  }

  // Join the cards of the other listing pages, so filters see every offer.
  var joined = !pagination;
  function joinPages() {
    if (!pagination || !window.fetch || !window.DOMParser) return;
    var links = pagination.querySelectorAll("a[href]:not([aria-current])");
    var urls = [];
    for (var i = 0; i < links.length; i++) urls.push(links[i].href);
    var done = 0;
    var pages = [];
    urls.forEach(function (url, index) {
      window.fetch(url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          pages[index] = { url: url, doc: new DOMParser().parseFromString(html, "text/html") };
          if (++done === urls.length) append();
        })
        .catch(function () { /* keep the pagination: the links still work */ });
    });
    function append() {
      for (var p = 0; p < pages.length; p++) {
        var cards = pages[p].doc.querySelectorAll("ul.cards.offers > li.offer-card");
        for (var c = 0; c < cards.length; c++) {
          var card = document.importNode(cards[c], true);
          card.setAttribute("data-joined", "");
          var anchors = card.querySelectorAll("a[href]");
          for (var a = 0; a < anchors.length; a++) anchors[a].href = new URL(anchors[a].getAttribute("href"), pages[p].url).href;
          list.appendChild(card);
        }
      }
      joined = true;
      update();
    }
  }
  update();
  joinPages();
})();
