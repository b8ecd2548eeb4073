// Search page only: asks the Pagefind index built with the site. Without JavaScript the page
// offers the topic filters instead, so nobody is stuck.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) return;
  var root = form.getAttribute("data-root"); // relative path to the site root, e.g. "../../"
  var input = form.querySelector("input[type=search]");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var pagefind = null;
  form.hidden = false;
  document.getElementById("search-nojs").hidden = true;

  function load() {
    if (!pagefind) {
      pagefind = import(root + "pagefind/pagefind.js").then(function (module) {
        module.options({ baseUrl: "/" });
        return module;
      });
    }
    return pagefind;
  }

  function show(results, query) {
    list.textContent = "";
    results.forEach(function (data) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = root + data.url.replace(/^\//, "");
      link.textContent = (data.meta && data.meta.title) || data.url;
      heading.appendChild(link);
      var excerpt = document.createElement("p");
      // Pagefind's excerpt marks hits with <mark>; rebuild it as text nodes so no markup from
      // the index is ever parsed as HTML.
      data.excerpt.split(/(<mark>.*?<\/mark>)/).forEach(function (part) {
        var hit = /^<mark>(.*)<\/mark>$/.exec(part);
        if (hit) {
          var mark = document.createElement("mark");
          mark.textContent = decode(hit[1]);
          excerpt.appendChild(mark);
        } else {
          excerpt.appendChild(document.createTextNode(decode(part)));
        }
      });
      item.className = "card";
      item.appendChild(heading);
      item.appendChild(excerpt);
      list.appendChild(item);
    });
    var template = results.length ? form.getAttribute("data-found") : form.getAttribute("data-none");
    status.textContent = template.replace("%(count)s", String(results.length)).replace("%(query)s", query);
  }

  function decode(text) {
    var area = document.createElement("textarea");
    area.innerHTML = text;
    return area.value;
  }

  function run(query) {
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    load()
      .then(function (module) { return module.debouncedSearch(query, {}, 250); })
      .then(function (search) {
        if (search === null) return null; // a newer query is on its way
        return Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
      })
      .then(function (results) { if (results) show(results, query); })
      .catch(function () { status.textContent = form.getAttribute("data-error"); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run(input.value.trim());
  });
  input.addEventListener("input", function () { run(input.value.trim()); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    run(initial);
  }
})();
