package ui

import (
	"context"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// calendarScreen is a school's calendar: holidays and study days, entered by
// hand or imported from the school's .ics file. A chosen holiday shows the
// holiday-care overview (V2): the days left to arrange holiday contracts and
// the children whose parents must still be reached.
type calendarScreen struct {
	store  data.Store
	window fyne.Window
	jobs   *jobs
	// openStudyDay shows a study day's sheet in the study-days tab.
	openStudyDay func(schoolID data.ID, d data.Date)

	schoolSelect *widget.Select
	list         *widget.List
	removeButton *widget.Button
	detailTitle  *widget.Label
	deadline     *widget.Label
	summary      *widget.Label
	childrenBox  *fyne.Container
	sheetButton  *widget.Button
	sheetBox     fyne.CanvasObject
	detail       *fyne.Container

	schools  []data.School
	schoolID data.ID
	entries  []calendarEntry
	selected int
	overview data.HolidayOverview
	rows     map[data.ID]*holidayChildRow
	stopFeed func()
	// the latest loads of the school picker, the calendar and a holiday's overview
	schoolsLoad, calendarLoad, overviewLoad latest
}

// calendarEntry is one line of the calendar: a holiday or a study day.
type calendarEntry struct {
	holiday  *data.SchoolHoliday
	studyDay *data.StudyDay
}

func (e calendarEntry) from() data.Date {
	if e.holiday != nil {
		return e.holiday.From
	}
	return e.studyDay.Date
}

func (e calendarEntry) to() data.Date {
	if e.holiday != nil {
		return e.holiday.To
	}
	return e.studyDay.Date
}

func newCalendarScreen(store data.Store, window fyne.Window, jobs *jobs, openStudyDay func(data.ID, data.Date)) *calendarScreen {
	s := &calendarScreen{store: store, window: window, jobs: jobs, openStudyDay: openStudyDay, selected: -1, rows: map[data.ID]*holidayChildRow{}}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *calendarScreen) buildUI() fyne.CanvasObject {
	s.schoolSelect = &widget.Select{PlaceHolder: lang.L("School"), OnChanged: s.onSchoolChosen}
	_, addHoliday := newTouchButton(lang.L("Add holiday"), theme.ContentAddIcon(), s.onAddHoliday)
	_, addStudyDay := newTouchButton(lang.L("Add study day"), theme.ContentAddIcon(), s.onAddStudyDay)
	_, importICS := newTouchButton(lang.L("Import calendar (.ics)…"), theme.FolderOpenIcon(), s.onImport)
	var remove fyne.CanvasObject
	s.removeButton, remove = newTouchButton(lang.L("Remove"), theme.DeleteIcon(), s.onRemove)
	s.removeButton.Disable()
	header := newFlow(touchable(s.schoolSelect, 260), addHoliday, addStudyDay, importICS, remove)

	s.list = &widget.List{
		Length: func() int { return len(s.entries) },
		CreateItem: func() fyne.CanvasObject {
			return touchable(container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}}, &widget.Label{}), 0)
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			labels := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects
			name, when := s.entryText(s.entries[i])
			labels[0].(*widget.Label).SetText(name)
			labels[1].(*widget.Label).SetText(when)
		},
		OnSelected: s.onEntryChosen,
	}

	s.detailTitle = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	s.deadline = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.summary = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.childrenBox = container.NewVBox()
	s.sheetButton, s.sheetBox = newTouchButton(lang.L("Open the sign-up sheet"), theme.DocumentPrintIcon(), s.onOpenSheet)
	s.detail = container.NewBorder(container.NewVBox(s.detailTitle, s.deadline, s.summary, container.NewHBox(s.sheetBox), widget.NewSeparator()),
		nil, nil, nil, container.NewVScroll(s.childrenBox))

	split := newAdaptiveSplit(s.list, s.detail, 0.4)
	s.loadSchools()
	return container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil, split)
}

