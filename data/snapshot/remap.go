package snapshot

import "locatiedesk/data"

// IDs renumbers the records of one kind: by Same where a record is one the
// target already holds (a school or a person of the same name), else by
// adding Offset. 0 (no reference) stays 0.
type IDs struct {
	Offset data.ID
	Same   map[data.ID]data.ID
}

// Of is id's new number.
func (m IDs) Of(id data.ID) data.ID {
	if id == 0 {
		return 0
	}
	if to, ok := m.Same[id]; ok {
		return to
	}
	return id + m.Offset
}

func (m IDs) list(ids []data.ID) []data.ID {
	if ids == nil {
		return nil
	}
	out := make([]data.ID, len(ids))
	for i, id := range ids {
		out[i] = m.Of(id)
	}
	return out
}

// Mapping renumbers every kind of record, and every reference to it, also
// those inside a record's lists (a payment's credit, a decision's children,
// an invoice line's sources, a device's locations, the log's users).
type Mapping struct {
	Locations, Groups, Schools, Holidays, Children, Contracts, SignUps, Users,
	Credit, Requests, Batches, Devices, PairingCodes IDs
	// Seq is added to the log's sequence numbers.
	Seq uint64
}

// Remap is a copy of s with every ID and reference renumbered by m.
func (s Snapshot) Remap(m Mapping) Snapshot {
	c := s.Clone()
	for i := range c.Locations {
		c.Locations[i].ID = m.Locations.Of(c.Locations[i].ID)
	}
	for i := range c.Groups {
		g := &c.Groups[i]
		g.ID, g.LocationID = m.Groups.Of(g.ID), m.Locations.Of(g.LocationID)
	}
	for i := range c.Schools {
		c.Schools[i].ID = m.Schools.Of(c.Schools[i].ID)
	}
	for i := range c.Holidays {
		h := &c.Holidays[i]
		h.ID, h.SchoolID = m.Holidays.Of(h.ID), m.Schools.Of(h.SchoolID)
	}
	for i := range c.StudyDays {
		sd := &c.StudyDays[i]
		sd.SchoolID = m.Schools.Of(sd.SchoolID)
		for j := range sd.Decisions {
			d := &sd.Decisions[j]
			d.LocationID, d.Children = m.Locations.Of(d.LocationID), m.Children.list(d.Children)
		}
	}
	for i := range c.Children {
		ch := &c.Children[i]
		ch.ID, ch.LocationID, ch.SchoolID = m.Children.Of(ch.ID), m.Locations.Of(ch.LocationID), m.Schools.Of(ch.SchoolID)
	}
	for i := range c.Contracts {
		k := &c.Contracts[i]
		k.ID, k.ChildID, k.GroupID, k.Continues = m.Contracts.Of(k.ID), m.Children.Of(k.ChildID), m.Groups.Of(k.GroupID), m.Contracts.Of(k.Continues)
	}
	for i := range c.Extras {
		e := &c.Extras[i]
		e.ChildID, e.GroupID = m.Children.Of(e.ChildID), m.Groups.Of(e.GroupID)
	}
	for i := range c.Attendance {
		r := &c.Attendance[i]
		r.ChildID, r.GroupID = m.Children.Of(r.ChildID), m.Groups.Of(r.GroupID)
		if r.Attendance.Credit != nil {
			r.Attendance.Credit.EntryID = m.Credit.Of(r.Attendance.Credit.EntryID)
		}
	}
	for i := range c.SignUps {
		su := &c.SignUps[i]
		su.ID, su.SchoolID, su.ChildID, su.GroupID = m.SignUps.Of(su.ID), m.Schools.Of(su.SchoolID), m.Children.Of(su.ChildID), m.Groups.Of(su.GroupID)
	}
	for i := range c.Users {
		u := &c.Users[i]
		u.ID, u.LocationIDs, u.GroupIDs = m.Users.Of(u.ID), m.Locations.list(u.LocationIDs), m.Groups.list(u.GroupIDs)
	}
	for i := range c.Consents {
		c.Consents[i].ChildID = m.Children.Of(c.Consents[i].ChildID)
	}
	for i := range c.Credit {
		e := &c.Credit[i]
		e.ID, e.ChildID, e.ContractID, e.GroupID = m.Credit.Of(e.ID), m.Children.Of(e.ChildID), m.Contracts.Of(e.ContractID), m.Groups.Of(e.GroupID)
	}
	for i := range c.CreditGrants {
		g := &c.CreditGrants[i]
		g.ChildID, g.ContractID, g.EntryID = m.Children.Of(g.ChildID), m.Contracts.Of(g.ContractID), m.Credit.Of(g.EntryID)
	}
	for i := range c.Requests {
		r := &c.Requests[i]
		r.ID, r.ChildID, r.GroupID = m.Requests.Of(r.ID), m.Children.Of(r.ChildID), m.Groups.Of(r.GroupID)
		for j := range r.Payment.Allocations {
			r.Payment.Allocations[j].EntryID = m.Credit.Of(r.Payment.Allocations[j].EntryID)
		}
		for j := range r.Withdrawn {
			r.Withdrawn[j].EntryID = m.Credit.Of(r.Withdrawn[j].EntryID)
		}
	}
	for i := range c.InvoiceBatches {
		b := &c.InvoiceBatches[i]
		b.ID, b.LocationID = m.Batches.Of(b.ID), m.Locations.Of(b.LocationID)
	}
	for i := range c.InvoiceLines {
		m.line(&c.InvoiceLines[i])
	}
	for i := range c.Exported {
		e := &c.Exported[i]
		e.SourceID = m.source(e.Source, e.SourceID)
		m.line(&e.Line)
	}
	for i := range c.Devices {
		d := &c.Devices[i]
		d.ID, d.LocationIDs = m.Devices.Of(d.ID), m.Locations.list(d.LocationIDs)
	}
	for i := range c.PairingCodes {
		p := &c.PairingCodes[i]
		p.ID, p.LocationIDs = m.PairingCodes.Of(p.ID), m.Locations.list(p.LocationIDs)
	}
	for i := range c.Audit {
		e := &c.Audit[i]
		e.Seq, e.UserID = e.Seq+m.Seq, m.Users.Of(e.UserID)
		for j := range e.Changes {
			ch := &e.Changes[j]
			ch.GroupID, ch.ChildID = m.Groups.Of(ch.GroupID), m.Children.Of(ch.ChildID)
		}
	}
	return c
}

func (m Mapping) line(l *data.InvoiceLine) {
	l.Batch, l.ChildID, l.LocationID, l.GroupID = m.Batches.Of(l.Batch), m.Children.Of(l.ChildID), m.Locations.Of(l.LocationID), m.Groups.Of(l.GroupID)
	l.SourceID = m.source(l.Source, l.SourceID)
}

// source renumbers what an invoice line bills: a request or a sign-up.
func (m Mapping) source(s data.Source, id data.ID) data.ID {
	if s == data.SourceStudyDay {
		return m.SignUps.Of(id)
	}
	return m.Requests.Of(id)
}
