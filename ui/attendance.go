package ui

import (
	"context"
	"errors"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// unlockedColour is the banner behind an unlocked date: loud on purpose (A3).
var unlockedColour = color.NRGBA{R: 0xd9, G: 0x48, B: 0x1c, A: 0xff}

// attendanceScreen is the day's attendance list of one group (A1–A4). It
// redraws whenever the store reports a change to what it shows (A2), so it
// needs no refresh button.
type attendanceScreen struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs

	locationSelect *widget.Select
	groupSelect    *widget.Select
	dateButton     *widget.Button
	counts         *widget.Label
	readOnly       *fyne.Container
	readOnlyText   *widget.Label
	unlockButton   *widget.Button
	banner         *fyne.Container
	bannerText     *canvas.Text
	message        *widget.Label
	rowsBox        *fyne.Container
	scroll         *container.Scroll

	locations []data.Location
	groups    []data.Group
	groupID   data.ID
	date      data.Date
	unlock    *data.Unlock
	list      data.DayList
	rows      map[data.ID]*childRow
	stopFeed  func()
	// groupsLoad and listLoad are the latest loads of the pickers and the list.
	groupsLoad, listLoad latest

	// openCard opens a child's card (kindkaart) and openRequest the extra-care request form.
	openCard      func(childID, groupID data.ID, date data.Date, tab cardTab)
	openRequest   func(groupID data.ID, date data.Date)
	requestButton *widget.Button
}

func newAttendanceScreen(store data.Store, window fyne.Window, user string, jobs *jobs) *attendanceScreen {
	s := &attendanceScreen{store: store, window: window, user: user, jobs: jobs, date: store.Today(), rows: map[data.ID]*childRow{}}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *attendanceScreen) buildUI() fyne.CanvasObject {
	s.locationSelect = &widget.Select{PlaceHolder: lang.L("Location"), OnChanged: s.onLocationChosen}
	s.groupSelect = &widget.Select{PlaceHolder: lang.L("Group"), OnChanged: s.onGroupChosen}
	s.dateButton = &widget.Button{Icon: theme.CalendarIcon(), OnTapped: s.onPickDate}
	_, prev := newTouchButton("", theme.NavigateBackIcon(), func() { s.setDate(s.date.AddDays(-1)) })
	_, next := newTouchButton("", theme.NavigateNextIcon(), func() { s.setDate(s.date.AddDays(1)) })
	_, today := newTouchButton(lang.L("Today"), nil, func() { s.setDate(s.store.Today()) })
	header := newFlow(touchable(s.locationSelect, 200), touchable(s.groupSelect, 180),
		container.NewHBox(prev, touchable(s.dateButton, 300), next, today))

	s.counts = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.readOnlyText = &widget.Label{}
	var unlockBox fyne.CanvasObject
	s.unlockButton, unlockBox = newTouchButton(lang.L("Unlock"), theme.VisibilityIcon(), s.onUnlock)
	s.unlockButton.Importance = widget.HighImportance
	s.readOnly = newFlow(container.NewHBox(widget.NewIcon(theme.InfoIcon()), s.readOnlyText), unlockBox)

	s.bannerText = canvas.NewText("", color.White)
	s.bannerText.TextStyle.Bold = true
	s.bannerText.TextSize = theme.TextSize() * 1.3
	_, lockAgain := newTouchButton(lang.L("Lock"), theme.CancelIcon(), func() { s.setUnlock(nil) })
	s.banner = container.NewStack(canvas.NewRectangle(unlockedColour),
		newFlow(container.NewPadded(s.bannerText), lockAgain))

	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.rowsBox = container.NewVBox()
	s.scroll = container.NewVScroll(s.rowsBox)
	_, pageUp := newTouchButton("", theme.MoveUpIcon(), func() { s.page(-1) })
	_, pageDown := newTouchButton("", theme.MoveDownIcon(), func() { s.page(1) })
	paging := container.NewVBox(pageUp, layout.NewSpacer(), pageDown)

	var request fyne.CanvasObject
	s.requestButton, request = newTouchButton(lang.L("Request extra care"), theme.ContentAddIcon(), func() {
		if s.openRequest != nil && s.groupID != 0 {
			s.openRequest(s.groupID, s.date)
		}
	})
	present, presentBox := newTouchButton(lang.L("Who is here now?"), theme.AccountIcon(), s.onPresent)
	present.Importance = widget.HighImportance
	top := container.NewVBox(header, s.banner, s.readOnly, newFlow(s.counts, newConsentLegend(), presentBox, request), widget.NewSeparator())
	body := container.NewBorder(nil, nil, nil, paging, container.NewStack(s.message, s.scroll))

	s.loadLocations()
	return container.NewBorder(top, nil, nil, nil, body)
}

