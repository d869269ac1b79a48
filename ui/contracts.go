package ui

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// contractsTab is the card's list of a child's contracts, every version
// with whether it runs, has ended or is still to come (M2). Managers and
// office add a contract, change one from a date (a new version), move the
// child to another group and end care; staff only read it.
type contractsTab struct {
	card    *childCard
	mayEdit bool

	list    *fyne.Container
	none    *widget.Label
	actions fyne.CanvasObject
	// changeButtons are the "change from a date" buttons, by contract.
	changeButtons map[data.ID]*widget.Button

	contracts []data.Contract
	// groups names every group a contract is in; locationGroups are those
	// a contract of the child can be in.
	groups         map[data.ID]data.Group
	locationGroups []data.Group
	contractsLoad  latest
	// form is the contract form last opened.
	form *contractForm
}

func newContractsTab(card *childCard, mayEdit bool) *contractsTab {
	return &contractsTab{card: card, mayEdit: mayEdit}
}

func (t *contractsTab) buildUI() fyne.CanvasObject {
	t.list = container.NewVBox()
	t.none = &widget.Label{Text: lang.L("No contracts.")}
	content := container.NewVScroll(container.NewVBox(t.none, t.list))
	if !t.mayEdit {
		return content
	}
	_, add := newTouchButton(lang.L("Add contract…"), theme.ContentAddIcon(), t.onAdd)
	_, move := newTouchButton(lang.L("Move to another group…"), theme.NavigateNextIcon(), t.onMove)
	_, end := newTouchButton(lang.L("End care…"), theme.LogoutIcon(), t.onEndCare)
	t.actions = container.NewGridWithColumns(3, add, move, end)
	return container.NewBorder(t.actions, nil, nil, nil, content)
}

// contractState says where a contract stands on a day.
type contractState int

const (
	contractRunning contractState = iota
	contractFuture
	contractEnded
)

func stateOn(c data.Contract, today data.Date) contractState {
	switch {
	case c.Start.After(today):
		return contractFuture
	case c.Runs(today):
		return contractRunning
	}
	return contractEnded
}

func (s contractState) text() string {
	switch s {
	case contractRunning:
		return lang.L("running")
	case contractFuture:
		return lang.L("still to come")
	}
	return lang.L("ended")
}

// contractsData is what the contracts tab shows, read in one load.
type contractsData struct {
	contracts      []data.Contract
	groups         map[data.ID]data.Group
	locationGroups []data.Group
}

func (t *contractsTab) reload() {
	store, childID, locationID := t.card.store, t.card.childID, t.card.child.LocationID
	load(t.card.jobs, &t.contractsLoad, func(ctx context.Context) (contractsData, error) {
		contracts, err := store.Contracts(ctx, childID)
		if err != nil {
			return contractsData{}, err
		}
		locationGroups, err := store.Groups(ctx, locationID)
		if err != nil {
			return contractsData{}, err
		}
		groups := map[data.ID]data.Group{}
		for _, g := range locationGroups {
			groups[g.ID] = g
		}
		for _, c := range contracts { // a contract may be in a group of another location
			if _, ok := groups[c.GroupID]; !ok {
				if groups[c.GroupID], err = store.Group(ctx, c.GroupID); err != nil {
					fyne.LogError("contract's group", err)
				}
			}
		}
		return contractsData{contracts, groups, locationGroups}, nil
	}, t.draw)
}

// draw lists the contracts loaded by reload.
func (t *contractsTab) draw(d contractsData, err error) {
	if err != nil {
		t.card.showError(err)
		return
	}
	contracts := d.contracts
	t.groups, t.locationGroups = d.groups, d.locationGroups
	// Newest version first: what is to come, what runs, then history.
	slices.SortFunc(contracts, func(a, b data.Contract) int { return b.Start.Compare(a.Start) })
	t.contracts = contracts
	t.list.Objects = nil
	t.changeButtons = map[data.ID]*widget.Button{}
	today := t.card.store.Today()
	for _, c := range contracts {
		t.list.Add(t.contractRow(c, stateOn(c, today)))
	}
	t.none.Hidden = len(contracts) > 0
	t.none.Refresh()
	t.list.Refresh()
}

