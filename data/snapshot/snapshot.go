// Package snapshot holds every stored record of an organisation at once, as
// either store keeps it: what a move between a location's data file and the
// organisation's database reads, renumbers, writes and checks. Indexes are
// not records: each store builds its own from these. The keys of applied
// writes (data.WithWriteKey) are left out: they only guard a retry within
// minutes of its write, and a moved location's devices pair again.
package snapshot

import (
	"cmp"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"locatiedesk/data"
)

// Snapshot is every record of an organisation (or of some of its
// locations), in the order Sort puts them.
type Snapshot struct {
	// Organisation is the organisation's name; Settings its settings, nil
	// where none are stored (a new database).
	Organisation string         `json:"organisation,omitempty"`
	Settings     *data.Settings `json:"settings,omitempty"`

	Locations   []data.Location      `json:"locations,omitempty"`
	Groups      []data.Group         `json:"groups,omitempty"`
	Schools     []data.School        `json:"schools,omitempty"`
	Holidays    []data.SchoolHoliday `json:"holidays,omitempty"`
	StudyDays   []data.StudyDay      `json:"studyDays,omitempty"` // with the planner's decisions
	ClosingDays []data.ClosingDay    `json:"closingDays,omitempty"`
	Children    []data.Child         `json:"children,omitempty"` // with their pictures
	Contracts   []data.Contract      `json:"contracts,omitempty"`
	Extras      []data.Extra         `json:"extras,omitempty"`
	Attendance  []data.DayRecord     `json:"attendance,omitempty"`
	SignUps     []data.SignUp        `json:"signUps,omitempty"`
	// Users with their hashes, lock-out and location and group lists.
	Users          []data.User          `json:"users,omitempty"`
	Consents       []data.ConsentChange `json:"consents,omitempty"`
	Credit         []data.CreditEntry   `json:"credit,omitempty"`
	CreditGrants   []CreditGrant        `json:"creditGrants,omitempty"`
	Requests       []data.Request       `json:"requests,omitempty"`
	InvoiceBatches []data.InvoiceBatch  `json:"invoiceBatches,omitempty"`
	// InvoiceLines are every batch's lines, a batch's in its file's order.
	InvoiceLines []data.InvoiceLine `json:"invoiceLines,omitempty"`
	Exported     []Exported         `json:"exported,omitempty"`
	Devices      []data.Device      `json:"devices,omitempty"`
	PairingCodes []data.PairingCode `json:"pairingCodes,omitempty"`
	// Audit is the whole log, each entry with its changes.
	Audit []data.AuditEntry `json:"audit,omitempty"`
}

// CreditGrant says which ledger entry a contract year's flexible credit
// became, so it is granted once. Year counts the contract's years from 0.
type CreditGrant struct {
	ChildID    data.ID `json:"childId"`
	ContractID data.ID `json:"contractId"`
	Year       int     `json:"year"`
	EntryID    data.ID `json:"entryId"`
}

// Exported is what one source (a request or a sign-up) was last billed as.
type Exported struct {
	Source   data.Source      `json:"source"`
	SourceID data.ID          `json:"sourceId"`
	Line     data.InvoiceLine `json:"line"`
}

// Sort puts every list in its key's order (a batch's lines keep theirs),
// so that two snapshots of the same records are the same.
func (s *Snapshot) Sort() {
	slices.SortFunc(s.Locations, func(a, b data.Location) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Groups, func(a, b data.Group) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Schools, func(a, b data.School) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Holidays, func(a, b data.SchoolHoliday) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.StudyDays, func(a, b data.StudyDay) int {
		return cmp.Or(cmp.Compare(a.SchoolID, b.SchoolID), a.Date.Compare(b.Date))
	})
	for i := range s.StudyDays {
		slices.SortFunc(s.StudyDays[i].Decisions, func(a, b data.StudyDayDecision) int { return cmp.Compare(a.LocationID, b.LocationID) })
	}
	slices.SortFunc(s.ClosingDays, func(a, b data.ClosingDay) int { return a.Date.Compare(b.Date) })
	slices.SortFunc(s.Children, func(a, b data.Child) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Contracts, func(a, b data.Contract) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Extras, func(a, b data.Extra) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.ChildID, b.ChildID))
	})
	slices.SortFunc(s.Attendance, func(a, b data.DayRecord) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.GroupID, b.GroupID), cmp.Compare(a.ChildID, b.ChildID))
	})
	slices.SortFunc(s.SignUps, func(a, b data.SignUp) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Users, func(a, b data.User) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Consents, func(a, b data.ConsentChange) int {
		return cmp.Or(cmp.Compare(a.ChildID, b.ChildID), cmp.Compare(a.Seq, b.Seq))
	})
	slices.SortFunc(s.Credit, func(a, b data.CreditEntry) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.CreditGrants, func(a, b CreditGrant) int {
		return cmp.Or(cmp.Compare(a.ChildID, b.ChildID), cmp.Compare(a.ContractID, b.ContractID), cmp.Compare(a.Year, b.Year))
	})
	slices.SortFunc(s.Requests, func(a, b data.Request) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.InvoiceBatches, func(a, b data.InvoiceBatch) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortStableFunc(s.InvoiceLines, func(a, b data.InvoiceLine) int { return cmp.Compare(a.Batch, b.Batch) })
	slices.SortFunc(s.Exported, func(a, b Exported) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.SourceID, b.SourceID))
	})
	slices.SortFunc(s.Devices, func(a, b data.Device) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.PairingCodes, func(a, b data.PairingCode) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(s.Audit, func(a, b data.AuditEntry) int { return cmp.Compare(a.Seq, b.Seq) })
}

