package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// openRequest has the system register a request for a free child of the
// group on day, paid as proposed, and returns it.
func openRequest(t *testing.T, db *boltstore.DB, group data.ID, day data.Date, product data.Product, times data.TimeRange) data.Request {
	t.Helper()
	child := freeChild(t, db, group, day, func(data.Child) bool { return true })
	d := data.RequestDraft{ChildID: child.ID, GroupID: group, Date: day, Times: times, Product: product, By: "system"}
	p, err := db.PreviewRequest(t.Context(), d)
	if err != nil || p.Problem != nil {
		t.Fatalf("preview: %v, %v", err, p.Problem)
	}
	r, err := db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// twoGroupsWaiting opens a request in Rupsjes and one in Avonturiers, tomorrow.
func twoGroupsWaiting(t *testing.T, db *boltstore.DB) (kdv, bso data.Request) {
	t.Helper()
	tomorrow := data.DateOf(testNow).AddDays(1)
	kdv = openRequest(t, db, demoBabies, tomorrow, data.ProductKDV, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)})
	bso = openRequest(t, db, demoBSOYoung, tomorrow, data.ProductBSOSchoolDay, data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 0)})
	return kdv, bso
}

func TestApprovals_R6_EveryGroupInOneQueueFilterable(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	kdv, bso := twoGroupsWaiting(t, db)
	a := sh.approvals
	if len(a.items) != 2 || a.groupSelect.Selected != "Alle groepen (2)" {
		t.Fatalf("queue %d items under %q, want both groups' requests", len(a.items), a.groupSelect.Selected)
	}
	if sh.approvalsTab.Text != "Goedkeuren aanvragen (2)" {
		t.Errorf("tab %q", sh.approvalsTab.Text)
	}
	a.groupSelect.SetSelected(demo.GroupBSOYoung + " (1)")
	if len(a.items) != 1 || a.items[0].Request.ID != bso.ID {
		t.Fatalf("filtered on Avonturiers: %+v", a.items)
	}
	a.groupSelect.SetSelectedIndex(0)
	if len(a.items) != 2 || a.rows[kdv.ID] == nil {
		t.Fatalf("all groups again: %d items", len(a.items))
	}
}

// TestApprovals_R6_StaffSeeTheirOwnGroups: staff see the
// requests of their own groups only, in one queue.
func TestApprovals_R6_StaffSeeTheirOwnGroups(t *testing.T) {
	sh, db := newTestShellAs(t, LanguageEnglish, demo.Users[2]) // Sven: Avonturiers and Ontdekkers
	_, bso := twoGroupsWaiting(t, db)
	a := sh.approvals
	a.reload()
	if len(a.items) != 1 || a.items[0].Request.ID != bso.ID || a.groupSelect.Selected != "All groups (1)" {
		t.Fatalf("Sven's queue %+v under %q, want only the Avonturiers request", a.items, a.groupSelect.Selected)
	}
	if a.locationSelect.Visible() {
		t.Error("a location picker is shown for one location")
	}
}

func TestApprovals_R7_ApproveIsConfirmedAndCanBeUndone(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	kdv, _ := twoGroupsWaiting(t, db)
	a := sh.approvals
	row := a.rows[kdv.ID]

	test.Tap(row.approve)
	if r, _ := db.Request(t.Context(), kdv.ID); r.Status != data.StatusOpen {
		t.Fatal("approved before the confirmation")
	}
	tapDialogButton(t, sh.window, "Annuleren")
	if r, _ := db.Request(t.Context(), kdv.ID); r.Status != data.StatusOpen || a.undoBar.Visible() {
		t.Fatal("cancelling the confirmation approved")
	}

	test.Tap(row.approve)
	tapDialogButton(t, sh.window, "Goedkeuren")
	if r, _ := db.Request(t.Context(), kdv.ID); r.Status != data.StatusApproved {
		t.Fatalf("status %s after confirming", r.Status)
	}
	if !a.undoBar.Visible() || !strings.HasPrefix(a.undoText.Text, "Goedgekeurd: ") || a.undoButton.Text != "Ongedaan maken" {
		t.Fatalf("undo bar shown %v with %q / %q", a.undoBar.Visible(), a.undoText.Text, a.undoButton.Text)
	}
	if len(a.items) != 1 {
		t.Errorf("queue after approving: %d", len(a.items))
	}

	test.Tap(a.undoButton)
	r, _ := db.Request(t.Context(), kdv.ID)
	if r.Status != data.StatusOpen || r.DecidedBy != "" || a.undoBar.Visible() || len(a.items) != 2 {
		t.Fatalf("after undo: status %s, bar %v, queue %d", r.Status, a.undoBar.Visible(), len(a.items))
	}
	if l, _ := db.DayList(t.Context(), demoBabies, kdv.Date); slices.ContainsFunc(l.Rows, func(r data.DayRow) bool { return r.Child.ID == kdv.ChildID }) {
		t.Error("the child stays on the list after the approval was undone")
	}
	log, _ := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditUndoDecision})
	if len(log) != 1 || log[0].Who != demoManager.Name {
		t.Errorf("undo logged as %+v", log)
	}
}

