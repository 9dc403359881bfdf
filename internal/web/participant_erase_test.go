package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAParticipantDownloadsAndErasesTheirDataFromTheirPage follows the
// links of the private page: « Télécharger mes données » gives the JSON
// file, « Supprimer mes données » asks for a confirmation, then erases,
// and the link stops working.
func TestAParticipantDownloadsAndErasesTheirDataFromTheirPage(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	rec := registerInStore(t, st, "Léa Martin", "lea.martin@exemple.fr", ws[0])
	b := newBrowser(t, srv)
	page := "/p/" + rec.Token
	contains(t, b.get(page), "Mes données personnelles", `href="/api/v1/p/`+rec.Token+`/data"`, "Télécharger mes données",
		`href="/p/`+rec.Token+`/suppression"`, "Supprimer mes données")

	w := b.get("/api/v1/p/" + rec.Token + "/data")
	var data map[string]any
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &data) != nil || w.Header().Get("Content-Disposition") == "" {
		t.Fatalf("download: %d %s", w.Code, w.Header())
	}
	contains(t, w, "lea.martin@exemple.fr")

	confirm := b.get(page + "/suppression")
	contains(t, confirm, "<h1>Supprimer mes données</h1>", "Oui, supprimer mes données", "Non, revenir à mon inscription")
	w = b.post(page+"/suppression", url.Values{})
	if w.Code != http.StatusOK {
		t.Fatalf("erase: %d %s", w.Code, w.Body)
	}
	contains(t, w, "Vos données sont supprimées", "Votre lien personnel ne fonctionne plus")
	if w := b.get(page); w.Code != http.StatusNotFound {
		t.Errorf("the link still answers %d after the erasure", w.Code)
	}
	if w := call(t, srv, admin, "GET", "/api/v1/people?q=Martin&limit=500", ""); w.Code != 200 || strings.Contains(w.Body.String(), "lea.martin@exemple.fr") {
		t.Errorf("the person is still held: %d %s", w.Code, w.Body)
	}
}