func (t *contractsTab) group(id data.ID) data.Group { return t.groups[id] }

func (t *contractsTab) contractRow(c data.Contract, state contractState) fyne.CanvasObject {
	title := &widget.Label{Text: contractProductText(c.Product) + " · " + t.group(c.GroupID).Name + " · " + state.text(), TextStyle: fyne.TextStyle{Bold: true}}
	if state == contractEnded {
		title.Importance = widget.LowImportance
	}
	lines := container.NewVBox(title,
		&widget.Label{Text: contractTermsText(c), Wrapping: fyne.TextWrapWord},
		&widget.Label{Text: contractPeriodText(c)})
	row := fyne.CanvasObject(lines)
	if t.mayEdit && state != contractEnded {
		b, box := newTouchButton(lang.L("Change from a date…"), theme.DocumentCreateIcon(), func() { t.onChange(c) })
		t.changeButtons[c.ID] = b
		row = container.NewBorder(nil, nil, nil, container.NewVBox(box), lines)
	}
	return container.NewVBox(row, widget.NewSeparator())
}

// contractProductText names a contract's product as the office does.
func contractProductText(p data.Product) string {
	switch p {
	case data.ProductKDV:
		return lang.L("KDV")
	case data.ProductBSOSchoolWeeks:
		return lang.L("BSO school weeks")
	case data.ProductBSO52Weeks:
		return lang.L("BSO 52 weeks")
	case data.ProductBSOHoliday:
		return lang.L("BSO holiday contract")
	case data.ProductQflexibel:
		return lang.L("Qflexibel")
	}
	return string(p)
}

// contractTermsText is what a contract gives: weekdays with times, or its credit.
func contractTermsText(c data.Contract) string {
	switch c.Product {
	case data.ProductBSOHoliday:
		return lang.L("{{.Days}} holiday days a year", map[string]any{"Days": c.CreditDays})
	case data.ProductQflexibel:
		return lang.L("{{.Hours}} flexible hours", map[string]any{"Hours": strconv.FormatFloat(c.CreditHours, 'f', -1, 64)})
	}
	// Days with the same times share them: "ma, di, do 08:00–18:00".
	var parts []string
	days := slices.Clone(c.Days)
	slices.SortFunc(days, func(a, b data.ContractDay) int { return cmp.Compare(mondayFirst(a.Weekday), mondayFirst(b.Weekday)) })
	for i := 0; i < len(days); {
		j, names := i, []string{}
		for ; j < len(days) && days[j].Times == days[i].Times; j++ {
			names = append(names, weekdayShort(days[j].Weekday))
		}
		parts = append(parts, strings.Join(names, ", ")+" "+days[i].Times.String())
		i = j
	}
	return strings.Join(parts, "; ")
}

func contractPeriodText(c data.Contract) string {
	if c.End.IsZero() {
		return lang.L("from {{.Start}}, open-ended", map[string]any{"Start": shortDate(c.Start)})
	}
	return lang.L("from {{.Start}} up to and including {{.End}}", map[string]any{"Start": shortDate(c.Start), "End": shortDate(c.End)})
}

func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

func weekdayShort(d time.Weekday) string {
	return []string{lang.L("sunday.short"), lang.L("monday.short"), lang.L("tuesday.short"), lang.L("wednesday.short"),
		lang.L("thursday.short"), lang.L("friday.short"), lang.L("saturday.short")}[d]
}

// onAdd opens an empty contract form, from today on.
func (t *contractsTab) onAdd() {
	c := data.Contract{ChildID: t.card.childID, Start: t.card.store.Today()}
	if running := t.running(); running != nil {
		c.GroupID = running.GroupID
	}
	f := newContractForm(t.card.window, t.locationGroups, c, false)
	t.form = f
	f.show(lang.L("Add a contract for {{.Name}}", map[string]any{"Name": t.card.child.Name()}), lang.L("Add"), func(c data.Contract) bool {
		if text := t.overlapText(c, nil); text != "" {
			f.problem.SetText(text)
			return false
		}
		text := lang.L("Add a {{.Product}} contract in {{.Group}} for {{.Name}}: {{.Terms}}, {{.Period}}.", map[string]any{
			"Product": contractProductText(c.Product), "Group": t.group(c.GroupID).Name, "Name": t.card.child.Name(),
			"Terms": contractTermsText(c), "Period": contractPeriodText(c)})
		t.confirm(f.dialog, lang.L("Add contract"), text, func(ctx context.Context) error { _, err := t.card.store.AddContract(ctx, c); return err })
		return false
	})
}