func (s *calendarScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

func (s *calendarScreen) onChange(c data.Change) {
	fyne.Do(func() {
		switch c.Kind {
		case data.ChangeCatalog:
			s.loadSchools()
		case data.ChangePlanning:
			s.reload()
		}
	})
}

func (s *calendarScreen) loadSchools() {
	load(s.jobs, &s.schoolsLoad, s.store.Schools, func(schools []data.School, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.schools = schools
		names := make([]string, len(schools))
		for i, sc := range schools {
			names[i] = sc.Name
		}
		s.schoolSelect.SetOptions(names)
		if s.schoolSelect.SelectedIndex() < 0 && len(names) > 0 {
			s.schoolSelect.SetSelectedIndex(0)
		}
	})
}

func (s *calendarScreen) onSchoolChosen(string) {
	if i := s.schoolSelect.SelectedIndex(); i >= 0 {
		s.schoolID = s.schools[i].ID
		s.selected = -1
		s.reload()
	}
}

// reload reads the school's calendar again, keeping the chosen entry, or
// choosing the first one not yet over.
func (s *calendarScreen) reload() {
	if s.schoolID == 0 {
		return
	}
	store, schoolID := s.store, s.schoolID
	load(s.jobs, &s.calendarLoad, func(ctx context.Context) (data.SchoolCalendar, error) { return store.SchoolCalendar(ctx, schoolID) }, s.showCalendar)
}

// showCalendar lists a school's calendar loaded by reload.
func (s *calendarScreen) showCalendar(cal data.SchoolCalendar, err error) {
	if err != nil {
		s.showError(err)
		return
	}
	var keep *calendarEntry
	if s.selected >= 0 && s.selected < len(s.entries) {
		keep = &s.entries[s.selected]
	}
	entries := make([]calendarEntry, 0, len(cal.Holidays)+len(cal.StudyDays))
	for i := range cal.Holidays {
		entries = append(entries, calendarEntry{holiday: &cal.Holidays[i]})
	}
	for i := range cal.StudyDays {
		entries = append(entries, calendarEntry{studyDay: &cal.StudyDays[i]})
	}
	sortEntries(entries)
	s.entries = entries
	s.list.Refresh()

	next := -1
	for i, e := range entries {
		if keep != nil && sameEntry(*keep, e) {
			next = i
			break
		}
		if next < 0 && !e.to().Before(s.store.Today()) {
			next = i
		}
	}
	// The detail is drawn here: List.Select does not report an item that is
	// selected already, and after a change its overview must be read again.
	s.selected = next
	if next < 0 {
		s.list.UnselectAll()
		s.showDetail(calendarEntry{})
		return
	}
	s.list.Select(next)
	s.list.ScrollTo(next)
	s.showDetail(entries[next])
}

func sortEntries(entries []calendarEntry) {
	slices.SortStableFunc(entries, func(a, b calendarEntry) int { return a.from().Compare(b.from()) })
}

func sameEntry(a, b calendarEntry) bool {
	switch {
	case a.holiday != nil && b.holiday != nil:
		return a.holiday.ID == b.holiday.ID
	case a.studyDay != nil && b.studyDay != nil:
		return a.studyDay.Date == b.studyDay.Date
	}
	return false
}

func (s *calendarScreen) entryText(e calendarEntry) (name, when string) {
	if e.studyDay != nil {
		return e.studyDay.Name, formatDate(e.studyDay.Date) + " · " + lang.L("study day")
	}
	return e.holiday.Name, formatDate(e.holiday.From) + " – " + formatDate(e.holiday.To)
}

func (s *calendarScreen) onEntryChosen(i widget.ListItemID) {
	if i == s.selected {
		return
	}
	s.selected = i
	s.showDetail(s.entries[i])
}

func (s *calendarScreen) showDetail(e calendarEntry) {
	s.overviewLoad.stop() // another entry's overview must not be drawn here
	s.removeButton.Disable()
	s.sheetBox.Hide()
	s.deadline.SetText("")
	s.summary.SetText("")
	s.childrenBox.Objects = nil
	s.childrenBox.Refresh()
	defer func() {
		s.summary.Hidden = s.summary.Text == ""
		s.summary.Refresh()
	}()
	switch {
	case e.studyDay != nil:
		s.removeButton.Enable()
		s.sheetBox.Show()
		s.detailTitle.SetText(e.studyDay.Name + " · " + formatDate(e.studyDay.Date))
		s.deadline.SetText(lang.L("There is no school: the school's BSO children are on the list only when signed up on the sheet."))
	case e.holiday != nil:
		s.removeButton.Enable()
		name, when := s.entryText(e)
		s.detailTitle.SetText(name + " · " + when)
		s.showOverview(e.holiday)
	default:
		s.detailTitle.SetText(lang.L("This school has no holidays or study days yet. Add them, or import the school's calendar."))
	}
}

// showOverview draws the holiday-care overview of a holiday (V2).
func (s *calendarScreen) showOverview(h *data.SchoolHoliday) {
	store, schoolID, holidayID := s.store, h.SchoolID, h.ID
	load(s.jobs, &s.overviewLoad, func(ctx context.Context) (data.HolidayOverview, error) {
		return store.HolidayOverview(ctx, schoolID, holidayID)
	}, s.drawOverview)
}

// drawOverview shows a holiday's overview loaded by showOverview.
func (s *calendarScreen) drawOverview(o data.HolidayOverview, err error) {
	if err != nil {
		s.showError(err)
		return
	}
	defer func() {
		s.summary.Hidden = s.summary.Text == ""
		s.summary.Refresh()
	}()
	s.overview = o
	s.deadline.SetText(deadlineText(o))
	s.summary.SetText(lang.N("{{.Uncovered}} of {{.Total}} school-weeks children have no holiday contract or booked day.", o.Uncovered(),
		map[string]any{"Uncovered": o.Uncovered(), "Total": len(o.Children)}))
	objects := make([]fyne.CanvasObject, 0, len(o.Children))
	for _, c := range o.Children {
		row, ok := s.rows[c.Child.ID]
		if !ok {
			row = newHolidayChildRow(s, c.Child.ID)
			s.rows[c.Child.ID] = row
		}
		row.update(c)
		objects = append(objects, row.box)
	}
	s.childrenBox.Objects = objects
	s.childrenBox.Refresh()
}

func deadlineText(o data.HolidayOverview) string {
	args := map[string]any{"Date": formatDate(o.Deadline), "Days": o.DaysLeft}
	switch {
	case o.DaysLeft > 0:
		return lang.N("Holiday contracts can be arranged until {{.Date}}: {{.Days}} days left.", o.DaysLeft, args)
	case o.DaysLeft == 0:
		return lang.L("Today, {{.Date}}, is the last day to arrange holiday contracts.", args)
	}
	args["Days"] = -o.DaysLeft
	return lang.N("The deadline for holiday contracts was {{.Date}}, {{.Days}} days ago.", -o.DaysLeft, args)
}

func (s *calendarScreen) onOpenSheet() {
	if s.selected >= 0 && s.entries[s.selected].studyDay != nil {
		sd := s.entries[s.selected].studyDay
		s.openStudyDay(sd.SchoolID, sd.Date)
	}
}

func (s *calendarScreen) onAddHoliday() {
	name, from, to := newField(lang.L("For example Kerstvakantie")), newDateEntry(), newDateEntry()
	items := []*widget.FormItem{
		{Text: lang.L("Name"), Widget: name},
		{Text: lang.L("First day"), Widget: from, HintText: lang.L("DD-MM-YYYY")},
		{Text: lang.L("Last day"), Widget: to, HintText: lang.L("DD-MM-YYYY")},
	}
	showFormDialog(s.window, lang.L("Add holiday"), lang.L("Save"), items, func() (func(), string) {
		first, err1 := parseUserDate(from.Text)
		last, err2 := parseUserDate(to.Text)
		if err := errors.Join(err1, err2); err != nil {
			return nil, err.Error()
		}
		if strings.TrimSpace(name.Text) == "" {
			return nil, lang.L("Give a name")
		}
		return func() {
			h := data.SchoolHoliday{SchoolID: s.schoolID, Name: strings.TrimSpace(name.Text), From: first, To: last}
			s.save(func(ctx context.Context) error { _, err := s.store.AddHoliday(ctx, h); return err })
		}, ""
	})
}

// onAddStudyDay asks the study day's name and date; the example name is a
// placeholder only, never saved.
func (s *calendarScreen) onAddStudyDay() {
	name, date := newField(lang.L("For example Studiemiddag team")), newDateEntry()
	items := []*widget.FormItem{
		{Text: lang.L("Name"), Widget: name},
		{Text: lang.L("Date"), Widget: date, HintText: lang.L("DD-MM-YYYY")},
	}
	showFormDialog(s.window, lang.L("Add study day"), lang.L("Save"), items, func() (func(), string) {
		day, err := parseUserDate(date.Text)
		if err != nil {
			return nil, err.Error()
		}
		if strings.TrimSpace(name.Text) == "" {
			return nil, lang.L("Give a name")
		}
		return func() {
			sd := data.StudyDay{SchoolID: s.schoolID, Name: strings.TrimSpace(name.Text), Date: day}
			s.save(func(ctx context.Context) error { return s.store.AddStudyDay(ctx, sd) })
		}, ""
	})
}

func (s *calendarScreen) onRemove() {
	if s.selected < 0 {
		return
	}
	e := s.entries[s.selected]
	name, when := s.entryText(e)
	showConfirm(s.window, lang.L("Remove"), lang.L("Remove {{.Name}} ({{.When}}) from the calendar?", map[string]any{"Name": name, "When": when}), func(ok bool) {
		if !ok {
			return
		}
		if e.holiday != nil {
			s.save(func(ctx context.Context) error { return s.store.RemoveHoliday(ctx, e.holiday.SchoolID, e.holiday.ID) })
		} else {
			s.save(func(ctx context.Context) error {
				return s.store.RemoveStudyDay(ctx, e.studyDay.SchoolID, e.studyDay.Date)
			})
		}
	})
}

func (s *calendarScreen) onImport() {
	schoolID := s.schoolID
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		if r != nil {
			s.importFile(schoolID, r, r.URI().Name())
		}
	}, s.window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".ics"}))
	d.Show()
}

