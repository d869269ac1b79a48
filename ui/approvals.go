package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

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

// undoShown is how long the undo bar stays after a decision: within the
// store's UndoWindow, with time to spare for the tap to arrive.
const undoShown = data.UndoWindow - 5*time.Second

// approvalsScreen is "Goedkeuren aanvragen" (R6): the open requests of every
// group of a location the user works in, in one queue, the earliest day
// first, each with its effect on the group's occupancy that day and a flag
// when the day is near or past. A group filter narrows the queue. Every
// decision is confirmed, stored at once, and can be undone for a few seconds.
// The count of open requests is handed to the shell, which keeps it in the tab title.
type approvalsScreen struct {
	store  data.Store
	window fyne.Window
	user   string
	jobs   *jobs
	// onCount receives the number of open requests of the location after every redraw.
	onCount func(int)

	locationSelect *widget.Select
	groupSelect    *widget.Select
	message        *widget.Label
	rowsBox        *fyne.Container
	content        *fyne.Container
	undoBar        *fyne.Container
	undoText       *widget.Label
	undoButton     *widget.Button

	locations  []data.Location
	locationID data.ID
	groups     []data.Group
	groupID    data.ID // 0: every group
	queue      []data.QueueItem
	items      []data.QueueItem // the queue as filtered
	rows       map[data.ID]*queueRow
	// undoID is the request whose decision the undo bar offers to take back;
	// undoTimer hides the bar after undoFor.
	undoID    data.ID
	undoFor   time.Duration
	undoTimer *time.Timer
	stopFeed  func()
	// groupsLoad and queueLoad are the latest loads of the filter and the queue.
	groupsLoad, queueLoad latest
}

func newApprovalsScreen(store data.Store, window fyne.Window, user string, jobs *jobs, onCount func(int)) *approvalsScreen {
	s := &approvalsScreen{store: store, window: window, user: user, jobs: jobs, onCount: onCount, rows: map[data.ID]*queueRow{}, undoFor: undoShown}
	s.stopFeed = follow(jobs, store, s.onChange)
	return s
}

func (s *approvalsScreen) buildUI() fyne.CanvasObject {
	s.locationSelect = &widget.Select{PlaceHolder: lang.L("Location"), OnChanged: func(string) { s.onLocationChosen() }}
	s.groupSelect = &widget.Select{OnChanged: func(string) { s.onGroupChosen() }}
	s.message = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	s.rowsBox = container.NewVBox()

	s.undoText = &widget.Label{Wrapping: fyne.TextWrapWord}
	var undoBox fyne.CanvasObject
	s.undoButton, undoBox = newTouchButton(lang.L("Undo"), theme.ContentUndoIcon(), s.onUndo)
	s.undoButton.Importance = widget.HighImportance
	s.undoBar = container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameHover)),
		container.NewBorder(nil, nil, nil, touchable(undoBox, 180), container.NewVBox(layout.NewSpacer(), s.undoText, layout.NewSpacer())))
	s.undoBar.Hide()

	header := container.NewGridWrap(fyne.NewSize(260, touchSize), s.locationSelect, s.groupSelect)
	s.loadLocations()
	s.content = container.NewBorder(container.NewVBox(header, widget.NewSeparator()), s.undoBar, nil, nil,
		container.NewStack(s.message, container.NewVScroll(s.rowsBox)))
	return s.content
}

func (s *approvalsScreen) close() {
	s.stopFeed()
	s.jobs.close()
	if s.undoTimer != nil {
		s.undoTimer.Stop()
	}
}

// onChange redraws on anything that changes the queue or the occupancy it shows.
func (s *approvalsScreen) onChange(c data.Change) {
	if c.Kind == data.ChangeRequest || c.Kind == data.ChangePlanning || c.Kind == data.ChangeAttendance || c.Kind == data.ChangeCatalog {
		fyne.Do(s.reload)
	}
}

// loadLocations offers the locations the user works at; with one, the
// picker is not shown.
func (s *approvalsScreen) loadLocations() {
	load(s.jobs, nil, s.store.Locations, func(locations []data.Location, err error) {
		if err != nil {
			showLoadError(s.window, "approvals", err)
			return
		}
		s.locations = locations
		if len(locations) == 0 {
			s.showMessage(lang.L("Choose a location and a group."))
			return
		}
		setShown(len(locations) > 1, s.locationSelect)
		s.locationSelect.SetOptions(namesOf(locations, locationName))
		s.locationSelect.SetSelectedIndex(0)
	})
}

