package ui

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// auditOf returns the Logboek among the shell's screens.
func auditOf(t *testing.T, sh *Shell) *auditScreen {
	t.Helper()
	for _, s := range sh.screens {
		if a, ok := s.(*auditScreen); ok {
			return a
		}
	}
	t.Fatal("the manager has no Logboek")
	return nil
}

// TestAuditScreen_ShowsWhoDidWhat: the manager's Logboek shows a check-in
// made a moment ago in words, with who made it, and the filters narrow it.
func TestAuditScreen_ShowsWhoDidWhat(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary)

	log := auditOf(t, sh)
	if len(log.lines) == 0 {
		t.Fatal("the log is empty after a check-in")
	}
	want := "Marieke de Boer · Ingecheckt · " + row.row.Child.Name() + " · 25-11-2026 · niets vastgelegd → binnen 09:30"
	if got := log.lines[0].text(); got != want {
		t.Fatalf("newest entry reads %q, want %q", got, want)
	}

	log.childSelect.SetSelected(row.row.Child.Name())
	if len(log.lines) != 1 || log.lines[0].Action != "Ingecheckt" {
		t.Fatalf("filtered on %s: %+v", row.row.Child.Name(), log.lines)
	}
	log.childSelect.SetSelectedIndex(0)
	log.userSelect.SetSelected("Tess Janssen")
	if len(log.lines) != 0 {
		t.Fatalf("filtered on Tess, the log still shows %d entries", len(log.lines))
	}
	log.userSelect.SetSelected("Marieke de Boer")
	log.dateEntry.SetText("2026-25-11")
	if log.message.Text != "Vul een dag in als DD-MM-JJJJ" {
		t.Fatalf("a malformed day shows %q", log.message.Text)
	}
	log.dateEntry.SetText("25-11-2026")
	if len(log.lines) != 1 || log.lines[0].Action != "Ingecheckt" {
		t.Fatalf("Marieke on 25-11-2026: %+v", log.lines)
	}
	log.dateEntry.SetText("")
	log.userSelect.SetSelectedIndex(0) // a sign-in is written before anyone is signed in
	log.actionSelect.SetSelected("Aangemeld")
	if len(log.lines) != 1 || !strings.Contains(log.lines[0].Detail, "Marieke de Boer is aangemeld") {
		t.Fatalf("sign-ins: %+v", log.lines)
	}
}

// TestAuditScreen_RequestsNameTheChildAndTheReason: a request's entries name
// the child, and a rejection shows its reason, in English too.
func TestAuditScreen_RequestsNameTheChildAndTheReason(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	kdv, _ := twoGroupsWaiting(t, db)
	if err := sh.store.RejectRequest(t.Context(), kdv.ID, demoManager.Name, "The group is full"); err != nil {
		t.Fatal(err)
	}
	child, _ := db.Child(t.Context(), kdv.ChildID)
	log := auditOf(t, sh)
	log.actionSelect.SetSelected("Request rejected")
	if len(log.lines) != 1 {
		t.Fatalf("rejections: %+v", log.lines)
	}
	l := log.lines[0]
	if l.Child != child.Name() || !strings.Contains(l.Detail, "rejected — reason: The group is full") || l.Day != shortDate(kdv.Date) {
		t.Errorf("rejection reads %+v", l)
	}
	log.actionSelect.SetSelected("Extra care requested")
	if len(log.lines) != 2 || log.lines[1].Child == "" || strings.Contains(log.lines[1].text(), "SubmitRequest") {
		t.Errorf("requests: %+v", log.lines)
	}
}

// TestAuditExport_WholeOrNothing: the CSV holds the filtered lines under a
// header in the window's language; a write that fails leaves no file.
func TestAuditExport_WholeOrNothing(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary)
	log := auditOf(t, sh)
	log.childSelect.SetSelected(row.row.Child.Name())

	path := filepath.Join(t.TempDir(), "logboek.csv")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if err := writeWhole(w, func(b io.Writer) error { return writeAuditCSV(b, log.lines) }); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	r := csv.NewReader(bytes.NewReader(raw))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil || len(records) != 2 || strings.Join(records[0], "|") != "Tijd|Wie|Handeling|Kind|Dag|Details" ||
		records[1][2] != "Ingecheckt" || records[1][3] != row.row.Child.Name() {
		t.Fatalf("CSV %q (%v)", records, err)
	}

	broken := filepath.Join(t.TempDir(), "kapot.csv")
	w, err = storage.Writer(storage.NewFileURI(broken))
	if err != nil {
		t.Fatal(err)
	}
	if err := writeWhole(w, func(io.Writer) error { return errors.New("disk full") }); err == nil {
		t.Fatal("a failed export reported success")
	}
	if _, err := os.Stat(broken); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left a file: %v", err)
	}
}

// TestAuditDetail_ChildrenAndContractsInWords: the store's words for
// children and contracts are said in the window's language, dates dd-mm-jjjj.
func TestAuditDetail_ChildrenAndContractsInWords(t *testing.T) {
	test.NewTempApp(t)
	if err := UseLanguage(LanguageDutch); err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]string{
		"child Zoë de Vries added":                                       "toegevoegd",
		"picture of Zoë de Vries changed":                                "foto gewijzigd",
		"contract " + string(data.ProductKDV) + " from 2026-12-01 added": "contract KDV vanaf 01-12-2026",
		`Zoë de Vries moves to group "Rupsjes" from 2026-12-01`:          "naar groep Rupsjes vanaf 01-12-2026",
		"children exported: 1 contract lines":                            "kinderen uitgevoerd: 1 contractregel",
		"something else":                                                 "",
	} {
		if got := childrenDetailText(text); got != want {
			t.Errorf("%q reads %q, want %q", text, got, want)
		}
	}
}

// TestAuditDescribe_NamesTheDevice: a change made on a paired device shows
// the device beside the person; pairing and unpairing are said in words.
func TestAuditDescribe_NamesTheDevice(t *testing.T) {
	test.NewTempApp(t)
	if err := UseLanguage(LanguageDutch); err != nil {
		t.Fatal(err)
	}
	var d auditDescriber
	onTablet := d.describe(data.AuditEntry{Who: "Tess Janssen", Device: "Rupsjes tablet", Action: data.AuditRevokeDevice})
	if onTablet.Who != "Tess Janssen (Rupsjes tablet)" || onTablet.Action != "Apparaat ontkoppeld" {
		t.Errorf("an entry made on a tablet reads %q · %q", onTablet.Who, onTablet.Action)
	}
	here := d.describe(data.AuditEntry{Who: data.SystemName, Action: data.AuditPairDevice})
	if here.Who != "systeem" || here.Action != "Apparaat gekoppeld" {
		t.Errorf("an entry of the hub's own computer reads %q · %q", here.Who, here.Action)
	}
}