func TestApprovals_R7_RejectWithReasonCanBeUndone(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	_, bso := twoGroupsWaiting(t, db)
	a := sh.approvals
	test.Tap(a.rows[bso.ID].reject)
	top := sh.window.Canvas().Overlays().Top()
	var reason *field
	for _, o := range test.LaidOutObjects(top) {
		if e, ok := o.(*field); ok {
			reason = e
		}
	}
	if reason == nil || !reason.MultiLine {
		t.Fatal("the reject dialog has no multi-line reason field")
	}
	test.Type(reason, "The group is full")
	tapDialogButton(t, sh.window, "Reject")
	if r, _ := db.Request(t.Context(), bso.ID); r.Status != data.StatusRejected || r.Reason != "The group is full" {
		t.Fatalf("stored %s %q", r.Status, r.Reason)
	}
	if !strings.HasPrefix(a.undoText.Text, "Rejected: ") {
		t.Fatalf("undo bar %q", a.undoText.Text)
	}
	test.Tap(a.undoButton)
	if r, _ := db.Request(t.Context(), bso.ID); r.Status != data.StatusOpen {
		t.Fatalf("after undo: %s", r.Status)
	}
}

func TestAttendance_A4_OtherReasonInAFewWords(t *testing.T) {
	sh, db := newTestShell(t, LanguageDutch)
	s := sh.attendance
	row := firstRowWithStatus(t, s, data.StatusToCome)
	test.Tap(row.absent)
	tapDialogButton(t, sh.window, "Andere reden")
	if row.reasonDialog == nil {
		t.Fatal("another reason asked no words")
	}
	hinted := false
	for _, o := range test.LaidOutObjects(sh.window.Canvas().Overlays().Top()) {
		if txt, ok := o.(*canvas.Text); ok && strings.Contains(txt.Text, "geen medische details") {
			hinted = true
		}
	}
	if !hinted {
		t.Error("the reason field does not say to leave out medical details")
	}
	entry, ok := sh.window.Canvas().Focused().(*field)
	if !ok {
		t.Fatal("the reason field has no focus")
	}
	test.Type(entry, "Familiebezoek")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter saves

	l, _ := db.DayList(t.Context(), s.groupID, s.date)
	for _, r := range l.Rows {
		if r.Child.ID == row.childID && (r.Attendance.AbsenceReason != data.AbsenceOther || r.Attendance.AbsenceText != "Familiebezoek") {
			t.Fatalf("stored %+v", r.Attendance)
		}
	}
	if row.status.Text != "Afwezig: Familiebezoek" {
		t.Errorf("the list shows %q", row.status.Text)
	}
}

func TestAttendance_A4_CheckOutLaterThanNowIsRefused(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	s := sh.attendance
	row := firstRowWithStatus(t, s, data.StatusToCome)
	test.Tap(row.primary) // checked in at 09:30
	test.Tap(row.times)
	var fields []*field
	for _, o := range test.LaidOutObjects(sh.window.Canvas().Overlays().Top()) {
		if f, ok := o.(*field); ok {
			fields = append(fields, f)
		}
	}
	if len(fields) != 2 {
		t.Fatalf("the times dialog has %d fields", len(fields))
	}
	test.Type(fields[1], "17:00")
	tapDialogButton(t, sh.window, "Save")
	texts := overlayTexts(sh)
	if !slices.Contains(texts, "Not later than now (09:30)") {
		t.Errorf("check-out at 17:00 when it is 09:30: the dialog shows %q, want it refused", texts)
	}
	l, _ := db.DayList(t.Context(), s.groupID, s.date)
	for _, r := range l.Rows {
		if r.Child.ID == row.childID && r.Attendance.CheckOut != nil {
			t.Fatalf("a check-out ahead of the clock was stored: %+v", r.Attendance)
		}
	}
	fields[1].SetText("09:30")
	tapDialogButton(t, sh.window, "Save")
	if row.times.Text != "09:30–09:30" {
		t.Errorf("check-out now: times %q", row.times.Text)
	}
}

// TestWords_L1_PluralsInBothLanguages: a count of one takes the singular.
func TestWords_L1_PluralsInBothLanguages(t *testing.T) {
	test.NewTempApp(t)
	day := data.NewDate(2026, time.December, 1)
	for _, tc := range []struct {
		language string
		text     func() string
		want     string
	}{
		{LanguageDutch, func() string { return deadlineText(data.HolidayOverview{Deadline: day, DaysLeft: 1}) }, "nog 1 dag."},
		{LanguageDutch, func() string { return deadlineText(data.HolidayOverview{Deadline: day, DaysLeft: 3}) }, "nog 3 dagen."},
		{LanguageDutch, func() string { return deadlineText(data.HolidayOverview{Deadline: day, DaysLeft: -1}) }, ", 1 dag geleden."},
		{LanguageEnglish, func() string { return deadlineText(data.HolidayOverview{Deadline: day, DaysLeft: 1}) }, ": 1 day left."},
		{LanguageEnglish, func() string { return deadlineText(data.HolidayOverview{Deadline: day, DaysLeft: -2}) }, ", 2 days ago."},
		{LanguageDutch, func() string {
			return requestProblemText(&data.WindowError{Day: day, DaysBefore: 1, MustBy: data.ChannelGroup})
		}, "Deze dag is over 1 dag: "},
		{LanguageEnglish, func() string {
			return requestProblemText(&data.WindowError{Day: day, DaysBefore: 1, MustBy: data.ChannelGroup})
		}, "This day is 1 day ahead: "},
	} {
		if err := UseLanguage(tc.language); err != nil {
			t.Fatal(err)
		}
		if got := tc.text(); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.language, got, tc.want)
		}
	}
}
