package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// TestAuditScreen_ShowsWhoDidWhat: the manager's Logboek shows a check-in
// made a moment ago with who made it, and the filters narrow it.
func TestAuditScreen_ShowsWhoDidWhat(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary)

	var log *auditScreen
	for _, s := range sh.screens {
		if a, ok := s.(*auditScreen); ok {
			log = a
		}
	}
	if log == nil {
		t.Fatal("the manager has no Logboek")
	}
	if len(log.entries) == 0 {
		t.Fatal("the log is empty after a check-in")
	}
	first := log.entries[0]
	line := log.describe(first)
	if line != "Marieke de Boer · CheckIn · "+row.row.Child.Name()+" · 2026-11-25 · nothing recorded → in 09:30" {
		t.Fatalf("newest entry reads %q", line)
	}

	log.childSelect.SetSelected(row.row.Child.Name())
	if len(log.entries) != 1 || log.entries[0].Action != "CheckIn" {
		t.Fatalf("filtered on %s: %+v", row.row.Child.Name(), log.entries)
	}
	log.childSelect.SetSelectedIndex(0)
	log.userSelect.SetSelected("Tess Janssen")
	if len(log.entries) != 0 {
		t.Fatalf("filtered on Tess, the log still shows %d entries", len(log.entries))
	}
	log.userSelect.SetSelected("Marieke de Boer")
	log.dateEntry.SetText("25-11-2026")
	if log.message.Text != "Vul een dag in als JJJJ-MM-DD" {
		t.Fatalf("a malformed day shows %q", log.message.Text)
	}
	log.dateEntry.SetText("2026-11-25")
	if len(log.entries) != 1 || log.entries[0].Action != "CheckIn" {
		t.Fatalf("Marieke on 2026-11-25: %+v", log.entries)
	}
}
