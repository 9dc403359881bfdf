package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Sender delivers batches of messages. It is what the outbox worker uses.
type Sender interface {
	// Send delivers msgs in order and returns a slice of the same length:
	// errs[i] is nil when msgs[i] was delivered, otherwise an error for which
	// IsTemporary tells whether a later retry may succeed.
	Send(ctx context.Context, msgs ...*Message) []error
	// Close releases the resources held by the Sender (an open connection).
	Close() error
}

// DirSender is a Sender that writes each message as an .eml file into a
// directory instead of sending it: the service's default when no SMTP URL is
// configured, so that one can read exactly what would be sent. A resend of
// the same Message.ID replaces the previous file. Files are written
// atomically (temporary file then rename) with mode 0600.
type DirSender struct {
	dir string
}

var _ Sender = (*DirSender)(nil)

// NewDirSender returns a DirSender writing into dir, created if needed.
func NewDirSender(dir string) (*DirSender, error) {
	if dir == "" {
		return nil, fmt.Errorf("mail: empty outbox directory")
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("mail: outbox directory: %w", err)
	}
	return &DirSender{dir: dir}, nil
}

// Dir returns the directory the DirSender writes into.
func (d *DirSender) Dir() string { return d.dir }

// Path returns the file a message with this ID is written to.
func (d *DirSender) Path(id string) string {
	return filepath.Join(d.dir, FileName(id))
}

// Send renders and writes each message. Errors are permanent for invalid
// messages (*FieldError) and temporary for file system failures and context
// cancellation.
func (d *DirSender) Send(ctx context.Context, msgs ...*Message) []error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		if err := ctx.Err(); err != nil {
			errs[i] = &SendError{ID: idOf(m), Temporary: true, Err: err}
			continue
		}
		data, err := Render(m)
		if err != nil {
			errs[i] = &SendError{ID: idOf(m), Err: err}
			continue
		}
		if err := writeAtomic(d.Path(m.ID), data); err != nil {
			errs[i] = &SendError{ID: m.ID, Temporary: true, Err: err}
		}
	}
	return errs
}

// Close implements Sender; it does nothing.
func (d *DirSender) Close() error { return nil }

// FileName returns the .eml file name for a message ID: the ID with every
// character other than ASCII letters, digits, '.', '_' and '-' replaced by
// '_'; when a replacement happened (or the name would start with a dot), a
// short hash of the ID is appended so that distinct IDs never share a file.
func FileName(id string) string {
	var b strings.Builder
	changed := id == "" || id[0] == '.'
	for i := 0; i < len(id); i++ {
		c := id[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
			changed = true
		}
	}
	if changed {
		sum := sha256.Sum256([]byte(id))
		b.WriteString("-" + hex.EncodeToString(sum[:4]))
	}
	name := b.String()
	if name[0] == '.' {
		name = "_" + name
	}
	return name + ".eml"
}

// writeAtomic writes data to a temporary file in the target directory, syncs
// it and renames it over path, so readers never see a partial file.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*.eml")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

func idOf(m *Message) string {
	if m == nil {
		return ""
	}
	return m.ID
}

// NewSender returns the service's Sender: an SMTPSender configured by
// smtpURL (the value of FABRIQUE_SMTP_URL, see ParseURL) when it is not
// empty, otherwise a DirSender writing into outboxDir (e.g. "data/outbox").
func NewSender(smtpURL, outboxDir string) (Sender, error) {
	if strings.TrimSpace(smtpURL) == "" {
		return NewDirSender(outboxDir)
	}
	cfg, err := ParseURL(smtpURL)
	if err != nil {
		return nil, err
	}
	return NewSMTPSender(cfg)
}
