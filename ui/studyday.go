package ui

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// studyDayLookBack keeps recent study days in the list: sheets come back
// from the location some days after the study day.
const studyDayLookBack = 28

// studyDayScreen is one study day at one location (S1): who may need care,
// how many are signed up against the minimum, printing the sign-up sheet
// and registering it when it comes back signed.
type studyDayScreen struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs
	// printDir holds the PDFs opened for printing; openURL hands one to the system's viewer.
	printDir string
	openURL  func(*url.URL) error

	locationSelect *widget.Select
	daySelect      *widget.Select
	heading        *widget.Label
	status         *widget.Label
	printButton    *widget.Button
	saveButton     *widget.Button
	registerButton *widget.Button
	// aheadButton and cancelButton decide a day below its minimum (S2);
	// noticeButton prints the parents' notice of a cancelled one.
	aheadButton, cancelButton, noticeButton *widget.Button
	aheadBox, decideBox, noticeBox          fyne.CanvasObject
	message                                 *widget.Label
	rowsBox                                 *fyne.Container
	scroll                                  *container.Scroll

	locations  []data.Location
	locationID data.ID
	schools    map[data.ID]string
	days       []data.StudyDay
	sheet      data.StudyDaySheet
	hasSheet   bool
	form       *signUpForm
	stopFeed   func()
	// daysLoad and sheetLoad are the latest loads of the day picker and the sheet.
	daysLoad, sheetLoad latest
}

func newStudyDayScreen(store data.Store, window fyne.Window, app fyne.App, user string, jobs *jobs, printDir string) *studyDayScreen {
	if printDir == "" {
		printDir = defaultPrintDir()
	}
	s := &studyDayScreen{store: store, window: window, user: user, jobs: jobs, printDir: printDir, openURL: app.OpenURL}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *studyDayScreen) buildUI() fyne.CanvasObject {
	s.locationSelect = &widget.Select{PlaceHolder: lang.L("Location"), OnChanged: s.onLocationChosen}
	s.daySelect = &widget.Select{PlaceHolder: lang.L("Study day"), OnChanged: func(string) { s.loadSheet() }}
	var printBox, saveBox, registerBox fyne.CanvasObject
	s.printButton, printBox = newTouchButton(lang.L("Print sign-up sheet"), theme.DocumentPrintIcon(), s.onPrint)
	s.printButton.Importance = widget.HighImportance
	s.saveButton, saveBox = newTouchButton(lang.L("Save as PDF…"), theme.DocumentSaveIcon(), s.onSave)
	s.registerButton, registerBox = newTouchButton(lang.L("Register returned sheet…"), theme.ConfirmIcon(), s.onRegister)
	var cancelBox fyne.CanvasObject
	s.aheadButton, s.aheadBox = newTouchButton(lang.L("Care goes ahead"), theme.ConfirmIcon(), s.onGoAhead)
	s.cancelButton, cancelBox = newTouchButton(lang.L("Cancel care…"), theme.CancelIcon(), s.onCancelCare)
	s.cancelButton.Importance = widget.DangerImportance
	s.noticeButton, s.noticeBox = newTouchButton(lang.L("Print notice for parents"), theme.DocumentPrintIcon(), s.onPrintNotice)
	s.decideBox = container.NewHBox(s.aheadBox, cancelBox)
	choose := container.NewBorder(nil, nil, touchable(s.locationSelect, 200), nil, touchable(s.daySelect, 0))
	actions := newFlow(printBox, saveBox, registerBox)

	s.heading = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	s.status = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.rowsBox = container.NewVBox()
	s.scroll = container.NewVScroll(s.rowsBox)
	top := container.NewVBox(choose, actions, s.heading, s.status, s.decideBox, container.NewHBox(s.noticeBox), widget.NewSeparator())

	s.loadLocations()
	return container.NewBorder(top, nil, nil, nil, container.NewStack(s.message, s.scroll))
}

func (s *studyDayScreen) close() {
	s.stopFeed()
	s.jobs.close()
}