// importFile reads and stores a calendar file off the UI goroutine and says
// what it did; a damaged or foreign file imports nothing.
func (s *calendarScreen) importFile(schoolID data.ID, r io.ReadCloser, name string) {
	s.jobs.write(func(ctx context.Context) {
		defer r.Close()
		f, err := data.ParseCalendarFile(r)
		var res data.CalendarImportResult
		if err == nil {
			res, err = s.store.ImportCalendar(ctx, schoolID, f)
		}
		fyne.Do(func() {
			if err != nil {
				s.showError(err)
				return
			}
			showInfo(lang.L("Calendar imported"), lang.L("{{.File}}: {{.Added}} new, {{.Updated}} changed, {{.Unchanged}} already in the calendar. {{.Skipped}} events with a time of day or that repeat were left out.",
				map[string]any{"File": name, "Added": res.Added, "Updated": res.Updated, "Unchanged": res.Unchanged, "Skipped": res.Skipped}), s.window)
		})
	})
}

func (s *calendarScreen) save(write func(context.Context) error) {
	s.jobs.write(func(ctx context.Context) {
		if err := write(ctx); err != nil {
			fyne.Do(func() { s.showError(err) })
		}
	})
}

func (s *calendarScreen) showError(err error) {
	fyne.LogError("calendar", err)
	showInfo(lang.L("Not saved"), planningMessage(err), s.window)
}

