package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// approvalsScreen is "Goedkeuren aanvragen" (R6): the open requests of a
// group, the earliest day first, each with its effect on the group's
// occupancy that day and a flag when the day is near or past. The count of
// open requests is handed to the shell, which keeps it in the tab title.
type approvalsScreen struct {
	store  Store
	window fyne.Window
	user   string
	async  func(func())
	// onCount receives the number of open requests of the location after every redraw.
	onCount func(int)

	groupSelect *widget.Select
	message     *widget.Label
	rowsBox     *fyne.Container

	locationID data.ID
	groups     []data.Group
	groupID    data.ID
	counts     map[data.ID]int
	items      []data.QueueItem
	rows       map[data.ID]*queueRow
	stopFeed   func()
}

func newApprovalsScreen(store Store, window fyne.Window, user string, async func(func()), onCount func(int)) *approvalsScreen {
	s := &approvalsScreen{store: store, window: window, user: user, async: async, onCount: onCount, rows: map[data.ID]*queueRow{}}
	s.stopFeed = store.Subscribe(s.onChange)
	return s
}

func (s *approvalsScreen) buildUI() fyne.CanvasObject {
	s.groupSelect = &widget.Select{PlaceHolder: lang.L("Group"), OnChanged: func(string) { s.onGroupChosen() }}
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.rowsBox = container.NewVBox()
	header := container.NewHBox(touchable(s.groupSelect, 260), layout.NewSpacer())
	s.loadGroups()
	return container.NewBorder(container.NewVBox(header, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(s.message, container.NewVScroll(s.rowsBox)))
}

func (s *approvalsScreen) close() { s.stopFeed() }

// onChange redraws on anything that changes the queue or the occupancy it shows.
func (s *approvalsScreen) onChange(c data.Change) {
	if c.Kind == data.ChangeRequest || c.Kind == data.ChangePlanning || c.Kind == data.ChangeAttendance || c.Kind == data.ChangeCatalog {
		fyne.Do(s.reload)
	}
}

func (s *approvalsScreen) loadGroups() {
	locations, err := s.store.Locations()
	if err != nil || len(locations) == 0 {
		s.showMessage(lang.L("Choose a location and a group."))
		return
	}
	s.locationID = locations[0].ID
	if s.groups, err = s.store.Groups(s.locationID); err != nil {
		s.showError(err)
		return
	}
	s.reload()
	// Open on the first group with requests waiting.
	for i, g := range s.groups {
		if s.counts[g.ID] > 0 {
			s.groupSelect.SetSelectedIndex(i)
			return
		}
	}
	if len(s.groups) > 0 {
		s.groupSelect.SetSelectedIndex(0)
	}
}

func (s *approvalsScreen) onGroupChosen() {
	if i := s.groupSelect.SelectedIndex(); i >= 0 && i < len(s.groups) {
		s.groupID = s.groups[i].ID
		s.reload()
	}
}

// reload counts the open requests per group, names the groups with their
// count, and redraws the chosen group's queue.
func (s *approvalsScreen) reload() {
	counts, err := s.store.OpenRequestCounts(s.locationID)
	if err != nil {
		s.showError(err)
		return
	}
	s.counts = counts
	total := 0
	names := make([]string, len(s.groups))
	for i, g := range s.groups {
		names[i] = g.Name
		if n := counts[g.ID]; n > 0 {
			names[i] = fmt.Sprintf("%s (%d)", g.Name, n)
			total += n
		}
	}
	selected := s.groupSelect.SelectedIndex()
	s.groupSelect.OnChanged = nil // renaming the options is not the user's choice
	s.groupSelect.SetOptions(names)
	if selected >= 0 {
		s.groupSelect.SetSelectedIndex(selected)
	}
	s.groupSelect.OnChanged = func(string) { s.onGroupChosen() }
	if s.onCount != nil {
		s.onCount(total)
	}
	if s.groupID == 0 {
		return
	}
	items, err := s.store.OpenRequests(s.groupID)
	if err != nil {
		s.showError(err)
		return
	}
	s.items = items
	if len(items) == 0 {
		s.showMessage(lang.L("No requests are waiting for this group."))
		return
	}
	s.message.Hide()
	objects := make([]fyne.CanvasObject, 0, len(items))
	rows := map[data.ID]*queueRow{}
	for _, it := range items {
		row := newQueueRow(s, it)
		rows[it.Request.ID] = row
		objects = append(objects, row.box)
	}
	s.rows = rows
	s.rowsBox.Objects = objects
	s.rowsBox.Refresh()
}

func (s *approvalsScreen) showMessage(text string) {
	s.rows = map[data.ID]*queueRow{}
	s.rowsBox.Objects = nil
	s.rowsBox.Refresh()
	s.message.SetText(text)
	s.message.Show()
}

func (s *approvalsScreen) save(write func() error) {
	s.async(func() {
		if err := write(); err != nil {
			fyne.Do(func() { s.showError(err) })
		}
	})
}

func (s *approvalsScreen) showError(err error) {
	fyne.LogError("approvals", err)
	showInfo(lang.L("Not saved"), requestProblemText(err), s.window)
}

// queueRow is one open request with its decision buttons.
type queueRow struct {
	item      data.QueueItem
	flag      *widget.Label
	occupancy *widget.Label
	approve   *widget.Button
	reject    *widget.Button
	box       fyne.CanvasObject
}

func newQueueRow(s *approvalsScreen, it data.QueueItem) *queueRow {
	r := &queueRow{item: it}
	req := it.Request
	title := &widget.Label{Text: it.Child.Name() + " · " + formatDate(req.Date) + " · " + req.Times.String() + " · " + productText(req.Product),
		TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	channel := lang.L("the group")
	if req.Channel == data.ChannelOffice {
		channel = lang.L("the office, for the parent")
	}
	who := &widget.Label{Text: lang.L("Requested by {{.Who}} via {{.Channel}} on {{.When}}",
		map[string]any{"Who": req.By, "Channel": channel, "When": req.SubmittedAt.Format("02-01-2006 15:04")}), Wrapping: fyne.TextWrapWord}
	payment := &widget.Label{Text: paymentText(req.Payment), Wrapping: fyne.TextWrapWord}

	r.occupancy = &widget.Label{Text: lang.L("Occupancy that day: {{.Taken}} of {{.Capacity}}; {{.With}} once approved.",
		map[string]any{"Taken": it.Occupancy, "Capacity": it.Capacity, "With": it.Occupancy + 1}), Wrapping: fyne.TextWrapWord}
	if it.Occupancy+1 > it.Capacity {
		r.occupancy.Importance = widget.WarningImportance
	}
	r.flag = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	switch it.Flag {
	case data.FlagPast:
		r.flag.SetText(lang.L("The day has passed: decide now."))
	case data.FlagNear:
		r.flag.SetText(lang.L("The day is near: decide today."))
	default:
		r.flag.Hide()
	}

	var approveBox, rejectBox fyne.CanvasObject
	r.approve, approveBox = newTouchButton(lang.L("Approve"), theme.ConfirmIcon(), func() {
		s.save(func() error { return s.store.ApproveRequest(req.ID, s.user) })
	})
	r.approve.Importance = widget.HighImportance
	r.reject, rejectBox = newTouchButton(lang.L("Reject"), theme.CancelIcon(), func() { r.onReject(s) })
	r.reject.Importance = widget.DangerImportance
	actions := newButtonRow(touchable(rejectBox, 140), touchable(approveBox, 160))
	r.box = container.NewVBox(newListRow(container.NewVBox(title, r.flag, who, payment, r.occupancy), nil, actions), widget.NewSeparator())
	return r
}

// onReject asks the reason, which the request keeps, in a field big enough
// to write a sentence or two.
func (r *queueRow) onReject(s *approvalsScreen) {
	reason := newMultiLineField(lang.L("For example: the group is full that day"), 4)
	items := []*widget.FormItem{{Text: lang.L("Reason"), Widget: reason}}
	d := newFormDialog(s.window, lang.L("Reject the request?"), lang.L("Reject"), items, func() (func(), string) {
		if strings.TrimSpace(reason.Text) == "" {
			return nil, lang.L("Give a reason")
		}
		return func() {
			s.save(func() error { return s.store.RejectRequest(r.item.Request.ID, s.user, reason.Text) })
		}, ""
	})
	d.confirm.Importance = widget.DangerImportance
	d.size = fyne.NewSize(600, 0)
	d.show()
}
