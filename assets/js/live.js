// Live entry of contributions (staff page /staff/workshops/{id}/live).
// Each contribution is kept in localStorage until the API has saved it:
// if the network drops, nothing is lost; the queue is sent again when the
// network comes back, when the page is opened again, and every few seconds.
// Without this script the form posts to the server as a plain form.
(function () {
	"use strict";
	var form = document.getElementById("saisie");
	if (!form || !window.fetch || !window.localStorage) {
		return;
	}
	var endpoint = form.getAttribute("data-endpoint");
	var key = "fabrique.saisie." + form.getAttribute("data-workshop");
	var text = document.getElementById("saisie-text");
	var category = document.getElementById("saisie-category");
	var author = document.getElementById("saisie-author");
	var consent = document.getElementById("saisie-consent");
	var publishable = document.getElementById("saisie-publishable");
	var list = document.getElementById("saisie-liste");
	var status = document.getElementById("saisie-etat");
	var token = form.querySelector("input[name=csrf_token]").value;
	var sending = false;
	var states = {
		pending: "en attente d'envoi",
		sending: "envoi…",
		offline: "hors ligne : gardée sur cet appareil, envoi au retour du réseau",
		sent: "enregistrée",
		refused: "refusée"
	};

	function load() {
		try {
			return JSON.parse(localStorage.getItem(key)) || [];
		} catch (e) {
			return [];
		}
	}
	function save(queue) {
		localStorage.setItem(key, JSON.stringify(queue));
	}
	function label(value) {
		for (var i = 0; i < category.options.length; i++) {
			if (category.options[i].value === value) {
				return category.options[i].text;
			}
		}
		return value;
	}
	// show writes (or updates) the line of an item in the list.
	function show(item) {
		var li = document.getElementById("saisie-" + item.id);
		if (!li) {
			li = document.createElement("li");
			li.id = "saisie-" + item.id;
			li.className = "live-item";
			var cat = document.createElement("span");
			cat.className = "live-cat";
			cat.textContent = label(item.body.category);
			li.appendChild(cat);
			li.appendChild(document.createTextNode(" " + item.body.text + (item.body.author ? " — " + item.body.author : "") + " "));
			var st = document.createElement("span");
			st.className = "live-state";
			li.appendChild(st);
			list.insertBefore(li, list.firstChild);
			var empty = document.getElementById("saisie-vide");
			if (empty) {
				empty.remove();
			}
		}
		li.className = "live-item live-" + item.state;
		li.querySelector(".live-state").textContent = states[item.state] + (item.error ? " : " + item.error : "");
	}
	function say(message) {
		status.textContent = message;
	}

	function add() {
		var value = text.value.trim();
		if (value === "") {
			say("La contribution est vide : tapez ce qui est dit avant de l'ajouter.");
			text.focus();
			return;
		}
		var item = {
			id: Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
			state: "pending",
			body: {
				category: category.value,
				text: value,
				author: author ? author.value.trim() : "",
				consent: consent ? consent.checked : false,
				publishable: publishable ? publishable.checked : true
			}
		};
		var queue = load();
		queue.push(item);
		save(queue);
		show(item);
		text.value = "";
		if (author) {
			author.value = "";
		}
		if (consent) {
			consent.checked = false;
		}
		text.focus();
		flush();
	}

	// flush sends the queue in order; it stops at the first network failure.
	function flush() {
		if (sending) {
			return;
		}
		var queue = load();
		var next = null;
		for (var i = 0; i < queue.length; i++) {
			if (queue[i].state !== "refused") {
				next = queue[i];
				break;
			}
		}
		if (!next) {
			return;
		}
		sending = true;
		next.state = "sending";
		show(next);
		fetch(endpoint, {
			method: "POST",
			credentials: "same-origin",
			headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token},
			body: JSON.stringify(next.body)
		}).then(function (response) {
			if (response.ok) {
				return {ok: true};
			}
			return response.json().then(function (p) { return {ok: false, status: response.status, problem: p}; },
				function () { return {ok: false, status: response.status, problem: {}}; });
		}).then(function (result) {
			var q = load();
			for (var j = 0; j < q.length; j++) {
				if (q[j].id !== next.id) {
					continue;
				}
				if (result.ok) {
					q[j].state = "sent";
					show(q[j]);
					q.splice(j, 1);
				} else if (result.status >= 500 || result.status === 429) {
					q[j].state = "offline";
					show(q[j]);
				} else {
					var p = result.problem || {};
					var detail = p.detail || ("erreur " + result.status);
					if (p.errors && p.errors.length) {
						detail = p.errors.map(function (e) { return e.message; }).join(" ; ");
					}
					q[j].state = "refused";
					q[j].error = detail;
					show(q[j]);
					say("Une contribution a été refusée : " + detail + (result.status === 401 || result.status === 403 ? " Reconnectez-vous dans un autre onglet : vos contributions restent gardées ici." : ""));
				}
				break;
			}
			save(q);
			sending = false;
			if (result.ok) {
				say(countLeft(q));
				flush();
			}
		}, function () {
			var q = load();
			for (var j = 0; j < q.length; j++) {
				if (q[j].state === "sending" || q[j].state === "pending") {
					q[j].state = "offline";
					show(q[j]);
				}
			}
			save(q);
			sending = false;
			say("Réseau indisponible : " + countLeft(q) + " Elles partiront dès son retour.");
		});
	}
	function countLeft(q) {
		var n = 0;
		for (var i = 0; i < q.length; i++) {
			if (q[i].state !== "refused") {
				n++;
			}
		}
		return n === 0 ? "Toutes les contributions sont enregistrées." : n + (n === 1 ? " contribution en attente d'envoi." : " contributions en attente d'envoi.");
	}

	form.addEventListener("submit", function (event) {
		event.preventDefault();
		add();
	});
	// Enter (or Ctrl+Enter) adds; Shift+Enter goes to the line. The line
	// break an Enter would still insert after its keydown is swallowed.
	var swallow = false;
	text.addEventListener("keydown", function (event) {
		if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
			event.preventDefault();
			swallow = true;
			add();
		}
	});
	text.addEventListener("beforeinput", function (event) {
		if (swallow && (event.inputType === "insertLineBreak" || event.inputType === "insertParagraph")) {
			event.preventDefault();
		}
		swallow = false;
	});
	text.addEventListener("keyup", function () {
		swallow = false;
	});
	window.addEventListener("online", flush);
	setInterval(flush, 5000);
	load().forEach(show);
	flush();
}());
