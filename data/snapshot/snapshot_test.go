package snapshot_test

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/snapshot"
)

// sample holds one record of every kind that has an ID inside a list.
func sample() snapshot.Snapshot {
	at := time.Date(2026, 11, 25, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	settings := data.DefaultSettings()
	return snapshot.Snapshot{
		Settings:  &settings,
		Locations: []data.Location{{ID: 1, Name: "De Vlinder"}},
		Groups:    []data.Group{{ID: 2, LocationID: 1, Name: "Rupsjes"}},
		StudyDays: []data.StudyDay{{SchoolID: 3, Decisions: []data.StudyDayDecision{{LocationID: 1, At: at, Children: []data.ID{4}}}}},
		Attendance: []data.DayRecord{{GroupID: 2, ChildID: 4, Attendance: data.Attendance{UpdatedAt: at,
			Credit: &data.CreditRef{EntryID: 5}}}},
		Users: []data.User{{ID: 6, LocationIDs: []data.ID{1}, GroupIDs: []data.ID{2}}},
		Requests: []data.Request{{ID: 7, RequestDraft: data.RequestDraft{ChildID: 4, GroupID: 2}, SubmittedAt: at,
			Payment: data.Payment{Allocations: []data.Allocation{{EntryID: 5}}}, Withdrawn: []data.CreditWithdrawal{{EntryID: 5, At: at}}}},
		InvoiceLines: []data.InvoiceLine{{Batch: 8, ChildID: 4, LocationID: 1, GroupID: 2, Source: data.SourceRequest, SourceID: 7, At: at}},
		Exported:     []snapshot.Exported{{Source: data.SourceStudyDay, SourceID: 9, Line: data.InvoiceLine{Batch: 8, Source: data.SourceStudyDay, SourceID: 9}}},
		Devices:      []data.Device{{ID: 10, LocationIDs: []data.ID{1}, PairedAt: at}},
		PairingCodes: []data.PairingCode{{ID: 11, LocationIDs: []data.ID{1}, Expires: at}},
		Audit:        []data.AuditEntry{{Seq: 12, UserID: 6, At: at, Changes: []data.Change{{Seq: 12, GroupID: 2, ChildID: 4}}}},
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// Remap renumbers every ID, also those inside a record's lists, and
// leaves the snapshot it was given as it was.
func TestRemap_EveryReferenceInsideTheRecords(t *testing.T) {
	s := sample()
	before := jsonOf(t, s)
	m := snapshot.Mapping{Locations: snapshot.IDs{Offset: 100}, Groups: snapshot.IDs{Offset: 200}, Schools: snapshot.IDs{Same: map[data.ID]data.ID{3: 33}},
		Children: snapshot.IDs{Offset: 400}, Credit: snapshot.IDs{Offset: 500}, Users: snapshot.IDs{Offset: 600}, Requests: snapshot.IDs{Offset: 700},
		Batches: snapshot.IDs{Offset: 800}, SignUps: snapshot.IDs{Offset: 900}, Devices: snapshot.IDs{Offset: 1000}, PairingCodes: snapshot.IDs{Offset: 1100}, Seq: 1200}
	r := s.Remap(m)
	if jsonOf(t, s) != before {
		t.Fatal("Remap changed the snapshot it was given")
	}
	checks := []struct {
		what      string
		got, want data.ID
	}{
		{"group's location", r.Groups[0].LocationID, 101},
		{"study day's school (the target's of that name)", r.StudyDays[0].SchoolID, 33},
		{"decision's location", r.StudyDays[0].Decisions[0].LocationID, 101},
		{"decision's child", r.StudyDays[0].Decisions[0].Children[0], 404},
		{"record's credit", r.Attendance[0].Attendance.Credit.EntryID, 505},
		{"user's location", r.Users[0].LocationIDs[0], 101},
		{"user's group", r.Users[0].GroupIDs[0], 202},
		{"payment's credit", r.Requests[0].Payment.Allocations[0].EntryID, 505},
		{"withdrawal's credit", r.Requests[0].Withdrawn[0].EntryID, 505},
		{"line's batch", r.InvoiceLines[0].Batch, 808},
		{"line's request", r.InvoiceLines[0].SourceID, 707},
		{"line's location", r.InvoiceLines[0].LocationID, 101},
		{"exported sign-up", r.Exported[0].SourceID, 909},
		{"exported line's sign-up", r.Exported[0].Line.SourceID, 909},
		{"device's location", r.Devices[0].LocationIDs[0], 101},
		{"pairing code's location", r.PairingCodes[0].LocationIDs[0], 101},
		{"log's user", r.Audit[0].UserID, 606},
		{"change's group", r.Audit[0].Changes[0].GroupID, 202},
		{"change's child", r.Audit[0].Changes[0].ChildID, 404},
		{"log's number", data.ID(r.Audit[0].Seq), 1212},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
}

// Two snapshots of the same records sum the same, whatever the time zone
// or nanoseconds a store gives their times; a changed record does not.
func TestTables_SameRecordsSameSums(t *testing.T) {
	a := sample()
	b := a.Clone()
	b.Audit[0].At = b.Audit[0].At.UTC().Truncate(time.Microsecond)
	b.Audit[0].Changes[0].Seq = 0
	ta, err := a.Tables()
	if err != nil {
		t.Fatal(err)
	}
	tb, err := b.Tables()
	if err != nil {
		t.Fatal(err)
	}
	if diff := snapshot.Differences(ta, tb); len(diff) > 0 {
		t.Fatalf("the same records differ: %v", diff)
	}
	b.Requests[0].Payment.Allocations[0].Minutes = 30
	b.Settings.StudyDayMinimum = 9
	tb, _ = b.Tables()
	if diff := snapshot.Differences(ta, tb); len(diff) != 2 || a.Settings.StudyDayMinimum == 9 || a.Requests[0].Payment.Allocations[0].Minutes == 30 {
		t.Fatalf("a changed copy: %v", diff)
	}
}

// A location's part holds its own records, and of what is shared only
// what it names.
func TestOfLocations_ALocationsOwnRecords(t *testing.T) {
	s := sample()
	moved := s.Remap(snapshot.Mapping{Locations: snapshot.IDs{Offset: 100}, Groups: snapshot.IDs{Offset: 200}, Children: snapshot.IDs{Offset: 400},
		Credit: snapshot.IDs{Offset: 500}, Users: snapshot.IDs{Offset: 600}, Requests: snapshot.IDs{Offset: 700}, Batches: snapshot.IDs{Offset: 800},
		Devices: snapshot.IDs{Offset: 1000}, PairingCodes: snapshot.IDs{Offset: 1100}, Seq: 1200})
	s.Schools = []data.School{{ID: 3, Name: "De Regenboog"}}
	s.Children = []data.Child{{ID: 4, LocationID: 1, SchoolID: 3}}
	s.StudyDays[0].Decisions = append(s.StudyDays[0].Decisions, data.StudyDayDecision{LocationID: 101})
	both := s
	both.Locations = append(both.Locations, moved.Locations...)
	both.Groups = append(both.Groups, moved.Groups...)
	both.Users = append(both.Users, moved.Users...)
	both.Requests = append(both.Requests, moved.Requests...)
	both.Attendance = append(both.Attendance, moved.Attendance...)
	both.Devices = append(both.Devices, moved.Devices...)
	both.Audit = append(both.Audit, moved.Audit...)

	part := both.OfLocations(1)
	counts := map[string]int{"locations": len(part.Locations), "groups": len(part.Groups), "users": len(part.Users), "requests": len(part.Requests),
		"attendance": len(part.Attendance), "devices": len(part.Devices), "audit": len(part.Audit), "schools": len(part.Schools),
		"decisions": len(part.StudyDays[0].Decisions)}
	for what, n := range counts {
		if n != 1 {
			t.Errorf("location 1's part holds %d %s, want its 1", n, what)
		}
	}
	if len(both.StudyDays[0].Decisions) != 2 {
		t.Error("OfLocations changed the snapshot it was given")
	}
	if other := both.OfLocations(101); len(other.Schools) != 0 || len(other.Requests) != 1 || other.Requests[0].ID != 707 {
		t.Errorf("location 101's part: %d schools, requests %+v", len(other.Schools), other.Requests)
	}
}

// A table's checksum is the SHA-256 of its records' JSON in key order, so
// anyone can compute it again; no records and an empty list are the same.
func TestTables_TheSumOfTheRecordsJSON(t *testing.T) {
	s := sample()
	s.Children = []data.Child{}
	s.Users = append(s.Users, data.User{ID: 13, Name: "Tweede"})
	tables, err := s.Tables()
	if err != nil {
		t.Fatal(err)
	}
	c := s.Canonical()
	for _, tc := range []struct {
		name string
		rows any
	}{{"requests", c.Requests}, {"users", c.Users}, {"audit_log", c.Audit}, {"children", nil}} {
		i := slices.IndexFunc(tables, func(tb snapshot.Table) bool { return tb.Name == tc.name })
		if i < 0 {
			t.Fatalf("no table %s", tc.name)
		}
		if want := sha256.Sum256([]byte(jsonOf(t, tc.rows))); tables[i].Sum != want {
			t.Errorf("%s: sum %x, want %x", tc.name, tables[i].Sum[:4], want[:4])
		}
	}
}

// A file joins an organisation numbered after its highest IDs and log; of
// the organisation's records only those the join rewrites are moved: a
// person of the same name gains the file's places, a study day the file
// shares gains its decision; a shared school, a closing day the
// organisation has and its settings stay as they are.
func TestJoinInto_TheMovedRecords(t *testing.T) {
	day, christmas, boxing := data.NewDate(2026, 3, 4), data.NewDate(2026, 12, 25), data.NewDate(2026, 12, 26)
	settings := data.DefaultSettings()
	target := snapshot.Target{
		Offsets: snapshot.Mapping{Locations: snapshot.IDs{Offset: 1}, Groups: snapshot.IDs{Offset: 3}, Schools: snapshot.IDs{Offset: 5},
			Users: snapshot.IDs{Offset: 7}, Children: snapshot.IDs{Offset: 10}, Seq: 40},
		Records: snapshot.Snapshot{Settings: &settings,
			Locations:   []data.Location{{ID: 1, Name: "De Vlinder"}},
			Schools:     []data.School{{ID: 5, Name: "De Regenboog"}},
			Users:       []data.User{{ID: 7, Name: "Planner", LocationIDs: []data.ID{1}}},
			ClosingDays: []data.ClosingDay{{Date: christmas, Name: "Kerst"}},
			StudyDays:   []data.StudyDay{{SchoolID: 5, Date: day, Name: "Studiedag", Decisions: []data.StudyDayDecision{{LocationID: 1}}}},
			Children:    []data.Child{{ID: 3, FirstName: "Anna", Number: "K-1"}},
		},
	}
	file := snapshot.Snapshot{Settings: &settings,
		Locations:   []data.Location{{ID: 1, Name: "De Rups"}},
		Groups:      []data.Group{{ID: 1, LocationID: 1}},
		Schools:     []data.School{{ID: 1, Name: "de regenboog"}, {ID: 2, Name: "Het Anker"}},
		Users:       []data.User{{ID: 1, Name: " planner", LocationIDs: []data.ID{1}, GroupIDs: []data.ID{1}}, {ID: 2, Name: "Nieuw", LocationIDs: []data.ID{1}}},
		Children:    []data.Child{{ID: 1, LocationID: 1, SchoolID: 1, Number: "K-2"}},
		StudyDays:   []data.StudyDay{{SchoolID: 1, Date: day, Decisions: []data.StudyDayDecision{{LocationID: 1, Children: []data.ID{1}}}}, {SchoolID: 2, Date: day}},
		ClosingDays: []data.ClosingDay{{Date: christmas, Name: "Kerstmis"}, {Date: boxing, Name: "Tweede kerstdag"}},
		Audit:       []data.AuditEntry{{Seq: 1}},
	}
	before := jsonOf(t, target)
	j, err := snapshot.JoinInto(target, file)
	if err != nil {
		t.Fatal(err)
	}
	if jsonOf(t, target) != before {
		t.Fatal("JoinInto changed the target's records")
	}
	want := snapshot.Snapshot{
		Locations: []data.Location{{ID: 2, Name: "De Rups"}},
		Groups:    []data.Group{{ID: 4, LocationID: 2}},
		Schools:   []data.School{{ID: 7, Name: "Het Anker"}},
		Users: []data.User{{ID: 9, Name: "Nieuw", LocationIDs: []data.ID{2}},
			{ID: 7, Name: "Planner", LocationIDs: []data.ID{1, 2}, GroupIDs: []data.ID{4}}},
		Children: []data.Child{{ID: 11, LocationID: 2, SchoolID: 5, Number: "K-2"}},
		StudyDays: []data.StudyDay{{SchoolID: 5, Date: day, Name: "Studiedag", Decisions: []data.StudyDayDecision{{LocationID: 1}, {LocationID: 2, Children: []data.ID{11}}}},
			{SchoolID: 7, Date: day}},
		ClosingDays: []data.ClosingDay{{Date: boxing, Name: "Tweede kerstdag"}},
		Audit:       []data.AuditEntry{{Seq: 41}},
	}
	if got, w := jsonOf(t, j.Moved), jsonOf(t, want); got != w {
		t.Errorf("moved:\n%s\nwant\n%s", got, w)
	}
	if len(j.Users) != 1 || j.Users[0].ID != 7 || len(j.Insert.Users) != 1 || j.Insert.Settings != nil {
		t.Errorf("joined %+v, inserted %+v: Planner is the organisation's, Nieuw new, the settings kept", j.Users, j.Insert.Users)
	}

	file.Locations[0].Name = " de vlinder"
	if _, err := snapshot.JoinInto(target, file); !errors.Is(err, snapshot.ErrLocationTaken) {
		t.Errorf("a location of a taken name: %v", err)
	}
	file.Locations[0].Name, file.Children[0].Number = "De Rups", "K-1"
	var r *data.Refusal
	if _, err := snapshot.JoinInto(target, file); !errors.As(err, &r) || r.Code != data.RefuseChildNumberTaken {
		t.Errorf("a child number taken: %v", err)
	}
}
