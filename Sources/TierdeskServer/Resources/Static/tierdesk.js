// The pages' one script. Without it every page works the same, with the server's UTC times.
//
// Times for people: every <time datetime> reads relative to the moment it is looked at ("in 2 h",
// "5 min ago"; a deadline that has passed, "3 d late"), with the exact time on hover in the reader's time
// zone (the one they chose, else the browser's), and keeps reading right while the page stays open.
//
// Keyboard shortcuts: press ? for the list.
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

  window.Tierdesk = { relative: relative };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
  setInterval(render, 30000);
})();
