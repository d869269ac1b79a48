package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func consentRow(first, last string, birth data.Date, level data.ConsentLevel, ended bool) data.ConsentRow {
	r := data.ConsentRow{
		Child:         data.Child{ID: 7, FirstName: first, LastName: last, BirthDate: birth},
		Group:         data.Group{Name: "Vlindertjes"},
		ConsentStatus: data.ConsentStatus{Level: level, Since: data.NewDate(2025, time.October, 1)},
	}
	if ended {
		r.EndedOn = data.NewDate(2026, time.October, 25)
	}
	return r
}

func consentSheet(extra int) ConsentSheet {
	s := ConsentSheet{
		Location: "De Vlinder", Group: "Vlindertjes", Date: data.NewDate(2026, time.November, 25),
		Created: time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		Rows: []data.ConsentRow{
			consentRow("Łukasz", "Kowalski", data.NewDate(2023, time.March, 14), data.ConsentNone, false),
			consentRow("Ayşe", "Yılmaz", data.NewDate(2023, time.April, 2), data.ConsentNotAnswered, false),
			consentRow("Zoë", "Nguyễn", data.NewDate(2022, time.December, 31), data.ConsentPortal, false),
			consentRow("Ŝtefan", "Dvořák", data.NewDate(2023, time.January, 19), data.ConsentPublic, false),
			consentRow("Jasmijn", "Çelik", data.NewDate(2022, time.August, 8), data.ConsentPublic, true),
		},
	}
	for i := range extra {
		s.Rows = append(s.Rows, consentRow(fmt.Sprintf("Kind%03d", i), "Test", data.NewDate(2023, time.May, 5), data.ConsentPublic, false))
	}
	return s
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "consent.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (install poppler-utils)", err)
	}
	return string(out)
}

func writeConsent(t *testing.T, s ConsentSheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ConsentPDF(&buf, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestConsentPDF_C2_SectionsNamesGroupLevel reads the sheet back: each child
// whole (diacritics intact) in the section of its marker, with group and level.
func TestConsentPDF_C2_SectionsNamesGroupLevel(t *testing.T) {
	text := pdfText(t, writeConsent(t, consentSheet(0)))
	lines := strings.Split(text, "\n")
	lineOf := func(want string) int {
		for i, l := range lines {
			if strings.Contains(l, want) {
				return i
			}
		}
		t.Errorf("extracted text lacks %q:\n%s", want, text)
		return -1
	}
	noPhotos := lineOf("Mag niet op de foto · No photos (3)")
	portalOnly := lineOf("Alleen ouderportaal, niet publiek · Parent portal only, not public (1)")
	public := lineOf("Ouderportaal en publiek · Parent portal and public (1)")
	if !(noPhotos < portalOnly && portalOnly < public) {
		t.Errorf("sections on lines %d, %d, %d; want no photos first, public last", noPhotos, portalOnly, public)
	}
	tests := []struct {
		name, level string
		after       int
	}{
		{"Łukasz Kowalski", "Geen toestemming · No consent", noPhotos},
		{"Ayşe Yılmaz", "Nog niet beantwoord · Not answered", noPhotos},
		{"Jasmijn Çelik", "Beëindigd · Ended", noPhotos},
		{"Zoë Nguyễn", "Alleen ouderportaal · Parent portal only", portalOnly},
		{"Ŝtefan Dvořák", "Ouderportaal en publiek · Portal and public", public},
	}
	for _, tt := range tests {
		i := lineOf(tt.name)
		if i < 0 {
			continue
		}
		if !strings.Contains(lines[i], "Vlindertjes") || !strings.Contains(lines[i], tt.level) {
			t.Errorf("row %q, want group Vlindertjes and level %q", lines[i], tt.level)
		}
		next := len(lines)
		for _, s := range []int{noPhotos, portalOnly, public} {
			if s > tt.after && s < next {
				next = s
			}
		}
		if i < tt.after || i > next {
			t.Errorf("%s on line %d, outside its section (%d–%d)", tt.name, i, tt.after, next)
		}
	}
	for _, private := range []string{"2023", "2022", "2025-10", "01-10-2025"} {
		if strings.Contains(text, private) {
			t.Errorf("the wall sheet shows %q: birth dates and answer dates are not for the wall", private)
		}
	}
	lineOf("De Vlinder — Vlindertjes")
	lineOf("1/1")
}

func TestConsentPDF_C2_LongListBreaksPagesWithHeaders(t *testing.T) {
	text := pdfText(t, writeConsent(t, consentSheet(40)))
	if !strings.Contains(text, "Kind039 Test") || !strings.Contains(text, "1/2") || !strings.Contains(text, "2/2") {
		t.Fatalf("a 45-child sheet should run onto page 2 with every child:\n%s", text)
	}
	pages := strings.Split(text, "\f")
	if !strings.Contains(pages[1], "Naam · Name") {
		t.Error("page 2 repeats no column header")
	}
}

func TestConsentPDF_SameInputSameBytes(t *testing.T) {
	if !bytes.Equal(writeConsent(t, consentSheet(3)), writeConsent(t, consentSheet(3))) {
		t.Fatal("two PDFs of the same sheet differ")
	}
}

func TestConsentPDF_C2_EmptySectionSaysNobody(t *testing.T) {
	s := consentSheet(0)
	s.Rows = s.Rows[3:4] // only public
	text := pdfText(t, writeConsent(t, s))
	if strings.Count(text, "Niemand · Nobody") != 2 {
		t.Errorf("want the two empty sections to say nobody:\n%s", text)
	}
}
