// Package assets holds every file bundled into the binary: the icon and the
// translations (one pair of nl/en JSON files per screen, so screens can grow
// their strings without touching each other's files).
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/<screen>.<lang>.json.
//
//go:embed translations
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
