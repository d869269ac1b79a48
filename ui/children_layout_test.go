package ui

import (
	"io"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// assertFitsPortrait checks that every button and field of the top dialog
// lies inside a portrait tablet's 800 px width, and that the dialog's own
// buttons are large enough for a finger.
func assertFitsPortrait(t *testing.T, sh *Shell, what string) {
	t.Helper()
	top := sh.window.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("%s: no dialog open", what)
	}
	width := sh.window.Canvas().Size().Width
	driver := fyne.CurrentApp().Driver()
	for _, o := range shownObjects(top) {
		var name string
		switch w := o.(type) {
		case *widget.Button:
			name = "button " + w.Text
			if w.Size().Height < touchSize && w.Text != "" {
				t.Errorf("%s: %s is %.0f high, want at least %.0f", what, name, w.Size().Height, touchSize)
			}
		case *keyEntry:
			name = "field " + w.Text + w.PlaceHolder
		case *widget.Select:
			name = "choice " + w.Selected
		default:
			continue
		}
		pos := driver.AbsolutePositionForObject(o)
		if pos.X < 0 || pos.X+o.Size().Width > width+0.5 {
			t.Errorf("%s: %s spans x %.0f–%.0f, outside the %.0f px window", what, name, pos.X, pos.X+o.Size().Width, width)
		}
	}
}

func TestChildScreens_FitAPortraitTablet(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	sh.window.Resize(fyne.NewSize(800, 1280))
	card, _ := openManagersCard(t, sh, db)
	child := card.child
	child.Contacts = testContacts
	if err := db.UpdateChild(t.Context(), child); err != nil {
		t.Fatal(err)
	}
	assertFitsPortrait(t, sh, "card")
	driver := fyne.CurrentApp().Driver()
	last := card.contacts.phones[len(card.contacts.phones)-1]
	if bottom, tabs := driver.AbsolutePositionForObject(last).Y+last.Size().Height, driver.AbsolutePositionForObject(card.tabs).Y; bottom > tabs {
		t.Errorf("contacts added while the card is open run to y %.0f, over the tabs at %.0f", bottom, tabs)
	}

	test.Tap(card.editButton)
	assertFitsPortrait(t, sh, "child form")
	tapButton(t, sh.window, "Annuleren")

	tapButton(t, sh.window, "Contract toevoegen…")
	assertFitsPortrait(t, sh, "contract form")
	tapButton(t, sh.window, "Annuleren")
	tapButton(t, sh.window, "Sluiten")

	s := childrenTab(t, sh)
	s.onImport()
	s.importer.load(io.NopCloser(strings.NewReader(strings.Replace(importFile, "kindnummer;voornaam", "Kind nr;Roepnaam", 1))), "eigen.csv")
	assertFitsPortrait(t, sh, "import with column picker")
	s.importer.load(io.NopCloser(strings.NewReader(importFile)), "planning.csv")
	assertFitsPortrait(t, sh, "import preview")
}

// shownObjects lists what under o is on screen: hidden objects and
// everything inside them are left out.
func shownObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	if !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		children = x.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(x).Objects()
	}
	for _, c := range children {
		out = append(out, shownObjects(c)...)
	}
	return out
}
