// Package assets holds every file bundled into the binary: the icon, the
// fonts PDFs embed, and the translations (one pair of nl/en JSON files per
// screen, so screens can grow their strings without touching each other's files).
package assets

import (
	"embed"
)

// Translations holds translations/<screen>.<lang>.json.
//
//go:embed translations
var Translations embed.FS

// IconPNG is the application icon.
//
//go:embed icon.png
var IconPNG []byte

// DejaVu Sans prints every Latin, Turkish, Polish and Vietnamese letter a
// child's name may have (Ł, ş, ễ), which PDF core fonts cannot.
var (
	//go:embed fonts/DejaVuSans.ttf
	FontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	FontBold []byte
)

// The photo-consent markers on a child's picture (C2): a red prohibition sign
// over a camera (no photos) and an amber warning triangle (parent portal only,
// not public). Shapes differ as well as colours, for colour-blind staff.
var (
	//go:embed markers/consent-no-photos.svg
	MarkerNoPhotos []byte
	//go:embed markers/consent-not-public.svg
	MarkerNotPublic []byte
)
