package web_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/web"
)

func TestPublicPages(t *testing.T) {
	srv, _ := newServer(t)
	cases := []struct {
		name string
		path string
		want []string
	}{
		{"the home page lists the forum as upcoming and Ministère ouvert #1 as past", "/",
			[]string{`<html lang="fr">`, "Aller au contenu", "À venir", "Forum Open d&#39;État : la transparence", "Passés", "Ministère ouvert #1", "mardi 21 juin 2016 de 17 h 30 à 20 h 15"}},
		{"the event page shows the programme, rooms, commitments and facilitators", "/events/1",
			[]string{"<h1>Ministère ouvert #1</h1>", "18 h 20", "19 h 20", "Salle de Marbre", "Atelier 3 : Ouverture des données et des codes sources",
				"Salle 109", "n° 15", "Renforcer la politique d&#39;ouverture", "Simon Chignard", "Paula Forteza, Céline Pelletier, Françoise Waintrop"}},
		{"the forum page draws its six weeks", "/events/2",
			[]string{"<svg", `role="img"`, "Semaine 1", "Semaine 6", "Investigation", "Approfondissement", "Atelier consacré aux controverses", "mardi 19 janvier 2027 de 18 h 00 à 19 h 30"}},
		{"the sign-in page has labelled fields", "/signin",
			[]string{`<label for="connexion-email">`, `id="connexion-email"`, `autocomplete="current-password"`, `name="csrf_token"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := newBrowser(t, srv).get(c.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d", w.Code)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			contains(t, w, c.want...)
		})
	}
}

func TestPublicPagesHideWhatVisitorsMayNotSee(t *testing.T) {
	srv, st := newServer(t)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	ev, _ := st.Events().Get(ctx, 1)
	ev.ID, ev.Title, ev.Status = 0, "Ministère ouvert #2 (brouillon)", fabrique.EventDraft
	if err := st.Events().Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	t.Run("a draft is not listed", func(t *testing.T) {
		lacks(t, newBrowser(t, srv).get("/"), "Ministère ouvert #2")
	})
	t.Run("a draft's page is not found, in French and in HTML", func(t *testing.T) {
		w := newBrowser(t, srv).get("/events/" + itoa(ev.ID))
		if w.Code != http.StatusNotFound {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Page introuvable", `<html lang="fr">`)
	})
	t.Run("staff see the draft with a warning", func(t *testing.T) {
		w := signedIn(t, srv).get("/events/" + itoa(ev.ID))
		contains(t, w, "Ministère ouvert #2 (brouillon)", "seul le personnel le voit")
	})
	t.Run("an unknown address answers a French page", func(t *testing.T) {
		w := newBrowser(t, srv).get("/nulle-part")
		if w.Code != http.StatusNotFound {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Aucune page à l&#39;adresse /nulle-part")
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

var staffPages = []struct {
	path string
	want []string
}{
	{"/staff", []string{"Tableau de bord", "Créer un événement", "Forum Open d&#39;État : la transparence"}},
	{"/staff/plans", []string{"Plans d&#39;action", "2015-2017", "Du 16 juillet 2015 au 15 juillet 2017", "Ajouter un plan"}},
	{"/staff/plans/1", []string{"Engagements du plan", "Coproduire avec la société civile", "Transparence et redevabilité", "Etalab"}},
	{"/staff/organisations", []string{"Cour des comptes", "Autorité indépendante", "Ajouter une organisation"}},
	{"/staff/people", []string{"Simon Chignard", "Agent public", "Ajouter une personne"}},
	{"/staff/venues", []string{"101 rue de Grenelle", "Ajouter un lieu"}},
	{"/staff/venues/1", []string{"Salle 109", "vidéoprojecteur", "Ajouter une salle"}},
	{"/staff/events/new", []string{"Créer un événement", "Ministère ouvert", "Forum Open d&#39;État", `type="time"`}},
	{"/staff/events/1", []string{"Programme", "Ouverture par Laure de la Bretèche", "Ajouter un élément au programme", "Ajouter un atelier", "Salle 109"}},
	{"/staff/events/1/edit", []string{"Modifier « Ministère ouvert #1 »", `value="2016-06-21"`, `value="17:30"`}},
	{"/staff/events/1/items/2", []string{"Modifier l&#39;élément", `value="18:00"`, `value="18:10"`}},
	{"/staff/events/1/workshops/3", []string{"Modifier l&#39;atelier", "Ouverture des données", `checked`}},
	{"/staff/events/2", []string{"Communauté à mobiliser", "<svg", "Semaine 6"}},
	{"/staff/events/2/partners", []string{"Communauté à mobiliser", "0 / 5", "partenaires institutionnels", "partenaires externes"}},
}

func TestStaffPages(t *testing.T) {
	srv, _ := newServer(t)
	b := signedIn(t, srv)
	for _, p := range staffPages {
		t.Run("the administrator opens "+p.path, func(t *testing.T) {
			w := b.get(p.path)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			contains(t, w, p.want...)
			contains(t, w, "Se déconnecter", `lang="fr"`)
		})
	}
}

func TestStaffPagesSendVisitorsToSignIn(t *testing.T) {
	srv, _ := newServer(t)
	for _, p := range staffPages {
		t.Run("a visitor asking for "+p.path+" is sent to the sign-in page", func(t *testing.T) {
			w := newBrowser(t, srv).get(p.path)
			if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/signin?next="+url.QueryEscape(p.path) {
				t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
			}
		})
	}
	t.Run("after signing in, the visitor lands on the page asked for", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/signin?next=" + url.QueryEscape("/staff/venues"))
		w := b.post("/signin", url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}, "next": {"/staff/venues"}})
		if loc := w.Header().Get("Location"); loc != "/staff/venues?ok=signed-in" {
			t.Fatalf("location %q", loc)
		}
	})
	t.Run("a redirection to another site is ignored", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/signin")
		w := b.post("/signin", url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}, "next": {"//evil.example/"}})
		if loc := w.Header().Get("Location"); loc != "/staff?ok=signed-in" {
			t.Fatalf("location %q", loc)
		}
	})
}

func TestSignInAndOut(t *testing.T) {
	srv, st := newServer(t)
	t.Run("a wrong password is refused, the address kept, the password not", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/signin")
		w := b.post("/signin", url.Values{"email": {demo.AdminEmail}, "password": {"pas-le-bon-mot"}})
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Adresse électronique ou mot de passe incorrect.", `value="`+demo.AdminEmail+`"`, "<title>Erreur : Connexion")
		lacks(t, w, "pas-le-bon-mot")
		if _, ok := b.cookies["fabrique_session"]; ok {
			t.Error("a session cookie was set")
		}
	})
	t.Run("empty fields are shown next to each field", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/signin")
		w := b.post("/signin", url.Values{"email": {"pas-une-adresse"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="connexion-email-erreur"`, `aria-describedby="connexion-email-aide connexion-email-erreur"`, "Adresse électronique invalide",
			`id="connexion-password-erreur"`, "Le mot de passe est obligatoire.", `href="#connexion-password"`)
	})
	t.Run("signing in sets a safe cookie and stores only a hash", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.signIn(demo.AdminEmail, demo.Password)
		c := b.cookies["fabrique_session"]
		if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" {
			t.Fatalf("session cookie %+v", c)
		}
		db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n, raw int
		db.QueryRow(`SELECT COUNT(*), COUNT(CASE WHEN hash = ? THEN 1 END) FROM web_sessions`, c.Value).Scan(&n, &raw)
		if n != 1 || raw != 0 {
			t.Errorf("web_sessions: %d rows, %d holding the raw id", n, raw)
		}
		contains(t, b.get("/staff"), "Administratrice DITP (démo)")
		w := b.post("/signout", nil)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/?ok=signed-out" {
			t.Fatalf("sign-out: status %d, location %q", w.Code, w.Header().Get("Location"))
		}
		db.QueryRow(`SELECT COUNT(*) FROM web_sessions`).Scan(&n)
		if n != 0 {
			t.Errorf("%d sessions left after signing out", n)
		}
		replay := newBrowser(t, srv)
		replay.cookies["fabrique_session"] = c
		if w := replay.get("/staff"); w.Code != http.StatusSeeOther {
			t.Errorf("the revoked session still opens /staff: status %d", w.Code)
		}
	})
	t.Run("behind https the cookie is Secure", func(t *testing.T) {
		secure := web.New(st, quietLog(), web.Config{BaseURL: "https://fabrique.example.gouv.fr"})
		b := newBrowser(t, secure)
		b.signIn(demo.AdminEmail, demo.Password)
		if c := b.cookies["fabrique_session"]; c == nil || !c.Secure {
			t.Fatalf("session cookie %+v", c)
		}
	})
}

