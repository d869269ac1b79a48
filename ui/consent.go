package ui

import (
	"context"
	"errors"
	"fmt"
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

// consentTab is the Toestemmingen tab of a child's card (C1, C2): the two
// questions staff ask (portal? public?), the current answer, the history and
// a way to record a new answer. It is a widget of its own so the child's card
// can hold it as a tab; close stops it listening to the store.
type consentTab struct {
	widget.BaseWidget
	store   data.Store
	window  fyne.Window
	user    string
	jobs    *jobs
	childID data.ID

	avatar       *avatar
	name         *widget.Label
	status       *widget.Label
	portalIcon   *widget.Icon
	portalAnswer *widget.Label
	publicIcon   *widget.Icon
	publicAnswer *widget.Label
	recordButton *widget.Button
	history      *fyne.Container
	content      fyne.CanvasObject

	consent  data.ChildConsent
	stopFeed func()
	// consentLoad is the latest load of the child's consents; the tab
	// shares the card's jobs, and ends its own load when it closes.
	consentLoad latest
}

// newConsentTab builds the consent tab of one child and keeps it current.
func newConsentTab(store data.Store, window fyne.Window, user string, jobs *jobs, childID data.ID) *consentTab {
	t := &consentTab{store: store, window: window, user: user, jobs: jobs, childID: childID}
	t.ExtendBaseWidget(t)
	t.content = t.buildUI()
	t.stopFeed = follow(jobs, store, t.onChange)
	t.reload()
	return t
}

func (t *consentTab) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

func (t *consentTab) close() {
	t.stopFeed()
	t.consentLoad.stop()
}

func (t *consentTab) buildUI() fyne.CanvasObject {
	t.avatar = newAvatar()
	t.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	t.status = &widget.Label{Wrapping: fyne.TextWrapWord}
	t.portalIcon, t.publicIcon = widget.NewIcon(nil), widget.NewIcon(nil)
	t.portalAnswer = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	t.publicAnswer = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	var record fyne.CanvasObject
	t.recordButton, record = newTouchButton(lang.L("Record an answer…"), theme.DocumentCreateIcon(), t.onRecord)
	t.recordButton.Importance = widget.HighImportance

	questions := container.New(layout.NewFormLayout(),
		container.NewHBox(t.portalIcon, widget.NewLabel(lang.L("May be photographed for the parent portal"))), t.portalAnswer,
		container.NewHBox(t.publicIcon, widget.NewLabel(lang.L("May be photographed for public use"))), t.publicAnswer,
	)
	who := container.NewBorder(nil, nil, t.avatar, container.NewVBox(record), container.NewVBox(t.name, t.status))
	t.history = container.NewVBox()
	historyTitle := &widget.Label{Text: lang.L("History"), TextStyle: fyne.TextStyle{Bold: true}}
	top := container.NewVBox(who, widget.NewSeparator(), questions, widget.NewSeparator(), historyTitle)
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(t.history))
}

// onChange runs on the writer's goroutine: a new answer or a contract change
// (which can end the consent) redraws the tab.
func (t *consentTab) onChange(c data.Change) {
	if c.Kind == data.ChangeConsent || c.Kind == data.ChangePlanning || c.Kind == data.ChangeCatalog {
		fyne.Do(t.reload)
	}
}

func (t *consentTab) reload() {
	store, childID := t.store, t.childID
	load(t.jobs, &t.consentLoad, func(ctx context.Context) (data.ChildConsent, error) { return store.Consent(ctx, childID) }, t.draw)
}

// draw shows the consents loaded by reload.
func (t *consentTab) draw(c data.ChildConsent, err error) {
	if err != nil {
		fyne.LogError("consent", err)
		t.status.SetText(userMessage(err))
		return
	}
	t.consent = c
	t.avatar.set(c.Child.Initials(), c.Child.Picture)
	t.avatar.setConsent(shownLevel(c.ConsentStatus))
	t.name.SetText(c.Child.Name())
	t.status.SetText(consentStatusText(c.ConsentStatus))
	yesNo := func(icon *widget.Icon, answer *widget.Label, yes bool) {
		if yes {
			icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
			answer.SetText(lang.L("Yes"))
		} else {
			icon.SetResource(theme.NewErrorThemedResource(theme.CancelIcon()))
			answer.SetText(lang.L("No"))
		}
	}
	yesNo(t.portalIcon, t.portalAnswer, c.MayPhotograph())
	yesNo(t.publicIcon, t.publicAnswer, c.MayPublish())
	t.drawHistory()
}

