package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// manageScreen is the managers' Beheer tab (M1): the organisation's
// locations and groups, the staff accounts, and the rule settings. Every
// write is checked and logged by the store.
type manageScreen struct {
	store  data.Store
	window fyne.Window
	actor  data.Actor
	jobs   *jobs
	// onOwnChange signs the manager in again after a change to what they
	// lead (a location added, their own account edited).
	onOwnChange func()

	tabs        *container.AppTabs
	settingsTab *container.TabItem
	orgName     *widget.Label
	locSelect   *widget.Select
	groupList   *fyne.Container
	staffList   *fyne.Container
	settings    *settingsForm
	message     *widget.Label

	org      data.Organisation
	location int // index in org.Locations of the chosen location
	accounts []data.StaffAccount
	stopFeed func()
	orgLoad  latest // the latest load of the organisation and accounts
	// devices is the Devices tab: the paired tablets, and this computer as hub.
	devices    *devicesScreen
	devicesTab *container.TabItem
}

func newManageScreen(store data.Store, w fyne.Window, actor data.Actor, jobs *jobs, onOwnChange func(), hub *hubSwitch) *manageScreen {
	s := &manageScreen{store: store, window: w, actor: actor, jobs: jobs, onOwnChange: onOwnChange}
	s.devices = newDevicesScreen(store, w, jobs.sub(), hub)
	s.stopFeed = follow(jobs, store, func(c data.Change) {
		if c.Kind == data.ChangeCatalog {
			fyne.Do(s.reload)
		}
	})
	return s
}

func (s *manageScreen) close() {
	s.stopFeed()
	s.devices.close()
	s.jobs.close()
}

func (s *manageScreen) buildUI() fyne.CanvasObject {
	s.message = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	s.orgName = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.locSelect = &widget.Select{PlaceHolder: lang.L("Choose a location"), OnChanged: func(string) {
		s.location = s.locSelect.SelectedIndex()
		s.showGroups()
	}}
	s.groupList = container.NewVBox()
	s.staffList = container.NewVBox()
	s.settings = newSettingsForm(s.store, s.window, s.jobs)

	button := func(text string, icon fyne.Resource, tapped func()) fyne.CanvasObject {
		_, box := newTouchButton(text, icon, tapped)
		return box
	}
	orgBar := container.NewBorder(nil, nil, nil, button(lang.L("Rename organisation"), theme.DocumentCreateIcon(), s.onRenameOrganisation), s.orgName)
	locBar := container.NewBorder(nil, nil, nil,
		container.NewHBox(button(lang.L("Add location"), theme.ContentAddIcon(), s.onAddLocation),
			button(lang.L("Rename"), theme.DocumentCreateIcon(), s.onRenameLocation),
			button(lang.L("Close location"), theme.DeleteIcon(), s.onCloseLocation)),
		touchable(s.locSelect, 200))
	groupsTop := container.NewVBox(orgBar, locBar, widget.NewSeparator())
	groups := container.NewBorder(groupsTop, container.NewHBox(button(lang.L("Add group"), theme.ContentAddIcon(), s.onAddGroup)), nil, nil,
		container.NewVScroll(s.groupList))
	staff := container.NewBorder(nil, container.NewHBox(button(lang.L("Add account"), theme.ContentAddIcon(), s.onAddAccount)), nil, nil,
		container.NewVScroll(s.staffList))
	s.settingsTab = container.NewTabItem(lang.L("Organisation settings"), s.settings.buildUI())
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Locations and groups"), container.NewPadded(groups)),
		container.NewTabItem(lang.L("Staff accounts"), container.NewPadded(staff)),
		s.settingsTab,
	)
	s.devicesTab = container.NewTabItem(lang.L("Devices"), s.devices.buildUI())
	s.tabs.Append(s.devicesTab)
	s.tabs.OnSelected = func(t *container.TabItem) {
		if t == s.devicesTab {
			s.devices.reload() // last seen changes without a change in the feed
		}
	}
	s.reload()
	return container.NewBorder(nil, s.message, nil, nil, s.tabs)
}

// showSettings opens the settings form (from the Settings dialog).
func (s *manageScreen) showSettings() { s.tabs.Select(s.settingsTab) }

// showDevices opens the Devices tab.
func (s *manageScreen) showDevices() { s.tabs.Select(s.devicesTab) }

// reload reads the organisation and the accounts again.
func (s *manageScreen) reload() {
	if s.groupList == nil {
		return
	}
	store := s.store
	load(s.jobs, &s.orgLoad, func(ctx context.Context) (manageData, error) {
		org, err := store.Organisation(ctx)
		if err != nil {
			return manageData{}, err
		}
		accounts, err := store.StaffAccounts(ctx)
		return manageData{org, accounts}, err
	}, s.draw)
}

