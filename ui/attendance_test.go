package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// demoManager signs in for the screen tests: the location manager may do everything there.
var demoManager = demo.Users[0]

// testNow is a Wednesday morning in the demo's school term.
var testNow = time.Date(2026, time.November, 25, 9, 30, 0, 0, time.Local)

// newTestShell opens a demo store on a temp file and the main window on it,
// with store writes run inline so a tap's effect is visible when Tap returns.
func newTestShell(t *testing.T, language string) (*Shell, *boltstore.DB) {
	t.Helper()
	return newTestShellAs(t, language, demoManager)
}

// newTestShellAs is newTestShell signed in as one of the demo's users.
func newTestShellAs(t *testing.T, language string, u data.NewUser) (*Shell, *boltstore.DB) {
	t.Helper()
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "test.db")
	if err := os.WriteFile(path, demoFile(t), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newTestShellOn(t, language, u, db)
}

// demoSeeded is the demo data file of testNow, seeded once per test run:
// seeding hashes every demo PIN with bcrypt, which under the race detector
// costs seconds a test.
var demoSeeded struct {
	once  sync.Once
	bytes []byte
	err   error
}

// demoFile returns the bytes of a data file holding the demo of testNow.
func demoFile(t *testing.T) []byte {
	t.Helper()
	demoSeeded.once.Do(func() {
		dir, err := os.MkdirTemp("", "locatiedesk-ui-demo-")
		if err != nil {
			demoSeeded.err = err
			return
		}
		defer os.RemoveAll(dir)
		db, err := boltstore.Open(filepath.Join(dir, "demo.db"), boltstore.WithClock(func() time.Time { return testNow }))
		if err != nil {
			demoSeeded.err = err
			return
		}
		if demoSeeded.err = db.Seed(t.Context(), demo.Build(data.DateOf(testNow))); demoSeeded.err == nil {
			var buf bytes.Buffer
			_, demoSeeded.err = db.WriteBackup(t.Context(), &buf)
			demoSeeded.bytes = buf.Bytes()
		}
		db.Close()
	})
	if demoSeeded.err != nil {
		t.Fatalf("seed the demo: %v", demoSeeded.err)
	}
	return demoSeeded.bytes
}

// newTestShellOn opens a second window on the same store, signed in as u.
func newTestShellOn(t *testing.T, language string, u data.NewUser, db *boltstore.DB) (*Shell, *boltstore.DB) {
	t.Helper()
	a := fyne.CurrentApp()
	if err := UseLanguage(language); err != nil {
		t.Fatal(err)
	}
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(1200, 800))
	sh := &Shell{app: a, window: w, base: db, async: func(f func()) { f() }}
	actor, err := db.SignIn(t.Context(), u.ID, u.Secret)
	if err != nil {
		t.Fatal(err)
	}
	sh.signedIn(actor)
	if sh.approvals != nil {
		sh.approvals.undoFor = time.Hour // the undo bar stays while a test looks at it
	}
	t.Cleanup(sh.Close)
	return sh, db
}

// firstRowWithStatus returns the first child row in the given status.
func firstRowWithStatus(t *testing.T, s *attendanceScreen, status data.Status) *childRow {
	t.Helper()
	for _, r := range s.list.Rows {
		if r.Attendance.Status() == status {
			return s.rows[r.Child.ID]
		}
	}
	t.Fatalf("no child with status %s on the list of %s", status, s.date)
	return nil
}

// tapDialogButton taps the button with the given text on the top overlay (a dialog).
func tapDialogButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog open to tap %q on", text)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("dialog has no button %q", text)
}

func TestAttendance_A4_TapCheckInShowsTime(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.attendance
	if got := s.groupSelect.Selected; got != demo.GroupBabies {
		t.Fatalf("opens on group %q, want %q", got, demo.GroupBabies)
	}
	if !strings.HasPrefix(s.dateButton.Text, "woensdag 25 november 2026") {
		t.Fatalf("date shows %q, want today", s.dateButton.Text)
	}
	before := s.list.Counts()
	row := firstRowWithStatus(t, s, data.StatusToCome)
	if row.primary.Text != "Inchecken" || row.primary.Disabled() {
		t.Fatalf("primary button %q disabled=%v, want an enabled Inchecken", row.primary.Text, row.primary.Disabled())
	}

	test.Tap(row.primary)

	if row.times.Text != "09:30 –" {
		t.Errorf("times show %q after check-in at 09:30", row.times.Text)
	}
	if row.status.Text != "Aanwezig" || row.primary.Text != "Uitchecken" {
		t.Errorf("after check-in status %q and button %q", row.status.Text, row.primary.Text)
	}
	want := "Verwacht 9 · Aanwezig 1 · Afwezig 1 · Nog te komen 7"
	if before.Present != 0 || s.counts.Text != want {
		t.Errorf("counts %q, want %q", s.counts.Text, want)
	}
}

