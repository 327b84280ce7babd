// Times for people. Every <time datetime> on a page reads relative to the moment it is looked at
// ("in 2 h", "5 min ago"; a deadline that has passed, "3 d late"), with the exact time in the reader's own
// time zone (the one they chose, else the browser's) on hover, and keeps reading right while the page stays open. Without this script the page
// shows the server's absolute UTC times, which stay correct.
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

  window.Tierdesk = { relative: relative };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
  setInterval(render, 30000);
})();
