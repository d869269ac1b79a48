package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// pressKey sends a key as the window does: to the focused widget, else to
// the canvas.
func pressKey(w fyne.Window, key fyne.KeyName) {
	e := &fyne.KeyEvent{Name: key}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(e)
		return
	}
	if typed := w.Canvas().OnTypedKey(); typed != nil {
		typed(e)
	}
}

// dialogFields are the text fields of the dialog on top, in order.
func dialogFields(t *testing.T, w fyne.Window) []*field {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	var fields []*field
	for _, o := range test.LaidOutObjects(top) {
		if f, ok := o.(*field); ok {
			fields = append(fields, f)
		}
	}
	return fields
}

// typeInto focuses f and types text as a keyboard does.
func typeInto(w fyne.Window, f *field, text string) {
	w.Canvas().Focus(f)
	typeKeys(w, text)
}

// typeKeys types text as a keyboard does: into the focused widget, else the canvas.
func typeKeys(w fyne.Window, text string) {
	for _, r := range text {
		if f := w.Canvas().Focused(); f != nil {
			f.TypedRune(r)
		} else if typed := w.Canvas().OnTypedRune(); typed != nil {
			typed(r)
		}
	}
}

func TestKeyboard_PINFieldHasFocusAfterChoosingAName(t *testing.T) {
	now := testNow
	sh := newLockedShell(t, &now)
	tapText(t, sh.window, "Tess Janssen")

	focused, ok := sh.window.Canvas().Focused().(*widget.Entry)
	if !ok || !focused.Password {
		t.Fatalf("after choosing a name the focus is on %T, want the PIN field", sh.window.Canvas().Focused())
	}
	typeKeys(sh.window, "2222")
	pressKey(sh.window, fyne.KeyReturn)
	if sh.actor == nil || sh.actor.Name != "Tess Janssen" {
		t.Fatalf("typing the PIN and Enter signed in %+v", sh.actor)
	}
}

func TestKeyboard_DialogsFocusTheirFirstField(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary) // checked in, so the times can be corrected
	for name, open := range map[string]func(){
		"times":     func() { test.Tap(row.times) },
		"note":      func() { test.Tap(row.note) },
		"holiday":   sh.calendar.onAddHoliday,
		"study day": sh.calendar.onAddStudyDay,
		"sign-up":   sh.studyDay.onRegister,
		"request":   func() { sh.showRequestForm(sh.attendance.groupID, sh.store.Today()) },
		"cardRequest": func() {
			newRequestForm(sh.store, sh.window, sh.user, sh.session.sub(), sh.attendance.groupID, row.childID, sh.store.Today()).show()
		},
	} {
		open()
		top := sh.window.Canvas().Overlays().Top()
		focused := sh.window.Canvas().Focused()
		var first fyne.Focusable
		for _, o := range test.LaidOutObjects(top) {
			if f, ok := o.(fyne.Focusable); ok {
				if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
					continue
				}
				if _, isButton := o.(*widget.Button); !isButton {
					first = f
					break
				}
			}
		}
		if focused == nil || focused != first {
			t.Errorf("%s dialog: focus on %T, want its first field %T", name, focused, first)
		}
		pressKey(sh.window, fyne.KeyEscape)
		if sh.window.Canvas().Overlays().Top() == top {
			t.Errorf("%s dialog: Escape did not close it", name)
		}
		for sh.window.Canvas().Overlays().Top() != nil {
			sh.window.Canvas().Overlays().Top().Hide()
		}
	}
}

func TestKeyboard_EnterConfirmsEscapeCancels(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary) // in at 09:30

	// Escape in a field closes the dialog and keeps the old times.
	test.Tap(row.times)
	fields := dialogFields(t, sh.window)
	typeInto(sh.window, fields[1], "12:00")
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the times dialog open")
	}
	if row.times.Text != "09:30 –" {
		t.Fatalf("after Escape the times are %q, want them unchanged", row.times.Text)
	}

	// Enter in a field saves (a check-out no later than the clock).
	test.Tap(row.times)
	fields = dialogFields(t, sh.window)
	typeInto(sh.window, fields[1], "09:30")
	pressKey(sh.window, fyne.KeyReturn)
	if sh.window.Canvas().Overlays().Top() != nil || row.times.Text != "09:30–09:30" {
		t.Fatalf("after Enter: dialog open %v, times %q", sh.window.Canvas().Overlays().Top() != nil, row.times.Text)
	}

	// A dialog of buttons only: Escape cancels without a reason chosen.
	other := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(other.absent)
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil || other.row.Attendance.Absent {
		t.Fatal("Escape did not cancel the absence dialog")
	}

	// A question: Enter answers yes.
	sh.attendance.setDate(sh.attendance.date.AddDays(-1))
	test.Tap(sh.attendance.unlockButton)
	pressKey(sh.window, fyne.KeyReturn)
	if !sh.attendance.editable() {
		t.Fatal("Enter did not confirm Unlock")
	}

	// The date picker closes on Escape.
	test.Tap(sh.attendance.dateButton)
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the date picker open")
	}

	// A message: Enter closes it.
	showInfo("Saved", "Done.", sh.window)
	pressKey(sh.window, fyne.KeyReturn)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter left the message open")
	}
	if _, err := db.DayList(t.Context(), sh.attendance.groupID, sh.attendance.date); err != nil {
		t.Fatal(err)
	}
}