// Table is one kind of record of a snapshot: its name (the database's
// table), how many records it holds, and the SHA-256 of their canonical
// JSON in key order.
type Table struct {
	Name string
	Rows int
	Sum  [32]byte
}

// Tables counts and sums every kind of record of the snapshot. Two stores
// holding the same records give the same tables: times are compared in UTC
// to the microsecond (what PostgreSQL keeps) and lists in their key order.
func (s Snapshot) Tables() ([]Table, error) {
	c := s.Canonical()
	organisation := struct {
		Name     string         `json:"name"`
		Settings *data.Settings `json:"settings"`
	}{c.Organisation, c.Settings}
	rows := 0
	if c.Settings != nil || c.Organisation != "" {
		rows = 1
	}
	raw, err := json.Marshal(organisation)
	if err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	tables := []Table{{Name: "organisation", Rows: rows, Sum: sha256.Sum256(raw)}}
	add := func(t Table, e error) {
		tables = append(tables, t)
		err = cmp.Or(err, e)
	}
	add(listTable("locations", c.Locations))
	add(listTable("groups", c.Groups))
	add(listTable("schools", c.Schools))
	add(listTable("school_holidays", c.Holidays))
	add(listTable("study_days", c.StudyDays))
	add(listTable("closing_days", c.ClosingDays))
	add(listTable("children", c.Children))
	add(listTable("contracts", c.Contracts))
	add(listTable("extras", c.Extras))
	add(listTable("attendance", c.Attendance))
	add(listTable("signups", c.SignUps))
	add(listTable("users", c.Users))
	add(listTable("consent_changes", c.Consents))
	add(listTable("credit_entries", c.Credit))
	add(listTable("credit_grants", c.CreditGrants))
	add(listTable("requests", c.Requests))
	add(listTable("invoice_batches", c.InvoiceBatches))
	add(listTable("invoice_lines", c.InvoiceLines))
	add(listTable("exported", c.Exported))
	add(listTable("devices", c.Devices))
	add(listTable("pairing_codes", c.PairingCodes))
	add(listTable("audit_log", c.Audit))
	return tables, err
}

// listTable counts and sums a list of records: the SHA-256 of the list's
// JSON, written record by record so that no copy of a whole table is made.
// An empty list sums as none, as a store without such records reads it.
func listTable[T any](name string, list []T) (Table, error) {
	h := sha256.New()
	if len(list) == 0 {
		h.Write([]byte("null"))
	} else {
		h.Write([]byte("["))
		for i := range list {
			if i > 0 {
				h.Write([]byte(","))
			}
			raw, err := json.Marshal(&list[i])
			if err != nil {
				return Table{}, fmt.Errorf("%s: %w", name, err)
			}
			h.Write(raw)
		}
		h.Write([]byte("]"))
	}
	t := Table{Name: name, Rows: len(list)}
	h.Sum(t.Sum[:0])
	return t, nil
}

// Differences names the tables in which a and b differ, with their counts.
func Differences(a, b []Table) []string {
	var out []string
	for i := range max(len(a), len(b)) {
		switch {
		case i >= len(a):
			out = append(out, b[i].Name+" is extra")
		case i >= len(b):
			out = append(out, a[i].Name+" is missing")
		case a[i] != b[i]:
			out = append(out, fmt.Sprintf("%s: %d rows expected, %d read back, checksums %x and %x", a[i].Name, a[i].Rows, b[i].Rows, a[i].Sum[:4], b[i].Sum[:4]))
		}
	}
	return out
}

