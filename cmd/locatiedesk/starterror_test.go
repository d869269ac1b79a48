package main

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
	"locatiedesk/ui"
)

// TestStartErrorText_OneLanguage: the message for a data file another copy
// has open is all in the user's language, with the file it is about.
func TestStartErrorText_OneLanguage(t *testing.T) {
	test.NewTempApp(t)
	if err := ui.UseLanguage(ui.LanguageDutch); err != nil {
		t.Fatal(err)
	}
	path := "/home/kantoor/locatiedesk.db"
	got := startErrorText(path, fmt.Errorf("%w: %s", data.ErrInUse, path))
	if !strings.HasPrefix(got, "Locatiedesk is op deze computer al geopend") || !strings.Contains(got, "Gegevensbestand: "+path) ||
		strings.Contains(got, data.ErrInUse.Error()) {
		t.Errorf("in-use message %q", got)
	}
	got = startErrorText(path, fmt.Errorf("%w: schema 99", data.ErrTooNew))
	if !strings.HasPrefix(got, "Het gegevensbestand is geschreven door een nieuwere Locatiedesk") || strings.Contains(got, "schema 99") {
		t.Errorf("too-new message %q", got)
	}
}
