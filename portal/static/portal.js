/* Veiligheidsportaal: the menu on a phone, the warning before the idle logout, and what was
   typed into a form kept across that logout. Served by the portal itself (no CDN); the pages
   work without it (the menu is then simply open, the logout unannounced). */
(function () {
  "use strict";
  var body = document.body;
  var KEY = "portal.form:";

  // ---------------------------------------------------------------- the menu on a phone
  function menu() {
    var button = document.querySelector(".menu-toggle");
    var panel = document.getElementById("hoofdmenu");
    if (!button || !panel) return;
    document.documentElement.classList.add("js-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      panel.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        panel.classList.remove("open");
        button.focus();
      }
    });
  }

  // ------------------------------------------- a form's text kept across an idle logout
  // WCAG 2.2.1: what someone typed is not lost when the session ends while they type. The
  // text goes to sessionStorage (this tab only, gone when it closes), for this user and
  // this page; the login page marks it for restoring; the page after a login puts it back.
  // A form that was sent and answered clears it; logging out by the button clears all.
  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrf_token" || el.dataset.noKeep !== undefined) return false;
      var type = (el.type || "").toLowerCase();
      return ["password", "hidden", "file", "submit", "button", "reset"].indexOf(type) < 0;
    });
  }

  function formKey(form, index) {
    return KEY + location.pathname + location.search + "#" + index;
  }

  function read(form) {
    var out = {};
    keptFields(form).forEach(function (el, i) {
      var id = el.name + "|" + i;
      if (el.type === "checkbox" || el.type === "radio") out[id] = el.checked;
      else if (el.multiple) out[id] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      else out[id] = el.value;
    });
    return out;
  }

  function write(form, values) {
    var n = 0;
    keptFields(form).forEach(function (el, i) {
      var id = el.name + "|" + i;
      if (!(id in values)) return;
      var v = values[id];
      if (el.type === "checkbox" || el.type === "radio") el.checked = !!v;
      else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = v.indexOf(o.value) >= 0; });
      else if (el.value !== v) { el.value = v; n += v ? 1 : 0; }
    });
    return n;
  }

  function keepForms() {
    var store = storage();
    if (!store) return;
    var user = body.dataset.user;
    var keys = [];
    for (var i = 0; i < store.length; i++) if (store.key(i).indexOf(KEY) === 0) keys.push(store.key(i));
    if (body.dataset.loginPage) {
      // The session ended: whatever waits here was not saved by the server.
      keys.forEach(function (k) {
        var entry = JSON.parse(store.getItem(k) || "{}");
        entry.restore = true;
        delete entry.sent;
        store.setItem(k, JSON.stringify(entry));
      });
      return;
    }
    if (!user) return;
    keys.forEach(function (k) {
      var entry = JSON.parse(store.getItem(k) || "{}");
      if (entry.sent || entry.user !== user) store.removeItem(k);  // answered, or someone else's
    });
    var restored = 0;
    var forms = document.querySelectorAll("main form[method=post], main form[method=POST]");
    Array.prototype.forEach.call(forms, function (form, index) {
      var key = formKey(form, index);
      var entry = JSON.parse(store.getItem(key) || "null");
      if (entry && entry.restore) {
        restored += write(form, entry.values || {});
        delete entry.restore;
        store.setItem(key, JSON.stringify(entry));
      }
      var save = function () {
        store.setItem(key, JSON.stringify({ user: user, values: read(form), at: Date.now() }));
      };
      form.addEventListener("input", save);
      form.addEventListener("change", save);
      form.addEventListener("submit", function () {
        var entry = JSON.parse(store.getItem(key) || "null");
        if (entry) { entry.sent = true; store.setItem(key, JSON.stringify(entry)); }
      });
    });
    if (restored) {
      var note = document.createElement("p");
      note.className = "flash flash-ok";
      note.setAttribute("role", "status");
      note.textContent = "Wat u typte voordat u werd uitgelogd, staat weer in het formulier. Het is nog niet opgeslagen.";
      var main = document.getElementById("inhoud");
      main.insertBefore(note, main.firstChild);
    }
    var logout = document.querySelector("form.logout");
    if (logout) logout.addEventListener("submit", function () {
      keys = [];
      for (var j = 0; j < store.length; j++) if (store.key(j).indexOf(KEY) === 0) keys.push(store.key(j));
      keys.forEach(function (k) { store.removeItem(k); });
    });
  }

  // ---------------------------------------------------- the warning before the logout
  function idleWarning() {
    var dialog = document.querySelector("dialog.idle-warning");
    if (!dialog || !body.dataset.idleLeft || typeof dialog.showModal !== "function") return;
    var warn = Number(body.dataset.idleWarn) * 1000;
    var stay = dialog.querySelector(".idle-stay");
    var status = dialog.querySelector(".idle-status");
    var leftText = dialog.querySelector(".idle-left");
    var end = Date.now() + Number(body.dataset.idleLeft) * 1000;
    var timer = null;
    var CHANNEL = "portal.activity";

    function schedule() {
      clearTimeout(timer);
      var now = Date.now();
      // Two seconds past the end: the server counts the idle time too, and must agree.
      if (now >= end + 2000) return expire();
      if (now >= end - warn) {
        show();
        timer = setTimeout(schedule, Math.min(end + 2000 - now, 30000));
      } else {
        timer = setTimeout(schedule, end - warn - now);
      }
    }
    function minutes(ms) {
      var s = Math.max(0, Math.round(ms / 1000));
      if (s > 90) return Math.round(s / 60) + " minuten";
      return s <= 60 ? "1 minuut" : "2 minuten";
    }
    function show() {
      leftText.textContent = minutes(end - Date.now());
      if (!dialog.open) { status.textContent = ""; dialog.showModal(); stay.focus(); }
    }
    function expire() {
      // The session has ended at the server too: the login page, and back here afterwards.
      location.assign(body.dataset.login + "?next=" + encodeURIComponent(location.pathname + location.search));
    }
    function extended(seconds) {
      end = Date.now() + seconds * 1000;
      try { localStorage.setItem(CHANNEL, String(end)); } catch (e) { /* private mode */ }
      if (dialog.open) dialog.close();
      schedule();
    }
    stay.addEventListener("click", function () {
      var token = document.querySelector("input[name=csrf_token]");
      status.textContent = "Even geduld…";
      fetch(body.dataset.keepAlive, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" },
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (data) {
        extended(data.seconds);
      }).catch(function () {
        status.textContent = "Dat lukte niet: uw sessie is al verlopen. U gaat nu naar de inlogpagina; wat u typte, blijft bewaard.";
        setTimeout(expire, 4000);
      });
    });
    dialog.addEventListener("cancel", function (ev) { ev.preventDefault(); stay.click(); });
    // Another tab of the same session that was used or extended moves the end here too.
    window.addEventListener("storage", function (ev) {
      if (ev.key === CHANNEL && Number(ev.newValue) > end) {
        end = Number(ev.newValue);
        if (dialog.open && Date.now() < end - warn) dialog.close();
        schedule();
      }
    });
    try {
      if (Number(localStorage.getItem(CHANNEL) || 0) < end) localStorage.setItem(CHANNEL, String(end));
    } catch (e) { /* private mode */ }
    schedule();
  }

  menu();
  keepForms();
  idleWarning();
})();
