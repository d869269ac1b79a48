package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// requestForm is "extra opvang aanvragen": a request for one child in one
// group. Every change of a field previews the request again, so the user
// sees at once who may request the day (R1), how it will be paid (R2–R5,
// V1, V3), which credit cannot pay and why (T3), and whether the group
// goes over its capacity, before anything is stored.
type requestForm struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs

	groupID data.ID
	childID data.ID
	date    data.Date
	// fixedChild is set when the form is opened from a child's card.
	fixedChild bool

	childSelect   *picker
	dateButton    *widget.Button
	from, until   *field
	productSelect *widget.Select
	// channel says who the request comes from; it follows from the signed-in role (R1), nobody chooses it.
	channel       *widget.Label
	problem       *widget.Label
	proposal      *widget.Label
	blocked       *widget.Label
	capacity      *widget.Label
	invoiceAnyway *widget.Check
	reason        *field
	// overrideBox and reasonBox size the override's widgets for a finger; they hide with them.
	overrideBox, reasonBox fyne.CanvasObject
	submit                 *widget.Button
	dialog                 *dialog.CustomDialog

	children []data.Child
	products []data.Product
	preview  data.RequestPreview
	draft    data.RequestDraft
	ready    bool // the draft has a child and valid times, so preview is meaningful
	// group is the request's group and holidayHours its opening hours on a
	// holiday or study day, once loaded.
	group        *data.Group
	holidayHours data.TimeRange
	// the latest loads of the children offered and of the preview
	childrenLoad, previewLoad latest
}

func newRequestForm(store data.Store, window fyne.Window, user string, jobs *jobs, groupID, childID data.ID, date data.Date) *requestForm {
	if date.Before(store.Today()) {
		date = store.Today()
	}
	return &requestForm{store: store, window: window, user: user, jobs: jobs, groupID: groupID, childID: childID, date: date, fixedChild: childID != 0}
}

func (f *requestForm) buildUI() fyne.CanvasObject {
	f.childSelect = newPicker(lang.L("Choose a child"), func(string) { f.onChildChosen() })
	f.dateButton = &widget.Button{Icon: theme.CalendarIcon(), OnTapped: f.onPickDate}
	f.from, f.until = newField("08:00"), newField("12:00")
	f.from.OnChanged = func(string) { f.refresh() }
	f.until.OnChanged = func(string) { f.refresh() }
	f.productSelect = &widget.Select{PlaceHolder: lang.L("Choose the child first"), OnChanged: func(string) { f.onProductChosen() }}
	f.channel = &widget.Label{}
	f.problem = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.DangerImportance}
	f.proposal = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.blocked = &widget.Label{Wrapping: fyne.TextWrapWord, Importance: widget.WarningImportance}
	f.capacity = &widget.Label{Wrapping: fyne.TextWrapWord}
	f.invoiceAnyway = &widget.Check{Text: lang.L("Put on invoice anyway"), OnChanged: func(bool) { f.refresh() }}
	f.reason = newField(lang.L("Why not from credit? (recorded with the request)"))
	f.reason.OnChanged = func(string) { f.refreshSubmit() }
	f.overrideBox, f.reasonBox = touchable(f.invoiceAnyway, 0), touchable(f.reason, 0)

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Child"), touchable(f.childSelect, 300)),
		widget.NewFormItem(lang.L("Day"), touchable(f.dateButton, 300)),
		widget.NewFormItem(lang.L("From"), touchable(f.from, 120)),
		widget.NewFormItem(lang.L("Until"), touchable(f.until, 120)),
		widget.NewFormItem(lang.L("Product"), touchable(f.productSelect, 300)),
		widget.NewFormItem(lang.L("Requested by"), f.channel),
	)
	payment := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Payment"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		f.proposal, f.blocked, f.overrideBox, f.reasonBox)

	f.loadGroup()
	f.loadChildren()
	f.refresh()
	return container.NewVBox(form, f.problem, f.capacity, widget.NewSeparator(), payment)
}

