// Package assets embeds the static files served or used by fabrique:
// fonts for the PDF documents, style sheets and scripts for the web pages.
package assets

import "embed"

// FS holds every file under assets/ (fonts, css, js, images).
//
//go:embed fonts css js
var FS embed.FS
