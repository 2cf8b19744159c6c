// The record editor shows each record type only its own fields: a panel marked
// data-record-types="journal-article" is hidden unless the record type is one of those named.
// Without JavaScript every panel shows, and nothing entered is lost either way.
(function () {
  function update(select) {
    document.querySelectorAll("[data-record-types]").forEach(function (panel) {
      var types = panel.dataset.recordTypes.split(" ");
      panel.hidden = types.indexOf(select.value) === -1;
    });
  }
  function init() {
    var select = document.querySelector('select[name="record_type"]');
    if (!select) return;
    update(select);
    select.addEventListener("change", function () { update(select); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