func TestAttendance_A3_OtherDateReadOnlyUntilUnlocked(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.attendance
	test.Tap(s.dateButton) // opens the calendar; choosing the day before goes through setDate
	sh.window.Canvas().Overlays().Top().Hide()
	s.setDate(s.date.AddDays(-1))

	row := firstRowWithStatus(t, s, data.StatusToCome)
	if !row.primary.Disabled() || !row.absent.Disabled() || !row.note.Disabled() {
		t.Fatal("yesterday's actions are enabled before unlocking")
	}
	if s.readOnly.Hidden || !s.banner.Hidden {
		t.Fatal("yesterday should show the read-only line and no banner")
	}

	test.Tap(s.unlockButton)
	tapDialogButton(t, sh.window, "Ja")

	if row.primary.Disabled() {
		t.Fatal("check-in still disabled after Ontgrendelen")
	}
	if s.banner.Hidden || !strings.Contains(s.bannerText.Text, "dinsdag 24 november 2026") {
		t.Fatalf("banner hidden=%v text %q, want it naming the unlocked date", s.banner.Hidden, s.bannerText.Text)
	}
	// A day gone by: a child without a record was never registered, and
	// checking in asks the time instead of stamping the clock.
	if row.status.Text != "Niet geregistreerd" || !strings.Contains(s.counts.Text, "Niet geregistreerd") || strings.Contains(s.counts.Text, "Nog te komen") {
		t.Fatalf("yesterday's row %q, counts %q", row.status.Text, s.counts.Text)
	}
	test.Tap(row.primary)
	if row.timeDialog == nil || row.status.Text != "Niet geregistreerd" {
		t.Fatalf("check-in on a past day stored without asking the time: %q", row.status.Text)
	}
	entry := sh.window.Canvas().Focused().(*field)
	entry.SetText("")
	test.Type(entry, "08:05")
	tapDialogButton(t, sh.window, "Opslaan")
	if row.status.Text != "Aanwezig" || row.times.Text != "08:05 –" {
		t.Fatalf("check-in on the unlocked day shows %q at %q, want 08:05 as typed", row.status.Text, row.times.Text)
	}

	s.setDate(s.date.AddDays(-1)) // moving to another date locks again
	if !s.banner.Hidden || s.readOnly.Hidden {
		t.Fatal("moving to another date did not lock again")
	}
}

func TestAttendance_A2_ChangeElsewhereShowsAtOnce(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.attendance
	row := firstRowWithStatus(t, s, data.StatusToCome)

	// Another tablet (another writer on the same store) reports the child sick.
	err := db.MarkAbsent(t.Context(), data.DayEdit{Date: s.date, GroupID: s.groupID, ChildID: row.childID, By: "office"}, data.AbsenceSick)
	if err != nil {
		t.Fatal(err)
	}

	if row.status.Text != "Afwezig: Ziek" {
		t.Fatalf("status %q without any refresh, want Afwezig: Ziek", row.status.Text)
	}
}

func TestAttendance_A4_AbsentWithReasonAndNote(t *testing.T) {
	sh, _ := newTestShell(t, LanguageEnglish)
	s := sh.attendance
	row := firstRowWithStatus(t, s, data.StatusToCome)

	test.Tap(row.absent)
	tapDialogButton(t, sh.window, "Day off")
	if row.status.Text != "Absent: Day off" {
		t.Fatalf("status %q, want Absent: Day off", row.status.Text)
	}
	if !row.primary.Disabled() && row.primary.Text != "Check in" {
		t.Fatalf("an absent child can still be checked in when they come after all, got %q", row.primary.Text)
	}

	test.Tap(row.note)
	top := sh.window.Canvas().Overlays().Top()
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*field); ok && e.MultiLine {
			test.Type(e, "Grandma picks up")
		}
	}
	tapDialogButton(t, sh.window, "Save")
	if row.noteText.Text != "Grandma picks up" || row.noteText.Hidden {
		t.Fatalf("the row shows note %q (hidden %v), want it in full", row.noteText.Text, row.noteText.Hidden)
	}
}

