// Package templates embeds the html/template files of fabrique's web pages:
// layout/ (the page frame), partials/ (fragments shared by pages) and
// pages/ (one file per page). The web package parses one set per page.
package templates

import "embed"

// FS holds the template files.
//
//go:embed layout partials pages documents
var FS embed.FS
