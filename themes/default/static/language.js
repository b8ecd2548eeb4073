// Root page only: send the reader to the best of the site's languages for their browser.
// Without JavaScript the page is a plain list of all languages, so nobody is blocked.
(function () {
  var list = document.querySelector("[data-languages]");
  if (!list) return;
  var offered = list.getAttribute("data-languages").split(" ");
  var wanted = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < wanted.length; i++) {
    var code = String(wanted[i]).toLowerCase().split("-")[0];
    if (offered.indexOf(code) !== -1) {
      window.location.replace(code + "/");
      return;
    }
  }
})();