// onChange makes a new version of c from a date: the form starts as c is.
func (t *contractsTab) onChange(old data.Contract) {
	c := old
	c.Start = t.card.store.Today().AddDays(1)
	if c.Start.Before(old.Start) {
		c.Start = old.Start
	}
	f := newContractForm(t.card.window, t.locationGroups, c, true)
	t.form = f
	f.show(lang.L("Change the contract from a date"), lang.L("Change"), func(c data.Contract) bool {
		if text := t.overlapText(c, &old); text != "" {
			f.problem.SetText(text)
			return false
		}
		text := lang.L("From {{.Date}} the contract becomes: {{.Product}} in {{.Group}}, {{.Terms}}. The version until then stays as it was, for the lists, credit and invoices of those days.",
			map[string]any{"Date": shortDate(c.Start), "Product": contractProductText(c.Product), "Group": t.group(c.GroupID).Name, "Terms": contractTermsText(c)})
		if c.Start == old.Start {
			text = lang.L("The contract is changed from its first day, {{.Date}}: {{.Product}} in {{.Group}}, {{.Terms}}.",
				map[string]any{"Date": shortDate(c.Start), "Product": contractProductText(c.Product), "Group": t.group(c.GroupID).Name, "Terms": contractTermsText(c)})
		}
		t.confirm(f.dialog, lang.L("Change contract"), text, func(ctx context.Context) error {
			_, err := t.card.store.ChangeContract(ctx, old.ID, c.Start, c)
			return err
		})
		return false
	})
}

// overlapText says which of the child's contracts c would collide with, ""
// when none: the store refuses it too, but in its own words. replacing is
// the contract c is a new version of; it ends the day before c starts.
func (t *contractsTab) overlapText(c data.Contract, replacing *data.Contract) string {
	for _, o := range t.contracts {
		if replacing != nil && o.ID == replacing.ID {
			if c.Start == o.Start {
				continue // replaced whole
			}
			o.End = c.Start.AddDays(-1)
		}
		if data.ContractsOverlap(o, c) {
			return lang.L("This contract overlaps the {{.Product}} contract in {{.Group}} from {{.Date}}.",
				map[string]any{"Product": contractProductText(o.Product), "Group": t.group(o.GroupID).Name, "Date": shortDate(o.Start)})
		}
	}
	return ""
}

// running is the contract running today, else the first still to come.
func (t *contractsTab) running() *data.Contract {
	today := t.card.store.Today()
	for i := len(t.contracts) - 1; i >= 0; i-- { // oldest first
		if stateOn(t.contracts[i], today) != contractEnded {
			return &t.contracts[i]
		}
	}
	return nil
}

func (t *contractsTab) onMove() {
	current := t.running()
	var groups []data.Group
	for _, g := range t.locationGroups {
		if current == nil || g.ID != current.GroupID {
			groups = append(groups, g)
		}
	}
	groupSelect := &widget.Select{Options: namesOf(groups, groupName), PlaceHolder: lang.L("Choose a group")}
	from := newDateKeyEntry(t.card.store.Today().AddDays(1))
	problem := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("New group"), touchable(groupSelect, 240)),
		widget.NewFormItem(lang.L("From"), touchable(from, 200)))
	var k *keyedDialog
	k = newKeyedDialog(t.card.window, lang.L("Move {{.Name}} to another group", map[string]any{"Name": t.card.child.Name()}), lang.L("Move"),
		container.NewVBox(form, problem), []*keyEntry{from}, func() bool {
			day, err := parseUserDate(from.Text)
			i := groupSelect.SelectedIndex()
			switch {
			case i < 0:
				problem.SetText(lang.L("Choose the group the child moves to."))
				return false
			case err != nil:
				problem.SetText(err.Error())
				return false
			}
			text := lang.L("From {{.Date}} {{.Name}} is in {{.Group}}: every contract running then or later gets a new version in that group. The lists before that day stay as they are.",
				map[string]any{"Date": shortDate(day), "Name": t.card.child.Name(), "Group": groups[i].Name})
			t.confirm(k, lang.L("Move"), text, func(ctx context.Context) error { return t.card.store.MoveChild(ctx, t.card.childID, groups[i].ID, day) })
			return false
		})
	k.resize(fyne.NewSize(520, 0))
}

