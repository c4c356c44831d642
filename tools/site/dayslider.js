// The day slider of the static edition: every day was drawn when the site was built, so moving the
// slider only swaps the map and shows that day's panel. No kernel, no network.
document.querySelectorAll(".kb-dayslider").forEach(function (box) {
  var slider = box.querySelector("input[type=range]");
  var label = box.querySelector("output");
  var map = box.querySelector("img.kb-day-map");
  var panels = box.querySelectorAll(".kb-day-panel");
  function show() {
    var panel = panels[Number(slider.value)];
    panels.forEach(function (p) { p.hidden = p !== panel; });
    label.textContent = panel.dataset.label;
    map.src = panel.dataset.map;
    map.alt = panel.dataset.alt;
    box.dataset.day = panel.dataset.day;
  }
  slider.addEventListener("input", show);
  box.classList.add("kb-live");
  show();
});