func (s *studyDayScreen) onChange(c data.Change) {
	fyne.Do(func() {
		if c.Kind == data.ChangeCatalog || c.Kind == data.ChangePlanning {
			s.loadDays()
		}
	})
}

func (s *studyDayScreen) loadLocations() {
	load(s.jobs, nil, s.store.Locations, func(locations []data.Location, err error) {
		if err != nil {
			s.showError(err)
			return
		}
		s.locations = locations
		offer(s.locationSelect, namesOf(locations, locationName))
	})
}

func (s *studyDayScreen) onLocationChosen(string) {
	if i := s.locationSelect.SelectedIndex(); i >= 0 {
		s.locationID = s.locations[i].ID
		s.loadDays()
	}
}

// loadDays reads the study days from four weeks ago on, keeping the chosen
// one (or choosing the first still to come).
func (s *studyDayScreen) loadDays() {
	store, today := s.store, s.store.Today()
	load(s.jobs, &s.daysLoad, func(ctx context.Context) (studyDays, error) {
		days, err := store.StudyDays(ctx, today.AddDays(-studyDayLookBack), today.AddDays(366))
		if err != nil {
			return studyDays{}, err
		}
		schools, err := store.Schools(ctx)
		return studyDays{days, schools}, err
	}, func(d studyDays, err error) { s.showDays(today, d, err) })
}

// studyDays is what the day picker offers, read in one load.
type studyDays struct {
	days    []data.StudyDay
	schools []data.School
}

// showDays offers the study days loaded, keeping the chosen one.
func (s *studyDayScreen) showDays(today data.Date, d studyDays, err error) {
	if err != nil {
		s.showError(err)
		return
	}
	days, schools := d.days, d.schools
	var keep *data.StudyDay
	if i := s.daySelect.SelectedIndex(); i >= 0 && i < len(s.days) {
		keep = &s.days[i]
	}
	s.schools = map[data.ID]string{}
	for _, sc := range schools {
		s.schools[sc.ID] = sc.Name
	}
	s.days = days
	names := make([]string, len(days))
	choose := -1
	for i, sd := range days {
		names[i] = formatDate(sd.Date) + " · " + s.schools[sd.SchoolID]
		if keep != nil && sd.SchoolID == keep.SchoolID && sd.Date == keep.Date {
			choose = i
		}
	}
	if choose < 0 {
		for i, sd := range days {
			if !sd.Date.Before(today) {
				choose = i
				break
			}
		}
	}
	s.daySelect.OnChanged = nil // one sheet read per reload, not one per call below
	s.daySelect.SetOptions(names)
	s.daySelect.ClearSelected()
	if choose >= 0 {
		s.daySelect.SetSelectedIndex(choose)
	}
	s.daySelect.OnChanged = func(string) { s.loadSheet() }
	s.loadSheet()
}

// show opens a study day, as the calendar asks.
func (s *studyDayScreen) show(schoolID data.ID, d data.Date) {
	for i, sd := range s.days {
		if sd.SchoolID == schoolID && sd.Date == d {
			s.daySelect.SetSelectedIndex(i)
		}
	}
}

func (s *studyDayScreen) loadSheet() {
	i := s.daySelect.SelectedIndex()
	s.hasSheet = false
	for _, b := range []*widget.Button{s.printButton, s.saveButton, s.registerButton} {
		b.Disable()
	}
	setShown(false, s.decideBox, s.noticeBox, s.noticeButton)
	if s.locationID == 0 || i < 0 {
		s.showMessage(lang.L("No study days in the coming year. Add them in the Calendar tab, or import the school's calendar there."))
		return
	}
	store, locationID, sd := s.store, s.locationID, s.days[i]
	load(s.jobs, &s.sheetLoad, func(ctx context.Context) (data.StudyDaySheet, error) {
		return store.StudyDaySheet(ctx, locationID, sd.SchoolID, sd.Date)
	}, func(sheet data.StudyDaySheet, err error) { s.showSheet(sd, sheet, err) })
}

// showSheet shows a study day's sign-up sheet loaded by loadSheet.
func (s *studyDayScreen) showSheet(sd data.StudyDay, sheet data.StudyDaySheet, err error) {
	if err != nil {
		s.showError(err)
		return
	}
	s.sheet, s.hasSheet = sheet, true
	for _, b := range []*widget.Button{s.printButton, s.saveButton, s.registerButton} {
		b.Enable()
	}
	s.heading.SetText(lang.L("{{.Name}} of {{.School}} on {{.Date}} · open {{.Hours}}", map[string]any{
		"Name": sd.Name, "School": sheet.School.Name, "Date": formatDate(sd.Date), "Hours": sheet.Hours.String()}))
	s.showState(sheet)
	if len(sheet.Rows) == 0 {
		s.showMessage(lang.L("This school has no BSO children at this location."))
		return
	}
	objects := make([]fyne.CanvasObject, 0, 2*len(sheet.Rows))
	for _, r := range sheet.Rows {
		signedUp := lang.L("not signed up")
		if r.SignUp != nil {
			signedUp = lang.L("signed up {{.Times}}", map[string]any{"Times": r.SignUp.Times.String()})
		}
		name := &widget.Label{Text: r.Child.Name(), TextStyle: fyne.TextStyle{Bold: r.SignUp != nil}}
		detail := &widget.Label{Text: r.Group.Name + " · " + signedUp}
		objects = append(objects, container.NewGridWithColumns(2, name, detail), widget.NewSeparator())
	}
	s.rowsBox.Objects = objects
	s.rowsBox.Refresh()
	s.message.Hide()
	s.scroll.Show()
}

// showState says where care on the day stands (S2) and offers what the
// planner can do about it: decide a day below its minimum, print the
// notice of a cancelled one.
func (s *studyDayScreen) showState(sheet data.StudyDaySheet) {
	args := map[string]any{"Count": sheet.SignedUp(), "Minimum": sheet.Minimum}
	if d := sheet.Decision; d != nil {
		args["By"], args["Date"] = d.By, shortDate(data.DateOf(d.At))
	}
	state := sheet.State()
	switch state {
	case data.StateEnoughSignUps:
		s.status.Importance = widget.SuccessImportance
		s.status.SetText(lang.L("{{.Count}} signed up: care goes ahead (from {{.Minimum}} sign-ups).", args))
	case data.StateBelowMinimum:
		s.status.Importance = widget.WarningImportance
		s.status.SetText(lang.L("{{.Count}} signed up: below the minimum of {{.Minimum}}. Decide: does care go ahead, or is it cancelled? Until then nothing is billed.", args))
	case data.StateGoesAhead:
		s.status.Importance = widget.SuccessImportance
		s.status.SetText(lang.L("{{.Count}} signed up, below the minimum of {{.Minimum}}: care goes ahead, decided by {{.By}} on {{.Date}}.", args))
	case data.StateCancelled:
		s.status.Importance = widget.DangerImportance
		s.status.SetText(lang.L("Care on this study day is cancelled, decided by {{.By}} on {{.Date}}: nobody is on the list for it and nothing is billed.", args))
		// No sheet to print or register for care that does not happen.
		for _, b := range []*widget.Button{s.printButton, s.saveButton, s.registerButton} {
			b.Disable()
		}
	}
	s.status.Refresh()
	setShown(state == data.StateBelowMinimum || state == data.StateGoesAhead, s.decideBox, s.cancelButton)
	setShown(state == data.StateBelowMinimum, s.aheadBox, s.aheadButton)
	setShown(state == data.StateCancelled, s.noticeBox, s.noticeButton)
}

// onGoAhead lets care go ahead below the minimum, after a confirmation.
func (s *studyDayScreen) onGoAhead() {
	sheet := s.sheet
	msg := lang.L("Care on {{.Date}} goes ahead with {{.Count}} children, below the minimum of {{.Minimum}}. Their sign-ups are billed.",
		map[string]any{"Date": formatDate(sheet.StudyDay.Date), "Count": sheet.SignedUp(), "Minimum": sheet.Minimum})
	dialog.ShowConfirm(lang.L("Care goes ahead"), msg, func(ok bool) {
		if ok {
			s.decide(sheet, data.OutcomeGoesAhead)
		}
	}, s.window)
}

// onCancelCare cancels care on the day, after a confirmation that says what follows.
func (s *studyDayScreen) onCancelCare() {
	sheet := s.sheet
	msg := lang.L("Cancel care on {{.Date}}? The {{.Count}} signed-up children leave that day's list and nothing is billed for them. This cannot be undone; print the notice for their parents afterwards.",
		map[string]any{"Date": formatDate(sheet.StudyDay.Date), "Count": sheet.SignedUp()})
	dialog.ShowConfirm(lang.L("Cancel care on the study day"), msg, func(ok bool) {
		if ok {
			s.decide(sheet, data.OutcomeCancelled)
		}
	}, s.window)
}

func (s *studyDayScreen) decide(sheet data.StudyDaySheet, outcome data.StudyDayOutcome) {
	s.jobs.write(func(ctx context.Context) {
		err := s.store.DecideStudyDay(ctx, s.locationID, sheet.School.ID, sheet.StudyDay.Date, outcome, s.user)
		if err != nil {
			fyne.Do(func() { s.showError(err) })
		}
	})
}

// onPrintNotice makes the notice off the UI goroutine and opens it in the system's viewer.
func (s *studyDayScreen) onPrintNotice() {
	sheet, locationID, printed := s.sheet, s.locationID, s.store.Now()
	name := strings.Replace(sheetFileName(sheet), "intekenlijst-", "studiedag-vervalt-", 1)
	done := s.startProgress()
	s.jobs.write(func(ctx context.Context) {
		notice, err := s.store.StudyDayNotice(ctx, locationID, sheet.School.ID, sheet.StudyDay.Date)
		var path string
		if err == nil {
			path, err = writePrintFile(s.printDir, name, func(w io.Writer) error { return reports.StudyDayNoticePDF(w, notice, printed) })
		}
		if err == nil {
			err = s.store.LogPrint(ctx, "study-day notice "+name)
		}
		fyne.Do(func() {
			done()
			if err == nil {
				err = s.openFile(path)
			}
			if err != nil {
				fyne.LogError("print study-day notice", err)
				dialog.ShowInformation(lang.L("Not printed"), planningMessage(err), s.window)
			}
		})
	})
}

func (s *studyDayScreen) showMessage(text string) {
	if !s.hasSheet {
		s.heading.SetText("")
		s.status.SetText("")
	}
	s.message.SetText(text)
	s.message.Show()
	s.scroll.Hide()
}

// sheetFileName names a sheet's PDF: intekenlijst-2026-12-03-obs-de-regenboog.pdf.
func sheetFileName(sheet data.StudyDaySheet) string {
	school := strings.Join(strings.Fields(strings.ToLower(sheet.School.Name)), "-")
	school = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return '-'
		}
		return r
	}, school)
	return fmt.Sprintf("intekenlijst-%s-%s.pdf", sheet.StudyDay.Date, school)
}

// startProgress shows that a sheet is being made; done takes it away.
func (s *studyDayScreen) startProgress() (done func()) {
	bar := widget.NewProgressBarInfinite()
	d := dialog.NewCustomWithoutButtons(lang.L("Making the sign-up sheet…"), bar, s.window)
	d.Show()
	return func() {
		bar.Stop()
		d.Hide()
	}
}

// onPrint makes the PDF off the UI goroutine and opens it in the system's
// viewer, which prints it.
func (s *studyDayScreen) onPrint() {
	sheet, printed := s.sheet, s.store.Now()
	done := s.startProgress()
	s.jobs.write(func(ctx context.Context) {
		path, err := writePrintFile(s.printDir, sheetFileName(sheet), func(w io.Writer) error { return reports.SignUpSheetPDF(w, sheet, printed) })
		if err == nil {
			err = s.store.LogPrint(ctx, "sign-up sheet "+sheetFileName(sheet))
		}
		fyne.Do(func() {
			done()
			if err == nil {
				err = s.openFile(path)
			}
			if err != nil {
				fyne.LogError("print study day", err)
				showInfo(lang.L("Not printed"), lang.L("The sign-up sheet could not be opened in a PDF viewer for printing. Save it as a PDF and print that file instead.")+" ("+err.Error()+")", s.window)
			}
		})
	})
}