func (s *approvalsScreen) onLocationChosen() {
	i := s.locationSelect.SelectedIndex()
	if i < 0 || i >= len(s.locations) {
		return
	}
	store, locationID := s.store, s.locations[i].ID
	load(s.jobs, &s.groupsLoad, func(ctx context.Context) ([]data.Group, error) { return store.Groups(ctx, locationID) }, func(groups []data.Group, err error) {
		if err != nil {
			showLoadError(s.window, "approvals", err)
			return
		}
		s.locationID, s.groups, s.groupID = locationID, groups, 0
		s.groupSelect.ClearSelected()
		s.reload()
	})
}

func (s *approvalsScreen) onGroupChosen() {
	s.groupID = 0
	if i := s.groupSelect.SelectedIndex(); i > 0 && i <= len(s.groups) {
		s.groupID = s.groups[i-1].ID
	}
	s.reload()
}

// reload reads the location's queue, names the groups in the filter with
// their count, and redraws the requests of the chosen group (or all).
func (s *approvalsScreen) reload() {
	if s.locationID == 0 {
		return
	}
	store, locationID := s.store, s.locationID
	load(s.jobs, &s.queueLoad, func(ctx context.Context) ([]data.QueueItem, error) { return store.LocationQueue(ctx, locationID) }, s.drawQueue)
}

// drawQueue shows the queue loaded by reload.
func (s *approvalsScreen) drawQueue(queue []data.QueueItem, err error) {
	if err != nil {
		fyne.LogError("approvals", err)
		s.showMessage(userMessage(err))
		return
	}
	s.queue = queue
	counts := map[data.ID]int{}
	for _, it := range queue {
		counts[it.Request.GroupID]++
	}
	names := []string{countedName(lang.L("All groups"), len(queue))}
	for _, g := range s.groups {
		names = append(names, countedName(g.Name, counts[g.ID]))
	}
	selected := max(s.groupSelect.SelectedIndex(), 0)
	s.groupSelect.OnChanged = nil // renaming the options is not the user's choice
	s.groupSelect.SetOptions(names)
	s.groupSelect.SetSelectedIndex(selected)
	s.groupSelect.OnChanged = func(string) { s.onGroupChosen() }
	if s.onCount != nil {
		s.onCount(len(queue))
	}

	s.items = nil
	for _, it := range queue {
		if s.groupID == 0 || it.Request.GroupID == s.groupID {
			s.items = append(s.items, it)
		}
	}
	if len(s.items) == 0 {
		if s.groupID == 0 {
			s.showMessage(lang.L("No requests are waiting."))
		} else {
			s.showMessage(lang.L("No requests are waiting for this group."))
		}
		return
	}
	s.message.Hide()
	objects := make([]fyne.CanvasObject, 0, len(s.items))
	rows := map[data.ID]*queueRow{}
	for _, it := range s.items {
		row := newQueueRow(s, it)
		rows[it.Request.ID] = row
		objects = append(objects, row.box)
	}
	s.rows = rows
	s.rowsBox.Objects = objects
	s.rowsBox.Refresh()
}

// countedName is a group (or "All groups") with its number of open requests.
func countedName(name string, n int) string {
	if n == 0 {
		return name
	}
	return fmt.Sprintf("%s (%d)", name, n)
}

func (s *approvalsScreen) groupName(id data.ID) string {
	for _, g := range s.groups {
		if g.ID == id {
			return g.Name
		}
	}
	return ""
}

func (s *approvalsScreen) showMessage(text string) {
	s.rows = map[data.ID]*queueRow{}
	s.rowsBox.Objects = nil
	s.rowsBox.Refresh()
	s.message.SetText(text)
	s.message.Show()
}

// decide stores a decision off the UI goroutine, then offers to undo it.
func (s *approvalsScreen) decide(id data.ID, write func(context.Context) error, done string) {
	s.jobs.write(func(ctx context.Context) {
		err := write(ctx)
		fyne.Do(func() {
			if err != nil {
				s.showError(err)
				return
			}
			s.showUndo(id, done)
		})
	})
}

