package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

var sheetPrinted = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

var (
	sheetFirstNames = []string{"Łukasz", "Zoë", "Ŝtefan", "Ayşe", "Hüseyin", "Eliška", "Maëlle", "Joël", "Amélie", "Björn"}
	sheetLastNames  = []string{"Kowalski", "Nguyễn", "Dvořák", "Yılmaz", "Öztürk", "Šťastná", "de Vries"}
)

// studyDaySheet is a study day with n children, names full of diacritics.
func studyDaySheet(n int) data.StudyDaySheet {
	groups := []data.Group{{ID: 3, Name: "Avonturiers"}, {ID: 4, Name: "Ontdekkers"}}
	sheet := data.StudyDaySheet{
		Location: data.Location{ID: 1, Name: "De Vlinder"},
		School:   data.School{ID: 1, Name: "OBS De Regenboog"},
		StudyDay: data.StudyDay{SchoolID: 1, Date: data.NewDate(2026, time.December, 3), Name: "Studiedag"},
		Hours:    data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 30)},
		Minimum:  3,
	}
	for i := range n {
		sheet.Rows = append(sheet.Rows, data.StudyDayRow{
			Child: data.Child{ID: data.ID(i + 1), FirstName: sheetFirstNames[i%len(sheetFirstNames)], LastName: sheetLastNames[i/len(sheetFirstNames)%len(sheetLastNames)]},
			Group: groups[i%2],
		})
	}
	return sheet
}

func writeSheet(t testing.TB, sheet data.StudyDaySheet) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := SignUpSheetPDF(&buf, sheet, sheetPrinted); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfPages returns the text of each page (pdftotext from poppler-utils, -layout keeps rows on one line).
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (install poppler-utils)", err)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1] // pdftotext ends every page with a form feed
}

// rowNumbers finds the row numbers on a page: lines that start with a number.
var rowNumber = regexp.MustCompile(`(?m)^\s*(\d{1,3})(\s|$)`)

func rowNumbers(page string) []int {
	var out []int
	for _, m := range rowNumber.FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

func TestSignUpSheetPDF_S1_L1_EveryNameBothLanguages(t *testing.T) {
	sheet := studyDaySheet(12)
	text := strings.Join(pdfPages(t, writeSheet(t, sheet)), "")
	want := []string{
		"Intekenlijst studiedag", "Study day sign-up sheet",
		"De Vlinder", "OBS De Regenboog",
		"donderdag 3 december 2026", "Thursday 3 December 2026", "07:30 – 18:30",
		"Handtekening ouder", "Parent's signature",
		"vanaf 3 aanmeldingen", "from 3 sign-ups",
	}
	for _, r := range sheet.Rows {
		want = append(want, r.Child.Name())
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("sheet lacks %q", w)
		}
	}
}

func TestSignUpSheetPDF_S1_LongNameWrapsInItsRow(t *testing.T) {
	sheet := studyDaySheet(3)
	sheet.Rows[1].Child.FirstName = "Maëlle-Antoinette Joséphine"
	sheet.Rows[1].Child.LastName = "van den Berghe-Oudenaarde Ångström"
	pages := pdfPages(t, writeSheet(t, sheet))
	text := strings.Join(pages, "")
	for _, word := range strings.Fields(sheet.Rows[1].Child.Name()) {
		if !strings.Contains(text, word) {
			t.Errorf("the wrapped name lost %q", word)
		}
	}
	if got := rowNumbers(pages[0]); len(got) < 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Errorf("rows %v: the tall row pushed the numbering out of order", got)
	}
}

