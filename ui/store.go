package ui

import (
	"time"

	"locatiedesk/data"
)

// Store is what the screens need from the data layer; *data.DB implements it.
type Store interface {
	Today() data.Date
	Now() time.Time
	Subscribe(func(data.Change)) (cancel func())

	Locations() ([]data.Location, error)
	Groups(locationID data.ID) ([]data.Group, error)

	DayList(groupID data.ID, d data.Date) (data.DayList, error)
	Unlock(d data.Date, by string) (*data.Unlock, error)
	CheckIn(e data.DayEdit, at data.Clock) error
	CheckOut(e data.DayEdit, at data.Clock) error
	SetTimes(e data.DayEdit, in, out *data.Clock) error
	MarkAbsent(e data.DayEdit, reason data.AbsenceReason) error
	ClearAbsence(e data.DayEdit) error
	SetNote(e data.DayEdit, note string) error

	// Extra-care requests, credit and approvals.
	Settings() (data.Settings, error)
	Group(id data.ID) (data.Group, error)
	Child(id data.ID) (data.Child, error)
	Ledger(childID data.ID) (data.Ledger, error)
	ReportAbsence(r data.AbsenceReport) (data.Attendance, error)
	RequestChildren(groupID data.ID, d data.Date) ([]data.Child, error)
	PreviewRequest(d data.RequestDraft) (data.RequestPreview, error)
	SubmitRequest(d data.RequestDraft, pay data.Payment) (data.Request, error)
	ApproveRequest(id data.ID, by string) error
	RejectRequest(id data.ID, by, reason string) error
	CancelRequest(id data.ID, by, reason string) error
	OpenRequests(groupID data.ID) ([]data.QueueItem, error)
	OpenRequestCounts(locationID data.ID) (map[data.ID]int, error)
	ChildRequests(childID data.ID) ([]data.Request, error)
}
