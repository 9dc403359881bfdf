// Small helps of every page; each page works without them.
(function () {
	"use strict";

	// A refused form: its summary takes the focus, where the user's eyes
	// are, and a screen reader reads it (it is also role="alert").
	var summary = document.querySelector(".error-summary");
	if (summary) summary.focus();

	// On a phone, the main menu folds behind a « Menu » button. Without
	// JavaScript the menu stays open: every link is reachable.
	var nav = document.querySelector(".site-nav");
	if (!nav) return;
	document.documentElement.classList.add("js");
	var button = document.createElement("button");
	button.type = "button";
	button.className = "button secondary small menu-toggle";
	button.textContent = "Menu";
	button.setAttribute("aria-expanded", "false");
	var list = nav.querySelector("ul");
	if (list) {
		if (!list.id) list.id = "menu-principal";
		button.setAttribute("aria-controls", list.id);
	}
	nav.classList.add("collapsed");
	nav.insertBefore(button, nav.firstChild);
	button.addEventListener("click", function () {
		var open = nav.classList.toggle("collapsed") === false;
		button.setAttribute("aria-expanded", open ? "true" : "false");
	});
})();
