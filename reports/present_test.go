package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

var presentAsOf = time.Date(2026, time.December, 1, 10, 42, 17, 0, time.Local)

// presentList is a location of two groups; extra children fill the first.
func presentList(extra int) data.PresentList {
	zoe := data.PresentChild{ChildID: 1, FirstName: "Zoë", LastName: "Dvořák", CheckIn: data.NewClock(8, 5), Consent: data.ConsentNone,
		Contacts: []data.CallContact{
			{Name: "Łukasz Dvořák", Relation: "vader", Phone: "06-12345678"},
			{Name: "Anneke Öztürk", Relation: "oma", Phone: "020-7654321"},
		}}
	egeltjes := data.PresentGroup{Group: data.Group{ID: 1, Name: "Egeltjes"}, Here: []data.PresentChild{zoe},
		NotHere: []data.PresentChild{{ChildID: 2, FirstName: "Ŝtefan", LastName: "Jansen",
			Expected: data.TimeRange{From: data.NewClock(13, 0), Until: data.NewClock(18, 0)}}}}
	for i := range extra {
		egeltjes.Here = append(egeltjes.Here, data.PresentChild{ChildID: data.ID(100 + i), FirstName: fmt.Sprintf("Kind%03d", i), LastName: "Test",
			CheckIn: data.NewClock(8, i%60), Consent: data.ConsentPublic,
			Contacts: []data.CallContact{{Name: "Ouder", Relation: "moeder", Phone: "06-00000000"}}})
	}
	uilen := data.PresentGroup{Group: data.Group{ID: 2, Name: "Uilen"}}
	return data.PresentList{Location: data.Location{ID: 1, Name: "Het Klavertje"}, AsOf: presentAsOf, Groups: []data.PresentGroup{egeltjes, uilen}}
}

func writePresent(t *testing.T, p data.PresentList) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := PresentPDF(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPresentPDF_NamesHeadingsCountsAndContacts reads the list back: names
// with their diacritics, the headings in both languages, the moment, the
// counts, and whom to call.
func TestPresentPDF_NamesHeadingsCountsAndContacts(t *testing.T) {
	text := pdfText(t, writePresent(t, presentList(0)))
	for _, want := range []string{
		"Wie is er nu?", "Who is here now?", "Het Klavertje", "10:42:17", "dinsdag 1 december 2026", "Tuesday 1 December 2026",
		"Aanwezig / Here: 1", "Nog niet binnen / Not here yet: 1",
		"Kind", "Child", "Binnen", "In since", "Bellen", "Contacts to call",
		"Zoë Dvořák", "08:05", "Łukasz Dvořák (vader)", "06-12345678", "Anneke Öztürk (oma)", "020-7654321",
		"Ŝtefan Jansen", "13:00", "Niemand aanwezig · Nobody here", "Geen foto's · No photos",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the list lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Laatst bekende stand") {
		t.Error("a list from the store says it is a saved state")
	}
	stale := presentList(0)
	stale.Stale = true
	if !strings.Contains(pdfText(t, writePresent(t, stale)), "Last known state, may not be current") {
		t.Error("a list from a saved state does not say so")
	}
	// A tablet without connection names the moment of its state, in both languages.
	stale.StateOf = time.Date(2026, time.December, 1, 9, 41, 0, 0, time.Local)
	text = pdfText(t, writePresent(t, stale))
	for _, want := range []string{"Offline — stand van 09:41", "Offline — state of 09:41"} {
		if !strings.Contains(text, want) {
			t.Errorf("a tablet's offline list lacks %q:\n%s", want, text)
		}
	}
}

// TestPresentPDF_ManyChildrenBreakPages: 150 children run over several
// pages, each with the group and the column header again, nobody lost.
func TestPresentPDF_ManyChildrenBreakPages(t *testing.T) {
	text := pdfText(t, writePresent(t, presentList(150)))
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages) < 4 {
		t.Fatalf("151 children on %d pages", len(pages))
	}
	for i, page := range pages[1:] {
		if !strings.Contains(page, "Egeltjes") || !strings.Contains(page, "Contacts to call") {
			t.Errorf("page %d repeats no group or column header:\n%s", i+2, page)
		}
		if !strings.Contains(page, fmt.Sprintf("%d/%d", i+2, len(pages))) {
			t.Errorf("page %d is not numbered of %d", i+2, len(pages))
		}
	}
	for i := range 150 {
		if name := fmt.Sprintf("Kind%03d Test", i); strings.Count(text, name) != 1 {
			t.Errorf("%s printed %d times", name, strings.Count(text, name))
		}
	}
	if !strings.Contains(pages[0], "Aanwezig / Here: 151") {
		t.Error("the first page does not count 151 children")
	}
}

func TestPresentPDF_SameInputSameBytes(t *testing.T) {
	if !bytes.Equal(writePresent(t, presentList(3)), writePresent(t, presentList(3))) {
		t.Fatal("two PDFs of the same list differ")
	}
}
