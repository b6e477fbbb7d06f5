/* Type-ahead for the search box: names of people, parties, organisations and sources.
   ARIA combobox pattern (list autocomplete): arrow keys move through the list, Enter
   chooses, Escape closes. Only the name being typed at the caret is looked up (the last
   one to three plain words before it, or the value of person:, party:, org:, source: or
   quotedby:), and choosing a name replaces just those words with the field (person:slug),
   keeping the rest of the query, then searches. Without this script the box is a plain
   search box; the results page still offers the names it recognises. No framework, no
   inline script. */
(function () {
  "use strict";
  var PREFIX = { person: "person", party: "party", organisation: "org", source: "source" };
  var LABEL = { person: "person", party: "party", organisation: "organisation", source: "source" };
  var FIELD_KIND = { person: "person", quotedby: "person", party: "party", org: "", source: "source" };
  var OPERATORS = { AND: true, OR: true, NOT: true };
  var MAX_WORDS = 3;

  /* The name being typed at the caret, as the ways to read it, longest first: each
     {text, start, end, field, kind}; replacing value[start:end] puts the choice in. */
  function readings(value, caret) {
    var end = caret;
    while (end < value.length && !/[\s()"]/.test(value.charAt(end))) end++;
    var before = value.slice(0, end);
    if (((before.match(/"/g) || []).length % 2) === 1) return [];  // inside a phrase
    var field = /(?:^|[\s(])-?([a-z]+):([^\s():"]*)$/.exec(before);
    if (field) {
      if (!(field[1] in FIELD_KIND) || field[2].length < 2) return [];
      var start = before.length - field[1].length - 1 - field[2].length;
      return [{ text: field[2], start: start, end: end, field: field[1], kind: FIELD_KIND[field[1]] }];
    }
    var words = [];
    var re = /[^\s()":]+/g;
    var match;
    while ((match = re.exec(before)) !== null) words.push({ word: match[0], start: match.index });
    var last = words.length ? words[words.length - 1] : null;
    if (!last || last.start + last.word.length !== before.length) return [];  // after a space or a bracket
    var out = [];
    for (var n = 1; n <= Math.min(MAX_WORDS, words.length); n++) {
      var first = words[words.length - n];
      if (OPERATORS[first.word] || first.word.charAt(0) === "-") break;
      var between = before.slice(first.start);
      if (/[()":]/.test(between) || /[:"]/.test(value.charAt(first.start - 1))) break;  // a field or phrase
      out.unshift({ text: between, start: first.start, end: end, field: "", kind: "" });
    }
    return out.filter(function (r) { return r.text.length >= 2; });
  }

  function setUp(input) {
    var url = input.getAttribute("data-suggest");
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";
    var reading = null;  // the words the shown names would replace

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
      if (!item || !reading) return;
      var token = (reading.field || PREFIX[item.kind]) + ":" + item.slug;
      var value = input.value;
      input.value = value.slice(0, reading.start) + token + value.slice(reading.end);
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

    /* Asks for the longest reading first ("welfare mish ra", then "mish ra", then "ra")
       and shows the first that names something. */
    function ask() {
      var value = input.value;
      var options = readings(value, input.selectionStart === null ? value.length : input.selectionStart);
      var key = value + "\u0000" + input.selectionStart;
      if (!options.length) {
        close();
        asked = "";
        return;
      }
      if (key === asked) return;
      asked = key;
      function next(i) {
        if (i >= options.length) { show([]); return; }
        var option = options[i];
        var query = "?q=" + encodeURIComponent(option.text) + (option.kind ? "&kind=" + option.kind : "");
        fetch(url + query, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (asked !== key) return;  // typed on meanwhile
            var found = data.results || [];
            if (found.length) { reading = option; show(found); } else { next(i + 1); }
          })
          .catch(function () { close(); });
      }
      next(0);
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
