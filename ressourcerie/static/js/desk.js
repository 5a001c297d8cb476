// Reception desk type-ahead: an ARIA combobox; arrows move, Enter chooses, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("desk-q");
  var list = document.getElementById("desk-suggestions");
  var chosenBox = document.getElementById("desk-chosen");
  var status = document.getElementById("desk-status");
  if (!input || !list || !chosenBox) { return; }
  var items = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  }

  function choose(index) {
    var person = items[index];
    if (!person) { return; }
    chosenBox.textContent = "";
    var wrapper = document.createElement("div");
    wrapper.className = "form-check";
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.className = "form-check-input";
    radio.name = "person_id";
    radio.id = "person-" + person.id;
    radio.value = person.id;
    radio.checked = true;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = radio.id;
    label.textContent = person.label;
    wrapper.appendChild(radio);
    wrapper.appendChild(label);
    chosenBox.appendChild(wrapper);
    var anonymous = document.getElementById("anonymous");
    if (anonymous) { anonymous.checked = false; }
    close();
    status.textContent = person.label;
    var firstPurpose = document.querySelector("#visit-form input[name=purpose]:checked") ||
      document.querySelector("#visit-form input[name=purpose]");
    if (firstPurpose) { firstPurpose.focus(); }
  }

  function render(people) {
    items = people;
    list.textContent = "";
    if (!people.length) {
      close();
      status.textContent = input.value.trim().length >= 2 ? list.dataset.empty : "";
      return;
    }
    people.forEach(function (person, i) {
      var li = document.createElement("li");
      li.id = "desk-option-" + person.id;
      li.className = "list-group-item list-group-item-action";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = person.label;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = people.length + " " + list.dataset.found;
    highlight(0);
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery) { return; }
    lastQuery = query;
    if (query.length < 2) { render([]); return; }
    fetch(input.dataset.searchUrl + "?q=" + encodeURIComponent(query), {
      headers: { "Accept": "application/json" }, credentials: "same-origin"
    }).then(function (response) { return response.ok ? response.json() : []; })
      .then(function (people) { if (input.value.trim() === query) { render(people); } })
      .catch(function () { /* the search button still works without the type-ahead */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