func (t *contractsTab) onEndCare() {
	last := newDateKeyEntry(t.card.store.Today())
	problem := &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	form := widget.NewForm(widget.NewFormItem(lang.L("Last day of care"), touchable(last, 200)))
	var k *keyedDialog
	k = newKeyedDialog(t.card.window, lang.L("End the care of {{.Name}}", map[string]any{"Name": t.card.child.Name()}), lang.L("End care"),
		container.NewVBox(form, problem), []*keyEntry{last}, func() bool {
			day, err := parseUserDate(last.Text)
			if err != nil {
				problem.SetText(err.Error())
				return false
			}
			text := lang.L("{{.Name}} leaves: every contract ends on {{.Date}} and contracts that would start later are removed. From the next day {{.Name}} is on no list, photo consent ends, and the period after which the child's data are removed starts.",
				map[string]any{"Date": shortDate(day), "Name": t.card.child.Name()})
			t.confirm(k, lang.L("End care"), text, func(ctx context.Context) error { return t.card.store.EndCare(ctx, t.card.childID, day) })
			return false
		})
	k.resize(fyne.NewSize(520, 0))
}

// confirm asks whether to do what text says and then writes; the form
// under it closes only once the write succeeded, so a refusal keeps what
// was typed.
func (t *contractsTab) confirm(form *keyedDialog, title, text string, write func(context.Context) error) {
	confirmAction(t.card.window, title, text, title, func() {
		t.card.jobs.write(func(ctx context.Context) {
			err := write(ctx)
			fyne.Do(func() {
				if err != nil {
					t.card.showError(err)
					return
				}
				form.cancel()
			})
		})
	})
}

// contractForm edits one contract: product, group, weekdays with times,
// start and end, holiday days, Qflexibel hours.
type contractForm struct {
	window fyne.Window
	groups []data.Group
	base   data.Contract
	// changing is a new version: it has a start date ("from") but keeps its end.
	changing bool

	groupSelect   *widget.Select
	productSelect *widget.Select
	products      []data.Product
	days          [5]contractDayRow // Monday to Friday
	daysBox       *fyne.Container
	start, end    *keyEntry
	holidayDays   *keyEntry
	flexHours     *keyEntry
	holidayBox    fyne.CanvasObject
	flexBox       fyne.CanvasObject
	problem       *widget.Label
	dialog        *keyedDialog
}

// contractDayRow is one weekday of the form: on or off, with its times.
type contractDayRow struct {
	on          *widget.Check
	from, until *keyEntry
}

func newContractForm(w fyne.Window, groups []data.Group, c data.Contract, changing bool) *contractForm {
	return &contractForm{window: w, groups: groups, base: c, changing: changing}
}