func TestAttendance_ClosedDayHasNoList(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.attendance
	s.setDate(data.NewDate(2026, time.December, 25))
	if s.message.Hidden || !strings.Contains(s.message.Text, "Eerste Kerstdag") || s.scroll.Visible() {
		t.Fatalf("Christmas shows message %q (hidden=%v)", s.message.Text, s.message.Hidden)
	}
}

func TestAttendance_TouchTargets(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	for name, b := range map[string]*widget.Button{"primary": row.primary, "times": row.times, "absent": row.absent, "note": row.note} {
		if h := b.Size().Height; h < touchSize {
			t.Errorf("%s button is %.0f high, want at least %.0f for a finger", name, h, touchSize)
		}
	}
}

func TestAttendance_PageButtonsScroll(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	s := sh.attendance
	sh.window.Resize(fyne.NewSize(1000, 420)) // a tablet held in landscape, keyboard up
	if s.rowsBox.MinSize().Height <= s.scroll.Size().Height {
		t.Fatalf("the list of %d children fits on one screen; paging cannot be tested", len(s.list.Rows))
	}
	s.page(1)
	if s.scroll.Offset.Y <= 0 {
		t.Fatal("page down did not scroll")
	}
	s.page(-1)
	if s.scroll.Offset.Y != 0 {
		t.Fatalf("page up left offset %.0f", s.scroll.Offset.Y)
	}
}

// R7: a child reported absent ahead, whose credit already paid for extra
// care, comes after all. Taking the absence back asks first, with the hours
// and the request they paid; only a yes stores it, and bills those hours.
func TestAttendance_R7_WithdrawingSpentCreditAsksFirst(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	s := sh.attendance
	tomorrow := data.DateOf(testNow).AddDays(1)
	child := freeChild(t, db, demoBabies, tomorrow, func(data.Child) bool { return true })
	absence := earnCredit(t, db, child.ID)
	draft := data.RequestDraft{ChildID: child.ID, GroupID: demoBabies, Date: tomorrow, Product: data.ProductKDV, Channel: data.ChannelGroup,
		By: "Tess", Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}}
	p, err := db.PreviewRequest(t.Context(), draft)
	if err != nil || p.Proposal.CreditMinutes() != 240 {
		t.Fatalf("proposal %+v, %v; want 4 hours from the absence's credit", p.Proposal, err)
	}
	r, err := db.SubmitRequest(t.Context(), draft, p.Proposal.Payment)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ApproveRequest(t.Context(), r.ID, "Tess"); err != nil {
		t.Fatal(err)
	}

	s.setDate(absence.Credit.ExpiresOn.AddDays(-28)) // the day of the absence
	test.Tap(s.unlockButton)
	tapDialogButton(t, sh.window, "Yes")
	withdraw := func(answer string) {
		t.Helper()
		test.Tap(s.rows[child.ID].absent)
		tapDialogButton(t, sh.window, "Not absent after all")
		text := strings.Join(overlayTexts(sh), "\n")
		for _, want := range []string{"4:00 h", shortDate(tomorrow), "approved", "on invoice"} {
			if !strings.Contains(text, want) {
				t.Fatalf("the question %q does not say %q", text, want)
			}
		}
		tapDialogButton(t, sh.window, answer)
	}

	withdraw("No")
	if row := s.rows[child.ID]; row.row.Attendance.Status() != data.StatusAbsent {
		t.Fatalf("after No the child shows %q, want still absent", row.status.Text)
	}
	if got, _ := db.Request(t.Context(), r.ID); got.Payment.InvoiceMinutes != 0 {
		t.Fatalf("after No the request is paid %+v", got.Payment)
	}

	withdraw("Yes")
	if row := s.rows[child.ID]; row.row.Attendance.Status() == data.StatusAbsent {
		t.Fatal("after Yes the child is still absent")
	}
	if got, _ := db.Request(t.Context(), r.ID); got.Payment.InvoiceMinutes != 240 || got.Payment.CreditMinutes() != 0 {
		t.Fatalf("after Yes the request is paid %+v, want 4 hours on invoice", got.Payment)
	}
}
