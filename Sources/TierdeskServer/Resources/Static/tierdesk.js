// The pages' one script. Without it every page works the same, with the server's UTC times.
//
// Times for people: every <time datetime> reads relative to the moment it is looked at ("in 2 h",
// "5 min ago"; a deadline that has passed, "3 d late"), with the exact time on hover in the reader's time
// zone (the one they chose, else the browser's), and keeps reading right while the page stays open.
//
// Keyboard shortcuts: press ? for the list.
//
// Live console: queues and ticket pages come up to date as tickets change (Server-Sent Events from
// /console/live), and a ticket page says who else has it open and who is writing.
(function () {
  "use strict";

  // The text of an instant `seconds` away (negative: in the past); a past deadline is late, not ago.
  function relative(seconds, deadline) {
    var past = seconds < 0;
    var left = Math.abs(seconds);
    if (left < 45) {
      return "now";
    }
    var amount;
    if (left < 3600) {
      amount = Math.max(1, Math.round(left / 60)) + " min";
    } else if (left < 48 * 3600) {
      amount = Math.floor(left / 3600) + " h";
    } else {
      amount = Math.floor(left / 86400) + " d";
    }
    if (!past) {
      return "in " + amount;
    }
    return deadline ? amount + " late" : amount + " ago";
  }

  // The exact time in the reader's time zone, e.g. "Tue, 24 Nov 2026, 17:00 CET": the one they chose in
  // Tierdesk (the page's data-time-zone), else the browser's.
  function absolute(date) {
    var options = {
      weekday: "short", year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", timeZoneName: "short"
    };
    var zone = document.documentElement.getAttribute("data-time-zone");
    if (zone) {
      try {
        return date.toLocaleString([], Object.assign({ timeZone: zone }, options));
      } catch (unknownZone) {
        // A zone this browser does not know: its own then.
      }
    }
    return date.toLocaleString([], options);
  }

  function render() {
    var now = Date.now();
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var element = times[i];
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date.getTime())) {
        continue;
      }
      var deadline = element.classList.contains("deadline");
      element.textContent = relative((date.getTime() - now) / 1000, deadline);
      element.title = absolute(date);
    }
  }

  // Keyboard shortcuts, away from text fields: j and k move through a list of tickets (Enter opens the one
  // chosen); on a ticket r, n and e go to the reply, note and escalation boxes; ? lists them, Escape closes.
  var shortcuts = [
    ["j / k", "next / previous ticket in a list"], ["Enter", "open the chosen ticket"],
    ["r", "reply"], ["n", "internal note"], ["e", "escalate"], ["/", "search"], ["?", "these shortcuts"]
  ];
  var boxes = { r: "reply-body", n: "note-body", e: "esc-reason", "/": "search-q" };

  function typing(element) {
    var tag = element && element.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (element && element.isContentEditable);
  }

  function help() {
    var open = document.getElementById("shortcuts");
    if (open) {
      open.remove();
      return;
    }
    var dialog = document.createElement("div");
    dialog.id = "shortcuts";
    dialog.className = "card shortcuts";
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-label", "Keyboard shortcuts");
    var list = document.createElement("dl");
    shortcuts.forEach(function (pair) {
      var key = document.createElement("dt");
      key.textContent = pair[0];
      var what = document.createElement("dd");
      what.textContent = pair[1];
      list.appendChild(key);
      list.appendChild(what);
    });
    dialog.appendChild(list);
    document.body.appendChild(dialog);
  }

  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.ticket-link"));
    if (links.length === 0) {
      return false;
    }
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
    links[next].focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.getElementById("shortcuts")) {
      help();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    var handled = false;
    if (event.key === "j" || event.key === "k") {
      handled = move(event.key === "j" ? 1 : -1);
    } else if (event.key === "?") {
      help();
      handled = true;
    } else if (boxes[event.key]) {
      var box = document.getElementById(boxes[event.key]);
      if (box) {
        box.focus();
        handled = true;
      }
    }
    if (handled) {
      event.preventDefault();
    }
  });

  // Live updates. A queue fetches itself again when any ticket changes and swaps its list and counts in; a
  // ticket page does so when someone else changed that ticket, says who, and lets its forms build on what it
  // now shows. Typed text is never touched.
  function swap(selector, fresh) {
    var old = document.querySelector(selector);
    var replacement = fresh.querySelector(selector);
    if (old && replacement) {
      old.replaceWith(document.importNode(replacement, true));
    }
  }

  // When the reader last typed a reply or note: they count as writing for 30 s after.
  var typedAt = 0;

  function presenceState() {
    return Date.now() - typedAt < 30000 ? "replying" : "viewing";
  }

  // The page again, as it is now, from its own address (a page shown after a form was sent has the form's);
  // the presence header says the reader is still here, and what doing.
  function refetch(then) {
    var headers = { Accept: "text/html", "X-Tierdesk-Presence": presenceState() };
    var live = document.getElementById("live");
    var address = (live && live.getAttribute("data-refresh")) || location.href;
    fetch(address, { credentials: "same-origin", headers: headers })
      .then(function (response) {
        return response.ok ? response.text() : Promise.reject(response.status);
      })
      .then(function (html) {
        then(new DOMParser().parseFromString(html, "text/html"));
        render();
      })
      .catch(function () {
        // The next change tries again; a reload shows everything.
      });
  }

  function say(text) {
    var status = document.getElementById("live-status");
    if (status) {
      status.textContent = text;
      status.hidden = false;
    }
  }

  // The ticket's own forms only: an incident offered on the page has a version of its own.
  function copyValues(fresh, name) {
    var selector = 'form[action^="/console/tickets/"] input[name=' + name + "]";
    var value = fresh.querySelector(selector);
    if (value) {
      document.querySelectorAll(selector).forEach(function (input) {
        input.value = value.value;
      });
    }
  }

  function startLive() {
    var live = document.getElementById("live");
    if (!live || !window.EventSource || !window.fetch || !window.DOMParser) {
      return;
    }
    var ticket = live.getAttribute("data-ticket");
    var pending = null;
    var source = new EventSource(live.getAttribute("data-live"));
    source.addEventListener("ticket", function (message) {
      var change;
      try {
        change = JSON.parse(message.data);
      } catch (malformed) {
        return;
      }
      var who = change.by || "The desk";
      if (ticket) {
        if (change.reference !== ticket || change.mine) {
          return;
        }
        refetch(function (fresh) {
          ["#timeline", "dl.facts", "#files", "#links", "#vendor-messages", "nav[aria-label=Main]"].forEach(function (selector) {
            swap(selector, fresh);
          });
          copyValues(fresh, "seen");
          copyValues(fresh, "version");
          say(who + " " + change.label + " just now; the page shows it.");
        });
        return;
      }
      clearTimeout(pending);
      pending = setTimeout(function () {
        // Rows ticked for a bulk change, or being walked with the keyboard, stay as they are: the list
        // catches up after that (or a reload).
        var list = document.getElementById("queue-list");
        var busy = list && (list.querySelector("input[type=checkbox]:checked") || list.contains(document.activeElement));
        if (busy) {
          say(change.reference + ": " + who + " " + change.label + ". The list catches up after your change.");
          return;
        }
        refetch(function (fresh) {
          ["#queue-list", "nav.queues", "nav.groups", "nav[aria-label=Main]"].forEach(function (selector) {
            swap(selector, fresh);
          });
          var row = document.querySelector('tr[data-reference="' + change.reference + '"]');
          if (row) {
            row.classList.add("fresh");
          }
          say(change.reference + ": " + who + " " + change.label + ".");
        });
      }, 200);
    });
  }

  // Presence: a ticket page says every 20 s (and when the reader starts typing) that it is open, and whether
  // its reader is writing; the answer names the others on the ticket.
  function startPresence() {
    var live = document.getElementById("live");
    var url = live && live.getAttribute("data-presence");
    if (!url || !window.fetch || !window.URLSearchParams) {
      return;
    }
    function show(others) {
      var line = document.getElementById("presence");
      if (!line) {
        return;
      }
      line.textContent = "";
      others.forEach(function (other) {
        var part = document.createElement("span");
        part.className = "colleague " + other.state;
        part.textContent = other.text + ". ";
        line.appendChild(part);
      });
      line.hidden = others.length === 0;
    }
    function beat() {
      if (document.hidden) {
        return;
      }
      var body = new URLSearchParams();
      body.set("_csrf", live.getAttribute("data-csrf"));
      body.set("state", presenceState());
      fetch(url, { method: "POST", credentials: "same-origin", body: body })
        .then(function (response) {
          return response.ok ? response.json() : Promise.reject(response.status);
        })
        .then(function (answer) {
          show(answer.others || []);
        })
        .catch(function () {});
    }
    ["reply-body", "note-body"].forEach(function (id) {
      var box = document.getElementById(id);
      if (box) {
        box.addEventListener("input", function () {
          var quiet = Date.now() - typedAt > 30000;
          typedAt = Date.now();
          if (quiet) {
            beat();
          }
        });
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) {
        beat();
      }
    });
    setInterval(beat, 20000);
  }

  // Files dropped on a form with a file input go into that input; the form still posts them itself, so
  // without the script the plain file input does the same.
  function hasFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }

  function startDrops() {
    Array.prototype.forEach.call(document.querySelectorAll('form input[type="file"]'), function (input) {
      var form = input.form;
      if (!form || form.getAttribute("data-drop") === "on") {
        return;
      }
      form.setAttribute("data-drop", "on");
      var note = document.createElement("p");
      note.className = "meta drop-hint";
      note.setAttribute("aria-live", "polite");
      note.textContent = "You can also drop files on this form.";
      input.insertAdjacentElement("afterend", note);
      function named() {
        var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
        note.textContent = names.length ? "Attached: " + names.join(", ") : "You can also drop files on this form.";
      }
      form.addEventListener("dragover", function (event) {
        if (hasFiles(event)) {
          event.preventDefault();
          form.classList.add("dropping");
        }
      });
      form.addEventListener("dragleave", function (event) {
        if (event.target === form) {
          form.classList.remove("dropping");
        }
      });
      form.addEventListener("drop", function (event) {
        if (!hasFiles(event)) {
          return;
        }
        event.preventDefault();
        form.classList.remove("dropping");
        var kept = new DataTransfer();
        var files = input.multiple ? Array.prototype.slice.call(input.files) : [];
        files = files.concat(Array.prototype.slice.call(event.dataTransfer.files, 0, input.multiple ? undefined : 1));
        files.forEach(function (file) { kept.items.add(file); });
        input.files = kept.files;
        named();
      });
      input.addEventListener("change", named);
    });
  }

  // A zone field shows the browser's zone, which applies while it is empty.
  function showBrowserZone() {
    var input = document.querySelector("[data-browser-zone]");
    if (!input) {
      return;
    }
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone) {
        input.placeholder = zone;
      }
    } catch (error) {
      // Without Intl the example placeholder stays.
    }
  }

  window.Tierdesk = { relative: relative };
  function start() {
    render();
    startLive();
    startPresence();
    startDrops();
    showBrowserZone();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  setInterval(render, 30000);
})();
