package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// childCard is the kindkaart: one child's card, opened by tapping the
// child's name on the attendance list. Its tabs are the parts of the card;
// each tab is built by its own method, so a new part is one more tab item.
// It redraws on every change of the child's credit or requests (A2).
type childCard struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs

	childID data.ID
	// groupID and date are where the card was opened from: a request made
	// from the card is for that group, by default on that day.
	groupID data.ID
	date    data.Date

	tabs    *container.AppTabs
	consent *consentTab
	name    *widget.Label
	// about is the line under the name: birth date, school, child number.
	about     *widget.Label
	contacts  *contactsPanel
	contracts *contractsTab
	// mayEdit is set for managers and office: they edit the child's details,
	// contacts and contracts (the store checks it again on every write).
	mayEdit      bool
	editButton   *widget.Button
	form         *childForm // the edit form last opened
	avatar       *avatar
	balances     *fyne.Container
	ledger       *fyne.Container
	requests     *fyne.Container
	requestsNone *widget.Label
	dialog       *dialog.CustomDialog
	// exportButton saves everything held about the child (AVG); see childexport.go.
	exportButton *widget.Button

	child    data.Child
	stopFeed func()
	// the latest loads of the child, the credit and the requests
	childLoad, creditLoad, requestsLoad latest
}

func newChildCard(store data.Store, window fyne.Window, user string, jobs *jobs, childID, groupID data.ID, date data.Date, mayEdit bool) *childCard {
	c := &childCard{store: store, window: window, user: user, jobs: jobs, childID: childID, groupID: groupID, date: date}
	c.mayEdit = mayEdit
	c.stopFeed = follow(jobs, store, c.onChange)
	return c
}

func (c *childCard) buildUI() fyne.CanvasObject {
	c.avatar = newAvatar()
	c.name = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	c.about = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	c.contacts = newContactsPanel(fyne.CurrentApp().OpenURL)
	c.consent = newConsentTab(c.store, c.window, c.user, c.jobs, c.childID)
	c.contracts = newContractsTab(c, c.mayEdit)
	c.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Credit"), c.creditTab()),
		container.NewTabItem(lang.L("Requests"), c.requestsTab()),
		container.NewTabItem(lang.L("Consents"), c.consent),
		container.NewTabItem(lang.L("Contracts"), c.contracts.buildUI()),
	)
	c.exportButton, _ = newTouchButton(lang.L("Export data"), theme.DownloadIcon(), c.onExport)
	buttons := container.NewHBox(touchable(c.exportButton, 0))
	if c.mayEdit {
		c.editButton, _ = newTouchButton(lang.L("Edit…"), theme.DocumentCreateIcon(), c.onEdit)
		buttons.Objects = append([]fyne.CanvasObject{touchable(c.editButton, 0)}, buttons.Objects...)
	}
	c.reload()
	top := container.NewVBox(
		container.NewBorder(nil, nil, c.avatar, buttons, container.NewVBox(c.name, c.about)),
		c.contacts.buildUI(), widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, c.tabs)
}

// onEdit opens the child's details and contacts for editing.
func (c *childCard) onEdit() {
	c.form = newChildForm(c.store, c.window, c.jobs, c.child, nil)
	c.form.show()
}

// aboutText is the line under the child's name: birth date, school and number.
func (c *childCard) aboutText(child data.Child, school string) string {
	parts := []string{lang.L("born {{.Date}}", map[string]any{"Date": shortDate(child.BirthDate)})}
	if school != "" {
		parts = append(parts, school)
	}
	if child.Number != "" {
		parts = append(parts, lang.L("no. {{.Number}}", map[string]any{"Number": child.Number}))
	}
	return strings.Join(parts, " · ")
}

// The card's tabs, in order.
type cardTab int

const (
	cardCredit cardTab = iota
	cardRequests
	cardConsent
	cardContracts
)