func TestKeyboard_RefusedTimesStayInTheDialog(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	test.Tap(row.primary)

	test.Tap(row.times)
	fields := dialogFields(t, sh.window)
	fields[0].SetText("")
	typeInto(sh.window, fields[0], "10:00")
	typeInto(sh.window, fields[1], "09:00")
	pressKey(sh.window, fyne.KeyReturn)

	if sh.window.Canvas().Overlays().Top() == nil {
		t.Fatal("the refused times closed the dialog")
	}
	if fields[0].Text != "10:00" || fields[1].Text != "09:00" {
		t.Errorf("the dialog kept %q and %q, want both times as typed", fields[0].Text, fields[1].Text)
	}
	if got := dialogText(t, sh.window); !strings.Contains(got, "The check-out time must come after the check-in time.") {
		t.Errorf("the dialog says %q, want why it refused", got)
	}
	list, err := db.DayList(t.Context(), sh.attendance.groupID, sh.attendance.date)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list.Rows {
		if r.Child.ID == row.childID && (r.Attendance.CheckIn.String() != "09:30" || r.Attendance.CheckOut != nil) {
			t.Errorf("the refused times were saved: %+v", r.Attendance)
		}
	}
}

func TestKeyboard_StudyDayNameIsAPlaceholder(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	sh.calendar.onAddStudyDay()
	fields := dialogFields(t, sh.window)
	name, date := fields[0], fields[1]
	if name.Text != "" || name.PlaceHolder == "" {
		t.Fatalf("name field has text %q and placeholder %q; the example must be a placeholder", name.Text, name.PlaceHolder)
	}

	// Saving without a name is refused and keeps the date.
	typeInto(sh.window, date, "17-03-2027")
	pressKey(sh.window, fyne.KeyReturn)
	if sh.window.Canvas().Overlays().Top() == nil || date.Text != "17-03-2027" {
		t.Fatal("a study day without a name was accepted, or the date was lost")
	}

	typeInto(sh.window, name, "Studiemiddag team")
	pressKey(sh.window, fyne.KeyReturn)
	cal, err := db.SchoolCalendar(t.Context(), sh.calendar.schoolID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, sd := range cal.StudyDays {
		if sd.Date == data.NewDate(2027, 3, 17) {
			found = true
			if sd.Name != "Studiemiddag team" {
				t.Errorf("saved name %q, want exactly what was typed", sd.Name)
			}
		}
	}
	if !found {
		t.Fatal("Enter did not save the study day")
	}
}

func TestKeyboard_RejectReasonIsAMultiLineField(t *testing.T) {
	sh, db := newTestShell(t, LanguageEnglish)
	thursday := data.DateOf(testNow).AddDays(1)
	child := freeChild(t, db, demoBabies, thursday, func(data.Child) bool { return true })
	f := newRequestForm(sh.store, sh.window, sh.user, sh.session.sub(), demoBabies, 0, sh.store.Today())
	f.show()
	fillRequest(t, f, child, thursday, "08:00", "12:00")
	test.Tap(f.submit)
	for sh.window.Canvas().Overlays().Top() != nil {
		sh.window.Canvas().Overlays().Top().Hide()
	}
	a := sh.approvals
	a.groupSelect.SetSelectedIndex(0)
	if len(a.items) != 1 {
		t.Fatalf("queue %+v, want the one request", a.items)
	}
	test.Tap(a.rows[a.items[0].Request.ID].reject)

	reason, ok := sh.window.Canvas().Focused().(*field)
	if !ok || !reason.MultiLine {
		t.Fatalf("the reject dialog focuses %T, want a multi-line reason field", sh.window.Canvas().Focused())
	}
	if h := reason.Size().Height; h < 3*touchSize/2 {
		t.Errorf("the reason field is %.0f high, want room for several lines", h)
	}
	typeKeys(sh.window, "The group is full.")
	pressKey(sh.window, fyne.KeyReturn) // a new line, not a decision
	typeKeys(sh.window, "Try Friday.")
	if sh.window.Canvas().Overlays().Top() == nil || reason.Text != "The group is full.\nTry Friday." {
		t.Fatalf("Enter in the reason: dialog open %v, text %q", sh.window.Canvas().Overlays().Top() != nil, reason.Text)
	}
	tapDialogButton(t, sh.window, "Reject")
	reqs, err := db.ChildRequests(t.Context(), child.ID)
	if err != nil || len(reqs) != 1 || reqs[0].Status != data.StatusRejected {
		t.Fatalf("requests %+v (%v), want the one rejected", reqs, err)
	}
}