func (s *attendanceScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

// onChange runs on the writer's goroutine; the check and the redraw run on the UI's.
func (s *attendanceScreen) onChange(c data.Change) {
	switch c.Kind {
	case data.ChangeUnlock, data.ChangePrint, data.ChangeSignIn:
		return // logged, but nothing the list shows
	}
	fyne.Do(func() {
		if c.Kind == data.ChangeCatalog || c.Affects(s.groupID, s.date) {
			s.reload()
		}
	})
}

func (s *attendanceScreen) loadLocations() {
	s.reload() // the date and "choose a location" until the locations are in
	load(s.jobs, nil, s.store.Locations, func(locations []data.Location, err error) {
		if err != nil {
			showLoadError(s.window, "attendance", err)
			return
		}
		s.locations = locations
		if !offer(s.locationSelect, namesOf(locations, locationName)) {
			s.reload()
		}
	})
}

func (s *attendanceScreen) onLocationChosen(string) {
	i := s.locationSelect.SelectedIndex()
	if i < 0 {
		return
	}
	store, locationID := s.store, s.locations[i].ID
	load(s.jobs, &s.groupsLoad, func(ctx context.Context) ([]data.Group, error) { return store.Groups(ctx, locationID) }, func(groups []data.Group, err error) {
		if err != nil {
			showLoadError(s.window, "attendance", err)
			return
		}
		s.groups = groups
		offer(s.groupSelect, namesOf(groups, groupName))
	})
}

func (s *attendanceScreen) onGroupChosen(string) {
	if i := s.groupSelect.SelectedIndex(); i >= 0 {
		s.groupID = s.groups[i].ID
		s.reload()
	}
}

func (s *attendanceScreen) onPickDate() { pickDate(s.window, s.date, s.setDate) }

// setDate moves to another day, which locks again (A3).
func (s *attendanceScreen) setDate(d data.Date) {
	s.date, s.unlock = d, nil
	s.reload()
}

func (s *attendanceScreen) onUnlock() {
	msg := lang.L("Edit the list of {{.Date}}? Changes to another day than today are recorded with your name.", map[string]any{"Date": formatDate(s.date)})
	showConfirm(s.window, lang.L("Unlock"), msg, func(ok bool) {
		if !ok {
			return
		}
		store, date, user := s.store, s.date, s.user
		s.jobs.write(func(ctx context.Context) {
			u, err := store.Unlock(ctx, date, user) // logged: who unlocked which day
			fyne.Do(func() {
				if err != nil {
					s.showError(err)
					return
				}
				if s.date == date {
					s.setUnlock(u)
				}
			})
		})
	})
}

func (s *attendanceScreen) setUnlock(u *data.Unlock) {
	s.unlock = u
	s.reload()
}

// editable reports whether the shown date may be changed now (A3).
func (s *attendanceScreen) editable() bool {
	return s.date == s.store.Today() || (s.unlock != nil && s.unlock.Date() == s.date)
}

// reload reads the list again and redraws; it is cheap (a few ms, see the
// benchmark in data), so it runs whenever anything it shows may have changed.
func (s *attendanceScreen) reload() {
	s.dateButton.SetText(formatDate(s.date))
	isToday := s.date == s.store.Today()
	unlocked := !isToday && s.editable()
	s.bannerText.Text = lang.L("UNLOCKED: you are editing {{.Date}}, not today", map[string]any{"Date": formatDate(s.date)})
	s.bannerText.Refresh()
	s.banner.Hidden = !unlocked
	s.readOnlyText.SetText(lang.L("Read only: this is not today's list."))
	s.readOnly.Hidden = isToday || unlocked
	s.banner.Refresh()
	s.readOnly.Refresh()

	if s.groupID == 0 {
		s.showMessage(lang.L("Choose a location and a group."))
		return
	}
	store, groupID, date := s.store, s.groupID, s.date
	load(s.jobs, &s.listLoad, func(ctx context.Context) (data.DayList, error) { return store.DayList(ctx, groupID, date) }, s.drawList)
}

// drawList shows a day's list loaded by reload.
func (s *attendanceScreen) drawList(list data.DayList, err error) {
	if err != nil {
		fyne.LogError("attendance", err)
		s.showMessage(userMessage(err))
		return
	}
	s.list = list
	if list.Closed {
		reason := list.ClosedReason
		if reason == "weekend" {
			reason = lang.L("weekend")
		}
		s.showMessage(lang.L("Closed: {{.Reason}}. There is no list for this day.", map[string]any{"Reason": reason}))
		return
	}
	if len(list.Rows) == 0 {
		s.showMessage(lang.L("No children are expected in this group on this day."))
		return
	}
	s.message.Hide()
	s.scroll.Show()
	c := list.Counts()
	if s.date.Before(s.store.Today()) {
		// Nobody is still to come on a day gone by: who has no record was never registered.
		s.counts.SetText(lang.L("Expected {{.Expected}} · Present {{.Present}} · Absent {{.Absent}} · Not registered {{.ToCome}}", c))
	} else {
		s.counts.SetText(lang.L("Expected {{.Expected}} · Present {{.Present}} · Absent {{.Absent}} · Still to come {{.ToCome}}", c))
	}
	s.drawRows()
}

func (s *attendanceScreen) showMessage(text string) {
	s.counts.SetText("")
	s.message.SetText(text)
	s.message.Show()
	s.scroll.Hide()
}

// drawRows updates the rows in place, so the scroll position and the widget
// a finger is on survive a change made elsewhere.
func (s *attendanceScreen) drawRows() {
	editable := s.editable()
	objects := make([]fyne.CanvasObject, 0, len(s.list.Rows))
	seen := map[data.ID]bool{}
	for _, r := range s.list.Rows {
		row, ok := s.rows[r.Child.ID]
		if !ok {
			row = newChildRow(s, r.Child.ID)
			s.rows[r.Child.ID] = row
		}
		row.update(r, editable, s.date == s.store.Today())
		seen[r.Child.ID] = true
		objects = append(objects, row.box)
	}
	for id := range s.rows {
		if !seen[id] {
			delete(s.rows, id)
		}
	}
	s.rowsBox.Objects = objects
	s.rowsBox.Refresh()
}

// page scrolls one screen up (-1) or down (+1): Fyne does not scroll by
// dragging on Windows touch screens, so tablets need buttons.
func (s *attendanceScreen) page(direction float32) {
	maxY := fyne.Max(0, s.rowsBox.MinSize().Height-s.scroll.Size().Height)
	y := s.scroll.Offset.Y + direction*s.scroll.Size().Height*0.9
	s.scroll.ScrollToOffset(fyne.NewPos(0, fyne.Min(maxY, fyne.Max(0, y))))
}

// edit names the record of a child for a change by the current user.
func (s *attendanceScreen) edit(childID data.ID) data.DayEdit {
	return data.DayEdit{Date: s.date, GroupID: s.groupID, ChildID: childID, By: s.user, Unlock: s.unlock}
}

// save runs a store write off the UI goroutine; the change feed redraws on
// success, and a failure is shown and logged.
func (s *attendanceScreen) save(write func(context.Context) error) {
	s.jobs.write(func(ctx context.Context) {
		if err := write(ctx); err != nil {
			fyne.Do(func() { s.showError(err) })
		}
	})
}

// saveWithdrawal runs an edit that may take an absence back (a check-in,
// times, "not absent after all"). When the absence's credit already pays
// for extra care the store refuses with the hours and the requests; staff
// are asked, and only a yes writes again, now billing those hours (R7).
func (s *attendanceScreen) saveWithdrawal(e data.DayEdit, write func(context.Context, data.DayEdit) error) {
	s.jobs.write(func(ctx context.Context) {
		err := write(ctx, e)
		var spent *data.CreditSpentError
		switch {
		case errors.As(err, &spent):
			fyne.Do(func() { s.confirmBilling(e, spent, write) })
		case err != nil:
			fyne.Do(func() { s.showError(err) })
		}
	})
}

func (s *attendanceScreen) confirmBilling(e data.DayEdit, spent *data.CreditSpentError, write func(context.Context, data.DayEdit) error) {
	lines := []string{lang.L("The absence of {{.Date}} earned credit that already pays for extra care:",
		map[string]any{"Date": formatDate(spent.AbsenceDate)})}
	for _, u := range spent.Uses {
		lines = append(lines, lang.L("• request for {{.Date}} ({{.Status}}): {{.Hours}}",
			map[string]any{"Date": shortDate(u.Date), "Status": requestStatusText(u.Status), "Hours": hoursText(u.Minutes)}))
	}
	lines = append(lines, lang.L("If the child came after all, these {{.Hours}} go on invoice with those requests. Take the absence back?",
		map[string]any{"Hours": hoursText(spent.Minutes)}))
	message := &widget.Label{Text: strings.Join(lines, "\n"), Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm(lang.L("Credit already used"), lang.L("Yes"), lang.L("No"), message, func(ok bool) {
		if !ok {
			s.reload()
			return
		}
		e.BillSpentCredit = spent.Minutes
		s.saveWithdrawal(e, write)
	}, s.window)
	d.Resize(fitDialog(s.window, fyne.NewSize(520, 0)))
	showDialog(s.window, d, d.Confirm, nil)
}

func (s *attendanceScreen) showError(err error) {
	fyne.LogError("attendance", err)
	showInfo(lang.L("Not saved"), userMessage(err), s.window)
	s.reload()
}

// childRow is one child on the list with the actions of A4.
type childRow struct {
	screen  *attendanceScreen
	childID data.ID
	avatar  *avatar
	name    *widget.Label
	detail  *widget.Label
	// noteText is the staff's note, shown in full under the name.
	noteText *widget.Label
	status   *widget.Label
	primary  *widget.Button
	times    *widget.Button
	absent   *widget.Button
	note     *widget.Button
	box      fyne.CanvasObject
	row      data.DayRow
	// timeDialog is the last dialog asking a time of a day gone by, and
	// reasonDialog the last asking another absence reason.
	timeDialog, reasonDialog *formDialog
}

func newChildRow(s *attendanceScreen, childID data.ID) *childRow {
	r := &childRow{screen: s, childID: childID, avatar: newAvatar()}
	// The picture carries the consent marker, so it opens the card at the consents.
	r.avatar.onTapped = func() { r.openCard(cardConsent) }
	r.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	r.detail = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	// The note is read in full: it may say who picks the child up.
	r.noteText = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Italic: true}}
	r.status = &widget.Label{Alignment: fyne.TextAlignTrailing}
	var primary, times, absent, note fyne.CanvasObject
	r.primary, primary = newTouchButton("", nil, r.onPrimary)
	r.times, times = newTouchButton("", theme.HistoryIcon(), r.onTimes)
	r.absent, absent = newTouchButton(lang.L("Absent"), nil, r.onAbsent)
	r.note, note = newTouchButton("", theme.DocumentCreateIcon(), r.onNote)
	actions := newButtonRow(touchable(primary, 150), touchable(times, 140), touchable(absent, 120), note)
	who := newTapArea(container.NewBorder(nil, nil, r.avatar, nil, container.NewVBox(r.name, r.detail, r.noteText)), func() { r.openCard(cardCredit) })
	r.box = container.NewVBox(newListRow(who, r.status, actions), widget.NewSeparator())
	return r
}

