/*
 * Shelfmark catalogue search widget for partner sites. No dependencies.
 *
 * Drop into any page (the link inside is what visitors without JavaScript get):
 *
 *   <div data-shelfmark-search data-api="https://library.example.org/api/v3/">
 *     <a href="https://library.example.org/search/">Search the library catalogue</a>
 *   </div>
 *   <script src="https://library.example.org/static/library/widget/shelfmark-widget.js" defer></script>
 *
 * Beside the box, a "Search help" link leads to the library's search help page.
 *
 * Options (data- attributes on the div): data-limit (results shown, 1 to 20, default 5),
 * data-label (the search box's label), data-type (a record type to search within).
 * The partner's site must be on the library's CORS allow-list.
 */
(function () {
  "use strict";

  var instances = 0;
  var STYLE_ID = "shelfmark-widget-style";
  // The stylesheet sits beside this script: a file rather than an inline <style>, so pages
  // with a Content-Security-Policy (the library's own demo included) need no inline styles.
  var script =
    document.currentScript || document.querySelector('script[src*="shelfmark-widget.js"]');
  var STYLESHEET = new URL("shelfmark-widget.css", script ? script.src : document.baseURI).href;

  function addStyle() {
    if (document.getElementById(STYLE_ID)) return;
    var link = document.createElement("link");
    link.id = STYLE_ID;
    link.rel = "stylesheet";
    link.href = STYLESHEET;
    document.head.appendChild(link);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) node.textContent = text;
    return node;
  }

  // Copy a highlight's text and <mark> elements only: nothing else from the API becomes markup.
  function appendHighlight(target, html) {
    var parsed = new DOMParser().parseFromString("<div>" + html + "</div>", "text/html");
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        target.appendChild(element("mark", {}, node.textContent));
      } else {
        target.appendChild(document.createTextNode(node.textContent));
      }
    });
  }

  function plural(count) {
    return count === 1 ? "1 record found" : count.toLocaleString("en-GB") + " records found";
  }

  function setUp(container) {
    instances += 1;
    var api = (container.getAttribute("data-api") || "").replace(/\/?$/, "/");
    var fallback = container.querySelector("a[href]");
    var searchPage = fallback ? fallback.href : new URL("/search/", api).href;
    // data-api may be relative (the library's own demo page): resolve it against the page.
    var helpPage = new URL("/search/help/", new URL(api, document.baseURI)).href;
    var limit = Math.min(Math.max(parseInt(container.getAttribute("data-limit"), 10) || 5, 1), 20);
    var recordType = container.getAttribute("data-type");
    var inputId = "shelfmark-q-" + instances;

    var form = element("form", { role: "search", action: searchPage, method: "get" });
    form.appendChild(
      element("label", { for: inputId }, container.getAttribute("data-label") ||
        "Search the library catalogue")
    );
    var input = element("input", { id: inputId, type: "search", name: "q", autocomplete: "off" });
    form.appendChild(input);
    form.appendChild(element("button", { type: "submit" }, "Search"));
    form.appendChild(element("a", { href: helpPage, class: "shelfmark-help" }, "Search help"));
    var status = element("p", { role: "status", "aria-live": "polite", "aria-atomic": "true" });
    var results = element("ol", { hidden: "" });
    var more = element("p", { hidden: "" });
    var moreLink = element("a", { href: searchPage }, "See all results on the library's site");
    more.appendChild(moreLink);

    container.textContent = "";
    container.classList.add("shelfmark-widget");
    container.appendChild(form);
    container.appendChild(status);
    container.appendChild(results);
    container.appendChild(more);

    function show(message) {
      status.textContent = message;
    }

    function render(body, query) {
      results.textContent = "";
      var words = [plural(body.count)];
      if (body.suggestion) words.push("Did you mean “" + body.suggestion + "”?");
      show(words.join(". ") + (words.length > 1 ? "" : "."));
      body.items.forEach(function (item) {
        var entry = element("li");
        entry.appendChild(element("a", { href: item.url }, item.title));
        var meta = [item.authors.join("; "), item.year, item.record_type_label]
          .filter(Boolean)
          .join(" · ");
        if (meta) entry.appendChild(element("span", { class: "shelfmark-meta" }, meta));
        if (item.highlight) {
          var snippet = element("span", { class: "shelfmark-meta" });
          appendHighlight(snippet, item.highlight);
          entry.appendChild(snippet);
        }
        results.appendChild(entry);
      });
      results.hidden = body.items.length === 0;
      // The library's search page searches the whole catalogue, case reviews included; a
      // widget limited to a record type keeps that filter there.
      var wanted = new URLSearchParams({ q: query });
      if (recordType) wanted.append("record_type", recordType);
      moreLink.href = searchPage + (searchPage.indexOf("?") < 0 ? "?" : "&") + wanted.toString();
      more.hidden = body.count <= body.items.length;
    }

    form.addEventListener("submit", function (event) {
      var query = input.value.trim();
      event.preventDefault();
      var params = new URLSearchParams({ q: query, limit: String(limit) });
      if (recordType) params.append("type", recordType);
      show("Searching…");
      fetch(api + "catalogue/search?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "omit",
      })
        .then(function (response) {
          if (response.status === 429) {
            var wait = response.headers.get("Retry-After") || "a few";
            throw new Error("Too many searches just now; try again in " + wait + " seconds.");
          }
          if (!response.ok) throw new Error("The search did not work; try different words.");
          return response.json();
        })
        .then(function (body) {
          render(body, query);
        })
        .catch(function (error) {
          results.hidden = true;
          more.hidden = false;
          moreLink.href = searchPage;
          show(
            error instanceof TypeError
              ? "The library's search could not be reached; use the link below instead."
              : error.message
          );
        });
    });
  }

  function start() {
    addStyle();
    document.querySelectorAll("[data-shelfmark-search]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
