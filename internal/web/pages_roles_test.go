package web_test

import (
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fabrique/internal/demo"
)

// The staff's pages, walked as each role: every link to a form (« Modifier
// », « Créer », « Déclarer »…) and every button posting a form that a page
// shows must be one the policy lets the role use. Each action found is
// tried on a fresh copy of the database: a refusal (403) means the page
// offered what the role may not do.

var (
	anchorHref = regexp.MustCompile(`<a\s[^>]*href="([^"]+)"`)
	formTag    = regexp.MustCompile(`<form\s[^>]*>`)
	attrOf     = func(tag, name string) string {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	digits = regexp.MustCompile(`/\d+`)
	tags   = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]+>`)
)

// roleAccounts are the accounts of the walk, by role, with their passwords.
var roleAccounts = []struct{ role, email, password string }{
	{admin, demo.AdminEmail, demo.Password},
	{orgSERE, demo.OrganiserEmail, demo.Password},
	{orgForum, "forum@fabrique.example", "mot-de-passe-de-test"},
	{orgOther, "interieur@fabrique.example", "mot-de-passe-de-test"},
	{facil, "simon.chignard@fabrique.example", demo.Password},
	{facilOther, "sarah.labelle@fabrique.example", "mot-de-passe-de-test"},
}

// action is a link to a form or a button posting one, and the page showing it.
type action struct {
	method, target, page string
}

var (
	formBlock = regexp.MustCompile(`(?s)<form\s[^>]*>.*?</form>`)
	inputTag  = regexp.MustCompile(`<input\s[^>]*>`)
	selectTag = regexp.MustCompile(`(?s)<select\s[^>]*>.*?</select>`)
	optionTag = regexp.MustCompile(`<option\s[^>]*>`)
	areaTag   = regexp.MustCompile(`(?s)<textarea\s([^>]*)>(.*?)</textarea>`)
)

// filled is what a user would post with a form of the page: the values
// shown, the first choice of each list, and a plausible value in each
// required field left empty (so that a handler checking the input before
// the policy still answers with the policy).
func filled(form string) url.Values {
	v := url.Values{}
	for _, tag := range inputTag.FindAllString(form, -1) {
		name, typ, value := attrOf(tag, "name"), attrOf(tag, "type"), attrOf(tag, "value")
		if name == "" || name == "csrf_token" {
			continue
		}
		if typ == "checkbox" || typ == "radio" {
			if strings.Contains(tag, " checked") {
				v.Add(name, value)
			}
			continue
		}
		if value == "" && strings.Contains(tag, " required") {
			value = map[string]string{"email": "essai@exemple.fr", "number": "10", "date": "2030-06-18", "time": "18:00",
				"password": "un-mot-de-passe-assez-long", "datetime-local": "2030-06-18T18:00"}[typ]
			if value == "" {
				value = "Essai"
			}
		}
		v.Set(name, value)
	}
	for _, sel := range selectTag.FindAllString(form, -1) {
		name := attrOf(sel[:strings.Index(sel, ">")+1], "name")
		var first, chosen string
		for _, o := range optionTag.FindAllString(sel, -1) {
			if val := attrOf(o, "value"); val != "" && first == "" {
				first = val
			}
			if strings.Contains(o, " selected") {
				chosen = attrOf(o, "value")
			}
		}
		if chosen == "" {
			chosen = first
		}
		v.Set(name, chosen)
	}
	for _, m := range areaTag.FindAllStringSubmatch(form, -1) {
		text := html.UnescapeString(m[2])
		if strings.TrimSpace(text) == "" && strings.Contains(m[1], "required") {
			text = "Essai"
		}
		v.Set(attrOf("<textarea "+m[1]+">", "name"), text)
	}
	return v
}

// firstPostForm is the first form of a page posting somewhere else than /signout.
func firstPostForm(body string) (tag, block string) {
	for _, b := range formBlock.FindAllString(body, -1) {
		t := formTag.FindString(b)
		if strings.EqualFold(attrOf(t, "method"), "post") && attrOf(t, "action") != "/signout" {
			return t, b
		}
	}
	return "", ""
}

// walkable reports whether a link leads to a page of the walk.
func walkable(href string) bool {
	u, err := url.Parse(href)
	if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return false
	}
	for _, skip := range []string{".csv", ".pdf", ".ics", ".eml", ".json", "/assets/", "/api/", "/p/", "/feeds/"} {
		if strings.Contains(u.Path, skip) {
			return false
		}
	}
	return strings.HasPrefix(u.Path, "/staff") || strings.HasPrefix(u.Path, "/events/") || u.Path == "/"
}

// formLink reports whether a link opens a form that changes something.
func formLink(path string) bool {
	return strings.HasSuffix(path, "/edit") || strings.HasSuffix(path, "/new") || strings.Contains(path, "/new/") ||
		strings.HasSuffix(path, "/delete") || strings.HasSuffix(path, "/suppression")
}

// crawl visits the staff's pages reachable from /staff as b, at most two
// pages of each shape (ids replaced), and lists the actions they offer.
func crawl(t *testing.T, b *browser) []action {
	seen := map[string]bool{}
	shapes := map[string]int{}
	queue := []string{"/staff"}
	found := map[string]action{}
	for len(queue) > 0 && len(seen) < 400 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		w := b.get(p)
		if w.Code != 200 {
			continue
		}
		body := w.Body.String()
		// The page as read: French wording (pages_french_test.go).
		for _, problem := range frenchProblems(html.UnescapeString(tags.ReplaceAllString(body, " "))) {
			t.Errorf("%s: %s", p, problem)
		}
		for _, m := range anchorHref.FindAllStringSubmatch(body, -1) {
			href := html.UnescapeString(m[1])
			if !walkable(href) {
				continue
			}
			u, _ := url.Parse(href)
			if formLink(u.Path) {
				key := "GET " + digits.ReplaceAllString(u.Path, "/:n")
				if _, ok := found[key]; !ok {
					found[key] = action{"GET", u.Path, p}
				}
			}
			shape := digits.ReplaceAllString(u.Path, "/:n")
			if !seen[u.Path] && shapes[shape] < 2 {
				shapes[shape]++
				queue = append(queue, u.Path)
			}
		}
		for _, tag := range formTag.FindAllString(body, -1) {
			target := attrOf(tag, "action")
			if !strings.EqualFold(attrOf(tag, "method"), "post") || target == "" || target == "/signout" {
				continue
			}
			u, _ := url.Parse(target)
			if u.Path == "" {
				u.Path = p
			}
			key := "POST " + digits.ReplaceAllString(u.Path, "/:n")
			if _, ok := found[key]; !ok {
				found[key] = action{"POST", u.Path, p}
			}
		}
	}
	out := make([]action, 0, len(found))
	for _, a := range found {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].method+out[i].target < out[j].method+out[j].target })
	return out
}

func TestEachRoleIsOfferedOnlyWhatThePolicyAllows(t *testing.T) {
	for _, acc := range roleAccounts {
		t.Run(acc.role, func(t *testing.T) {
			s, _ := newServer(t)
			b := newBrowser(t, s)
			b.signIn(acc.email, acc.password)
			actions := crawl(t, b)
			if len(actions) == 0 && (acc.role == admin || acc.role == orgSERE) {
				t.Fatalf("no action found on the pages of %s", acc.role)
			}
			for _, a := range actions {
				// Each action on a fresh copy: a delete tried before does not hide the next.
				s, _ := newServer(t)
				b := newBrowser(t, s)
				b.signIn(acc.email, acc.password)
				b.get(a.page) // the CSRF token of the page offering it
				var code int
				if a.method == "GET" {
					w := b.get(a.target)
					code = w.Code
					// The form the link opens, posted as filled: refused means the link was offered for nothing.
					if tag, block := firstPostForm(w.Body.String()); code == 200 && tag != "" {
						target := attrOf(tag, "action")
						if target == "" {
							target = a.target
						}
						code = b.post(strings.SplitN(target, "#", 2)[0], filled(block)).Code
					}
				} else {
					w := b.get(a.page)
					values := url.Values{}
					for _, block := range formBlock.FindAllString(w.Body.String(), -1) {
						if t := formTag.FindString(block); strings.SplitN(attrOf(t, "action"), "#", 2)[0] == a.target ||
							(attrOf(t, "action") == "" && a.target == a.page) {
							values = filled(block)
							break
						}
					}
					r := b.post(a.target, values)
					code = r.Code
					if code == 403 {
						t.Logf("%s %s posted %v: %s", acc.role, a.target, values, refusalOf(r.Body.String()))
					}
				}
				if code == 403 {
					t.Errorf("%s: the page %s offers %s %s, which the policy refuses (403)", acc.role, a.page, a.method, a.target)
				}
			}
			var list []string
			for _, a := range actions {
				list = append(list, a.method+" "+digits.ReplaceAllString(a.target, "/:n"))
			}
			t.Logf("%s: %d actions offered, each allowed: %s", acc.role, len(actions), strings.Join(list, ", "))
		})
	}
}

var refusalText = regexp.MustCompile(`Votre rôle[^<]*`)

// refusalOf is the policy's refusal in a page.
func refusalOf(body string) string {
	return html.UnescapeString(refusalText.FindString(body))
}

func TestEachRoleLandsOnItsWork(t *testing.T) {
	s, st := newServer(t)
	signIn := func(email, password string) (*browser, string) {
		b := newBrowser(t, s)
		b.get("/signin")
		w := b.post("/signin", url.Values{"email": {email}, "password": {password}})
		if w.Code != 303 {
			t.Fatalf("sign-in of %s: %d", email, w.Code)
		}
		return b, w.Header().Get("Location")
	}
	t.Run("a facilitator lands on « Mes ateliers », each with its own date, time and room", func(t *testing.T) {
		b, to := signIn("simon.chignard@fabrique.example", demo.Password)
		if to != "/staff/my-workshops?ok=signed-in" {
			t.Errorf("lands on %q", to)
		}
		w := b.get(to)
		contains(t, w, "<h1>Mes ateliers</h1>", "Atelier 3 : Ouverture des données et des codes sources",
			`<p class="workshop-slot">mardi 21 juin 2016 de 18 h 20 à 19 h 20, Salle 109</p>`)
		lacks(t, w, "mardi 21 juin 2016 de 17 h 30", "Tableau de bord")
		// The staff home is the same work; nothing to create there.
		home := b.get("/staff")
		contains(t, home, "<h1>Mes ateliers</h1>")
		lacks(t, home, "Créer un événement", "Déclarations d&#39;événements")
	})
	t.Run("a correspondent lands on their organisation's events and declarations", func(t *testing.T) {
		b, to := signIn(demo.OrganiserEmail, demo.Password)
		if to != "/staff?ok=signed-in" {
			t.Errorf("lands on %q", to)
		}
		b.get("/staff/declarations/new/open_ministry")
		if w := b.post("/staff/declarations/new/open_ministry", cloneValues(declaredSession)); w.Code != 303 {
			t.Fatalf("declaration: %d %s", w.Code, w.Body)
		}
		w := b.get("/staff")
		contains(t, w, "Voici les événements de votre organisation et vos déclarations à la DITP.", "<h2 id=\"declarations-titre\">Vos déclarations</h2>",
			">Ministère ouvert #3</a>", "Ministère ouvert #1")
		lacks(t, w, "Forum Open d&#39;État", "À examiner")
	})
	t.Run("the DITP lands on what awaits review and what has conflicts", func(t *testing.T) {
		b, to := signIn(demo.AdminEmail, demo.Password)
		if to != "/staff?ok=signed-in" {
			t.Errorf("lands on %q", to)
		}
		w := b.get("/staff")
		contains(t, w, "<h2 id=\"examiner-titre\">À examiner : 1 déclaration</h2>", ">Ministère ouvert #3</a>", "<h2 id=\"etat-titre\">À surveiller</h2>",
			"Créer un événement", "Forum Open d&#39;État")
	})
	t.Run("an association's correspondent is offered the relay workshop only", func(t *testing.T) {
		email, password := thirdParty(t, st)
		b, _ := signIn(email, password)
		w := b.get("/staff/declarations")
		contains(t, w, `href="/staff/declarations/new/relay_workshop">Déclarer un atelier-relais</a>`,
			`<span class="account-role">Correspondant·e de l&#39;association</span>`)
		lacks(t, w, "Déclarer un Ministère ouvert", "ministériel")
		// The accounts page names each account by its organisation's kind.
		accounts := signedIn(t, s).get("/staff/accounts")
		contains(t, accounts, "Correspondant·e de l&#39;association", "Correspondant·e ministériel·le")
	})
}