// show opens the form as a dialog with its own buttons, so a refused
// submission keeps what the user typed.
func (f *requestForm) show() {
	content := f.buildUI()
	f.dialog = dialog.NewCustomWithoutButtons(lang.L("Request extra care"), container.NewVScroll(content), f.window)
	var submitBox, cancelBox fyne.CanvasObject
	f.submit, submitBox = newTouchButton(lang.L("Request"), theme.ConfirmIcon(), f.onSubmit)
	f.submit.Importance = widget.HighImportance
	_, cancelBox = newTouchButton(lang.L("Cancel"), theme.CancelIcon(), func() { f.dialog.Hide() })
	f.dialog.SetButtons([]fyne.CanvasObject{cancelBox, submitBox})
	f.refreshSubmit()
	f.dialog.Resize(fitDialog(f.window, fyne.NewSize(720, 720)))
	var first fyne.Focusable = f.from
	if !f.childSelect.Disabled() {
		first = f.childSelect
	}
	showDialog(f.window, f.dialog, f.onSubmit, first)
}

// loadChildren offers the children with a contract in the group that day
// who are not expected there already.
func (f *requestForm) loadChildren() {
	store, groupID, date, childID, fixedChild := f.store, f.groupID, f.date, f.childID, f.fixedChild
	load(f.jobs, &f.childrenLoad, func(ctx context.Context) ([]data.Child, error) {
		children, err := store.RequestChildren(ctx, groupID, date)
		if err != nil {
			return nil, err
		}
		if list, err := store.DayList(ctx, groupID, date); err == nil {
			children = slices.DeleteFunc(children, func(c data.Child) bool {
				return slices.ContainsFunc(list.Rows, func(r data.DayRow) bool { return r.Child.ID == c.ID && r.Source != "" })
			})
		}
		if fixedChild {
			if c, err := store.Child(ctx, childID); err == nil {
				children = []data.Child{c}
			}
		}
		return children, nil
	}, f.offerChildren)
}

// offerChildren fills the child picker with the children loaded.
func (f *requestForm) offerChildren(children []data.Child, err error) {
	if err != nil {
		f.problem.SetText(userMessage(err))
		return
	}
	f.children = children
	names := make([]string, len(children))
	selected := -1
	for i, c := range children {
		names[i] = c.Name()
		if c.ID == f.childID {
			selected = i
		}
	}
	f.childSelect.SetOptions(names)
	if selected >= 0 {
		f.childSelect.SetSelectedIndex(selected)
	} else {
		f.childID = 0
		f.childSelect.ClearSelected()
	}
	if f.fixedChild {
		f.childSelect.Disable()
	}
}

func (f *requestForm) onChildChosen() {
	if i := f.childSelect.SelectedIndex(); i >= 0 {
		f.childID = f.children[i].ID
	}
	f.refresh()
}

func (f *requestForm) onPickDate() { pickDate(f.window, f.date, f.setDate) }

// setDate moves the request to another day; who can have care requested
// depends on the day's contracts.
func (f *requestForm) setDate(d data.Date) {
	f.date = d
	f.loadChildren()
	f.refresh()
}

func (f *requestForm) onProductChosen() { f.refresh() }

// prefillHolidayDay fills in empty times for a holiday day or a study day:
// a whole opening day unless the user shortens it. It reports whether it
// filled them.
func (f *requestForm) prefillHolidayDay() bool {
	if p := f.selectedProduct(); p != data.ProductBSOHoliday && p != data.ProductStudyDay || f.from.Text != "" || f.until.Text != "" {
		return false
	}
	if f.group == nil {
		return false // not loaded (yet): the user types the times
	}
	hours := f.holidayHours
	for entry, c := range map[*field]data.Clock{f.from: hours.From, f.until: hours.Until} {
		changed := entry.OnChanged
		entry.OnChanged = nil // one refresh for both, below
		entry.SetText(c.String())
		entry.OnChanged = changed
	}
	return true
}

func (f *requestForm) selectedProduct() data.Product {
	if i := f.productSelect.SelectedIndex(); i >= 0 && i < len(f.products) {
		return f.products[i]
	}
	return ""
}

// loadGroup reads the request's group and its holiday opening hours.
func (f *requestForm) loadGroup() {
	store, groupID := f.store, f.groupID
	type groupHours struct {
		group data.Group
		hours data.TimeRange
	}
	load(f.jobs, nil, func(ctx context.Context) (groupHours, error) {
		g, err := store.Group(ctx, groupID)
		if err != nil {
			return groupHours{}, err
		}
		s, err := store.Settings(ctx)
		return groupHours{g, g.HolidayHours(s)}, err // the group's own holiday hours, else the organisation's
	}, func(gh groupHours, err error) {
		if err != nil {
			fyne.LogError("request: group", err)
			return
		}
		f.group, f.holidayHours = &gh.group, gh.hours
		f.refresh() // a holiday product chosen meanwhile gets its hours
	})
}

