package ui

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// firstStartScreen is what an empty data file opens on (M1): set up the
// organisation, try the demo, or (a tablet, a second computer) connect to
// the location's computer. Nothing lands in the file until one is chosen.
type firstStartScreen struct {
	onSetUp func()
	onDemo  func()
	// onConnect, when set, offers connecting to the location's hub.
	onConnect func()
	demo      *widget.Button
	message   *widget.Label
	building  *widget.ProgressBarInfinite
}

func (s *firstStartScreen) buildUI() fyne.CanvasObject {
	heading := &widget.Label{Text: lang.L("Welcome to Locatiedesk"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	intro := &widget.Label{Text: lang.L("This data file is empty. Set up your own organisation, or look around in a demo location first. The demo goes into this file; use a separate file for your real data."),
		Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	setUp, setUpBox := newTouchButton(lang.L("Set up my organisation"), theme.HomeIcon(), s.onSetUp)
	setUp.Importance = widget.HighImportance
	var demoBox fyne.CanvasObject
	s.demo, demoBox = newTouchButton(lang.L("Try the demo"), theme.MediaPlayIcon(), s.onTryDemo)
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance, Alignment: fyne.TextAlignCenter}
	s.building = widget.NewProgressBarInfinite()
	s.building.Hide()
	box := container.NewVBox(heading, intro)
	if s.onConnect != nil {
		connect, connectBox := newTouchButton(lang.L("Connect to the location's computer"), theme.ComputerIcon(), s.onConnect)
		connect.Importance = widget.HighImportance
		box.Add(&widget.Label{Text: lang.L("Does the location already work with Locatiedesk on another computer? Connect this device to it."), Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter})
		box.Add(connectBox)
		box.Add(&widget.Label{Text: lang.L("Or start here:"), Alignment: fyne.TextAlignCenter})
		setUp.Importance = widget.MediumImportance
	}
	box.Add(setUpBox)
	box.Add(demoBox)
	box.Add(s.building)
	box.Add(s.message)
	return container.NewCenter(container.New(minSizeLayout{fyne.NewSize(480, 0)}, box))
}

// onTryDemo builds the demo (a few seconds of writing) with the buttons held.
func (s *firstStartScreen) onTryDemo() {
	s.demo.Disable()
	s.building.Show()
	s.onDemo()
}

// demoFailed shows why the demo could not be written.
func (s *firstStartScreen) demoFailed(err error) {
	s.demo.Enable()
	s.building.Hide()
	s.message.SetText(userMessage(err))
}

// setupWizard asks what a new organisation starts with: its name, the first
// location and its groups, and the first manager's account (M1).
type setupWizard struct {
	store  data.Store
	jobs   *jobs
	onBack func()
	onDone func(data.Actor)

	organisation, location, manager, password, repeat *widget.Entry
	groups                                            []*groupRow
	groupList                                         *fyne.Container
	message                                           *widget.Label
	submit                                            *widget.Button
}

// groupRow is one group of the new location: name, care type, places.
type groupRow struct {
	name, capacity *widget.Entry
	care           *widget.RadioGroup
	box            fyne.CanvasObject
}

func newSetupWizard(store data.Store, jobs *jobs, onBack func(), onDone func(data.Actor)) *setupWizard {
	return &setupWizard{store: store, jobs: jobs, onBack: onBack, onDone: onDone}
}

func (s *setupWizard) buildUI() fyne.CanvasObject {
	entry := func(placeholder string, password bool) *widget.Entry {
		return &widget.Entry{PlaceHolder: placeholder, Password: password, OnSubmitted: func(string) { s.onSubmit() }}
	}
	s.organisation = entry(lang.L("For example Kinderopvang Het Zonnetje"), false)
	s.location = entry(lang.L("For example De Zonnebloem"), false)
	s.manager = entry(lang.L("Your name, as colleagues know it"), false)
	s.password = entry(lang.L("At least 8 characters"), true)
	s.repeat = entry(lang.L("The same password again"), true)
	s.groupList = container.NewVBox()
	s.addGroup()
	_, addGroup := newTouchButton(lang.L("Add a group"), theme.ContentAddIcon(), s.addGroup)
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}

	heading := func(text string) *widget.Label {
		return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}}
	}
	form := container.NewVBox(
		heading(lang.L("1. Your organisation")),
		widget.NewForm(widget.NewFormItem(lang.L("Organisation"), s.organisation)),
		heading(lang.L("2. The first location")),
		widget.NewForm(widget.NewFormItem(lang.L("Location"), s.location)),
		heading(lang.L("3. Its groups")),
		&widget.Label{Text: lang.L("Name, care type and places of every group. More groups, opening hours and other locations can be added later under Management."), Wrapping: fyne.TextWrapWord},
		s.groupList, addGroup,
		heading(lang.L("4. Your account as location manager")),
		widget.NewForm(
			widget.NewFormItem(lang.L("Name"), s.manager),
			widget.NewFormItem(lang.L("Password"), s.password),
			widget.NewFormItem(lang.L("Repeat password"), s.repeat),
		),
		&widget.Label{Text: lang.L("A PIN for the tablets can be added later, under Settings."), Wrapping: fyne.TextWrapWord},
		s.message,
	)
	var submitBox, backBox fyne.CanvasObject
	s.submit, submitBox = newTouchButton(lang.L("Set up"), theme.ConfirmIcon(), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	_, backBox = newTouchButton(lang.L("Back"), theme.NavigateBackIcon(), s.onBack)
	title := &widget.Label{Text: lang.L("Set up your organisation"), TextStyle: fyne.TextStyle{Bold: true}, Alignment: fyne.TextAlignCenter}
	buttons := container.NewGridWithColumns(2, backBox, submitBox)
	return container.NewBorder(title, container.NewPadded(buttons), nil, nil, container.NewVScroll(container.NewPadded(form)))
}