// Canonical is a sorted deep copy with every time in UTC to the
// microsecond, and the feed numbers of an entry's changes left out (they
// are the entry's own): the form both stores give back for the same records.
func (s Snapshot) Canonical() Snapshot {
	c := s.Clone()
	c.Sort()
	for i := range c.StudyDays {
		for j := range c.StudyDays[i].Decisions {
			t(&c.StudyDays[i].Decisions[j].At)
		}
	}
	for i := range c.Attendance {
		a := &c.Attendance[i].Attendance
		t(&a.UpdatedAt)
		t(&a.AbsenceReportedAt)
	}
	for i := range c.SignUps {
		t(&c.SignUps[i].RegisteredAt)
		t(&c.SignUps[i].ChangedAt)
	}
	for i := range c.Users {
		t(&c.Users[i].LockedUntil)
	}
	for i := range c.Consents {
		t(&c.Consents[i].RecordedAt)
	}
	for i := range c.Requests {
		r := &c.Requests[i]
		t(&r.SubmittedAt)
		t(&r.DecidedAt)
		for j := range r.Withdrawn {
			t(&r.Withdrawn[j].At)
		}
	}
	for i := range c.InvoiceBatches {
		t(&c.InvoiceBatches[i].CreatedAt)
	}
	for i := range c.InvoiceLines {
		t(&c.InvoiceLines[i].At)
	}
	for i := range c.Exported {
		t(&c.Exported[i].Line.At)
	}
	for i := range c.Devices {
		d := &c.Devices[i]
		t(&d.PairedAt)
		t(&d.LastSeen)
		t(&d.RevokedAt)
	}
	for i := range c.PairingCodes {
		t(&c.PairingCodes[i].Expires)
		t(&c.PairingCodes[i].UsedAt)
	}
	for i := range c.Audit {
		t(&c.Audit[i].At)
		for j := range c.Audit[i].Changes {
			c.Audit[i].Changes[j].Seq = 0
		}
	}
	return c
}

// t puts a time in UTC to the microsecond; the zero time stays zero.
func t(v *time.Time) {
	if !v.IsZero() {
		*v = v.UTC().Truncate(time.Microsecond)
	}
}

// Clone is a copy of s that can be changed without changing s: its lists
// are copied, and so is everything within a record that Remap or
// Canonical changes (a time, an ID) or that a caller may (the settings).
// What no one changes in place (a picture, a contract's days) is shared.
func (s Snapshot) Clone() Snapshot {
	c := s
	if s.Settings != nil {
		settings := *s.Settings
		c.Settings = &settings
	}
	c.Locations = slices.Clone(s.Locations)
	c.Groups = slices.Clone(s.Groups)
	c.Schools = slices.Clone(s.Schools)
	c.Holidays = slices.Clone(s.Holidays)
	c.StudyDays = slices.Clone(s.StudyDays)
	for i := range c.StudyDays {
		c.StudyDays[i].Decisions = slices.Clone(c.StudyDays[i].Decisions)
		for j := range c.StudyDays[i].Decisions {
			c.StudyDays[i].Decisions[j].Children = slices.Clone(c.StudyDays[i].Decisions[j].Children)
		}
	}
	c.ClosingDays = slices.Clone(s.ClosingDays)
	c.Children = slices.Clone(s.Children)
	c.Contracts = slices.Clone(s.Contracts)
	c.Extras = slices.Clone(s.Extras)
	c.Attendance = slices.Clone(s.Attendance)
	for i := range c.Attendance {
		if credit := c.Attendance[i].Attendance.Credit; credit != nil {
			copied := *credit
			c.Attendance[i].Attendance.Credit = &copied
		}
	}
	c.SignUps = slices.Clone(s.SignUps)
	c.Users = slices.Clone(s.Users)
	for i := range c.Users {
		c.Users[i].LocationIDs = slices.Clone(c.Users[i].LocationIDs)
		c.Users[i].GroupIDs = slices.Clone(c.Users[i].GroupIDs)
	}
	c.Consents = slices.Clone(s.Consents)
	c.Credit = slices.Clone(s.Credit)
	c.CreditGrants = slices.Clone(s.CreditGrants)
	c.Requests = slices.Clone(s.Requests)
	for i := range c.Requests {
		c.Requests[i].Payment.Allocations = slices.Clone(c.Requests[i].Payment.Allocations)
		c.Requests[i].Withdrawn = slices.Clone(c.Requests[i].Withdrawn)
	}
	c.InvoiceBatches = slices.Clone(s.InvoiceBatches)
	c.InvoiceLines = slices.Clone(s.InvoiceLines)
	c.Exported = slices.Clone(s.Exported)
	c.Devices = slices.Clone(s.Devices)
	for i := range c.Devices {
		c.Devices[i].LocationIDs = slices.Clone(c.Devices[i].LocationIDs)
	}
	c.PairingCodes = slices.Clone(s.PairingCodes)
	for i := range c.PairingCodes {
		c.PairingCodes[i].LocationIDs = slices.Clone(c.PairingCodes[i].LocationIDs)
	}
	c.Audit = slices.Clone(s.Audit)
	for i := range c.Audit {
		c.Audit[i].Changes = slices.Clone(c.Audit[i].Changes)
	}
	return c
}
