package ui

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/demo"
	"locatiedesk/reports"
)

// closingBuffer is a file the save dialog would hand over.
type closingBuffer struct {
	bytes.Buffer
	closed bool
}

func (b *closingBuffer) Close() error { b.closed = true; return nil }

// exportDecember opens the export screen on December 2026, which holds the
// demo's study day with its two sign-ups; they are below the minimum of
// three, and the planner has let care go ahead, so they are billed.
func exportDecember(t *testing.T, language string) (*Shell, *exportScreen, *boltstore.DB) {
	t.Helper()
	sh, db := newTestShell(t, language)
	sd := demo.Build(data.DateOf(testNow)).StudyDays[0]
	if err := db.DecideStudyDay(t.Context(), 1, sd.SchoolID, sd.Date, data.OutcomeGoesAhead, "Priya Ramdin"); err != nil {
		t.Fatal(err)
	}
	s := sh.export
	sh.tabs.Select(sh.exportTab)
	s.fromEntry.SetText("01-12-2026")
	s.toEntry.SetText("31-12-2026")
	return sh, s, db
}

func TestExport_F1_OpensOnLastMonth(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.export
	if s.status.Text != "" {
		t.Errorf("the preview was counted before the tab was opened: %q", s.status.Text)
	}
	sh.tabs.Select(sh.exportTab)
	if s.fromEntry.Text != "01-10-2026" || s.toEntry.Text != "31-10-2026" || s.locationSelect.Selected != "Alle locaties" {
		t.Errorf("opens on %s – %s, %q; want October 2026 at every location", s.fromEntry.Text, s.toEntry.Text, s.locationSelect.Selected)
	}
	if s.status.Text != "Niets nieuws te factureren in deze periode, en niets te corrigeren." || !s.csvButton.Disabled() || !s.xlsxButton.Disabled() {
		t.Errorf("October shows %q with export enabled=%v", s.status.Text, !s.csvButton.Disabled())
	}
	if got := labelTexts(s.batchesBox); !slices.Equal(got, []string{"Nog geen exports."}) {
		t.Errorf("earlier exports %q", got)
	}
}

func TestExport_F1_PreviewCountsAndTotalsPerProduct(t *testing.T) {
	_, s, _ := exportDecember(t, LanguageDutch)
	if s.status.Text != "2 regels: 2 nieuw, 0 correcties" || s.csvButton.Disabled() || s.xlsxButton.Disabled() {
		t.Fatalf("December shows %q, export enabled=%v", s.status.Text, !s.csvButton.Disabled())
	}
	// The demo signs up one child for the whole opening day (11 hours) and one 08:30–17:00.
	want := []string{"Product", "Regels", "Uren tegoed", "Uren op factuur", "Dagen", "studiedag bso", "2", "0:00", "19:30", "1,77"}
	if got := labelTexts(s.totals); !slices.Equal(got, want) {
		t.Errorf("totals %q, want %q", got, want)
	}

	s.fromEntry.SetText("31-02-2026")
	if s.status.Text != "Vul een datum in als DD-MM-JJJJ" || !s.csvButton.Disabled() {
		t.Errorf("an impossible date shows %q, export enabled=%v", s.status.Text, !s.csvButton.Disabled())
	}
	s.fromEntry.SetText("01-01-2027")
	if s.status.Text != "De laatste dag valt voor de eerste dag." || !s.csvButton.Disabled() {
		t.Errorf("a period ending before it starts shows %q", s.status.Text)
	}
}

func TestExport_F1_ExportRecordsABatchAndSavesItAgainTheSame(t *testing.T) {
	sh, s, _ := exportDecember(t, LanguageDutch)
	var file closingBuffer
	s.exportTo(&file, "december.csv", reports.FormatCSV) // what the save dialog's callback does

	if got := dialogText(t, sh.window); !strings.Contains(got, "Batch 1 met 2 regels is opgeslagen als december.csv.") {
		t.Errorf("message %q", got)
	}
	sh.window.Canvas().Overlays().Top().Hide()
	lines := strings.Split(strings.TrimSuffix(file.String(), "\r\n"), "\r\n")
	if !file.closed || len(lines) != 3 || !strings.HasPrefix(lines[0], "\uFEFFBatch;") || !strings.HasPrefix(lines[1], "1;nieuw;") {
		t.Fatalf("file (closed=%v):\n%s", file.closed, file.String())
	}
	if s.status.Text != "Niets nieuws te factureren in deze periode, en niets te corrigeren." || !s.csvButton.Disabled() {
		t.Errorf("after exporting, the preview shows %q", s.status.Text)
	}
	rows := labelTexts(s.batchesBox)
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "Batch 1 · 01-12-2026 t/m 31-12-2026 · Alle locaties · 2 regels · 25-11-2026 09:30 door Marieke de Boer") {
		t.Fatalf("earlier exports %q", rows)
	}

	batches, err := sh.store.InvoiceBatches(t.Context())
	if err != nil || len(batches) != 1 {
		t.Fatal(batches, err)
	}
	var again closingBuffer
	s.saveBatchTo(&again, "again.csv", reports.FormatCSV, batches[0])
	if !bytes.Equal(again.Bytes(), file.Bytes()) {
		t.Errorf("batch 1 saved again differs:\n%s", again.String())
	}
	if got := dialogText(t, sh.window); !strings.Contains(got, "Batch 1 met 2 regels is opgeslagen als again.csv.") {
		t.Errorf("message %q", got)
	}
}

func TestExport_F1_A2_PreviewFollowsACancelledSignUp(t *testing.T) {
	sh, s, db := exportDecember(t, LanguageEnglish)
	s.exportTo(&closingBuffer{}, "december.xlsx", reports.FormatXLSX)
	sh.window.Canvas().Overlays().Top().Hide()

	// The office takes one child off the returned sheet: no tap on this screen.
	ds := demo.Build(data.DateOf(testNow))
	kept := ds.SignUps[0]
	err := db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: 1, SchoolID: kept.SchoolID, Date: kept.Date, By: "Priya",
		Children: []data.SignUpEntry{{ChildID: kept.ChildID, Times: kept.Times}}})
	if err != nil {
		t.Fatal(err)
	}
	if s.status.Text != "1 line: 0 new, 1 correction" || s.csvButton.Disabled() {
		t.Errorf("after the cancellation the preview shows %q", s.status.Text)
	}
	want := []string{"Product", "Lines", "Credit hours", "Invoiced hours", "Days", "studiedag bso", "1", "0:00", "-8:30", "-0.77"}
	if got := labelTexts(s.totals); !slices.Equal(got, want) {
		t.Errorf("totals %q, want %q: the cancelled sign-up taken back", got, want)
	}
}

func TestCountLines_F1_ReportsProgressToTheEnd(t *testing.T) {
	lines := func(yield func(data.InvoiceLine, error) bool) {
		for range 1200 {
			if !yield(data.InvoiceLine{}, nil) {
				return
			}
		}
	}
	var seen []float64
	n := 0
	for range countLines(lines, 1200, func(f float64) { seen = append(seen, f) }) {
		n++
	}
	if n != 1200 || !slices.Equal(seen, []float64{500.0 / 1200, 1000.0 / 1200, 1}) {
		t.Errorf("%d lines, progress %v", n, seen)
	}
}