func (f *contractForm) buildUI() (fyne.CanvasObject, []*keyEntry) {
	f.problem = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	f.productSelect = &widget.Select{PlaceHolder: lang.L("Choose the group first"), OnChanged: func(string) { f.onProductChosen() }}
	f.groupSelect = &widget.Select{Options: namesOf(f.groups, groupName), PlaceHolder: lang.L("Choose a group"), OnChanged: func(string) { f.onGroupChosen() }}
	f.start = newDateKeyEntry(f.base.Start)
	f.end = newKeyEntry(lang.L("open-ended"))
	if !f.base.End.IsZero() {
		f.end.SetText(shortDate(f.base.End))
	}
	f.holidayDays = newKeyEntry("10")
	f.flexHours = newKeyEntry("40")
	if f.base.CreditDays > 0 {
		f.holidayDays.SetText(strconv.Itoa(f.base.CreditDays))
	}
	if f.base.CreditHours > 0 {
		f.flexHours.SetText(strconv.FormatFloat(f.base.CreditHours, 'f', -1, 64))
	}
	entries := []*keyEntry{f.start, f.end}
	f.daysBox = container.NewVBox()
	for i := range f.days {
		wd := time.Weekday(i + 1)
		r := &f.days[i]
		r.from, r.until = newKeyEntry("--:--"), newKeyEntry("--:--")
		r.on = &widget.Check{Text: weekdayName(wd), OnChanged: func(on bool) { f.onDayTicked(r, on) }}
		for _, d := range f.base.Days {
			if d.Weekday == wd {
				r.on.Checked = true
				r.from.SetText(d.Times.From.String())
				r.until.SetText(d.Times.Until.String())
			}
		}
		f.daysBox.Add(container.NewGridWithColumns(3, touchCheck(r.on), touchable(r.from, 0), touchable(r.until, 0)))
		entries = append(entries, r.from, r.until)
	}
	entries = append(entries, f.holidayDays, f.flexHours)
	startLabel := lang.L("Start")
	if f.changing {
		startLabel = lang.L("From")
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Group"), touchable(f.groupSelect, 240)),
		widget.NewFormItem(lang.L("Product"), touchable(f.productSelect, 240)),
		widget.NewFormItem(startLabel, touchable(f.start, 200)),
		widget.NewFormItem(lang.L("End"), touchable(f.end, 200)))
	holiday := widget.NewForm(widget.NewFormItem(lang.L("Holiday days a year"), touchable(f.holidayDays, 120)))
	flex := widget.NewForm(widget.NewFormItem(lang.L("Flexible hours"), touchable(f.flexHours, 120)))
	f.holidayBox, f.flexBox = holiday, flex
	daysHeader := container.NewGridWithColumns(3, boldLabel(lang.L("Day")), boldLabel(lang.L("From")), boldLabel(lang.L("Until")))
	if i := slices.IndexFunc(f.groups, func(g data.Group) bool { return g.ID == f.base.GroupID }); i >= 0 {
		f.groupSelect.SetSelectedIndex(i)
	}
	return container.NewVBox(form, container.NewVBox(daysHeader, f.daysBox), holiday, flex, f.problem), entries
}

// onDayTicked gives a day just ticked the times of another ticked day: a
// contract's days mostly share their hours.
func (f *contractForm) onDayTicked(r *contractDayRow, on bool) {
	if !on || r.from.Text != "" || r.until.Text != "" {
		return
	}
	for _, other := range f.days {
		if other.on.Checked && other.from.Text != "" {
			r.from.SetText(other.from.Text)
			r.until.SetText(other.until.Text)
			return
		}
	}
}

func (f *contractForm) show(title, confirmText string, done func(data.Contract) bool) {
	content, entries := f.buildUI()
	f.dialog = newKeyedDialog(f.window, title, confirmText, container.NewVScroll(content), entries, func() bool {
		c, err := f.contract()
		if err != nil {
			f.problem.SetText(err.Error())
			return false
		}
		f.problem.SetText("")
		return done(c)
	})
	f.dialog.resize(fyne.NewSize(640, 760))
	f.refreshFields()
}

func (f *contractForm) group() (data.Group, bool) {
	i := f.groupSelect.SelectedIndex()
	if i < 0 {
		return data.Group{}, false
	}
	return f.groups[i], true
}

// onGroupChosen offers the products the group's care type sells.
func (f *contractForm) onGroupChosen() {
	g, _ := f.group()
	previous := f.selectedProduct()
	f.products = nil
	for _, p := range data.Products {
		if productSoldIn(p, g.Care) {
			f.products = append(f.products, p)
		}
	}
	f.productSelect.PlaceHolder = lang.L("Choose a product")
	f.productSelect.SetOptions(namesOf(f.products, contractProductText))
	want := previous
	if want == "" {
		want = f.base.Product
	}
	if i := slices.Index(f.products, want); i >= 0 {
		f.productSelect.SetSelectedIndex(i)
	} else {
		f.productSelect.ClearSelected()
	}
	f.refreshFields()
}

