package snapshot

import (
	"slices"

	"locatiedesk/data"
)

// OfLocations is the part of s that belongs to some of its locations: their
// groups, children and everything of those (contracts, lists, sign-ups,
// consent, credit, requests), the exports of those locations alone, the
// people, devices and pairing codes that name one of them, the schools
// their children go to with those schools' calendars (a study day with only
// these locations' decisions), and the organisation's settings and closing
// days. Of the log it keeps the entries of those people and the entries
// whose changes name those groups or children.
func (s Snapshot) OfLocations(ids ...data.ID) Snapshot {
	at := func(id data.ID) bool { return slices.Contains(ids, id) }
	anyAt := func(list []data.ID) bool { return slices.ContainsFunc(list, at) }
	out := Snapshot{Organisation: s.Organisation, Settings: s.Settings, ClosingDays: s.ClosingDays}
	out.Locations = keep(s.Locations, func(l data.Location) bool { return at(l.ID) })
	groups := map[data.ID]bool{}
	out.Groups = keep(s.Groups, func(g data.Group) bool { groups[g.ID] = at(g.LocationID); return groups[g.ID] })
	children, schools := map[data.ID]bool{}, map[data.ID]bool{}
	out.Children = keep(s.Children, func(c data.Child) bool {
		children[c.ID] = at(c.LocationID)
		if children[c.ID] && c.SchoolID != 0 {
			schools[c.SchoolID] = true
		}
		return children[c.ID]
	})
	out.Contracts = keep(s.Contracts, func(c data.Contract) bool { return groups[c.GroupID] })
	out.Extras = keep(s.Extras, func(e data.Extra) bool { return groups[e.GroupID] })
	out.Attendance = keep(s.Attendance, func(r data.DayRecord) bool { return groups[r.GroupID] })
	out.SignUps = keep(s.SignUps, func(su data.SignUp) bool {
		if groups[su.GroupID] {
			schools[su.SchoolID] = true
		}
		return groups[su.GroupID]
	})
	out.Consents = keep(s.Consents, func(c data.ConsentChange) bool { return children[c.ChildID] })
	out.Credit = keep(s.Credit, func(e data.CreditEntry) bool { return children[e.ChildID] })
	out.CreditGrants = keep(s.CreditGrants, func(g CreditGrant) bool { return children[g.ChildID] })
	out.Requests = keep(s.Requests, func(r data.Request) bool { return groups[r.GroupID] })
	batches := map[data.ID]bool{}
	out.InvoiceBatches = keep(s.InvoiceBatches, func(b data.InvoiceBatch) bool { batches[b.ID] = at(b.LocationID); return batches[b.ID] })
	out.InvoiceLines = keep(s.InvoiceLines, func(l data.InvoiceLine) bool { return batches[l.Batch] })
	out.Exported = keep(s.Exported, func(e Exported) bool { return at(e.Line.LocationID) })
	users := map[data.ID]bool{}
	out.Users = keep(s.Users, func(u data.User) bool {
		users[u.ID] = anyAt(u.LocationIDs) || slices.ContainsFunc(u.GroupIDs, func(g data.ID) bool { return groups[g] })
		return users[u.ID]
	})
	out.Devices = keep(s.Devices, func(d data.Device) bool { return anyAt(d.LocationIDs) })
	out.PairingCodes = keep(s.PairingCodes, func(p data.PairingCode) bool { return anyAt(p.LocationIDs) })
	out.Schools = keep(s.Schools, func(sc data.School) bool { return schools[sc.ID] })
	out.Holidays = keep(s.Holidays, func(h data.SchoolHoliday) bool { return schools[h.SchoolID] })
	out.StudyDays = keep(s.StudyDays, func(sd data.StudyDay) bool { return schools[sd.SchoolID] })
	for i := range out.StudyDays {
		out.StudyDays[i].Decisions = keep(out.StudyDays[i].Decisions, func(d data.StudyDayDecision) bool { return at(d.LocationID) })
	}
	out.Audit = keep(s.Audit, func(e data.AuditEntry) bool {
		return users[e.UserID] || slices.ContainsFunc(e.Changes, func(c data.Change) bool { return groups[c.GroupID] || children[c.ChildID] })
	})
	return out
}

// keep is a new list of the records of list that ok accepts.
func keep[T any](list []T, ok func(T) bool) []T {
	var out []T
	for _, v := range list {
		if ok(v) {
			out = append(out, v)
		}
	}
	return out
}
