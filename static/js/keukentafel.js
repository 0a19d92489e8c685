// Keukentafel: small enhancements only. Every page works without this file.
(function () {
  "use strict";
  // Session timeout warning: two minutes before the idle timeout, offer to stay logged in.
  var body = document.body;
  var minuten = parseInt(body.getAttribute("data-sessie-minuten") || "0", 10);
  var verlengUrl = body.getAttribute("data-sessie-verleng");
  var uitgelogdUrl = body.getAttribute("data-sessie-verlopen");
  if (!minuten || !verlengUrl) { return; }
  var dialog = document.getElementById("kt-sessie-dialog");
  var waarschuwing = null, einde = null;
  function csrf() { return document.querySelector('meta[name="csrf-token"]').getAttribute("content"); }
  // End the session by POST with the CSRF token (a GET of that address changes nothing), then show the page that
  // says so, whatever the POST answered: the session may already be gone on the server.
  function uitloggen() {
    function toon() { window.location.href = uitgelogdUrl; }
    fetch(uitgelogdUrl, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin",
                          redirect: "manual" }).then(toon, toon);
  }
  function plan() {
    clearTimeout(waarschuwing); clearTimeout(einde);
    waarschuwing = setTimeout(function () {
      if (dialog) { dialog.hidden = false; var knop = dialog.querySelector("button"); if (knop) { knop.focus(); } }
    }, Math.max(minuten - 2, 0.5) * 60000);
    einde = setTimeout(uitloggen, minuten * 60000);
  }
  if (dialog) {
    dialog.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      fetch(verlengUrl, { method: "POST", headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
        .then(function (r) { if (r.ok) { dialog.hidden = true; plan(); } else { window.location.href = uitgelogdUrl; } });
    });
  }
  plan();
})();