// drawHistory lists every change, newest first; nothing is ever left out,
// and every part (answer, source, who) is read in full at any width.
func (t *consentTab) drawHistory() {
	t.history.Objects = nil
	h := t.consent.History
	for i := len(h) - 1; i >= 0; i-- {
		source := consentSourceText(h[i].Source)
		if h[i].Note != "" {
			source += " · " + h[i].Note
		}
		answer := &widget.Label{Text: shortDate(h[i].Given) + " · " + consentAnswerText(h[i].Level), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
		how := wrapLabel(lang.L("Received via {{.Source}}; recorded by {{.Who}} on {{.When}}", map[string]any{"Source": source,
			"Who": h[i].RecordedBy, "When": shortDate(data.DateOf(h[i].RecordedAt)) + " " + data.ClockOf(h[i].RecordedAt).String()}))
		t.history.Objects = append(t.history.Objects, answer, how, widget.NewSeparator())
	}
	if len(h) == 0 {
		t.history.Objects = append(t.history.Objects, widget.NewLabel(lang.L("No answer recorded yet.")))
	}
	t.history.Refresh()
}

// onRecord asks for a new answer with big buttons, as a tablet needs; Save
// is enabled once level, source and a valid date are there.
func (t *consentTab) onRecord() {
	rec := newConsentRecorder(t.store.Today())
	var d *dialog.CustomDialog
	var save, cancel fyne.CanvasObject
	rec.save, save = newTouchButton(lang.L("Save"), theme.DocumentSaveIcon(), func() {
		change, ok := rec.change(t.childID, t.user)
		if !ok {
			return
		}
		d.Hide()
		t.jobs.write(func(ctx context.Context) {
			if err := t.store.RecordConsent(ctx, change); err != nil {
				fyne.Do(func() {
					fyne.LogError("consent", err)
					showInfo(lang.L("Not saved"), userMessage(err), t.window)
				})
			}
		})
	})
	rec.save.Importance = widget.HighImportance
	_, cancel = newTouchButton(lang.L("Cancel"), theme.CancelIcon(), func() { d.Hide() })
	rec.update()
	content := container.NewBorder(nil, container.NewHBox(layout.NewSpacer(), cancel, save), nil, nil,
		rec.buildUI(lang.L("Recorded by {{.Name}}", map[string]any{"Name": t.user})))
	d = dialog.NewCustomWithoutButtons(lang.L("New answer for {{.Name}}", map[string]any{"Name": t.consent.Child.Name()}), content, t.window)
	showDialog(t.window, d, func() {
		if !rec.save.Disabled() {
			rec.save.OnTapped()
		}
	}, rec.date)
}

// consentRecorder holds the fields of the new-answer dialog.
type consentRecorder struct {
	level  *choiceButtons
	source *choiceButtons
	date   *field
	note   *field
	save   *widget.Button
}

func newConsentRecorder(today data.Date) *consentRecorder {
	r := &consentRecorder{}
	levels := make([]string, len(data.ConsentAnswers))
	for i, l := range data.ConsentAnswers {
		levels[i] = consentAnswerText(l)
	}
	sources := make([]string, len(data.ConsentSources))
	for i, s := range data.ConsentSources {
		sources[i] = consentSourceText(s)
	}
	r.level = newChoiceButtons(levels, true, r.update)
	r.source = newChoiceButtons(sources, false, r.update)
	r.date = newField(lang.L("DD-MM-YYYY"))
	r.date.SetText(shortDate(today))
	r.date.Validator = func(text string) error {
		if _, err := data.ParseDateDMY(text); err != nil {
			return errors.New(lang.L("Enter a date as DD-MM-YYYY"))
		}
		return nil
	}
	r.date.OnChanged = func(string) { r.update() }
	r.note = newField(lang.L("Optional"))
	return r
}

func (r *consentRecorder) buildUI(recordedBy string) fyne.CanvasObject {
	bold := func(text string) *widget.Label {
		return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}}
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Answered on"), touchable(r.date, 200)),
		widget.NewFormItem(lang.L("Note"), touchable(r.note, 300)),
	)
	return container.NewVBox(bold(lang.L("Answer of the parents")), r.level.box,
		bold(lang.L("Received via")), r.source.box, form, widget.NewLabel(recordedBy))
}