// refresh previews the draft and shows what the store says about it.
func (f *requestForm) refresh() {
	f.dateButton.SetText(formatDate(f.date))
	from, fromErr := data.ParseClock(strings.TrimSpace(f.from.Text))
	until, untilErr := data.ParseClock(strings.TrimSpace(f.until.Text))
	f.draft = data.RequestDraft{ChildID: f.childID, GroupID: f.groupID, Date: f.date, Times: data.TimeRange{From: from, Until: until},
		Product: f.selectedProduct(), By: f.user} // the store sets the channel from the role
	f.ready = false
	f.refreshSubmit() // not while the preview of an older draft is shown
	badTimes, notAfter := fromErr != nil || untilErr != nil, until <= from
	store, draft := f.store, f.draft
	load(f.jobs, &f.previewLoad, func(ctx context.Context) (data.RequestPreview, error) { return store.PreviewRequest(ctx, draft) },
		func(p data.RequestPreview, err error) { f.showPreview(p, err, badTimes, notAfter) })
}

// showPreview shows what the store says about the draft; badTimes and
// notAfter say the times typed are not times, or the end is not after the start.
func (f *requestForm) showPreview(p data.RequestPreview, err error, badTimes, notAfter bool) {
	if needsHub(err) { // a tablet without connection: nothing to choose from
		f.showProblem(userMessage(err))
		return
	}
	if f.draft.ChildID == 0 {
		// Who the request comes from follows from the role, child or not.
		if err == nil {
			f.channel.SetText(channelText(p.Channel))
		}
		f.capacity.SetText("")
		f.showProblem(lang.L("Choose the child."))
		return
	}
	if err != nil {
		f.showProblem(userMessage(err))
		return
	}
	f.preview = p
	f.channel.SetText(channelText(p.Channel))
	f.setProducts(p.Products)
	if f.prefillHolidayDay() {
		f.refresh()
		return
	}
	if f.draft.Product == "" && f.selectedProduct() != "" {
		f.refresh() // again, for the product now chosen
		return
	}
	f.capacity.SetText(lang.L("{{.Taken}} of {{.Capacity}} places taken that day; with this child {{.With}}.",
		map[string]any{"Taken": p.Occupancy, "Capacity": p.Capacity, "With": p.Occupancy + 1}))
	f.capacity.Importance = widget.MediumImportance
	if p.OverCapacity() {
		f.capacity.SetText(lang.L("Over capacity: {{.With}} children for {{.Capacity}} places that day.",
			map[string]any{"With": p.Occupancy + 1, "Capacity": p.Capacity}))
		f.capacity.Importance = widget.WarningImportance
	}
	f.capacity.Refresh()
	var window *data.WindowError
	switch {
	case f.date.Before(f.store.Today()):
		f.showProblem(lang.L("This day has passed; extra care is requested for today or later."))
		return
	case errors.As(p.Problem, &window): // who must request comes before any detail (R1)
		f.showProblem(requestProblemText(p.Problem))
		return
	case badTimes:
		f.showProblem(lang.L("Enter the times as HH:MM."))
		return
	case notAfter:
		f.showProblem(lang.L("The end time must come after the start time."))
		return
	case p.Problem != nil:
		f.showProblem(requestProblemText(p.Problem))
		return
	}
	f.ready = true
	f.problem.SetText("")
	f.problem.Hide()
	f.proposal.SetText(paymentText(p.Proposal.Payment))
	f.blocked.SetText(blockedText(p.Proposal.Blocked))
	f.blocked.Hidden = len(p.Proposal.Blocked) == 0
	usesCredit := len(p.Proposal.Allocations) > 0
	setShown(usesCredit, f.invoiceAnyway, f.overrideBox)
	setShown(usesCredit && f.invoiceAnyway.Checked, f.reason, f.reasonBox)
	if f.invoiceAnyway.Checked && usesCredit {
		f.proposal.SetText(paymentText(f.payment()))
	}
	f.blocked.Refresh()
	f.refreshSubmit()
}

