// Small enhancements for every page; everything works without them.
(function () {
  "use strict";
  // A form that came back with errors: its summary takes the focus, so the
  // person hears and sees what to correct first (GOV.UK error summary).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // Print buttons exist only where printing can be started from the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
