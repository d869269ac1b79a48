package data

import (
	"time"
)

// RefusePresentNoGroup refuses the who-is-here list to staff who work in
// none of the location's groups.
const RefusePresentNoGroup = "present-no-group"

var presentRefusals = map[string]RefusalText{
	RefusePresentNoGroup: {Text: "{{.Name}} works in no group of {{.Location}}.", Kind: ErrForbidden},
}

// PresentList is who is in the building at one moment, per group, and whom
// to call for each child: the list staff take outside when the fire alarm
// goes or a group leaves for the park. It carries only what that list
// shows: no birth date, no picture, no note, nothing about health.
type PresentList struct {
	Location Location
	// AsOf is the moment the list describes, to the second.
	AsOf time.Time
	// Stale says the list was made from a saved state, not from the store
	// itself (a tablet without connection); the header must say so.
	Stale bool
	// StateOf is, on a stale list, when the device last heard from the
	// store: the state it shows is no newer (and its own edits since).
	StateOf time.Time
	Groups  []PresentGroup
}

// PresentGroup is one group of the list.
type PresentGroup struct {
	Group        Group
	Closed       bool
	ClosedReason string
	// Here are the children checked in and not yet checked out, by name.
	Here []PresentChild
	// NotHere are the children expected today who have not arrived (and
	// are not reported absent), by name, so nobody searches for them.
	NotHere []PresentChild
}

// PresentChild is one child on the list.
type PresentChild struct {
	ChildID   ID
	FirstName string
	LastName  string
	// CheckIn is when the child arrived; for a child not here, Expected
	// says when the child is due.
	CheckIn  Clock
	Expected TimeRange
	Consent  ConsentLevel
	Contacts []CallContact
}

// Name is first and last name as staff say it.
func (c PresentChild) Name() string { return c.FirstName + " " + c.LastName }

// CallContact is a contact as the list shows it: whom to call, no more.
type CallContact struct {
	Name     string
	Relation string
	Phone    string
}

// Total is the number of children here in all groups.
func (p PresentList) Total() int {
	n := 0
	for _, g := range p.Groups {
		n += len(g.Here)
	}
	return n
}

// TotalNotHere is the number of children expected who have not arrived.
func (p PresentList) TotalNotHere() int {
	n := 0
	for _, g := range p.Groups {
		n += len(g.NotHere)
	}
	return n
}

// BuildPresentList makes the list from the day lists of the date of asOf:
// a pure function, so a device that holds the last day lists it received
// makes the same list from them (with stale set). A child is here once
// checked in, until the check-out time has come (compared with the time of
// day of asOf). A check-in time later than asOf still counts as here: in an
// evacuation a child wrongly counted as here costs a look, one wrongly
// counted as not here may be left behind, and devices' clocks differ.
func BuildPresentList(location Location, lists []DayList, asOf time.Time, stale bool) PresentList {
	now := ClockOf(asOf)
	p := PresentList{Location: location, AsOf: asOf, Stale: stale}
	for _, l := range lists {
		g := PresentGroup{Group: l.Group, Closed: l.Closed, ClosedReason: l.ClosedReason}
		var here, notHere []DayRow
		for _, r := range l.Rows {
			a := r.Attendance
			switch {
			case a.CheckIn != nil && (a.CheckOut == nil || *a.CheckOut > now):
				here = append(here, r)
			case a.CheckIn == nil && !a.Absent && r.Source != "":
				notHere = append(notHere, r)
			}
		}
		byName := func(r DayRow) Child { return r.Child }
		SortByName(here, byName)
		SortByName(notHere, byName)
		for _, r := range here {
			g.Here = append(g.Here, presentChild(r))
		}
		for _, r := range notHere {
			g.NotHere = append(g.NotHere, presentChild(r))
		}
		p.Groups = append(p.Groups, g)
	}
	return p
}

func presentChild(r DayRow) PresentChild {
	c := PresentChild{ChildID: r.Child.ID, FirstName: r.Child.FirstName, LastName: r.Child.LastName,
		Expected: r.Expected, Consent: r.Consent}
	if r.Attendance.CheckIn != nil {
		c.CheckIn = *r.Attendance.CheckIn
	}
	for _, k := range r.Child.Contacts {
		if k.Phone != "" {
			c.Contacts = append(c.Contacts, CallContact{Name: k.Name, Relation: k.Relation, Phone: k.Phone})
		}
	}
	return c
}
