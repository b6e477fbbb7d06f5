/* Type-ahead for the search box: names of people, parties, organisations and sources.
   ARIA combobox pattern (list autocomplete): arrow keys move through the list, Enter
   chooses, Escape closes. Choosing a name searches for it as a field (person:slug).
   Without this script the box is a plain search box; the results page still offers the
   names it recognises. No framework, no inline script. */
(function () {
  "use strict";
  var PREFIX = { person: "person", party: "party", organisation: "org", source: "source" };
  var LABEL = { person: "person", party: "party", organisation: "organisation", source: "source" };

  function setUp(input) {
    var url = input.getAttribute("data-suggest");
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Names in the archive");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      var value = PREFIX[item.kind] + ":" + item.slug;
      input.value = value;
      close();
      form.submit();
    }

    function show(results) {
      items = results;
      list.textContent = "";
      if (!results.length) {
        close();
        status.textContent = "";
        return;
      }
      results.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = item.name;
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " " + LABEL[item.kind] + ", " + item.article_count +
          (item.article_count === 1 ? " article" : " articles");
        option.appendChild(name);
        option.appendChild(meta);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
      status.textContent = results.length + (results.length === 1 ? " name" : " names") +
        " found; use the arrow keys to choose.";
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2 || text.indexOf(":") !== -1) {
        close();
        return;
      }
      if (text === asked) return;
      asked = text;
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === text) show(data.results || []); })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = "";
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length;
      if (event.key === "ArrowDown") {
        if (!open) { asked = ""; ask(); return; }
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  var inputs = document.querySelectorAll("input[data-suggest]");
  for (var i = 0; i < inputs.length; i++) setUp(inputs[i]);
})();
