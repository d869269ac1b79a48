package ui

import (
	"io"
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

	Consent(childID data.ID) (data.ChildConsent, error)
	RecordConsent(c data.ConsentChange) error
	ConsentOverview(locationID, groupID data.ID) ([]data.ConsentRow, error)
	ImportConsent(r io.Reader, by, note string) (data.ImportResult, error)
}
