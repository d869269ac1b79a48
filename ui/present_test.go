package ui

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// childrenToCome are the first n children still to come today on a demo group's list.
func childrenToCome(t *testing.T, db *boltstore.DB, groupID data.ID, n int) []data.Child {
	t.Helper()
	l, err := db.DayList(t.Context(), groupID, db.Today())
	if err != nil {
		t.Fatal(err)
	}
	var out []data.Child
	for _, r := range l.Rows {
		if r.Attendance.Status() == data.StatusToCome && len(out) < n {
			out = append(out, r.Child)
		}
	}
	if len(out) < n {
		t.Fatalf("group %d has %d children to come, want %d", groupID, len(out), n)
	}
	return out
}

func checkIn(t *testing.T, db *boltstore.DB, groupID data.ID, c data.Child, at data.Clock) {
	t.Helper()
	if err := db.CheckIn(t.Context(), data.DayEdit{Date: db.Today(), GroupID: groupID, ChildID: c.ID, By: "test"}, at); err != nil {
		t.Fatal(err)
	}
}

// tapScreenButton taps the button with the given text on the screen, not on a dialog.
func tapScreenButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q", text)
}

// TestPresent_ButtonOpensWhoIsHere: the attendance screen's button shows
// the children checked in and not gone home, and follows the next check-in
// while open.
func TestPresent_ButtonOpensWhoIsHere(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	kids := childrenToCome(t, db, 1, 3)
	here, gone, later := kids[0], kids[1], kids[2]
	checkIn(t, db, 1, here, data.NewClock(8, 10))
	checkIn(t, db, 1, gone, data.NewClock(8, 0))
	if err := db.CheckOut(t.Context(), data.DayEdit{Date: db.Today(), GroupID: 1, ChildID: gone.ID, By: "test"}, data.NewClock(9, 0)); err != nil {
		t.Fatal(err)
	}

	tapScreenButton(t, sh.window, "Wie is er nu?")

	list, err := db.PresentNow(t.Context(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	text := dialogText(t, sh.window)
	for _, want := range []string{"Wie is er nu?", here.Name(), "binnen sinds 08:10", demoLocationCounts(list), "09:30:00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the list lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, gone.Name()) {
		t.Errorf("%s went home but is on the list", gone.Name())
	}
	if !strings.Contains(text, "Nog niet binnen: ") || !strings.Contains(text, later.Name()) {
		t.Errorf("%s, still to come, is not among those not here yet:\n%s", later.Name(), text)
	}

	checkIn(t, db, 1, later, data.NewClock(9, 30))
	if text := dialogText(t, sh.window); !strings.Contains(text, "binnen sinds 09:30") {
		t.Errorf("the list does not follow %s's check-in:\n%s", later.Name(), text)
	}
}

// TestPresent_EscapeCloses: the list is a dialog like any other.
func TestPresent_EscapeCloses(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	tapScreenButton(t, sh.window, "Wie is er nu?")
	if sh.window.Canvas().Overlays().Top() == nil {
		t.Fatal("the list did not open")
	}
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the list open")
	}
}

func demoLocationCounts(list data.PresentList) string {
	return fmt.Sprintf("Aanwezig: %d · nog niet binnen: %d", list.Total(), list.TotalNotHere())
}

// TestPresent_PrintOpensThePDFAndLogsWho: printing reads the list again,
// opens the PDF in the viewer and logs the print under the signed-in user.
func TestPresent_PrintOpensThePDFAndLogsWho(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	child := childrenToCome(t, db, 2, 1)[0]
	var opened []*url.URL
	v := &presentView{store: sh.store, window: sh.window, jobs: sh.session.sub(), locationID: 1, printDir: t.TempDir(),
		openURL: func(u *url.URL) error { opened = append(opened, u); return nil }}
	v.show()
	checkIn(t, db, 2, child, data.NewClock(9, 15))

	test.Tap(v.printButton)

	if len(opened) != 1 || opened[0].Scheme != "file" {
		t.Fatalf("opened %v, want one file:// URL", opened)
	}
	path := filepath.FromSlash(opened[0].Path)
	if filepath.Dir(path) != v.printDir || !strings.HasPrefix(filepath.Base(path), "wie-is-er-2026-11-25-0930-") {
		t.Errorf("PDF at %s, want a wie-is-er file in the print folder %s", path, v.printDir)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(out), child.Name()) || !strings.Contains(string(out), "Who is here now?") {
		t.Errorf("the printed list lacks %s or its heading:\n%s", child.Name(), out)
	}
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: "LogPrint"})
	if err != nil || len(entries) != 1 || entries[0].Who != demoManager.Name || !strings.Contains(entries[0].Detail, "who-is-here list") {
		t.Fatalf("print log %+v, %v", entries, err)
	}
}

func TestPresent_SaveAsPDF(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	v := &presentView{store: sh.store, window: sh.window, jobs: sh.session.sub(), locationID: 1}
	v.show()
	path := filepath.Join(t.TempDir(), "list.pdf")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	v.writeTo(f, "list.pdf") // what the save dialog's callback does with the chosen file

	if got := dialogText(t, sh.window); !strings.Contains(got, "The list is saved as list.pdf.") {
		t.Errorf("message %q", got)
	}
	raw, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(raw), "%PDF-") {
		t.Errorf("saved file is no PDF (%d bytes, %v)", len(raw), err)
	}
	if entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "LogPrint"}); len(entries) != 1 || !strings.Contains(entries[0].Detail, "saved as list.pdf") {
		t.Errorf("save log %+v", entries)
	}
}