// show opens the card over the window at a tab; closing it stops its feeds.
func (c *childCard) show(tab cardTab) {
	c.dialog = dialog.NewCustomWithoutButtons(lang.L("Child's card"), c.buildUI(), c.window)
	c.tabs.SelectIndex(int(tab))
	_, closeButton := newTouchButton(lang.L("Close"), theme.CancelIcon(), func() { c.dialog.Hide() })
	c.dialog.SetButtons([]fyne.CanvasObject{touchable(closeButton, 160)})
	escapeCloses(c.window, c.dialog, c.close)
	// As tall as the window allows: on a portrait tablet the contacts and
	// the tab below them both fit; never wider than the window.
	c.dialog.Resize(fitDialog(c.window, fyne.NewSize(860, fyne.Max(640, c.window.Canvas().Size().Height-120))))
	c.dialog.Show()
}

func (c *childCard) close() {
	c.stopFeed()
	c.jobs.close()
	c.consent.close()
}

func (c *childCard) onChange(ch data.Change) {
	switch ch.Kind {
	case data.ChangeCredit, data.ChangeRequest, data.ChangeAttendance:
		fyne.Do(c.reloadActivity)
	case data.ChangeCatalog, data.ChangePlanning:
		// Another child's details or contracts leave this card as it is.
		if ch.ChildID == 0 || ch.ChildID == c.childID {
			fyne.Do(c.reload)
		}
	}
}

// creditTab shows the balances per pot and the ledger, soonest to expire first.
func (c *childCard) creditTab() fyne.CanvasObject {
	c.balances = container.NewVBox()
	c.ledger = container.NewVBox()
	_, absent := newTouchButton(lang.L("Report absence"), theme.ContentRemoveIcon(), c.onReportAbsence)
	_, request := newTouchButton(lang.L("Request extra care"), theme.ContentAddIcon(), c.onRequest)
	actions := newFlow(absent, request)
	return container.NewBorder(container.NewVBox(actions, c.balances, widget.NewSeparator()), nil, nil, nil,
		container.NewVScroll(c.ledger))
}

// requestsTab lists the child's requests from today on, with a cancel button.
func (c *childCard) requestsTab() fyne.CanvasObject {
	c.requests = container.NewVBox()
	c.requestsNone = &widget.Label{Text: lang.L("No requests from today on.")}
	return container.NewVScroll(container.NewVBox(c.requestsNone, c.requests))
}

// cardChild is the child a card shows, with the name of its school.
type cardChild struct {
	child  data.Child
	school string
}

func (c *childCard) reload() {
	store, childID := c.store, c.childID
	load(c.jobs, &c.childLoad, func(ctx context.Context) (cardChild, error) {
		child, err := store.Child(ctx, childID)
		if err != nil || child.SchoolID == 0 {
			return cardChild{child: child}, err
		}
		schools, err := store.Schools(ctx)
		if err != nil {
			fyne.LogError("child's school", err) // the card shows without it
		}
		for _, s := range schools {
			if s.ID == child.SchoolID {
				return cardChild{child, s.Name}, nil
			}
		}
		return cardChild{child: child}, nil
	}, c.draw)
}

// draw shows the child loaded by reload, then loads the rest of the card.
func (c *childCard) draw(cc cardChild, err error) {
	if err != nil {
		c.showError(err)
		return
	}
	child := cc.child
	c.child = child
	c.avatar.set(child.Initials(), child.Picture)
	c.name.SetText(child.Name())
	c.about.SetText(c.aboutText(child, cc.school))
	c.contacts.set(child.Contacts)
	c.contracts.reload()
	if c.dialog != nil {
		c.dialog.Refresh() // more or fewer contacts: the card lays itself out again
	}
	c.reloadActivity()
}

// reloadActivity redraws what check-ins, absences and requests change: the
// credit and the requests.
func (c *childCard) reloadActivity() {
	c.reloadCredit()
	c.reloadRequests()
}

func (c *childCard) reloadCredit() {
	store, childID := c.store, c.childID
	load(c.jobs, &c.creditLoad, func(ctx context.Context) (data.Ledger, error) { return store.Ledger(ctx, childID) }, c.drawCredit)
}