func (s *studyDayScreen) openFile(path string) error {
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err != nil {
		return err
	}
	return s.openURL(u)
}

// writePrintFile writes a PDF named after name to a new file in dir (see printfiles.go).
func writePrintFile(dir, name string, write func(io.Writer) error) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, strings.TrimSuffix(name, ".pdf")+"-*.pdf")
	if err != nil {
		return "", err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// onSave lets the user keep the sheet where they choose.
func (s *studyDayScreen) onSave() {
	askSaveFile(s.window, sheetFileName(s.sheet), []string{".pdf"},
		func(w fyne.URIWriteCloser) { s.writeTo(w, w.URI().Name()) }, s.showError)
}

// writeTo makes the PDF off the UI goroutine into w and closes it.
func (s *studyDayScreen) writeTo(w io.WriteCloser, name string) {
	sheet, printed := s.sheet, s.store.Now()
	done := s.startProgress()
	s.jobs.write(func(ctx context.Context) {
		file := saving(w)
		err := file.finish(reports.SignUpSheetPDF(file, sheet, printed))
		if err == nil { // logged once it is written
			err = s.store.LogPrint(ctx, "sign-up sheet saved as "+name)
		}
		fyne.Do(func() {
			done()
			if err != nil {
				s.showError(err)
				return
			}
			showInfo(lang.L("Saved"), lang.L("The sign-up sheet is saved as {{.File}}.", map[string]any{"File": name}), s.window)
		})
	})
}

func (s *studyDayScreen) onRegister() {
	s.form = newSignUpForm(s, s.sheet)
	s.form.show()
}

func (s *studyDayScreen) showError(err error) {
	fyne.LogError("study day", err)
	showInfo(lang.L("Not saved"), planningMessage(err), s.window)
}

// signUpForm is the returned sheet as the office enters it: a tick and
// times per child who signed, and children written on blank rows.
type signUpForm struct {
	screen  *studyDayScreen
	sheet   data.StudyDaySheet
	lines   []*signUpLine
	box     *fyne.Container
	others  *widget.Select
	problem *widget.Label
	dialog  *dialog.CustomDialog
}

// signUpLine is one child of the form.
type signUpLine struct {
	row   data.StudyDayRow
	check *tick
	from  *field
	until *field
	tap   *checkRow
	box   fyne.CanvasObject
}

func newSignUpForm(s *studyDayScreen, sheet data.StudyDaySheet) *signUpForm {
	f := &signUpForm{screen: s, sheet: sheet, box: container.NewVBox()}
	for _, r := range sheet.Rows {
		f.addLine(r, r.SignUp != nil)
	}
	names := make([]string, len(sheet.Others))
	for i, r := range sheet.Others {
		names[i] = r.Child.Name() + " · " + r.Group.Name
	}
	f.others = &widget.Select{Options: names, PlaceHolder: lang.L("Add a child from a blank row…"), OnChanged: f.onOther}
	f.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	f.problem.Hide()
	return f
}

func (f *signUpForm) addLine(r data.StudyDayRow, signed bool) *signUpLine {
	times := f.sheet.Hours
	if r.SignUp != nil {
		times = r.SignUp.Times
	}
	l := &signUpLine{row: r}
	l.check = newTick(r.Child.Name()+" · "+r.Group.Name, signed)
	l.tap = newCheckRow(l.check)
	l.from, l.until = newField(""), newField("")
	l.from.SetText(times.From.String())
	l.until.SetText(times.Until.String())
	// Times are typed at the office keyboard; the row itself is the touch target.
	timeEntry := func(e *field) fyne.CanvasObject {
		return container.NewCenter(container.New(minSizeLayout{fyne.NewSize(90, 0)}, e))
	}
	l.box = container.NewBorder(nil, nil, nil,
		container.NewHBox(timeEntry(l.from), widget.NewLabel("–"), timeEntry(l.until)), l.tap)
	f.lines = append(f.lines, l)
	f.box.Add(l.box)
	return l
}

func (f *signUpForm) onOther(string) {
	i := f.others.SelectedIndex()
	if i < 0 {
		return
	}
	f.addLine(f.sheet.Others[i], true)
	f.sheet.Others = append(f.sheet.Others[:i:i], f.sheet.Others[i+1:]...)
	options := append(f.others.Options[:i:i], f.others.Options[i+1:]...)
	f.others.OnChanged = nil
	f.others.ClearSelected()
	f.others.SetOptions(options)
	f.others.OnChanged = f.onOther
}

func (f *signUpForm) show() {
	s := f.screen
	_, save := newTouchButton(lang.L("Save"), theme.ConfirmIcon(), f.onSave)
	_, cancel := newTouchButton(lang.L("Cancel"), theme.CancelIcon(), func() { f.dialog.Hide() })
	intro := &widget.Label{Wrapping: fyne.TextWrapWord, Text: lang.L("Tick every child whose parent signed the sheet, with the times written on it. Taking a tick away cancels that sign-up.")}
	content := container.NewBorder(container.NewVBox(intro, f.problem), container.NewVBox(touchable(f.others, 0), container.NewHBox(layout.NewSpacer(), cancel, save)),
		nil, nil, container.NewVScroll(f.box))
	title := lang.L("Returned sheet of {{.Date}}", map[string]any{"Date": formatDate(f.sheet.StudyDay.Date)})
	f.dialog = dialog.NewCustomWithoutButtons(title, content, s.window)
	f.dialog.Resize(fitDialog(s.window, fyne.NewSize(760, 620)))
	var first fyne.Focusable
	if len(f.lines) > 0 {
		first = f.lines[0].check
	}
	showDialog(s.window, f.dialog, f.onSave, first)
}

// onSave checks the times, then stores the whole sheet in one go; the form
// stays open with the problem named when something is wrong.
func (f *signUpForm) onSave() {
	s := f.screen
	reg := data.SignUpRegistration{LocationID: s.locationID, SchoolID: f.sheet.School.ID, Date: f.sheet.StudyDay.Date, By: s.user}
	for _, l := range f.lines {
		if !l.check.Checked {
			continue
		}
		from, err1 := data.ParseClock(strings.TrimSpace(l.from.Text))
		until, err2 := data.ParseClock(strings.TrimSpace(l.until.Text))
		if err1 != nil || err2 != nil {
			f.showProblem(lang.L("Enter the times of {{.Name}} as HH:MM.", map[string]any{"Name": l.row.Child.Name()}))
			return
		}
		reg.Children = append(reg.Children, data.SignUpEntry{ChildID: l.row.Child.ID, Times: data.TimeRange{From: from, Until: until}})
	}
	s.jobs.write(func(ctx context.Context) {
		err := s.store.RegisterSignUps(ctx, reg)
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("study day", err)
				f.showProblem(planningMessage(err))
				return
			}
			f.dialog.Hide()
		})
	})
}

func (f *signUpForm) showProblem(text string) {
	f.problem.SetText(text)
	f.problem.Show()
}

// checkRow lets a tap anywhere on a row of touchSize height toggle its
// check: a stretched Check reacts to taps on its box and label only.
type checkRow struct {
	widget.BaseWidget
	check *tick
}

func newCheckRow(check *tick) *checkRow {
	r := &checkRow{check: check}
	r.ExtendBaseWidget(r)
	return r
}

func (r *checkRow) Tapped(*fyne.PointEvent) { r.check.SetChecked(!r.check.Checked) }

func (r *checkRow) CreateRenderer() fyne.WidgetRenderer {
	middle := container.NewVBox(layout.NewSpacer(), r.check, layout.NewSpacer())
	return widget.NewSimpleRenderer(container.New(minSizeLayout{fyne.NewSize(0, touchSize)}, container.NewHBox(middle)))
}