func (r *childRow) update(row data.DayRow, editable, isToday bool) {
	r.row = row
	r.avatar.set(row.Child.Initials(), row.Child.Picture)
	r.avatar.setConsent(row.Consent)
	r.name.SetText(row.Child.Name())
	detail := row.Expected.String()
	switch row.Source {
	case data.SourceRequest:
		detail += " · " + lang.L("extra care")
	case data.SourceStudyDay:
		detail += " · " + lang.L("study day")
	case "":
		detail = lang.L("not expected (recorded earlier)")
	}
	if c := row.Attendance.Credit; row.Attendance.Absent && c != nil {
		detail += " · " + lang.L("credit {{.Hours}}", map[string]any{"Hours": hoursText(c.Minutes)})
	}
	r.detail.SetText(detail)
	r.noteText.SetText(row.Attendance.Note)
	r.noteText.Hidden = row.Attendance.Note == ""

	a := row.Attendance
	switch a.Status() {
	case data.StatusAbsent:
		reason := absenceReasonText(a.AbsenceReason)
		if a.AbsenceText != "" {
			reason = a.AbsenceText
		}
		r.status.SetText(lang.L("Absent: {{.Reason}}", map[string]any{"Reason": reason}))
		r.primary.SetText(lang.L("Check in"))
		r.primary.Importance = widget.MediumImportance
	case data.StatusPresent:
		r.status.SetText(lang.L("Present"))
		r.primary.SetText(lang.L("Check out"))
		r.primary.Importance = widget.HighImportance
	case data.StatusCheckedOut:
		r.status.SetText(lang.L("Gone home"))
		r.primary.SetText(lang.L("Gone home"))
		r.primary.Importance = widget.LowImportance
	case data.StatusToCome:
		if r.screen.date.Before(r.screen.store.Today()) {
			r.status.SetText(lang.L("Not registered"))
		} else {
			r.status.SetText(lang.L("To come"))
		}
		r.primary.SetText(lang.L("Check in"))
		r.primary.Importance = widget.HighImportance
	}
	r.times.SetText(timesText(a))
	if a.Absent {
		r.absent.SetText(lang.L("Absent…"))
	} else {
		r.absent.SetText(lang.L("Absent"))
	}
	// Check-in and out only on today's or a past unlocked list; absences and
	// notes may be entered ahead too.
	presenceAllowed := editable && !r.screen.date.After(r.screen.store.Today())
	setEnabled(r.primary, presenceAllowed && a.Status() != data.StatusCheckedOut)
	setEnabled(r.times, presenceAllowed && a.CheckIn != nil)
	setEnabled(r.absent, editable && a.CheckIn == nil)
	setEnabled(r.note, editable)
	r.primary.Refresh()
}