// change is the answer entered, when complete.
func (r *consentRecorder) change(childID data.ID, user string) (data.ConsentChange, bool) {
	given, err := data.ParseDateDMY(r.date.Text)
	if err != nil || r.level.selected < 0 || r.source.selected < 0 {
		return data.ConsentChange{}, false
	}
	return data.ConsentChange{ChildID: childID, Level: data.ConsentAnswers[r.level.selected], Given: given,
		Source: data.ConsentSources[r.source.selected], RecordedBy: user, Note: strings.TrimSpace(r.note.Text)}, true
}

func (r *consentRecorder) update() {
	if r.save == nil {
		return
	}
	_, complete := r.change(0, "")
	setEnabled(r.save, complete)
}

// choiceButtons is a set of big buttons of which one is chosen: a radio
// group a finger can hit.
type choiceButtons struct {
	buttons  []*widget.Button
	selected int
	box      *fyne.Container
}

func newChoiceButtons(labels []string, vertical bool, changed func()) *choiceButtons {
	c := &choiceButtons{selected: -1}
	c.box = newFlow()
	if vertical {
		c.box = container.NewVBox()
	}
	for i, text := range labels {
		b, obj := newTouchButton(text, theme.RadioButtonIcon(), func() {
			c.choose(i)
			changed()
		})
		b.Alignment = widget.ButtonAlignLeading
		c.buttons = append(c.buttons, b)
		c.box.Add(touchable(obj, 160))
	}
	return c
}

func (c *choiceButtons) choose(i int) {
	c.selected = i
	for j, b := range c.buttons {
		if j == i {
			b.Icon, b.Importance = theme.RadioButtonCheckedIcon(), widget.HighImportance
		} else {
			b.Icon, b.Importance = theme.RadioButtonIcon(), widget.MediumImportance
		}
		b.Refresh()
	}
}

// newConsentLegend explains the markers on the pictures (C2).
func newConsentLegend() fyne.CanvasObject {
	item := func(marker fyne.Resource, text string) fyne.CanvasObject {
		img := &canvas.Image{Resource: marker, FillMode: canvas.ImageFillContain}
		img.SetMinSize(fyne.NewSquareSize(22))
		return container.NewHBox(img, widget.NewLabel(text))
	}
	return container.NewHBox(
		item(markerNoPhotos, lang.L("No photos")),
		item(markerNotPublic, lang.L("Parent portal only, not public")))
}

// shownLevel is the level a marker shows: an ended consent allows no photos.
func shownLevel(s data.ConsentStatus) data.ConsentLevel {
	if s.Ended() {
		return data.ConsentNone
	}
	return s.Level
}

func consentAnswerText(l data.ConsentLevel) string {
	switch l {
	case data.ConsentNone:
		return lang.L("No consent")
	case data.ConsentPortal:
		return lang.L("Parent portal only")
	case data.ConsentPublic:
		return lang.L("Parent portal and public")
	default:
		return lang.L("Not answered yet")
	}
}

func consentSourceText(s data.ConsentSource) string {
	switch s {
	case data.ConsentFromParentApp:
		return lang.L("Parent app")
	case data.ConsentFromForm:
		return lang.L("Form")
	case data.ConsentFromPhone:
		return lang.L("Phone")
	default:
		return string(s)
	}
}

// consentLevelText names a status in a few words, as the overview shows it.
func consentLevelText(s data.ConsentStatus) string {
	if s.Ended() {
		return lang.L("Ended")
	}
	return consentAnswerText(s.Level)
}

// consentStatusText explains the status in a sentence, for the child's card.
func consentStatusText(s data.ConsentStatus) string {
	switch {
	case s.Ended():
		return lang.L("Care ended on {{.Date}}: photos may no longer be used. Last answer: {{.Level}}.",
			map[string]any{"Date": shortDate(s.EndedOn), "Level": consentAnswerText(s.Level)})
	case s.Level == data.ConsentNotAnswered:
		return lang.L("The parents have not answered yet. Until they do, the child may not be photographed.")
	default:
		return lang.L("{{.Level}}, since {{.Date}}", map[string]any{"Level": consentAnswerText(s.Level), "Date": shortDate(s.Since)})
	}
}

// shortDate writes a date the Dutch way, 25-11-2026, for tables and entries.
func shortDate(d data.Date) string { return fmt.Sprintf("%02d-%02d-%04d", d.Day, d.Month, d.Year) }