func TestFormsRefuseRequestsWithoutCSRFToken(t *testing.T) {
	srv, st := newServer(t)
	before := countAll(t, st)
	org := url.Values{"name": {"Ville de Lille"}, "kind": {"local_authority"}}
	t.Run("a signed-in form without the token is refused", func(t *testing.T) {
		b := signedIn(t, srv)
		w := b.do("POST", "/staff/organisations", org)
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "jeton de sécurité absent ou invalide")
	})
	t.Run("a signed-in form with another session's token is refused", func(t *testing.T) {
		other := signedIn(t, srv)
		other.get("/staff")
		b := signedIn(t, srv)
		form := url.Values{"csrf_token": {other.csrf}}
		for k, v := range org {
			form[k] = v
		}
		if w := b.do("POST", "/staff/organisations", form); w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("the sign-in form without its cookie token is refused", func(t *testing.T) {
		b := newBrowser(t, srv)
		w := b.do("POST", "/signin", url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}, "csrf_token": {strings.Repeat("x", 43)}})
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("the sign-out form without the token is refused", func(t *testing.T) {
		b := signedIn(t, srv)
		if w := b.do("POST", "/signout", url.Values{}); w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("an API call carried by the session cookie needs the X-CSRF-Token header", func(t *testing.T) {
		b := signedIn(t, srv)
		req := httptestRequest("POST", "/api/v1/organisations", `{"name":"Ville de Lille","kind":"local_authority"}`, b)
		w := serve(srv, req)
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		problemOf(t, w)
	})
	if after := countAll(t, st); after != before {
		t.Errorf("something was written:\n%s\n%s", before, after)
	}
	t.Run("the API with a bearer token needs no CSRF token", func(t *testing.T) {
		w := call(t, srv, admin, "POST", "/api/v1/organisations", `{"name":"Ville de Lille","kind":"local_authority"}`)
		if w.Code != http.StatusCreated {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("the API with the session and its header works", func(t *testing.T) {
		b := signedIn(t, srv)
		b.get("/staff")
		req := httptestRequest("POST", "/api/v1/organisations", `{"name":"Ville de Roubaix","kind":"local_authority"}`, b)
		req.Header.Set("X-CSRF-Token", b.csrf)
		if w := serve(srv, req); w.Code != http.StatusCreated {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
}