// addGroup adds an empty group row; a new location usually has a few.
func (s *setupWizard) addGroup() {
	r := &groupRow{
		name:     &widget.Entry{PlaceHolder: lang.L("Group name")},
		capacity: &widget.Entry{PlaceHolder: lang.L("Places")},
		care:     &widget.RadioGroup{Options: []string{string(data.KDV), string(data.BSO)}, Horizontal: true, Required: true},
	}
	r.care.SetSelected(string(data.KDV))
	r.name.OnSubmitted = func(string) { s.onSubmit() }
	r.capacity.OnSubmitted = func(string) { s.onSubmit() }
	remove := &widget.Button{Icon: theme.DeleteIcon(), Importance: widget.LowImportance}
	right := container.NewHBox(r.care, touchable(r.capacity, 90), touchable(remove, touchSize))
	r.box = container.NewBorder(nil, nil, nil, right, touchable(r.name, 160))
	remove.OnTapped = func() { s.removeGroup(r) }
	s.groups = append(s.groups, r)
	s.groupList.Add(r.box)
}

func (s *setupWizard) removeGroup(r *groupRow) {
	for i, g := range s.groups {
		if g == r {
			s.groups = append(s.groups[:i], s.groups[i+1:]...)
		}
	}
	s.groupList.Remove(r.box)
}

// setup reads the form into a set-up, or says what is missing.
func (s *setupWizard) setup() (data.OrganisationSetup, string) {
	set := data.OrganisationSetup{Organisation: s.organisation.Text, Location: s.location.Text, Manager: s.manager.Text, Secret: s.password.Text}
	for _, r := range s.groups {
		if strings.TrimSpace(r.name.Text) == "" && strings.TrimSpace(r.capacity.Text) == "" {
			continue // an empty row left over
		}
		places, err := strconv.Atoi(strings.TrimSpace(r.capacity.Text))
		if err != nil || places < 1 {
			return set, lang.L("Give the number of places of group {{.Name}}.", map[string]any{"Name": r.name.Text})
		}
		set.Groups = append(set.Groups, data.GroupSetup{Name: r.name.Text, Care: data.CareType(r.care.Selected), Capacity: places})
	}
	switch {
	case len(set.Groups) == 0:
		return set, lang.L("Add at least one group: the attendance list is per group.")
	case s.password.Text != s.repeat.Text:
		return set, lang.L("The two passwords differ.")
	}
	if err := set.Validate(); err != nil {
		return set, userMessage(err)
	}
	return set, ""
}

func (s *setupWizard) onSubmit() {
	set, problem := s.setup()
	s.message.SetText(problem)
	if problem != "" || s.submit.Disabled() {
		return
	}
	s.submit.Disable()
	s.jobs.write(func(ctx context.Context) {
		actor, err := s.store.SetUp(ctx, set) // bcrypt: deliberately slow, so off the UI goroutine
		fyne.Do(func() {
			s.submit.Enable()
			if err != nil {
				s.message.SetText(userMessage(err))
				return
			}
			s.onDone(actor)
		})
	})
}
