/* The pupil picker: suggestions from the school's register while one types, following the
   ARIA combobox pattern (an editable combobox with a list popup): Down and Up move through
   the suggestions (Alt+Down opens them), Enter chooses, Escape closes the list (and empties
   the field when it was closed), Tab leaves. The focus stays in the text field; the
   suggestion in view is aria-activedescendant.

   Without this script the field is a search step on the server (portal/pupils/field.py):
   type, press "Zoek", choose one of the pupils found. With it, choosing a suggestion fills
   the hidden field with the pupil's id, and typing again empties it. The "Zoek" button is
   taken out of the form while the script works: Enter in the form would press it (it is
   the form's first button), and comes back when the suggestions cannot be fetched. */
(function () {
  "use strict";

  function enhance(box) {
    var input = box.querySelector("input[type=search]");
    var hidden = box.querySelector("input[type=hidden]");
    var button = box.querySelector("button");
    var url = box.getAttribute("data-search-url");
    if (!input || !hidden || !url) { return; }  // choices on the page already: nothing to add
    var listId = input.id + "-suggesties";
    var list = document.createElement("ul");
    var picked = document.createElement("p");
    var status = document.createElement("p");
    var options = [], active = -1, timer = null, asked = 0, lastQuery = null;

    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Gevonden leerlingen");
    list.hidden = true;
    picked.className = "picked";
    picked.id = input.id + "-gekozen";
    status.className = "sr-only";
    status.setAttribute("role", "status");
    box.appendChild(list);
    box.appendChild(picked);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(picked.id);
    input.setAttribute("aria-describedby", described.join(" "));
    if (button) { button.remove(); }
    if (hidden.value) { say("Gekozen: " + input.value, "picked"); }

    // The line under the field: the pupil chosen, or that nothing was found.
    function say(text, kind) {
      picked.textContent = text;
      picked.className = kind || "picked";
    }

    function isOpen() { return !list.hidden; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function open() {
      if (!options.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
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
      lastQuery = input.value.trim();
      say("Gekozen: " + li.textContent, "picked");
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
        // mousedown, not click: a click would first take the focus from the field (blur).
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
        return li;
      });
      active = -1;
      if (pupils.length) {
        say("");
        status.textContent = pupils.length === 1
          ? "1 leerling gevonden; kies met pijl omlaag en Enter."
          : pupils.length + " leerlingen gevonden; kies met pijl omlaag en Enter.";
        open();
      } else {
        close();
        say("Geen leerling gevonden. Zoek op voornaam, achternaam, leerlingnummer of groep.", "hint");
        status.textContent = "Geen leerling gevonden.";
      }
    }

    function failed() {
      close();
      // Back to the search step of the server.
      if (button && !button.isConnected) { input.insertAdjacentElement("afterend", button); }
    }

    function ask() {
      var query = input.value.trim();
      var number = ++asked;
      if (query === lastQuery) { open(); return; }
      lastQuery = query;
      if (query.length < 2) { options = []; list.textContent = ""; close(); say(""); return; }
      fetch(url + "?q=" + encodeURIComponent(query), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
        .then(function (data) { if (number === asked) { show(data.pupils || []); } })
        .catch(function () { if (number === asked) { failed(); } });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      say("");
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen()) { if (options.length) { open(); } else { ask(); } if (event.altKey) { return; } }
        if (options.length) { mark((active + 1) % options.length); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!isOpen()) { open(); }
        if (options.length) { mark(active <= 0 ? options.length - 1 : active - 1); }
      } else if (event.key === "Enter" && isOpen()) {
        event.preventDefault();  // never send the form with a half-chosen pupil
        if (active >= 0) { choose(options[active]); } else if (options.length === 1) { choose(options[0]); }
      } else if (event.key === "Escape") {
        if (isOpen()) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; hidden.value = ""; say(""); lastQuery = null; }
      }
    });
    input.addEventListener("blur", function () { close(); });
  }

  document.querySelectorAll("[data-pupil-picker]").forEach(enhance);
}());