// drawCredit shows the balances and the ledger loaded by reloadCredit.
func (c *childCard) drawCredit(l data.Ledger, err error) {
	if err != nil {
		c.showError(err)
		return
	}
	c.balances.Objects = nil
	if len(l.Balances) == 0 {
		c.balances.Add(&widget.Label{Text: lang.L("No credit.")})
	}
	for _, b := range l.Balances {
		text := potText(b.Pot) + ": " + hoursText(b.Available)
		if b.Reserved > 0 {
			text += " " + lang.L("({{.Hours}} reserved for requests awaiting approval)", map[string]any{"Hours": hoursText(b.Reserved)})
		}
		c.balances.Add(&widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord})
	}
	c.balances.Refresh()

	c.ledger.Objects = nil
	header := container.NewGridWithColumns(5, boldLabel(lang.L("Valid until")), boldLabel(lang.L("Credit")),
		boldLabel(lang.L("Earned on")), boldLabel(lang.L("Hours")), boldLabel(lang.L("Left")))
	c.ledger.Add(header)
	for _, e := range l.Entries {
		left := hoursText(e.Available())
		if e.Withdrawn {
			left = lang.L("withdrawn")
		} else if e.Reserved > 0 {
			left += " " + lang.L("({{.Hours}} reserved)", map[string]any{"Hours": hoursText(e.Reserved)})
		}
		c.ledger.Add(container.NewGridWithColumns(5,
			wrapLabel(shortDate(e.ExpiresOn)), wrapLabel(potText(e.Pot())),
			wrapLabel(shortDate(e.EarnedOn)), wrapLabel(hoursText(e.Minutes)), wrapLabel(left)))
	}
	c.ledger.Refresh()
}