// manageData is what the management screen shows, read in one load.
type manageData struct {
	org      data.Organisation
	accounts []data.StaffAccount
}

// draw shows the organisation and the accounts loaded by reload.
func (s *manageScreen) draw(d manageData, err error) {
	if err != nil {
		s.message.SetText(userMessage(err))
		return
	}
	org, accounts := d.org, d.accounts
	s.org, s.accounts = org, accounts
	s.orgName.SetText(org.Name)
	chosen := s.location
	names := namesOf(org.Locations, func(l data.Location) string {
		if !l.ClosedOn.IsZero() {
			return lang.L("{{.Name}} (closed)", map[string]any{"Name": l.Name})
		}
		return l.Name
	})
	s.locSelect.Options = names
	if chosen < 0 || chosen >= len(names) {
		chosen = 0
	}
	if len(names) > 0 {
		s.locSelect.SetSelectedIndex(chosen) // runs showGroups
	} else {
		s.showGroups()
	}
	s.showStaff()
}

func (s *manageScreen) chosenLocation() (data.Location, bool) {
	if s.location < 0 || s.location >= len(s.org.Locations) {
		return data.Location{}, false
	}
	return s.org.Locations[s.location], true
}

// showGroups lists the chosen location's groups, closed ones last.
func (s *manageScreen) showGroups() {
	s.groupList.Objects = nil
	loc, ok := s.chosenLocation()
	if !ok {
		s.groupList.Refresh()
		return
	}
	for _, g := range s.org.Groups {
		if g.LocationID != loc.ID {
			continue
		}
		text := groupSummary(g)
		var buttons []fyne.CanvasObject
		if g.ClosedOn.IsZero() {
			_, edit := newTouchButton(lang.L("Edit"), theme.DocumentCreateIcon(), func() { s.onEditGroup(g) })
			_, closeBox := newTouchButton(lang.L("Close group"), theme.DeleteIcon(), func() { s.onCloseGroup(g) })
			buttons = append(buttons, edit, closeBox)
		}
		label := &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
		s.groupList.Add(container.NewBorder(nil, nil, nil, container.NewHBox(buttons...), label))
	}
	if len(s.groupList.Objects) == 0 {
		s.groupList.Add(&widget.Label{Text: lang.L("This location has no groups yet.")})
	}
	s.groupList.Refresh()
}

// groupSummary is a group in one line: name, care type, places, hours.
func groupSummary(g data.Group) string {
	parts := []string{g.Name, string(g.Care), lang.L("{{.Count}} places", map[string]any{"Count": g.Capacity})}
	if g.Hours.Day != (data.TimeRange{}) {
		label := lang.L("day")
		if g.Care == data.BSO {
			label = lang.L("school days")
		}
		parts = append(parts, label+" "+g.Hours.Day.String())
	}
	if g.Hours.HolidayDay != (data.TimeRange{}) {
		parts = append(parts, lang.L("holidays")+" "+g.Hours.HolidayDay.String())
	}
	if !g.ClosedOn.IsZero() {
		parts = append(parts, lang.L("closed since {{.Date}}", map[string]any{"Date": formatDate(g.ClosedOn)}))
	}
	return strings.Join(parts, " · ")
}

// save runs a write off the UI goroutine; on success then runs on the UI goroutine.
func (s *manageScreen) save(write func(context.Context) error, then func()) {
	s.jobs.write(func(ctx context.Context) {
		err := write(ctx)
		fyne.Do(func() {
			if err != nil {
				showInfo(lang.L("Not saved"), userMessage(err), s.window)
				return
			}
			s.message.SetText("")
			s.reload()
			if then != nil {
				then()
			}
		})
	})
}

func (s *manageScreen) onRenameOrganisation() {
	name := newField("")
	name.SetText(s.org.Name)
	showFormDialog(s.window, lang.L("Rename organisation"), lang.L("Save"), []*widget.FormItem{{Text: lang.L("Name"), Widget: name}}, func() (func(), string) {
		return func() {
			s.save(func(ctx context.Context) error { return s.store.RenameOrganisation(ctx, name.Text) }, nil)
		}, ""
	})
}

func (s *manageScreen) onAddLocation() {
	name := newField("")
	showFormDialog(s.window, lang.L("Add location"), lang.L("Add"), []*widget.FormItem{{Text: lang.L("Name"), Widget: name}}, func() (func(), string) {
		return func() {
			s.save(func(ctx context.Context) error { _, err := s.store.AddLocation(ctx, name.Text); return err }, s.onOwnChange)
		}, ""
	})
}

