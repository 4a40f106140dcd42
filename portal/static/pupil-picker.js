/* The pupil picker: suggestions from the school's register while one types (the ARIA
   combobox pattern: arrow keys, Enter, Escape). Without this script the field is a search
   step on the server (portal/pupils/field.py); with it, choosing a suggestion fills the
   hidden field with the pupil's id, and typing again empties it. */
(function () {
  "use strict";

  function enhance(box) {
    var input = box.querySelector("input[type=search]");
    var hidden = box.querySelector("input[type=hidden]");
    var button = box.querySelector("button");
    var url = box.getAttribute("data-search-url");
    if (!input || !hidden || !url) { return; }  // choices on the page already: nothing to add
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var listId = input.id + "-suggesties";
    var options = [], active = -1, timer = null, asked = 0;
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gevonden leerlingen");
    list.hidden = true;
    status.className = "sr-only";
    status.setAttribute("role", "status");
    box.appendChild(list);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (button) { button.hidden = true; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      options.forEach(function (li, i) { li.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(li) {
      hidden.value = li.getAttribute("data-id");
      input.value = li.getAttribute("data-name");
      status.textContent = "Gekozen: " + li.textContent;
      close();
    }

    function show(pupils) {
      list.textContent = "";
      options = pupils.map(function (p, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("data-id", p.id);
        li.setAttribute("data-name", p.name);
        li.textContent = p.name + (p.group ? ", groep " + p.group : "") + " (" + p.number + ")";
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
        return li;
      });
      status.textContent = pupils.length ? pupils.length + " leerlingen gevonden; kies met de pijltjestoetsen en Enter."
                                         : "Geen leerling gevonden.";
      if (!pupils.length) {
        var none = document.createElement("li");
        none.textContent = "Geen leerling gevonden. Zoek op voornaam, achternaam, leerlingnummer of groep.";
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var query = input.value.trim();
      var number = ++asked;
      if (query.length < 2) { close(); return; }
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : {pupils: []}; })
        .then(function (data) { if (number === asked) { show(data.pupils || []); } })
        .catch(function () { close(); if (button) { button.hidden = false; } });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && options.length;
      if (event.key === "ArrowDown" && open) { event.preventDefault(); mark((active + 1) % options.length); }
      else if (event.key === "ArrowUp" && open) { event.preventDefault(); mark(active <= 0 ? options.length - 1 : active - 1); }
      else if (event.key === "Enter" && !list.hidden) {
        event.preventDefault();  // never send the form with a half-chosen pupil
        if (active >= 0) { choose(options[active]); } else if (options.length === 1) { choose(options[0]); }
      }
      else if (event.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("[data-pupil-picker]").forEach(enhance);
}());