// TestSignUpSheetPDF_S1_PagesFor70Children: every page after the first holds
// 30 rows, every child and at least five blank rows get one, and the last
// page is filled up with blank rows; each page says "N/M".
func TestSignUpSheetPDF_S1_PagesFor70Children(t *testing.T) {
	firstPage := len(rowNumbers(pdfPages(t, writeSheet(t, studyDaySheet(1)))[0]))
	const children, perPage = 70, 30
	wantPages := 1 + (children+sheetMinBlankRows-firstPage+perPage-1)/perPage

	pages := pdfPages(t, writeSheet(t, studyDaySheet(children)))
	if len(pages) != wantPages {
		t.Fatalf("%d pages, want %d (%d rows on the first page, %d on the others)", len(pages), wantPages, firstPage, perPage)
	}
	next := 1
	for i, page := range pages {
		numbers := rowNumbers(page)
		if i > 0 && len(numbers) != perPage {
			t.Errorf("page %d holds %d rows, want %d", i+1, len(numbers), perPage)
		}
		if i == 0 && len(numbers) != firstPage {
			t.Errorf("page 1 holds %d rows, want %d as on a short sheet", len(numbers), firstPage)
		}
		for _, n := range numbers {
			if n != next {
				t.Fatalf("page %d: row %d after %d", i+1, n, next-1)
			}
			next++
		}
		if footer := fmt.Sprintf("%d/%d", i+1, wantPages); !strings.Contains(page, footer) {
			t.Errorf("page %d lacks %q", i+1, footer)
		}
		if !strings.Contains(page, "Handtekening ouder") {
			t.Errorf("page %d lacks the column header", i+1)
		}
	}
	if blanks := next - 1 - children; blanks < sheetMinBlankRows {
		t.Errorf("%d blank rows, want at least %d", blanks, sheetMinBlankRows)
	}
}

func TestSignUpSheetPDF_S1_SameInputSameBytes(t *testing.T) {
	a, b := writeSheet(t, studyDaySheet(70)), writeSheet(t, studyDaySheet(70))
	if !bytes.Equal(a, b) {
		t.Fatal("two sheets of the same input differ")
	}
	other := studyDaySheet(70)
	other.Rows[69].Child.FirstName = "Ömer"
	if bytes.Equal(a, writeSheet(t, other)) {
		t.Fatal("a different name gives the same bytes")
	}
}

// BenchmarkSignUpSheetPDF_70Children: the goal is under 100 ms a sheet.
func BenchmarkSignUpSheetPDF_70Children(b *testing.B) {
	sheet := studyDaySheet(70)
	for b.Loop() {
		var buf bytes.Buffer
		if err := SignUpSheetPDF(&buf, sheet, sheetPrinted); err != nil {
			b.Fatal(err)
		}
	}
}

func studyDayNotice(children int) data.StudyDayNotice {
	sheet := studyDaySheet(children)
	n := data.StudyDayNotice{Location: sheet.Location, School: sheet.School, StudyDay: sheet.StudyDay, Minimum: 3,
		Decision: data.StudyDayDecision{LocationID: 1, Outcome: data.OutcomeCancelled, By: "Priya Ramdin", At: sheetPrinted.Add(-time.Hour)}}
	for _, r := range sheet.Rows {
		n.Children = append(n.Children, r.Child)
	}
	return n
}

// S2, L1: a page per child, addressed to the child's parents, Dutch and
// English, with every diacritic intact; without children one page for the board.
func TestStudyDayNoticePDF_S2_L1_APagePerChildBothLanguages(t *testing.T) {
	n := studyDayNotice(2)
	var buf bytes.Buffer
	if err := StudyDayNoticePDF(&buf, n, sheetPrinted); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, buf.Bytes())
	if len(pages) != 2 {
		t.Fatalf("%d pages, want one per child", len(pages))
	}
	for i, c := range n.Children {
		flat := strings.Join(strings.Fields(pages[i]), " ")
		for _, want := range []string{"Beste ouders van " + c.Name(), "Dear parents of " + c.Name(), "gaat de opvang op deze dag niet door",
			"nothing will be charged", "donderdag 3 december 2026", "Thursday 3 December 2026", "minder dan 3 kinderen", "OBS De Regenboog", "De Vlinder"} {
			if !strings.Contains(flat, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, flat)
			}
		}
	}
	var board bytes.Buffer
	if err := StudyDayNoticePDF(&board, studyDayNotice(0), sheetPrinted); err != nil {
		t.Fatal(err)
	}
	if pages := pdfPages(t, board.Bytes()); len(pages) != 1 || !strings.Contains(pages[0], "Beste ouders,") {
		t.Errorf("notice without children: %d pages %q", len(pages), pages)
	}
}
