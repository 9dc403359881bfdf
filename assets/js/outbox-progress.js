// Live progress of a batch of messages on the staff's outbox page.
// The page works without this script (it shows the counts and a link to
// refresh them); with it, the <progress> bar and its text follow the
// batch every second until nothing is left to send.
(function () {
	"use strict";

	var panel = document.querySelector("[data-progress-url]");
	if (!panel || !window.fetch) {
		return;
	}
	var bar = panel.querySelector("progress");
	var text = panel.querySelector("[aria-live]");
	var refresh = panel.querySelector(".progress-refresh");
	var url = panel.getAttribute("data-progress-url");
	var failures = 0;

	function plural(n, one, many) {
		return n <= 1 ? one : many;
	}

	function describe(p) {
		var c = p.counts || {};
		var sent = c.sent || 0;
		var failed = (c.failed || 0) + (c.doubt || 0);
		var waiting = (c.held || 0) + (c.pending || 0) + (c.claimed || 0) + (c.sending || 0);
		var done = sent + failed;
		bar.max = p.total > 0 ? p.total : 1;
		bar.value = done;
		bar.textContent = done + " sur " + p.total;
		if (p.done) {
			return "Envoi terminé : " + sent + " " + plural(sent, "message envoyé", "messages envoyés") +
				(failed ? ", " + failed + " en échec ou incertain" + (failed > 1 ? "s" : "") : "") + " sur " + p.total + ".";
		}
		return done + " sur " + p.total + " " + plural(p.total, "message traité", "messages traités") +
			" (" + sent + " " + plural(sent, "envoyé", "envoyés") + (failed ? ", " + failed + " en échec" : "") +
			") ; " + waiting + " en attente.";
	}

	function poll() {
		fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
			.then(function (r) {
				if (!r.ok) {
					throw new Error("HTTP " + r.status);
				}
				return r.json();
			})
			.then(function (p) {
				failures = 0;
				var message = describe(p);
				if (text.textContent !== message) {
					text.textContent = message;
				}
				if (p.done) {
					// The list below was read before the batch went out.
					var link = refresh && refresh.querySelector("a");
					if (link) {
						link.textContent = "Actualiser la liste des messages";
					}
					return;
				}
				window.setTimeout(poll, 1000);
			})
			.catch(function () {
				failures++;
				if (failures < 5) {
					window.setTimeout(poll, 2000 * failures);
				}
			});
	}

	poll();
})();
