package ui

import (
	"io"
	"slices"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// importFile is a planning system's file for the demo location: a new
// daycare child with a parent, a new BSO child with school weeks.
const importFile = "\ufeffkindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum;school;ouder_naam;ouder_telefoon\n" +
	"P-1;Noor;Visser;2025-02-14;De Vlinder;Rupsjes;kdv;ma,wo;08:00;17:00;2026-11-23;;;Lotte Visser;06 11122233\n" +
	"P-2;Daan;Smit;2018-06-01;De Vlinder;Avonturiers;bso-schoolweken;di,do;15:00;18:00;2026-11-24;2027-07-16;OBS De Regenboog;;\n"

// openImport opens the import from the manager's children screen.
func openImport(t *testing.T, sh *Shell, importText string) *childImport {
	t.Helper()
	s := childrenTab(t, sh)
	s.onImport()
	if s.importer == nil || s.importer.importButton.Text != importText || !s.importer.importButton.Disabled() {
		t.Fatalf("the import opens without a disabled %s button", importText)
	}
	return s.importer
}

func previewTexts(s *childImport) []string {
	var out []string
	for _, l := range s.lines {
		out = append(out, l.text)
	}
	return out
}

func childNumbers(t *testing.T, db *boltstore.DB) []string {
	t.Helper()
	children, err := db.Children(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range children {
		if c.Number != "" {
			out = append(out, c.Number)
		}
	}
	return out
}

func TestChildImport_M1_BadFileListsProblemsAndImportsNothing(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := openImport(t, sh, "Importeren")
	bad := strings.Replace(importFile, "Rupsjes", "Kikkers", 1)                                     // line 2: no such group
	bad = strings.Replace(bad, "2018-06-01", "31-02-2018", 1)                                       // line 3: no such date
	bad += "P-3;Mila;Bos;2024-05-05;De Vlinder;Rupsjes;bso-52weken;ma;08:00;17:00;2026-12-01;;;;\n" // line 4: BSO in daycare
	s.load(io.NopCloser(strings.NewReader(bad)), "planning.csv")

	texts := previewTexts(s)
	for _, want := range []string{"Regel 2:", "Regel 3:", "Regel 4:"} {
		if !slices.ContainsFunc(texts, func(t string) bool { return strings.HasPrefix(t, want) }) {
			t.Errorf("the problems %q lack %q", texts, want)
		}
	}
	if !hasText(texts, "Kikkers") {
		t.Errorf("the unknown group is not named: %q", texts)
	}
	if !strings.Contains(s.status.Text, "Er wordt niets geïmporteerd") || !s.importButton.Disabled() {
		t.Errorf("status %q, import enabled %v", s.status.Text, !s.importButton.Disabled())
	}
	if got := childNumbers(t, db); slices.Contains(got, "P-1") || slices.Contains(got, "P-2") {
		t.Errorf("a bad file imported children: %v", got)
	}
}

func TestChildImport_M1_GoodFileIsPreviewedThenImported(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := openImport(t, sh, "Importeren")
	s.load(io.NopCloser(strings.NewReader(importFile)), "planning.csv")
	if !strings.HasPrefix(s.status.Text, "Kinderen: 2 nieuw, 0 gewijzigd") {
		t.Errorf("the preview sums up %q", s.status.Text)
	}
	texts := previewTexts(s)
	for _, want := range []string{"Regel 2 · P-1 Noor Visser: nieuw kind", "nieuw contract: KDV in Rupsjes, ma, wo 08:00", "Regel 3 · P-2 Daan Smit: nieuw kind"} {
		if !hasText(texts, want) {
			t.Errorf("the preview %q lacks %q", texts, want)
		}
	}
	if slices.Contains(childNumbers(t, db), "P-1") {
		t.Fatal("the preview imported already")
	}
	test.Tap(s.importButton)
	tapButton(t, sh.window, "Importeren")
	if !strings.HasPrefix(s.status.Text, "Geïmporteerd: 2 nieuwe") {
		t.Errorf("after the import the status says %q", s.status.Text)
	}
	if got := childNumbers(t, db); !slices.Contains(got, "P-1") || !slices.Contains(got, "P-2") {
		t.Fatalf("imported numbers %v", got)
	}
	g, err := db.GroupByName(t.Context(), demo.GroupBabies)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.DayList(t.Context(), g.ID, db.Today()) // a Wednesday
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(list.Rows, func(r data.DayRow) bool { return r.Child.Number == "P-1" && len(r.Child.Contacts) == 1 }) {
		t.Error("Noor is not on today's list of Rupsjes with her mother as contact")
	}
	if cs := childrenTab(t, sh); !slices.ContainsFunc(cs.children, func(c data.Child) bool { return c.Number == "P-2" }) {
		t.Error("the children screen does not list the imported children")
	}

	// The same file again changes nothing.
	s.load(io.NopCloser(strings.NewReader(importFile)), "planning.csv")
	if !hasText(previewTexts(s), "verandert niets") || !s.importButton.Disabled() {
		t.Errorf("a second import previews %q", previewTexts(s))
	}
}

func TestChildImport_M1_ColumnPickerMapsOwnHeaders(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	s := openImport(t, sh, "Import")
	own := strings.Replace(importFile, "kindnummer;voornaam", "Kind nr;Roepnaam", 1)
	s.load(io.NopCloser(strings.NewReader(own)), "own.csv")
	if !s.mappingView.Visible() || !s.previewList.Hidden || len(s.mapSelects) != 2 || !s.importButton.Disabled() {
		t.Fatalf("no column picker for the two unknown headers: %v", keysOf(s.mapSelects))
	}
	if !hasText(labelTexts(s.mapping), "Still missing: kindnummer, voornaam") {
		t.Errorf("the picker says %q", labelTexts(s.mapping))
	}
	s.mapSelects["Kind nr"].SetSelected(data.ColNumber)
	s.mapSelects["Roepnaam"].SetSelected(data.ColFirstName)
	var check *widget.Button
	for _, o := range test.LaidOutObjects(s.mapping) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Check again" {
			check = b
		}
	}
	test.Tap(check)
	if s.importButton.Disabled() || s.mappingView.Visible() || !hasText(previewTexts(s), "P-1 Noor Visser: new child") {
		t.Fatalf("after mapping the preview is %q (%s)", previewTexts(s), s.status.Text)
	}
	test.Tap(s.importButton)
	tapButton(t, sh.window, "Import")
	if got := childNumbers(t, db); !slices.Contains(got, "P-1") {
		t.Errorf("the mapped file imported %v", got)
	}
}
