// Suggestions for the subjects box (library/subject_chooser.py): type, then pick a term with
// the mouse or the arrow keys and Enter. Without JavaScript, typed terms are matched on save.
(function () {
  function setUp(root) {
    var input = root.querySelector("[data-subjects-input]");
    var list = root.querySelector("[data-subjects-suggestions]");
    var chosen = root.querySelector("[data-subjects-chosen]");
    var name = root.dataset.name;
    var timer = null;
    var active = -1;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(option) {
      var id = option.dataset.id;
      if (!chosen.querySelector('input[value="' + id + '"]')) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = id;
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + option.textContent));
        item.appendChild(label);
        chosen.appendChild(item);
      }
      input.value = "";
      close();
      input.focus();
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (options[index]) input.setAttribute("aria-activedescendant", options[index].id);
    }

    function show(results) {
      list.innerHTML = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.setAttribute("role", "option");
        option.id = input.id + "-option-" + i;
        option.dataset.id = result.id;
        option.textContent = result.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.split(";").pop().trim();
      if (query.length < 2) return close();
      timer = setTimeout(function () {
        fetch(root.dataset.suggestionsUrl + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
        })
          .then(function (response) { return response.json(); })
          .then(function (data) { show(data.results); })
          .catch(close);
      }, 200);
    });

    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, options.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    document.querySelectorAll("[data-subjects-widget]").forEach(function (root) {
      if (!root.dataset.ready) {
        root.dataset.ready = "1";
        setUp(root);
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
