// "Exit this page": leave at once and, where the browser allows, replace this page in
// the history so Back does not return to it. Pressing Escape twice does the same.
(function () {
  var links = document.querySelectorAll('a.exit-page');
  function leave(href) {
    document.body.style.display = 'none';
    window.location.replace(href);
  }
  links.forEach(function (link) {
    link.addEventListener('click', function (event) {
      event.preventDefault();
      leave(link.href);
    });
  });
  var last = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape' || !links.length) return;
    var now = Date.now();
    if (now - last < 1000) leave(links[0].href);
    last = now;
  });
})();