func (s *manageScreen) onRenameLocation() {
	loc, ok := s.chosenLocation()
	if !ok {
		return
	}
	name := newField("")
	name.SetText(loc.Name)
	showFormDialog(s.window, lang.L("Rename location"), lang.L("Save"), []*widget.FormItem{{Text: lang.L("Name"), Widget: name}}, func() (func(), string) {
		return func() {
			s.save(func(ctx context.Context) error { return s.store.RenameLocation(ctx, loc.ID, name.Text) }, nil)
		}, ""
	})
}

func (s *manageScreen) onCloseLocation() {
	loc, ok := s.chosenLocation()
	if !ok {
		return
	}
	showConfirm(s.window, lang.L("Close location"),
		lang.L("Close {{.Name}} from today? It leaves the lists; its history stays.", map[string]any{"Name": loc.Name}),
		func(yes bool) {
			if yes {
				s.save(func(ctx context.Context) error { return s.store.CloseLocation(ctx, loc.ID) }, nil)
			}
		})
}

func (s *manageScreen) onCloseGroup(g data.Group) {
	showConfirm(s.window, lang.L("Close group"),
		lang.L("Close {{.Name}} from today? It leaves the lists and takes no new contracts; its history stays.", map[string]any{"Name": g.Name}),
		func(yes bool) {
			if yes {
				s.save(func(ctx context.Context) error { return s.store.CloseGroup(ctx, g.ID) }, nil)
			}
		})
}

func (s *manageScreen) onAddGroup() {
	loc, ok := s.chosenLocation()
	if !ok {
		return
	}
	s.groupDialog(data.Group{LocationID: loc.ID, Care: data.KDV}, true)
}

func (s *manageScreen) onEditGroup(g data.Group) { s.groupDialog(g, false) }

// groupDialog adds or edits a group: name, care type (fixed once made),
// places and opening hours.
func (s *manageScreen) groupDialog(g data.Group, isNew bool) {
	name, capacity := newField(""), newField("")
	dayFrom, dayUntil, holFrom, holUntil := newField(lang.L("HH:MM")), newField(lang.L("HH:MM")), newField(lang.L("HH:MM")), newField(lang.L("HH:MM"))
	name.SetText(g.Name)
	if g.Capacity > 0 {
		capacity.SetText(strconv.Itoa(g.Capacity))
	}
	showRange(dayFrom, dayUntil, g.Hours.Day)
	showRange(holFrom, holUntil, g.Hours.HolidayDay)
	care := &widget.RadioGroup{Options: []string{string(data.KDV), string(data.BSO)}, Horizontal: true, Required: true}
	care.SetSelected(string(g.Care))
	if !isNew {
		care.Disable() // the contracts in the group were sold for its care type
	}
	items := []*widget.FormItem{
		{Text: lang.L("Name"), Widget: name},
		{Text: lang.L("Care type"), Widget: care},
		{Text: lang.L("Places"), Widget: capacity},
		{Text: lang.L("Opens"), Widget: dayFrom, HintText: lang.L("KDV: the day; BSO: school days")},
		{Text: lang.L("Closes"), Widget: dayUntil},
		{Text: lang.L("Holidays: opens"), Widget: holFrom, HintText: lang.L("BSO only; empty: the organisation's holiday day")},
		{Text: lang.L("Holidays: closes"), Widget: holUntil},
	}
	title := lang.L("Edit group")
	if isNew {
		title = lang.L("Add group")
	}
	showFormDialog(s.window, title, lang.L("Save"), items, func() (func(), string) {
		places, err := strconv.Atoi(strings.TrimSpace(capacity.Text))
		day, err1 := readRange(dayFrom.Text, dayUntil.Text)
		holiday, err2 := readRange(holFrom.Text, holUntil.Text)
		if err != nil {
			return nil, lang.L("Give the number of places as a number.")
		}
		if err1 != nil || err2 != nil {
			return nil, lang.L("Write opening hours as HH:MM, both or neither.")
		}
		g.Name, g.Care, g.Capacity, g.Hours = name.Text, data.CareType(care.Selected), places, data.OpeningHours{Day: day, HolidayDay: holiday}
		if err := g.Validate(); err != nil {
			return nil, userMessage(err)
		}
		if isNew {
			return func() {
				s.save(func(ctx context.Context) error { _, err := s.store.AddGroup(ctx, g); return err }, nil)
			}, ""
		}
		return func() { s.save(func(ctx context.Context) error { return s.store.UpdateGroup(ctx, g) }, nil) }, ""
	})
}

