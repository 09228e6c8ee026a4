/*!
 * visitor-counter embed: counts this browser once and writes the count into every [data-visitor-count].
 * <script src="https://counter.example.com/visitor-counter.js" data-counter="blog" async></script>
 * Opt your own browser out: localStorage.setItem("visitor-counter:ignore", "1")
 */
(function () {
  "use strict";
  var ID_KEY = "visitor-counter:id";
  var IGNORE_KEY = "visitor-counter:ignore";

  function warn(error) {
    try {
      console.warn("visitor-counter: " + (error && error.message ? error.message : error));
    } catch (ignored) {}
  }

  function thisScript() {
    var current = document.currentScript;
    if (current && current.src) return current;
    var scripts = document.querySelectorAll("script[src*='visitor-counter.js']");
    return scripts[scripts.length - 1];
  }

  function storage(name) {
    try {
      var store = window[name];
      store.setItem("visitor-counter:probe", "1");
      store.removeItem("visitor-counter:probe");
      return store;
    } catch (blocked) {
      return null;
    }
  }

  function newId() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // localStorage keeps the id across visits; without it (private mode, blocked storage) the id lasts a session.
  function visitorId(store) {
    var id = store.getItem(ID_KEY);
    if (!id) {
      id = newId();
      store.setItem(ID_KEY, id);
    }
    return id;
  }

  function format(count) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined).format(count);
    } catch (badLocale) {
      return String(count);
    }
  }

  function show(count) {
    var text = format(count);
    var elements = document.querySelectorAll("[data-visitor-count]");
    for (var i = 0; i < elements.length; i++) elements[i].textContent = text;
  }

  function request(url, options) {
    options.headers.Accept = "application/json";
    options.credentials = "omit";
    return fetch(url, options).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status + " from " + url);
      return response.json();
    });
  }

  // Other pages' counts: one read once this visit is counted, answered in request order.
  function showPages(url, here, page) {
    var wanted = Object.create(null);
    var elements = document.querySelectorAll("[data-page-count]");
    for (var i = 0; i < elements.length; i++) {
      var path = elements[i].getAttribute("data-page-count") || here;
      if (path === here && page) elements[i].textContent = format(page.count);
      else (wanted[path] = wanted[path] || []).push(elements[i]);
    }
    var paths = Object.keys(wanted);
    if (paths.length) {
      request(url + "/pages?path=" + paths.map(encodeURIComponent).join("&path="), { headers: {} })
        .then(function (body) {
          paths.forEach(function (path, i) {
            wanted[path].forEach(function (element) { element.textContent = format(body.pages[i].count); });
          });
        })
        .catch(warn);
    }
  }

  // data-live: follow the count over server-sent events. Without EventSource, or when the stream is refused,
  // the one-shot number stays; EventSource itself reconnects (with Last-Event-ID) after network errors.
  function live(url) {
    if (!window.EventSource) return;
    var events = new EventSource(url + "/stream");
    events.onmessage = function (event) {
      try {
        show(JSON.parse(event.data).count);
      } catch (error) {
        warn(error);
      }
    };
  }

  function whenReady(callback) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", callback);
    else callback();
  }

  try {
    var script = thisScript();
    var origin = new URL(script.src, location.href).origin;
    var pages = script.hasAttribute("data-pages");
    // Page routes name their counter.
    var counter = script.getAttribute("data-counter") || (pages ? "default" : "");
    var url = origin + "/api/visitors" + (counter ? "/" + encodeURIComponent(counter) : "");
    var store = storage("localStorage") || storage("sessionStorage");
    var ignored = store && store.getItem(IGNORE_KEY) === "1";
    var here = location.pathname;
    var options = { headers: {} };
    if (!ignored) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify({ visitorId: store ? visitorId(store) : newId(), path: pages ? here : undefined });
    }
    request(url + (pages && !ignored ? "/pages" : ""), options)
      .then(function (body) {
        whenReady(function () {
          show(body.count);
          if (pages) showPages(url, here, body.page);
          document.dispatchEvent(new Event("visitor-counter"));
        });
        if (script.hasAttribute("data-live")) live(url);
      })
      .catch(warn);
  } catch (error) {
    warn(error);
  }
})();
