// The reflection session: a ticking timer, and a warning before leaving a page
// with text that has not been saved. The page works without this file: the
// timer is shown by the server at every refresh and every button saves.
(function () {
  "use strict";

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function tick() {
    document.querySelectorAll(".timer[data-ends]").forEach(function (timer) {
      var left = Math.round((Date.parse(timer.dataset.ends) - Date.now()) / 1000);
      var shown = timer.querySelector(".timer__left");
      if (!shown) {
        return;
      }
      if (left <= 0) {
        shown.textContent = timer.dataset.done;
        timer.classList.add("timer--done");
      } else {
        shown.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
      }
    });
  }
  tick();
  window.setInterval(tick, 1000);

  // Forms marked data-unsaved ask before the page is left with unsaved text.
  var unsaved = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-unsaved]");
    if (form) {
      unsaved.add(form);
    }
  });
  document.addEventListener("submit", function (event) {
    unsaved.delete(event.target);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest("form[data-unsaved]");
    if (form && event.detail.successful) {
      unsaved.delete(form);
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved.size) {
      event.preventDefault();
      event.returnValue = Array.from(unsaved)[0].dataset.unsaved;
    }
  });
})();