func showRange(from, until *field, r data.TimeRange) {
	if r != (data.TimeRange{}) {
		from.SetText(r.From.String())
		until.SetText(r.Until.String())
	}
}

// readRange reads opening hours; both empty is "not set".
func readRange(from, until string) (data.TimeRange, error) {
	from, until = strings.TrimSpace(from), strings.TrimSpace(until)
	if from == "" && until == "" {
		return data.TimeRange{}, nil
	}
	f, err := data.ParseClock(from)
	if err != nil {
		return data.TimeRange{}, err
	}
	u, err := data.ParseClock(until)
	return data.TimeRange{From: f, Until: u}, err
}

// showStaff lists the accounts: active first, by name.
func (s *manageScreen) showStaff() {
	s.staffList.Objects = nil
	accounts := slices.Clone(s.accounts)
	slices.SortStableFunc(accounts, func(a, b data.StaffAccount) int {
		switch {
		case a.Active() == b.Active():
			return 0
		case a.Active():
			return -1
		}
		return 1
	})
	for _, a := range accounts {
		_, edit := newTouchButton(lang.L("Edit"), theme.DocumentCreateIcon(), func() { s.accountDialog(a.User, false) })
		_, secret := newTouchButton(lang.L("PIN or password"), theme.VisibilityOffIcon(), func() { s.onSetSecret(a.User) })
		var toggle fyne.CanvasObject
		if a.Active() {
			_, toggle = newTouchButton(lang.L("Deactivate"), theme.CancelIcon(), func() { s.onDeactivate(a.User) })
		} else {
			_, toggle = newTouchButton(lang.L("Reactivate"), theme.ViewRefreshIcon(), func() {
				s.save(func(ctx context.Context) error { return s.store.ReactivateUser(ctx, a.ID) }, nil)
			})
		}
		label := &widget.Label{Text: s.accountSummary(a), Wrapping: fyne.TextWrapWord}
		if !a.Active() {
			label.Importance = widget.LowImportance
		}
		s.staffList.Add(container.NewBorder(nil, nil, nil, container.NewHBox(edit, secret, toggle), label))
	}
	s.staffList.Refresh()
}

// accountSummary is an account in one line: name, role, where, how they sign in.
func (s *manageScreen) accountSummary(a data.StaffAccount) string {
	parts := []string{a.Name, roleText(a.Role)}
	var where []string
	for _, id := range a.GroupIDs {
		where = append(where, s.groupNameOf(id))
	}
	for _, id := range a.LocationIDs {
		where = append(where, s.locationNameOf(id))
	}
	if len(where) > 0 {
		parts = append(parts, strings.Join(where, ", "))
	}
	switch {
	case a.HasPIN && a.HasPassword:
		parts = append(parts, lang.L("PIN and password"))
	case a.HasPIN:
		parts = append(parts, lang.L("PIN"))
	case a.HasPassword:
		parts = append(parts, lang.L("password"))
	}
	if !a.Active() {
		parts = append(parts, lang.L("deactivated on {{.Date}}", map[string]any{"Date": formatDate(a.DeactivatedOn)}))
	}
	return strings.Join(parts, " · ")
}

func (s *manageScreen) groupNameOf(id data.ID) string {
	for _, g := range s.org.Groups {
		if g.ID == id {
			return g.Name
		}
	}
	return fmt.Sprintf("#%d", id)
}

func (s *manageScreen) locationNameOf(id data.ID) string {
	for _, l := range s.org.Locations {
		if l.ID == id {
			return l.Name
		}
	}
	return fmt.Sprintf("#%d", id)
}

func (s *manageScreen) onAddAccount() {
	s.accountDialog(data.User{Role: data.RoleStaff}, true)
}