// productSoldIn reports whether a group of care type sells p: the store's
// rule, asked with a contract that has what p needs.
func productSoldIn(p data.Product, care data.CareType) bool {
	g := data.Group{ID: 1, Care: care}
	c := data.Contract{GroupID: 1, Product: p, Start: data.Date{Year: 2026, Month: 1, Day: 1}}
	switch p {
	case data.ProductBSOHoliday:
		c.CreditDays = 1
	case data.ProductQflexibel:
		c.CreditHours = 1
	default:
		c.Days = []data.ContractDay{{Weekday: time.Monday, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(9, 0)}}}
	}
	return data.ValidateContract(c, g) == nil
}

func (f *contractForm) selectedProduct() data.Product {
	if i := f.productSelect.SelectedIndex(); i >= 0 && i < len(f.products) {
		return f.products[i]
	}
	return ""
}

func (f *contractForm) onProductChosen() { f.refreshFields() }

// refreshFields shows what the product needs: weekdays for care, a number
// of days for a holiday contract, hours for Qflexibel.
func (f *contractForm) refreshFields() {
	if f.daysBox == nil {
		return
	}
	p := f.selectedProduct()
	setShown(p != data.ProductBSOHoliday && p != data.ProductQflexibel, f.daysBox)
	setShown(p == data.ProductBSOHoliday, f.holidayBox)
	setShown(p == data.ProductQflexibel, f.flexBox)
}

// contract reads the form; a field that cannot be read says which.
func (f *contractForm) contract() (data.Contract, error) {
	c := f.base
	c.Days, c.CreditDays, c.CreditHours, c.End = nil, 0, 0, data.Date{}
	g, ok := f.group()
	if !ok {
		return c, errors.New(lang.L("Choose a group."))
	}
	c.GroupID = g.ID
	if c.Product = f.selectedProduct(); c.Product == "" {
		return c, errors.New(lang.L("Choose a product."))
	}
	var err error
	if c.Start, err = parseUserDate(f.start.Text); err != nil {
		return c, errors.New(lang.L("Start:") + " " + err.Error())
	}
	if strings.TrimSpace(f.end.Text) != "" {
		if c.End, err = parseUserDate(f.end.Text); err != nil {
			return c, errors.New(lang.L("End:") + " " + err.Error())
		}
		if c.End.Before(c.Start) {
			return c, errors.New(lang.L("The end is before the start."))
		}
	}
	switch c.Product {
	case data.ProductBSOHoliday:
		n, err := strconv.Atoi(strings.TrimSpace(f.holidayDays.Text))
		if err != nil || n < 1 {
			return c, errors.New(lang.L("Enter a number of holiday days."))
		}
		c.CreditDays = n
	case data.ProductQflexibel:
		h, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(f.flexHours.Text), ",", "."), 64)
		if err != nil || h <= 0 {
			return c, errors.New(lang.L("Enter a number of flexible hours."))
		}
		c.CreditHours = h
	default:
		for i, r := range f.days {
			if !r.on.Checked {
				continue
			}
			wd := time.Weekday(i + 1)
			from, err1 := data.ParseClock(strings.TrimSpace(r.from.Text))
			until, err2 := data.ParseClock(strings.TrimSpace(r.until.Text))
			if err1 != nil || err2 != nil || until <= from {
				return c, errors.New(lang.L("{{.Day}}: enter the times as 08:00 and 18:00, the end after the start.", map[string]any{"Day": weekdayName(wd)}))
			}
			c.Days = append(c.Days, data.ContractDay{Weekday: wd, Times: data.TimeRange{From: from, Until: until}})
		}
		if len(c.Days) == 0 {
			return c, errors.New(lang.L("Tick at least one weekday."))
		}
	}
	if err := data.ValidateContract(c, g); err != nil {
		return c, errors.New(userMessage(err))
	}
	return c, nil
}

func weekdayName(d time.Weekday) string {
	return []string{lang.L("Sunday"), lang.L("Monday"), lang.L("Tuesday"), lang.L("Wednesday"),
		lang.L("Thursday"), lang.L("Friday"), lang.L("Saturday")}[d]
}

// newDateKeyEntry is a date field (DD-MM-YYYY) holding d.
func newDateKeyEntry(d data.Date) *keyEntry {
	e := newKeyEntry("19-12-2026")
	if !d.IsZero() {
		e.SetText(shortDate(d))
	}
	return e
}