// showUndo shows the undo bar for a decision just stored; it goes away by
// itself, and a later decision takes its place.
func (s *approvalsScreen) showUndo(id data.ID, text string) {
	s.undoID = id
	s.undoText.SetText(text)
	s.undoButton.Enable()
	s.undoBar.Show()
	s.content.Refresh()
	if s.undoTimer != nil {
		s.undoTimer.Stop()
	}
	s.undoTimer = time.AfterFunc(s.undoFor, func() {
		fyne.Do(func() {
			if s.undoID == id {
				s.hideUndo()
			}
		})
	})
}

func (s *approvalsScreen) hideUndo() {
	s.undoID = 0
	s.undoBar.Hide()
	s.content.Refresh()
}

// onUndo takes the last decision back: the store reopens the request and
// reserves its credit again, and logs the undo.
func (s *approvalsScreen) onUndo() {
	id := s.undoID
	if id == 0 {
		return
	}
	s.undoButton.Disable()
	s.jobs.write(func(ctx context.Context) {
		err := s.store.UndoDecision(ctx, id, s.user)
		fyne.Do(func() {
			s.hideUndo()
			if err != nil {
				fyne.LogError("approvals", err)
				showInfo(lang.L("Not undone"), requestProblemText(err), s.window)
			}
		})
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
	title := &widget.Label{Text: it.Child.Name() + " · " + s.groupName(req.GroupID), TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	when := &widget.Label{Text: formatDate(req.Date) + " · " + req.Times.String() + " · " + productText(req.Product), Wrapping: fyne.TextWrapWord}
	channel := lang.L("the group")
	if req.Channel == data.ChannelOffice {
		channel = lang.L("the office, for the parent")
	}
	who := &widget.Label{Text: lang.L("Requested by {{.Who}} via {{.Channel}} on {{.When}}",
		map[string]any{"Who": req.By, "Channel": channel, "When": req.SubmittedAt.Format("02-01-2006 15:04")}), Wrapping: fyne.TextWrapWord}
	payment := &widget.Label{Text: paymentText(req.Payment), Wrapping: fyne.TextWrapWord}

	r.occupancy = &widget.Label{Text: lang.L("Occupancy that day: {{.Taken}} of {{.Capacity}}; {{.With}} once approved.",
		map[string]any{"Taken": it.Occupancy, "Capacity": it.Capacity, "With": it.Occupancy + 1}), Wrapping: fyne.TextWrapWord}
	if it.OverCapacity() {
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
	r.approve, approveBox = newTouchButton(lang.L("Approve"), theme.ConfirmIcon(), func() { r.onApprove(s) })
	r.approve.Importance = widget.HighImportance
	r.reject, rejectBox = newTouchButton(lang.L("Reject"), theme.CancelIcon(), func() { r.onReject(s) })
	r.reject.Importance = widget.DangerImportance
	actions := newButtonRow(touchable(rejectBox, 140), touchable(approveBox, 160))
	r.box = container.NewVBox(newListRow(container.NewVBox(title, when, r.flag, who, payment, r.occupancy), nil, actions), widget.NewSeparator())
	return r
}

// what names the request in a sentence: the child, the group and the day.
func (r *queueRow) what(s *approvalsScreen) map[string]any {
	return map[string]any{"Name": r.item.Child.Name(), "Group": s.groupName(r.item.Request.GroupID), "Date": formatDate(r.item.Request.Date)}
}

// onApprove asks once more, because approving puts the child on the list
// and spends the credit.
func (r *queueRow) onApprove(s *approvalsScreen) {
	msg := lang.L("Approve extra care for {{.Name}} in {{.Group}} on {{.Date}}?", r.what(s))
	d := dialog.NewConfirm(lang.L("Approve the request?"), msg, func(ok bool) {
		if ok {
			id := r.item.Request.ID
			s.decide(id, func(ctx context.Context) error { return s.store.ApproveRequest(ctx, id, s.user) },
				lang.L("Approved: {{.Name}}, {{.Date}}.", r.what(s)))
		}
	}, s.window)
	d.SetConfirmText(lang.L("Approve"))
	d.SetDismissText(lang.L("Cancel"))
	showDialog(s.window, d, d.Confirm, nil)
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
		id := r.item.Request.ID
		return func() {
			s.decide(id, func(ctx context.Context) error { return s.store.RejectRequest(ctx, id, s.user, reason.Text) },
				lang.L("Rejected: {{.Name}}, {{.Date}}.", r.what(s)))
		}, ""
	})
	d.confirm.Importance = widget.DangerImportance
	d.size = fyne.NewSize(600, 0)
	d.show()
}