func boldLabel(text string) *widget.Label {
	return &widget.Label{Text: text, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
}

// wrapLabel is text that takes more lines rather than widening the window.
func wrapLabel(text string) *widget.Label {
	return &widget.Label{Text: text, Wrapping: fyne.TextWrapWord}
}

func (c *childCard) reloadRequests() {
	store, childID := c.store, c.childID
	load(c.jobs, &c.requestsLoad, func(ctx context.Context) ([]data.Request, error) { return store.ChildRequests(ctx, childID) }, c.drawRequests)
}

// drawRequests lists the requests loaded by reloadRequests.
func (c *childCard) drawRequests(reqs []data.Request, err error) {
	if err != nil {
		c.showError(err)
		return
	}
	c.requests.Objects = nil
	for _, r := range reqs {
		r := r
		line := formatDate(r.Date) + " · " + r.Times.String() + " · " + productText(r.Product) + " · " + requestStatusText(r.Status)
		var row fyne.CanvasObject = container.NewVBox(&widget.Label{Text: line, TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord},
			&widget.Label{Text: paymentText(r.Payment), Wrapping: fyne.TextWrapWord})
		if r.Status == data.StatusOpen || r.Status == data.StatusApproved {
			_, cancel := newTouchButton(lang.L("Cancel request"), theme.CancelIcon(), func() { c.onCancelRequest(r) })
			row = newListRow(row, nil, cancel)
		}
		c.requests.Add(row)
		c.requests.Add(widget.NewSeparator())
	}
	c.requestsNone.Hidden = len(reqs) > 0
	c.requestsNone.Refresh()
	c.requests.Refresh()
}

func requestStatusText(s data.RequestStatus) string {
	switch s {
	case data.StatusOpen:
		return lang.L("awaiting approval")
	case data.StatusApproved:
		return lang.L("approved")
	case data.StatusRejected:
		return lang.L("rejected")
	default:
		return lang.L("cancelled")
	}
}

func (c *childCard) onCancelRequest(r data.Request) {
	reason := newField(lang.L("Reason (optional)"))
	items := []*widget.FormItem{{Text: lang.L("Reason"), Widget: reason}}
	title := lang.L("Cancel the request of {{.Date}}?", map[string]any{"Date": formatDate(r.Date)})
	d := newFormDialog(c.window, title, lang.L("Cancel request"), items, func() (func(), string) {
		return func() {
			c.save(func(ctx context.Context) error { return c.store.CancelRequest(ctx, r.ID, c.user, reason.Text) })
		}, ""
	})
	d.cancel.SetText(lang.L("Keep"))
	d.show()
}

func (c *childCard) onRequest() {
	newRequestForm(c.store, c.window, c.user, c.jobs, c.groupID, c.childID, c.date).show()
}

// onReportAbsence reports an absence for today or a day to come (T1): the
// earlier it is reported, the more likely it earns credit.
func (c *childCard) onReportAbsence() {
	day := c.date
	if !day.After(c.store.Today()) {
		day = c.store.Today().AddDays(1)
	}
	dateButton := &widget.Button{Text: formatDate(day), Icon: theme.CalendarIcon()}
	dateButton.OnTapped = func() {
		pickDate(c.window, day, func(d data.Date) {
			day = d
			dateButton.SetText(formatDate(day))
		})
	}
	var d *dialog.CustomDialog
	choices := container.NewVBox(widget.NewLabel(lang.L("Day")), touchable(dateButton, 320), widget.NewSeparator())
	for _, reason := range data.AbsenceReasons {
		reason := reason
		_, b := newTouchButton(absenceReasonText(reason), nil, func() {
			d.Hide()
			c.reportAbsence(data.AbsenceReport{ChildID: c.childID, Date: day, Reason: reason, By: c.user})
		})
		choices.Add(b)
	}
	d = dialog.NewCustom(lang.L("{{.Name}} is absent because…", map[string]any{"Name": c.child.Name()}), lang.L("Cancel"), choices, c.window)
	showDialog(c.window, d, nil, nil)
}

func (c *childCard) reportAbsence(r data.AbsenceReport) {
	c.jobs.write(func(ctx context.Context) {
		a, err := c.store.ReportAbsence(ctx, r)
		var text string
		if err == nil {
			text = absenceCreditText(ctx, c.store, r.Date, a)
		}
		fyne.Do(func() {
			if err != nil {
				c.showError(err)
				return
			}
			showInfo(lang.L("Absence reported"), text, c.window)
		})
	})
}

// absenceCreditText says what a reported absence earned, or why nothing (T1).
func absenceCreditText(ctx context.Context, store data.Store, day data.Date, a data.Attendance) string {
	if a.Credit != nil {
		return lang.L("Absent on {{.Date}}. Credit earned: {{.Hours}}, valid until {{.Until}}.",
			map[string]any{"Date": formatDate(day), "Hours": hoursText(a.Credit.Minutes), "Until": shortDate(a.Credit.ExpiresOn)})
	}
	why := lang.L("the day is not a contract day")
	switch a.NoCredit {
	case data.NoCreditLate:
		hours := 0
		if s, err := store.Settings(ctx); err == nil {
			hours = s.AbsenceNoticeHours
		}
		why = lang.L("reported less than {{.Hours}} hours ahead", map[string]any{"Hours": hours})
	case data.NoCreditAtMaximum:
		why = lang.L("the credit is at its maximum")
	}
	return lang.L("Absent on {{.Date}}. No credit: {{.Why}}.", map[string]any{"Date": formatDate(day), "Why": why})
}

func (c *childCard) save(write func(context.Context) error) {
	c.jobs.write(func(ctx context.Context) {
		if err := write(ctx); err != nil {
			fyne.Do(func() { c.showError(err) })
		}
	})
}

func (c *childCard) showError(err error) {
	fyne.LogError("child card", err)
	showInfo(lang.L("Not saved"), userMessage(err), c.window)
}

// tapArea makes what it holds open something when tapped: the child's
// avatar and name on the attendance list open the child's card.
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapArea(content fyne.CanvasObject, onTap func()) *tapArea {
	t := &tapArea{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

// Tapped runs onTap.
func (t *tapArea) Tapped(*fyne.PointEvent) { t.onTap() }

// Cursor shows a hand, as over a link.
func (t *tapArea) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }
