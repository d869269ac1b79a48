package ui

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// chooseEntry selects the calendar line with the given name.
func chooseEntry(t *testing.T, c *calendarScreen, name string) {
	t.Helper()
	for i, e := range c.entries {
		if n, _ := c.entryText(e); n == name {
			c.list.Select(i)
			return
		}
	}
	t.Fatalf("no %q in the calendar of %s", name, c.schoolSelect.Selected)
}

// firstUncovered is the first child of the overview with the contract button.
func firstUncovered(t *testing.T, c *calendarScreen) *holidayChildRow {
	t.Helper()
	for _, hc := range c.overview.Children {
		if r := c.rows[hc.Child.ID]; hc.Cover == data.CoverNone && r.contract.Visible() {
			return r
		}
	}
	t.Fatal("no child without holiday cover")
	return nil
}

// typeInDialog types text into the n-th entry of the open dialog.
func typeInDialog(t *testing.T, c *calendarScreen, n int, text string) {
	t.Helper()
	i := 0
	for _, o := range test.LaidOutObjects(c.window.Canvas().Overlays().Top()) {
		if f, ok := o.(*field); ok {
			e := &f.Entry
			if i == n {
				e.SetText("")
				test.Type(e, text)
				return
			}
			i++
		}
	}
	t.Fatalf("the dialog has no entry %d", n)
}

// TestCalendar_V2_NoContractActionAfterTheDeadline: after the deadline the
// holiday-contract action is not offered, rather than refused once the days are typed.
func TestCalendar_V2_NoContractActionAfterTheDeadline(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	c := sh.calendar
	if c.schoolSelect.Selected != demo.SchoolRegenbog {
		t.Fatalf("school %q", c.schoolSelect.Selected)
	}
	// The Kerstvakantie starts on Saturday 19 December; five weeks before is 14 November, 11 days ago.
	chooseEntry(t, c, "Kerstvakantie")
	if want := "De uiterste datum voor vakantiecontracten was zaterdag 14 november 2026, 11 dagen geleden."; c.deadline.Text != want {
		t.Errorf("deadline %q, want %q", c.deadline.Text, want)
	}
	uncovered := 0
	for _, hc := range c.overview.Children {
		r := c.rows[hc.Child.ID]
		if r.contract.Visible() {
			t.Errorf("%s is offered a holiday contract after the deadline", hc.Child.Name())
		}
		if hc.Cover == data.CoverNone {
			uncovered++
			if !strings.Contains(r.detail.Text, "uiterste datum is voorbij") {
				t.Errorf("%s: %q does not say the deadline has passed", hc.Child.Name(), r.detail.Text)
			}
		}
	}
	if uncovered == 0 {
		t.Fatal("no child without cover to check")
	}
	if cs, _ := db.Contracts(t.Context(), c.overview.Children[0].Child.ID); len(cs) != 1 {
		t.Errorf("contracts changed: %d", len(cs))
	}
}

func TestCalendar_V2_ContractInTimeCoversTheChild(t *testing.T) {
	sh, _ := newTestShell(t, LanguageEnglish)
	c := sh.calendar
	chooseEntry(t, c, "Voorjaarsvakantie") // from 20 February 2027: deadline 16 January, 52 days ahead
	if want := "Holiday contracts can be arranged until Saturday 16 January 2027: 52 days left."; c.deadline.Text != want {
		t.Errorf("deadline %q, want %q", c.deadline.Text, want)
	}
	before := c.overview.Uncovered()
	row := firstUncovered(t, c)
	test.Tap(row.contract)
	typeInDialog(t, c, 0, "8")
	tapDialogButton(t, sh.window, "Save")

	if c.overview.Uncovered() != before-1 {
		t.Errorf("%d without cover after the contract, want %d", c.overview.Uncovered(), before-1)
	}
	if !strings.HasSuffix(row.detail.Text, "· holiday contract") || row.contract.Visible() {
		t.Errorf("%s: %q, button visible %v", row.child.Child.Name(), row.detail.Text, row.contract.Visible())
	}
	want := fmt.Sprintf("%d of %d school-weeks children have no holiday contract or booked day.", before-1, len(c.overview.Children))
	if c.summary.Text != want {
		t.Errorf("summary %q, want %q", c.summary.Text, want)
	}
}

// schoolICS holds a holiday and a study day of OBS De Regenboog, between the demo's holidays.
const schoolICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//OBS De Regenboog//NL\r\n" +
	"BEGIN:VEVENT\r\nUID:pasen-2027@regenboog.nl\r\nDTSTAMP:20260901T080000Z\r\nDTSTART;VALUE=DATE:20270326\r\nDTEND;VALUE=DATE:20270330\r\nSUMMARY:Paasvakantie\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:studiedag-maart-2027@regenboog.nl\r\nDTSTAMP:20260901T080000Z\r\nDTSTART;VALUE=DATE:20270317\r\nSUMMARY:Studiedag\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:ouderavond@regenboog.nl\r\nDTSTAMP:20260901T080000Z\r\nDTSTART:20270310T193000\r\nSUMMARY:Ouderavond\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestCalendar_S1_ImportTheSameFileTwice(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	c := sh.calendar
	entries := len(c.entries)

	c.importFile(c.schoolID, io.NopCloser(strings.NewReader(schoolICS)), "regenboog.ics")
	want := "regenboog.ics: 2 nieuw, 0 gewijzigd, 0 stonden er al in. 1 afspraken met een tijdstip of die zich herhalen zijn overgeslagen."
	if got := dialogText(t, sh.window); !strings.Contains(got, want) {
		t.Errorf("message %q, want %q", got, want)
	}
	if len(c.entries) != entries+2 {
		t.Errorf("%d lines in the calendar, want %d", len(c.entries), entries+2)
	}
	chooseEntry(t, c, "Paasvakantie")
	if !strings.Contains(c.detailTitle.Text, "vrijdag 26 maart 2027 – maandag 29 maart 2027") {
		t.Errorf("title %q", c.detailTitle.Text)
	}
	if !strings.Contains(strings.Join(sh.studyDay.daySelect.Options, "|"), "woensdag 17 maart 2027 · "+demo.SchoolRegenbog) {
		t.Errorf("the imported study day is not in the study-days tab: %v", sh.studyDay.daySelect.Options)
	}

	c.importFile(c.schoolID, io.NopCloser(strings.NewReader(schoolICS)), "regenboog.ics")
	if got := dialogText(t, sh.window); !strings.Contains(got, "0 nieuw, 0 gewijzigd, 2 stonden er al in") {
		t.Errorf("second import: %q", got)
	}
	if len(c.entries) != entries+2 {
		t.Errorf("%d lines after importing again, want %d", len(c.entries), entries+2)
	}
}

func TestCalendar_S1_DamagedFileImportsNothing(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	c := sh.calendar
	entries := len(c.entries)
	c.importFile(c.schoolID, io.NopCloser(strings.NewReader(schoolICS[:200])), "kapot.ics")
	if got := dialogText(t, sh.window); !strings.Contains(got, "Dit bestand is niet te lezen als schoolkalender (.ics); er is niets geïmporteerd. Het eindigt niet met END:VCALENDAR") {
		t.Errorf("message %q", got)
	}
	if len(c.entries) != entries {
		t.Errorf("%d lines after a damaged file, want %d", len(c.entries), entries)
	}
}

func TestCalendar_S1_AddStudyDayByHandAndOpenItsSheet(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	c := sh.calendar
	c.onAddStudyDay()
	typeInDialog(t, c, 0, "Studiemiddag team")
	typeInDialog(t, c, 1, "17-03-2027")
	tapDialogButton(t, sh.window, "Opslaan")

	var added *data.StudyDay
	for _, e := range c.entries {
		if e.studyDay != nil && e.studyDay.Date == data.NewDate(2027, time.March, 17) {
			added = e.studyDay
		}
	}
	if added == nil {
		t.Fatalf("17 March 2027 is not in the calendar")
	}
	if added.Name != "Studiemiddag team" {
		t.Errorf("the study day is named %q, want only what was typed", added.Name)
	}
	for i, e := range c.entries {
		if e.studyDay == added {
			c.list.Select(i)
		}
	}
	test.Tap(c.sheetButton)
	if sh.tabs.Selected() != sh.studyDayTab || sh.studyDay.daySelect.Selected != "woensdag 17 maart 2027 · "+demo.SchoolRegenbog {
		t.Errorf("tab %q, study day %q", sh.tabs.Selected().Text, sh.studyDay.daySelect.Selected)
	}
}

func TestCalendar_A1_StudyDayOnAHolidayRefused(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	c := sh.calendar
	entries := len(c.entries)
	c.onAddStudyDay()
	typeInDialog(t, c, 0, "Studiedag")
	typeInDialog(t, c, 1, "22-12-2026") // in the Kerstvakantie
	tapDialogButton(t, sh.window, "Opslaan")
	if got := dialogText(t, sh.window); !strings.Contains(got, "Op dinsdag 22 december 2026 heeft deze school Kerstvakantie.") {
		t.Errorf("message %q", got)
	}
	if len(c.entries) != entries {
		t.Errorf("a refused study day was added")
	}
}