func (f *requestForm) showProblem(text string) {
	f.problem.SetText(text)
	f.problem.Show()
	f.proposal.SetText("")
	f.blocked.Hide()
	setShown(false, f.invoiceAnyway, f.overrideBox, f.reason, f.reasonBox)
	f.refreshSubmit()
}

func (f *requestForm) setProducts(products []data.Product) {
	if fmt.Sprint(products) == fmt.Sprint(f.products) {
		return
	}
	current := f.selectedProduct()
	f.products = products
	names := make([]string, len(products))
	selected := 0
	for i, p := range products {
		names[i] = productText(p)
		if p == current {
			selected = i
		}
	}
	f.productSelect.OnChanged = nil // choosing here is not the user's choice
	f.productSelect.SetOptions(names)
	if len(names) > 0 {
		f.productSelect.SetSelectedIndex(selected)
	}
	f.productSelect.OnChanged = func(string) { f.onProductChosen() }
}

// payment is what the user accepts: the proposal, or everything on invoice with a reason (R3).
func (f *requestForm) payment() data.Payment {
	if f.invoiceAnyway.Checked && len(f.preview.Proposal.Allocations) > 0 {
		return f.preview.Proposal.InvoiceAnyway(f.draft.Spec().Minutes, f.reason.Text)
	}
	return f.preview.Proposal.Payment
}

func (f *requestForm) refreshSubmit() {
	if f.submit == nil {
		return
	}
	needsReason := f.invoiceAnyway.Checked && len(f.preview.Proposal.Allocations) > 0 && strings.TrimSpace(f.reason.Text) == ""
	setEnabled(f.submit, f.ready && !needsReason)
}

func (f *requestForm) onSubmit() {
	if !f.ready || f.submit != nil && f.submit.Disabled() {
		return
	}
	d, pay := f.draft, f.payment()
	if f.preview.OverCapacity() {
		msg := lang.L("{{.Group}} will have {{.With}} children for {{.Capacity}} places on {{.Date}}. Request anyway?",
			map[string]any{"Group": f.groupName(), "With": f.preview.Occupancy + 1, "Capacity": f.preview.Capacity, "Date": formatDate(d.Date)})
		showConfirm(f.window, lang.L("Over capacity"), msg, func(ok bool) {
			if ok {
				d.OverCapacity = true
				f.save(d, pay)
			}
		})
		return
	}
	f.save(d, pay)
}

func (f *requestForm) groupName() string {
	if f.group != nil {
		return f.group.Name
	}
	return ""
}

func (f *requestForm) save(d data.RequestDraft, pay data.Payment) {
	f.jobs.write(func(ctx context.Context) {
		_, err := f.store.SubmitRequest(ctx, d, pay)
		fyne.Do(func() {
			var changed *data.PaymentChangedError
			switch {
			case errors.As(err, &changed):
				f.invoiceAnyway.SetChecked(false)
				f.refresh()
				showInfo(lang.L("Credit has changed"), userMessage(err), f.window)
			case err != nil:
				fyne.LogError("request", err)
				showInfo(lang.L("Not saved"), requestProblemText(err), f.window)
				f.refresh()
			default:
				f.dialog.Hide()
				showInfo(lang.L("Requested"),
					lang.L("The request waits for approval under Approve requests."), f.window)
			}
		})
	})
}

