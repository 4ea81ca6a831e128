// Progressive enhancement only: every page works without this file.
// '/' focuses the search box (as on many search sites); changing the minimum amount searches at once.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var box = document.getElementById("q");
    var typing = event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName);
    if (box && event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  var number = document.getElementById("min_amount");
  if (number) {
    number.addEventListener("change", function () {
      if (number.form) { number.form.submit(); }
    });
  }
})();
