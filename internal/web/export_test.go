package web_test

import (
	"io"
	"log/slog"

	"fabrique/internal/sqlite"
	"fabrique/internal/web"
)

// newServerOn returns a second server on the same store.
func newServerOn(st *sqlite.Store) (*web.Server, *sqlite.Store) {
	return web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{}), st
}