// accountDialog adds or edits an account: name, role, and the groups (staff)
// or locations (managers, office) they work in; a new one gets its first PIN or password.
func (s *manageScreen) accountDialog(u data.User, isNew bool) {
	roles := []data.Role{data.RoleStaff, data.RoleManager, data.RoleOffice}
	name := newField("")
	name.SetText(u.Name)
	role := &widget.RadioGroup{Options: namesOf(roles, roleText), Required: true}
	role.SetSelected(roleText(u.Role))
	var openGroups []data.Group
	for _, g := range s.org.Groups {
		if g.ClosedOn.IsZero() {
			openGroups = append(openGroups, g)
		}
	}
	var openLocations []data.Location
	for _, l := range s.org.Locations {
		if l.ClosedOn.IsZero() {
			openLocations = append(openLocations, l)
		}
	}
	groupLabel := func(g data.Group) string {
		if len(openLocations) > 1 {
			return s.locationNameOf(g.LocationID) + " / " + g.Name
		}
		return g.Name
	}
	groups := widget.NewCheckGroup(namesOf(openGroups, groupLabel), nil)
	for _, g := range openGroups {
		if slices.Contains(u.GroupIDs, g.ID) {
			groups.Selected = append(groups.Selected, groupLabel(g))
		}
	}
	locations := widget.NewCheckGroup(namesOf(openLocations, locationName), nil)
	for _, l := range openLocations {
		if slices.Contains(u.LocationIDs, l.ID) {
			locations.Selected = append(locations.Selected, l.Name)
		}
	}
	secret, repeat := newPasswordField(), newPasswordField()
	items := []*widget.FormItem{
		{Text: lang.L("Name"), Widget: name},
		{Text: lang.L("Role"), Widget: role},
		{Text: lang.L("Groups"), Widget: groups, HintText: lang.L("For group staff")},
		{Text: lang.L("Locations"), Widget: locations, HintText: lang.L("For location managers and office")},
	}
	if isNew {
		items = append(items,
			&widget.FormItem{Text: lang.L("PIN or password"), Widget: secret, HintText: lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")},
			&widget.FormItem{Text: lang.L("Repeat"), Widget: repeat})
	}
	title := lang.L("Edit account")
	if isNew {
		title = lang.L("Add account")
	}
	showFormDialog(s.window, title, lang.L("Save"), items, func() (func(), string) {
		u.Name = name.Text
		u.Role = roles[max(0, slices.Index(namesOf(roles, roleText), role.Selected))]
		u.GroupIDs, u.LocationIDs = nil, nil
		if u.Role == data.RoleStaff {
			for _, g := range openGroups {
				if slices.Contains(groups.Selected, groupLabel(g)) {
					u.GroupIDs = append(u.GroupIDs, g.ID)
				}
			}
		} else {
			for _, l := range openLocations {
				if slices.Contains(locations.Selected, l.Name) {
					u.LocationIDs = append(u.LocationIDs, l.ID)
				}
			}
		}
		if err := u.Validate(); err != nil {
			return nil, userMessage(err)
		}
		if isNew {
			if secret.Text != repeat.Text {
				return nil, lang.L("The two entries differ.")
			}
			if err := data.ValidateSecret(secret.Text); err != nil {
				return nil, lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")
			}
			newUser := data.NewUser{User: u, Secret: secret.Text}
			return func() {
				s.save(func(ctx context.Context) error {
					_, err := s.store.AddUser(ctx, newUser)
					return err
				}, nil)
			}, ""
		}
		then := func() {}
		if u.ID == s.actor.UserID {
			then = s.onOwnChange
		}
		return func() { s.save(func(ctx context.Context) error { return s.store.UpdateUser(ctx, u) }, then) }, ""
	})
}

// onSetSecret sets or resets someone's PIN or password: a PIN goes beside
// the password, and a new one of the same kind replaces the old.
func (s *manageScreen) onSetSecret(u data.User) {
	secret, repeat := newPasswordField(), newPasswordField()
	items := []*widget.FormItem{
		{Text: lang.L("New PIN or password"), Widget: secret, HintText: lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")},
		{Text: lang.L("Repeat"), Widget: repeat},
	}
	showFormDialog(s.window, lang.L("PIN or password of {{.Name}}", map[string]any{"Name": u.Name}), lang.L("Save"), items, func() (func(), string) {
		if secret.Text != repeat.Text {
			return nil, lang.L("The two entries differ.")
		}
		if err := data.ValidateSecret(secret.Text); err != nil {
			return nil, lang.L("A PIN has 4 to 6 digits; a password at least 8 characters")
		}
		return func() {
			s.save(func(ctx context.Context) error { return s.store.SetSecret(ctx, u.ID, secret.Text) }, nil)
		}, ""
	})
}

func (s *manageScreen) onDeactivate(u data.User) {
	showConfirm(s.window, lang.L("Deactivate"),
		lang.L("{{.Name}} can no longer sign in. The account stays, so the log keeps their name. Deactivate?", map[string]any{"Name": u.Name}),
		func(yes bool) {
			if yes {
				s.save(func(ctx context.Context) error { return s.store.DeactivateUser(ctx, u.ID) }, nil)
			}
		})
}

// newPasswordField is a dialog field that hides what is typed.
func newPasswordField() *field {
	f := newField("")
	f.Password = true
	return f
}
