/* "More like this" on an article page, loaded after the page has shown: the search
   engine's look for similar articles takes up to a second in a large archive, and the
   article should not wait for it. The list comes from the list's own page (the section's
   link), whose #like-this-list replaces the link. Without this script, or if the request
   fails, the link stays. No framework, no inline script. */
(function () {
  "use strict";
  var section = document.querySelector("[data-like-this]");
  if (!section || !window.fetch || !window.DOMParser) return;
  fetch(section.getAttribute("data-like-this"), { credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    })
    .then(function (html) {
      var list = new DOMParser().parseFromString(html, "text/html").getElementById("like-this-list");
      var link = section.querySelector(".like-this-link");
      if (list && link) link.replaceWith(document.importNode(list, true));
    })
    .catch(function () {});
})();