// planningMessage says in the user's language what the calendar, holiday
// care and study-day screens cannot do.
func planningMessage(err error) string {
	switch {
	case errors.Is(err, data.ErrNotCalendar):
		why, _ := refusalText(err)
		return strings.TrimSpace(lang.L("This file cannot be read as a school calendar (.ics); nothing was imported.") + " " + why)
	case errors.Is(err, data.ErrNotFound):
		return lang.L("This is no longer in the data; the screen has been brought up to date.")
	}
	return userMessage(err)
}

// holidayChildRow is a child in the holiday overview, with the button that
// arranges a holiday contract when the child has no cover.
type holidayChildRow struct {
	screen   *calendarScreen
	childID  data.ID
	name     *widget.Label
	detail   *widget.Label
	contract *widget.Button
	box      fyne.CanvasObject
	child    data.HolidayChild
}

func newHolidayChildRow(s *calendarScreen, childID data.ID) *holidayChildRow {
	r := &holidayChildRow{screen: s, childID: childID}
	r.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	r.detail = &widget.Label{Wrapping: fyne.TextWrapWord}
	var contract fyne.CanvasObject
	r.contract, contract = newTouchButton(lang.L("Holiday contract…"), theme.DocumentCreateIcon(), r.onContract)
	r.box = container.NewVBox(newListRow(container.NewVBox(r.name, r.detail), nil, contract), widget.NewSeparator())
	return r
}