func timesText(a data.Attendance) string {
	switch {
	case a.CheckIn == nil:
		return "––:––"
	case a.CheckOut == nil:
		return a.CheckIn.String() + " –"
	default:
		return a.CheckIn.String() + "–" + a.CheckOut.String()
	}
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// openCard opens the child's card (kindkaart) at a tab.
func (r *childRow) openCard(tab cardTab) {
	if s := r.screen; s.openCard != nil {
		s.openCard(r.childID, s.groupID, s.date, tab)
	}
}

// onPrimary is the one tap of the day: check in now, or check out now. On
// a day gone by (unlocked to correct it) the clock says nothing about when
// the child came or went, so it asks the time.
func (r *childRow) onPrimary() {
	s, e := r.screen, r.screen.edit(r.childID)
	checkOut := r.row.Attendance.Status() == data.StatusPresent
	write := func(at data.Clock) {
		if checkOut {
			s.save(func(ctx context.Context) error { return s.store.CheckOut(ctx, e, at) })
		} else {
			s.saveWithdrawal(e, func(ctx context.Context, e data.DayEdit) error { return s.store.CheckIn(ctx, e, at) })
		}
	}
	if s.date.Before(s.store.Today()) {
		r.askTime(checkOut, write)
		return
	}
	write(data.ClockOf(s.store.Now()))
}

// askTime asks the time of a check-in or check-out on a day gone by,
// proposing the time the child was expected.
func (r *childRow) askTime(checkOut bool, chosen func(data.Clock)) {
	s := r.screen
	entry := newField("08:15")
	entry.SetText(r.row.Expected.From.String())
	title := lang.L("Check-in of {{.Name}} on {{.Date}}", map[string]any{"Name": r.row.Child.Name(), "Date": formatDate(s.date)})
	label := lang.L("Checked in")
	if checkOut {
		entry.SetText(r.row.Expected.Until.String())
		title = lang.L("Check-out of {{.Name}} on {{.Date}}", map[string]any{"Name": r.row.Child.Name(), "Date": formatDate(s.date)})
		label = lang.L("Checked out")
	}
	r.timeDialog = showFormDialog(s.window, title, lang.L("Save"), []*widget.FormItem{{Text: label, Widget: entry}}, func() (func(), string) {
		at, err := data.ParseClock(strings.TrimSpace(entry.Text))
		if err != nil {
			return nil, lang.L("Enter a time as HH:MM")
		}
		return func() { chosen(at) }, ""
	})
}

// onTimes corrects the check-in and check-out times; times it refuses stay
// in the dialog with the problem named, so nothing typed is lost.
func (r *childRow) onTimes() {
	s, e := r.screen, r.screen.edit(r.childID)
	in, out := newField("08:15"), newField("17:30")
	a := r.row.Attendance
	if a.CheckIn != nil {
		in.SetText(a.CheckIn.String())
	}
	if a.CheckOut != nil {
		out.SetText(a.CheckOut.String())
	}
	validClock := func(text string) error {
		if strings.TrimSpace(text) == "" {
			return nil
		}
		if _, err := data.ParseClock(strings.TrimSpace(text)); err != nil {
			return errors.New(lang.L("Enter a time as HH:MM"))
		}
		return nil
	}
	in.Validator, out.Validator = validClock, validClock
	items := []*widget.FormItem{
		{Text: lang.L("Checked in"), Widget: in, HintText: lang.L("Empty: undo the check-in")},
		{Text: lang.L("Checked out"), Widget: out, HintText: lang.L("Empty: not gone home yet")},
	}
	showFormDialog(s.window, lang.L("Times of {{.Name}}", map[string]any{"Name": r.row.Child.Name()}), lang.L("Save"), items, func() (func(), string) {
		inClock, outClock := optionalClock(in.Text), optionalClock(out.Text)
		if inClock == nil && outClock != nil || inClock != nil && outClock != nil && *outClock < *inClock {
			return nil, lang.L("The check-out time must come after the check-in time.")
		}
		// A check-out is recorded when the child has gone, never ahead of the clock.
		if data.NotLaterThanNow(s.store.Now(), s.date, outClock) != nil {
			return nil, lang.L("Not later than now ({{.Now}})", map[string]any{"Now": data.ClockOf(s.store.Now()).String()})
		}
		return func() {
			s.saveWithdrawal(e, func(ctx context.Context, e data.DayEdit) error { return s.store.SetTimes(ctx, e, inClock, outClock) })
		}, ""
	})
}

func optionalClock(text string) *data.Clock {
	c, err := data.ParseClock(strings.TrimSpace(text))
	if err != nil {
		return nil
	}
	return &c
}

// onAbsent asks the reason with one big button each, as a tablet needs.
func (r *childRow) onAbsent() {
	s, e := r.screen, r.screen.edit(r.childID)
	var d *dialog.CustomDialog
	choices := container.NewVBox()
	for _, reason := range data.AbsenceReasons {
		reason := reason
		_, b := newTouchButton(absenceReasonText(reason), nil, func() {
			d.Hide()
			if reason == data.AbsenceOther {
				r.askOtherReason(e)
				return
			}
			s.save(func(ctx context.Context) error { return s.store.MarkAbsent(ctx, e, reason) })
		})
		choices.Add(b)
	}
	if r.row.Attendance.Absent {
		_, b := newTouchButton(lang.L("Not absent after all"), theme.ContentUndoIcon(), func() {
			d.Hide()
			s.saveWithdrawal(e, func(ctx context.Context, e data.DayEdit) error { return s.store.ClearAbsence(ctx, e) })
		})
		choices.Add(b)
	}
	d = dialog.NewCustom(lang.L("{{.Name}} is absent because…", map[string]any{"Name": r.row.Child.Name()}), lang.L("Cancel"), choices, s.window)
	showDialog(s.window, d, nil, nil)
}

// askOtherReason asks "another reason" in a few words, which the list shows.
func (r *childRow) askOtherReason(e data.DayEdit) {
	s := r.screen
	text := newField(lang.L("For example: family visit"))
	text.SetText(r.row.Attendance.AbsenceText)
	items := []*widget.FormItem{{Text: lang.L("Reason"), Widget: text, HintText: lang.L("A few words; no medical details.")}}
	title := lang.L("{{.Name}} is absent because…", map[string]any{"Name": r.row.Child.Name()})
	r.reasonDialog = showFormDialog(s.window, title, lang.L("Save"), items, func() (func(), string) {
		switch n := len([]rune(strings.TrimSpace(text.Text))); {
		case n == 0:
			return nil, lang.L("Say why in a few words")
		case n > data.MaxAbsenceText:
			return nil, lang.L("At most {{.Max}} characters", map[string]any{"Max": data.MaxAbsenceText})
		}
		return func() { s.save(func(ctx context.Context) error { return s.store.MarkAbsentOther(ctx, e, text.Text) }) }, ""
	})
}

func (r *childRow) onNote() {
	s, e := r.screen, r.screen.edit(r.childID)
	entry := newMultiLineField("", 4)
	entry.SetText(r.row.Attendance.Note)
	items := []*widget.FormItem{{Text: lang.L("Note"), Widget: entry}}
	d := newFormDialog(s.window, lang.L("Note for {{.Name}}", map[string]any{"Name": r.row.Child.Name()}), lang.L("Save"), items, func() (func(), string) {
		return func() {
			s.save(func(ctx context.Context) error { return s.store.SetNote(ctx, e, entry.Text) })
		}, ""
	})
	d.size = fyne.NewSize(560, 0)
	d.show()
}