// setShown shows or hides objects together.
func setShown(shown bool, objects ...fyne.CanvasObject) {
	for _, o := range objects {
		if shown {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// channelText names who a request comes from.
func channelText(ch data.Channel) string {
	switch ch {
	case data.ChannelOffice:
		return lang.L("Office, for the parent")
	case data.ChannelGroup:
		return lang.L("Group")
	}
	return ""
}

// requestProblemText explains why a request cannot be made, naming who
// must request when the window is the reason (R1).
func requestProblemText(err error) string {
	var window *data.WindowError
	switch {
	case errors.As(err, &window) && window.MustBy == data.ChannelParent:
		return lang.L("This day is {{.Days}} days ahead: the parent requests it in the parent app. The office can register it for them.", map[string]any{"Days": window.DaysBefore})
	case errors.As(err, &window) && window.MustBy == data.ChannelGroup:
		return lang.N("This day is {{.Days}} days ahead: only the group can request it now.", window.DaysBefore, map[string]any{"Days": window.DaysBefore})
	case errors.As(err, &window):
		return lang.L("Requests for this day open on {{.Date}}.", map[string]any{"Date": formatDate(window.OpensOn)})
	}
	return userMessage(err)
}

// hoursText shows minutes as "2:30 hours".
func hoursText(minutes int) string {
	return lang.L("{{.Time}} h", map[string]any{"Time": data.MinutesText(minutes)})
}

// shortDate writes a date as 27-11-2026.

// potText names a pot of credit (T1) or a flexible product.
func potText(pot string) string {
	switch pot {
	case string(data.OriginKDVDay):
		return lang.L("Absence credit, KDV days")
	case string(data.OriginBSOSchoolDay):
		return lang.L("Absence credit, BSO school days")
	case string(data.OriginBSOHolidayDay):
		return lang.L("Absence credit, BSO holiday days")
	case string(data.ProductQflexibel):
		return lang.L("Flexible credit, Qflexibel")
	case string(data.ProductBSOHoliday):
		return lang.L("Flexible credit, BSO holiday contract")
	}
	return pot
}

// productText names what is requested or invoiced.
func productText(p data.Product) string {
	switch p {
	case data.ProductKDV:
		return lang.L("KDV")
	case data.ProductQflexibel:
		return lang.L("Qflexibel")
	case data.ProductBSOSchoolDay:
		return lang.L("BSO school day")
	case data.ProductBSOHoliday:
		return lang.L("BSO holiday day")
	case data.ProductExtraHolidayDay:
		return lang.L("extra holiday day BSO")
	case data.ProductStudyDay:
		return lang.L("BSO study day")
	}
	return string(p)
}

func entryPot(a data.Allocation) string {
	if a.Product != "" {
		return string(a.Product)
	}
	return string(a.Origin)
}

// paymentText lists a payment line by line: credit first, oldest first, then the invoice.
func paymentText(p data.Payment) string {
	var lines []string
	for _, a := range p.Allocations {
		lines = append(lines, lang.L("{{.Pot}}: {{.Hours}}, valid until {{.Date}}",
			map[string]any{"Hours": hoursText(a.Minutes), "Pot": potText(entryPot(a)), "Date": shortDate(a.ExpiresOn)}))
	}
	if p.InvoiceMinutes > 0 {
		lines = append(lines, lang.L("On invoice as {{.Product}}: {{.Hours}}",
			map[string]any{"Hours": hoursText(p.InvoiceMinutes), "Product": productText(p.InvoiceProduct)}))
	}
	if p.OverrideReason != "" {
		lines = append(lines, lang.L("Invoiced although credit could pay: {{.Reason}}", map[string]any{"Reason": p.OverrideReason}))
	}
	return strings.Join(lines, "\n")
}

// blockedText says of each credit that cannot pay which rule blocks it (T3).
func blockedText(blocked []data.Blocked) string {
	var lines []string
	for _, b := range blocked {
		lines = append(lines, lang.L("{{.Pot}}, {{.Hours}}, cannot pay: {{.Rule}}",
			map[string]any{"Hours": hoursText(b.Entry.Available()), "Pot": potText(b.Entry.Pot()), "Rule": blockText(b)}))
	}
	return strings.Join(lines, "\n")
}

func blockText(b data.Blocked) string {
	switch b.Reason {
	case data.BlockExpiresBeforeTheDay:
		return lang.L("it expires before the day ({{.Date}})", map[string]any{"Date": shortDate(b.Entry.ExpiresOn)})
	case data.BlockSchoolDayCredit:
		return lang.L("school-day credit does not pay for a day without school (a holiday or study day)")
	case data.BlockHolidayDayCredit:
		return lang.L("holiday-day credit does not pay for a school day")
	case data.BlockOtherCare:
		return lang.L("it is credit of another care type")
	case data.BlockOtherProduct:
		return lang.L("flexible credit pays only for its own product")
	case data.BlockOutsideWindow:
		return lang.L("the day is outside its period (from {{.Date}})", map[string]any{"Date": shortDate(b.Entry.ValidFrom)})
	}
	return string(b.Reason)
}
