package sqlite_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// sent describes the messages as "recipient METHOD kind link?".
func sent(msgs []*fabrique.OutboxMessage) []string {
	var out []string
	for _, m := range msgs {
		link := "sans lien"
		if m.LinkToken != "" {
			link = "avec lien"
		}
		out = append(out, m.Recipient+" "+m.Method+" "+m.Kind+" "+link)
	}
	return out
}

func TestAChangeOfAddressReissuesTheLinkAndTellsBothAddresses(t *testing.T) {
	f := newFixture(t, 0, 5)
	rec := f.register(t, "camille@exemple.fr", 0)
	first := claimAndSend(t, f.st)
	if len(first) != 1 || first[0].LinkToken != rec.Token {
		t.Fatalf("the invitation: %v", sent(first))
	}
	d, err := f.st.Privacy().ParticipantData(context.Background(), rec.Token)
	must(t, err)
	person, err := f.st.People().Get(f.ctx, d.Person.ID)
	must(t, err)

	t.Run("staff changing the address: the new one gets the invitation with a new link, the old one a CANCEL without link", func(t *testing.T) {
		person.Email = "camille.nouvelle@exemple.fr"
		must(t, f.st.People().Update(f.ctx, person))
		msgs := claimAndSend(t, f.st)
		equal(t, sent(msgs), []string{"camille@exemple.fr CANCEL address_left sans lien", "camille.nouvelle@exemple.fr REQUEST address_changed avec lien"})
		if _, err := f.st.Enrolments().Agenda(context.Background(), rec.Token); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("the old link still opens the page: %v", err)
		}
		if a := f.agenda(t, msgs[1].LinkToken); a.Email != "camille.nouvelle@exemple.fr" || a.Status != fabrique.RegRegistered {
			t.Errorf("the new link opens %+v", a)
		}
		rec.Token = msgs[1].LinkToken
	})
	t.Run("the participant changing it from their page: the same, and a bad address names the field", func(t *testing.T) {
		_, err := f.st.Enrolments().ChangeEmail(context.Background(), rec.Token, "pas-une-adresse")
		if fs := fabrique.ErrorFields(err); len(fs) != 1 || fs[0].Field != "email" {
			t.Fatalf("a bad address: %v", err)
		}
		_, err = f.st.Enrolments().ChangeEmail(context.Background(), rec.Token, "Camille.Nouvelle@exemple.fr")
		if fs := fabrique.ErrorFields(err); len(fs) != 1 || fs[0].Field != "email" || !strings.Contains(fs[0].Message, "déjà l'adresse") {
			t.Fatalf("the same address: %v", err)
		}
		if len(claimAndSend(t, f.st)) != 0 {
			t.Fatal("a refused change queued messages")
		}
		ch, err := f.st.Enrolments().ChangeEmail(context.Background(), rec.Token, "camille@ailleurs.fr")
		must(t, err)
		if ch.Email != "camille@ailleurs.fr" || !strings.Contains(ch.Message, "nouveau lien") {
			t.Errorf("answer %+v", ch)
		}
		msgs := claimAndSend(t, f.st)
		equal(t, sent(msgs), []string{"camille.nouvelle@exemple.fr CANCEL address_left sans lien", "camille@ailleurs.fr REQUEST address_changed avec lien"})
		if _, err := f.st.Enrolments().Agenda(context.Background(), rec.Token); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("the link used still opens the page: %v", err)
		}
		if a := f.agenda(t, msgs[1].LinkToken); a.Email != "camille@ailleurs.fr" {
			t.Errorf("the new link opens %+v", a)
		}
	})
	t.Run("someone on a waiting list gets notices, and a message queued before the change goes without the dead link", func(t *testing.T) {
		g := buildFixture(t, f.st, f.ctx, 0, 1)
		g.register(t, "premiere@exemple.fr", 0)
		b := g.register(t, "attente@exemple.fr", 0)
		claimAndSend(t, f.st)
		d, err := f.st.Privacy().ParticipantData(context.Background(), b.Token)
		must(t, err)
		p, err := f.st.People().Get(f.ctx, d.Person.ID)
		must(t, err)
		// A reminder queued, not sent yet, when the address changes.
		g.register(t, "attente@exemple.fr", 0)
		p.Email = "attente.bis@exemple.fr"
		must(t, f.st.People().Update(f.ctx, p))
		equal(t, sent(claimAndSend(t, f.st)), []string{"attente@exemple.fr NOTICE address_left sans lien", "attente.bis@exemple.fr NOTICE address_changed avec lien"})
	})
}

func TestALinkMailedBeforeTheUpgradeWorksUntilReissued(t *testing.T) {
	f := newFixture(t, 0, 5)
	rec := f.register(t, "ancien@exemple.fr", 0)
	// A link of an older version: a random token, only its SHA-256 stored.
	const legacy = "p_AncienJetonAleatoireDe32OctetsEnBase64UrlXXXXXXX"
	sum := sha256.Sum256([]byte(legacy))
	exec(t, f.st, `INSERT INTO participant_tokens (hash, registration_id, created_at) VALUES (?, ?, '2026-01-01T00:00:00Z')`,
		hex.EncodeToString(sum[:]), f.registrationOf(t, rec))
	if a := f.agenda(t, legacy); a.Email != "ancien@exemple.fr" {
		t.Fatalf("the old link opens %+v", a)
	}
	for _, forged := range []string{"p_1.1.AAAAAAAAAAAAAAAAAAAAAAAA", "p_1.2." + rec.Token[strings.LastIndex(rec.Token, ".")+1:], rec.Token + "x"} {
		if _, err := f.st.Enrolments().Agenda(context.Background(), forged); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("a forged link %q: %v", forged, err)
		}
	}
	_, err := f.st.Enrolments().ChangeEmail(context.Background(), legacy, "nouveau@exemple.fr")
	must(t, err)
	for _, dead := range []string{legacy, rec.Token} {
		if _, err := f.st.Enrolments().Agenda(context.Background(), dead); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("after the change of address, %q still opens the page: %v", dead, err)
		}
	}
}

// registrationOf reads the id of a registration from its link.
func (f *fixture) registrationOf(t *testing.T, rec *fabrique.RegistrationReceipt) int64 {
	t.Helper()
	return f.agenda(t, rec.Token).RegistrationID
}
