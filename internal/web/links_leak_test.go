package web_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// storedFiles reads the bytes of the database, its WAL and every file of
// the data folder's outbox/.
func storedFiles(t *testing.T, dbPath string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	paths := []string{dbPath, dbPath + "-wal"}
	more, _ := filepath.Glob(filepath.Join(filepath.Dir(dbPath), "outbox", "*"))
	for _, p := range append(paths, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		out[filepath.Base(p)] = b
	}
	if len(out[filepath.Base(dbPath)]) == 0 {
		t.Fatal("the database file is empty")
	}
	return out
}

func TestNoPrivateLinkIsStoredInClear(t *testing.T) {
	s, st := newServer(t)
	dbPath := st.DB().Path()
	register := func(name, email string, workshop string) {
		t.Helper()
		if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+name+`","email":"`+email+`","category":"citizen","workshop_id":`+workshop+`,"consent":true}`); w.Code != 201 {
			t.Fatalf("register %s: %d %s", email, w.Code, w.Body)
		}
	}
	var links []string
	collect := func(got map[string][]string) {
		for _, l := range got {
			links = append(links, l...)
		}
	}
	register("Ada Lovelace", "ada@exemple.fr", "6")
	register("Alan Turing", "alan@exemple.fr", "7")
	collect(mailedLinks(drainOutbox(t, st, 0)))
	// Updates: a change of workshop, the same address again (a reminder),
	// a change of address; then what they queue stays pending a while.
	var adaLink string
	for _, l := range links {
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+l, ""); strings.Contains(w.Body.String(), "ada@exemple.fr") {
			adaLink = l
		}
	}
	if adaLink == "" {
		t.Fatalf("no link of Ada among %v", links)
	}
	if w := call(t, s, anonymous, "POST", "/api/v1/p/"+adaLink+"/workshop", `{"workshop_id":7}`); w.Code != 200 {
		t.Fatalf("change of workshop: %d %s", w.Code, w.Body)
	}
	register("Alan Turing", "alan@exemple.fr", "7")
	if w := call(t, s, anonymous, "POST", "/api/v1/p/"+adaLink+"/email", `{"email":"ada.king@exemple.fr"}`); w.Code != 200 {
		t.Fatalf("change of address: %d %s", w.Code, w.Body)
	}
	register("Grace Hopper", "grace@exemple.fr", "6")
	pending := storedFiles(t, dbPath) // messages with links wait in the outbox
	if n := countTable(t, st, "outbox"); n == 0 {
		t.Fatal("no message")
	}
	collect(mailedLinks(drainOutbox(t, st, 0)))
	if len(links) < 5 {
		t.Fatalf("only %d links mailed: %v", len(links), links)
	}
	for when, files := range map[string]map[string][]byte{"while messages were pending": pending, "after sending": storedFiles(t, dbPath)} {
		for name, b := range files {
			for _, l := range links {
				mac := l[strings.LastIndex(l, ".")+1:]
				if bytes.Contains(b, []byte(l)) || bytes.Contains(b, []byte(mac)) {
					t.Errorf("%s, %s holds the private link %s", when, name, l)
				}
			}
		}
	}
}