func (r *holidayChildRow) update(c data.HolidayChild) {
	r.child = c
	r.name.SetText(c.Child.Name())
	status := lang.L("no holiday contract or booked day: reach the parents")
	switch c.Cover {
	case data.CoverContract:
		status = lang.L("holiday contract")
	case data.CoverBooking:
		status = lang.L("holiday day booked")
	}
	// After the deadline no contract can be arranged any more (V2): the
	// action is not offered, and the row says what is left (V3).
	late := r.screen.overview.DaysLeft < 0
	if c.Cover == data.CoverNone && late {
		status = lang.L("no holiday contract; the deadline has passed: holiday days are requested as extra care")
	}
	r.detail.SetText(c.Group.Name + " · " + status)
	setShown(c.Cover == data.CoverNone && !late, r.contract)
}

// onContract arranges a holiday contract from the shown holiday on (V2); the
// store refuses it after the deadline (the button is not offered then).
func (r *holidayChildRow) onContract() {
	s := r.screen
	h := s.overview.Holiday
	days := newField("")
	days.Validator = func(text string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(text)); err != nil || n < 1 {
			return errors.New(lang.L("Enter a number of days"))
		}
		return nil
	}
	items := []*widget.FormItem{{Text: lang.L("Holiday days a year"), Widget: days}}
	title := lang.L("Holiday contract for {{.Name}} from the {{.Holiday}}", map[string]any{"Name": r.child.Child.Name(), "Holiday": h.Name})
	showFormDialog(s.window, title, lang.L("Save"), items, func() (func(), string) {
		n, _ := strconv.Atoi(strings.TrimSpace(days.Text))
		return func() {
			req := data.HolidayContractRequest{ChildID: r.childID, HolidayID: h.ID, CreditDays: n}
			s.save(func(ctx context.Context) error { _, err := s.store.RegisterHolidayContract(ctx, req); return err })
		}, ""
	})
}

// newDateEntry is an entry for a date as Dutch offices write it (25-12-2026);
// ISO dates (2026-12-25) are accepted too.
func newDateEntry() *field {
	e := newField("19-12-2026")
	e.Validator = func(text string) error {
		_, err := parseUserDate(text)
		return err
	}
	return e
}

func parseUserDate(text string) (data.Date, error) {
	text = strings.TrimSpace(text)
	if d, err := data.ParseDate(text); err == nil {
		return d, nil
	}
	t, err := time.Parse("2-1-2006", text)
	if err != nil {
		return data.Date{}, errors.New(lang.L("Enter a date as DD-MM-YYYY"))
	}
	return data.DateOf(t), nil
}
