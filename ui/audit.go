package ui

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// auditScreen reads the audit log (Logboek): who changed what and when,
// newest first, filtered by person, action and the day a change was about.
// It only reads: nothing in the app edits or deletes the log.
type auditScreen struct {
	store Store

	userSelect   *widget.Select
	childSelect  *widget.Select
	actionSelect *widget.Select
	dateEntry    *widget.Entry
	message      *widget.Label
	list         *widget.List

	users    []data.User
	children []data.Child
	entries  []data.AuditEntry
	stopFeed func()
}

// auditActions are the store actions a manager filters on, in words.
var auditActions = []string{"CheckIn", "CheckOut", "SetTimes", "MarkAbsent", "ClearAbsence", "SetNote", "Unlock",
	"SubmitRequest", "ApproveRequest", "RejectRequest", "CancelRequest", "RecordConsent", "ImportConsent",
	"RegisterSignUps", "DecideStudyDay", "RegisterHolidayContract", "ExportInvoicing", "LogPrint", "ChildRecord", "PurgeExpired", "SignIn", "SaveSettings",
	"SetUp", "RenameOrganisation", "AddLocation", "RenameLocation", "CloseLocation", "AddGroup", "UpdateGroup", "CloseGroup",
	"AddUser", "UpdateUser", "SetSecret", "ChangeOwnSecret", "DeactivateUser", "ReactivateUser"}

func newAuditScreen(store Store) *auditScreen {
	s := &auditScreen{store: store}
	s.stopFeed = store.Subscribe(func(data.Change) { fyne.Do(s.reload) })
	return s
}

func (s *auditScreen) buildUI() fyne.CanvasObject {
	s.userSelect = &widget.Select{OnChanged: func(string) { s.reload() }}
	s.childSelect = &widget.Select{OnChanged: func(string) { s.reload() }}
	s.actionSelect = &widget.Select{Options: append([]string{lang.L("All actions")}, auditActions...), OnChanged: func(string) { s.reload() }}
	s.dateEntry = &widget.Entry{PlaceHolder: lang.L("Day (YYYY-MM-DD)"), OnChanged: func(string) { s.reload() }}
	s.message = &widget.Label{Importance: widget.DangerImportance}
	s.list = &widget.List{
		Length: func() int { return len(s.entries) },
		CreateItem: func() fyne.CanvasObject {
			return container.NewBorder(nil, nil, &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}}, nil,
				&widget.Label{Wrapping: fyne.TextWrapWord})
		},
		UpdateItem: func(i widget.ListItemID, o fyne.CanvasObject) {
			e := s.entries[i]
			c := o.(*fyne.Container)
			c.Objects[1].(*widget.Label).SetText(e.At.Format("2006-01-02 15:04:05"))
			c.Objects[0].(*widget.Label).SetText(s.describe(e))
			s.list.SetItemHeight(i, c.MinSize().Height)
		},
	}
	// Deactivated colleagues too: the log still names them.
	accounts, err := s.store.StaffAccounts()
	if err != nil {
		s.message.SetText(userMessage(err))
	}
	s.users = nil
	names := []string{lang.L("Everyone")}
	for _, a := range accounts {
		s.users = append(s.users, a.User)
		names = append(names, a.Name)
	}
	s.userSelect.Options = names
	s.userSelect.SetSelectedIndex(0)
	if s.children, err = s.store.Children(0); err != nil {
		s.message.SetText(userMessage(err))
	}
	s.childSelect.Options = append([]string{lang.L("Every child")}, namesOf(s.children, data.Child.Name)...)
	s.childSelect.SetSelectedIndex(0)
	s.actionSelect.SetSelectedIndex(0)
	header := newFlow(touchable(s.userSelect, 200), touchable(s.childSelect, 220), touchable(s.actionSelect, 200), touchable(s.dateEntry, 200), s.message)
	return container.NewBorder(header, nil, nil, nil, s.list)
}

func (s *auditScreen) close() { s.stopFeed() }

// describe writes an entry as a line: who, what, whose (the child's name as
// it is now: the log keeps IDs only, so a purged child stays anonymous), the
// day and the detail.
func (s *auditScreen) describe(e data.AuditEntry) string {
	parts := []string{e.Who, e.Action}
	for _, c := range e.Changes {
		if c.ChildID != 0 {
			parts = append(parts, s.childName(c.ChildID))
		}
		if !c.Date.IsZero() {
			parts = append(parts, c.Date.String())
		}
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	return strings.Join(slices.Compact(parts), " · ")
}

func (s *auditScreen) childName(id data.ID) string {
	for _, c := range s.children {
		if c.ID == id {
			return c.Name()
		}
	}
	return fmt.Sprintf("#%d", id)
}

func (s *auditScreen) reload() {
	if s.list == nil {
		return
	}
	var f data.AuditFilter
	if i := s.userSelect.SelectedIndex(); i > 0 {
		f.UserID = s.users[i-1].ID
	}
	if i := s.childSelect.SelectedIndex(); i > 0 {
		f.ChildID = s.children[i-1].ID
	}
	if i := s.actionSelect.SelectedIndex(); i > 0 {
		f.Action = auditActions[i-1]
	}
	s.message.SetText("")
	if text := strings.TrimSpace(s.dateEntry.Text); text != "" {
		d, err := data.ParseDate(text)
		if err != nil {
			s.message.SetText(lang.L("Enter a day as YYYY-MM-DD"))
			return
		}
		f.Date = d
	}
	entries, err := s.store.Audit(f)
	if err != nil {
		s.message.SetText(userMessage(err))
		return
	}
	s.entries = entries
	s.list.Refresh()
}
