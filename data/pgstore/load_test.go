package pgstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/snapshot"
)

var moveDay = time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)

// demoSnapshot is the full demo (every kind of record) as its file holds it.
func demoSnapshot(t *testing.T) snapshot.Snapshot {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	datatest.FullDemo(t, path, moveDay)
	db, err := boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// elsewhere is s as another location's file: another location, other
// people, other schools and other child numbers; the same closing days.
func elsewhere(s snapshot.Snapshot, location string) snapshot.Snapshot {
	s = s.Clone()
	for i := range s.Locations {
		s.Locations[i].Name = location
	}
	for i := range s.Users {
		s.Users[i].Name += " (" + location + ")"
	}
	for i := range s.Schools {
		s.Schools[i].Name += " (" + location + ")"
	}
	return otherDevices(s, location)
}

// otherDevices is s with the children's numbers, the devices and the
// pairing codes of another location: those are unique in an organisation.
func otherDevices(s snapshot.Snapshot, location string) snapshot.Snapshot {
	for i := range s.Children {
		if s.Children[i].Number != "" {
			s.Children[i].Number = location + "-" + s.Children[i].Number
		}
	}
	for i := range s.Devices {
		hash := sha256.Sum256([]byte(location + string(s.Devices[i].CredentialHash)))
		s.Devices[i].CredentialHash = hash[:]
	}
	for i := range s.PairingCodes {
		s.PairingCodes[i].Code = strings.ToUpper(location[len(location)-3:]) + s.PairingCodes[i].Code[3:]
	}
	return s
}

func dbSnapshot(t *testing.T, db *pgstore.DB) snapshot.Snapshot {
	t.Helper()
	s, err := db.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withoutMoves is s without the log entries of the moves themselves.
func withoutMoves(s snapshot.Snapshot) (snapshot.Snapshot, []data.AuditEntry) {
	var moves []data.AuditEntry
	s.Audit = slices.DeleteFunc(slices.Clone(s.Audit), func(e data.AuditEntry) bool {
		if e.Action == data.AuditMigrate {
			moves = append(moves, e)
			return true
		}
		return false
	})
	return s, moves
}

// sameRecords fails the test with the kinds of record in which want and got differ.
func sameRecords(t *testing.T, want, got snapshot.Snapshot) {
	t.Helper()
	wt, err := want.Tables()
	if err != nil {
		t.Fatal(err)
	}
	gt, err := got.Tables()
	if err != nil {
		t.Fatal(err)
	}
	if diff := snapshot.Differences(wt, gt); len(diff) > 0 {
		w, _ := json.Marshal(want.Canonical())
		g, _ := json.Marshal(got.Canonical())
		i := 0
		for i < min(len(w), len(g)) && w[i] == g[i] {
			i++
		}
		t.Fatalf("records differ: %s\nfirst difference at byte %d:\nwant …%s…\ngot  …%s…", strings.Join(diff, "\n"), i,
			w[max(0, i-300):min(len(w), i+200)], g[max(0, i-300):min(len(g), i+200)])
	}
}

func highest[T any](records []T, id func(T) data.ID) data.ID {
	var top data.ID
	for _, r := range records {
		top = max(top, id(r))
	}
	return top
}

// A location's file moved into an organisation's database reads back as
// the file; a second location's file beside it reads back as that file with
// every ID moved past the first's, and the first location is untouched.
func TestLoad_TwoLocationsReadBackAsTheirFiles(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	ctx := t.Context()
	vlinder := demoSnapshot(t)
	start := time.Now()
	rep, err := db.Load(ctx, vlinder, "vlinder.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the demo file moved in %s", time.Since(start).Round(time.Millisecond))
	got, moves := withoutMoves(dbSnapshot(t, db))
	sameRecords(t, vlinder, got)
	if len(moves) != 1 || !strings.Contains(moves[0].Detail, "vlinder.db") {
		t.Errorf("the move is logged as %+v", moves)
	}
	for _, tb := range rep.Tables {
		if tb.FromFile == 0 || tb.Rows != tb.FromFile {
			t.Errorf("%s: %d rows from the file, %d in the database", tb.Name, tb.FromFile, tb.Rows)
		}
	}

	rups := elsewhere(vlinder, "De Rups")
	first := dbSnapshot(t, db)
	rep, err = db.Load(ctx, rups, "rups.db")
	if err != nil {
		t.Fatal(err)
	}
	// The report counts the file's rows as moved, beside the first's.
	tables, err := dbSnapshot(t, db).Tables()
	if err != nil {
		t.Fatal(err)
	}
	for i, tb := range rep.Tables {
		moved := tb.FromFile
		if tb.Name == "organisation" || tb.Name == "closing_days" { // the organisation's already
			moved = 0
		}
		rows := tables[i].Rows
		if tb.Name == "audit_log" { // the move's own entry comes after the check
			rows--
		}
		if tb.Name != tables[i].Name || tb.Moved != moved || tb.Rows != rows {
			t.Errorf("%s: %d from the file, %d moved, %d rows; want %d moved of %d rows of %s", tb.Name, tb.FromFile, tb.Moved, tb.Rows, moved, rows, tables[i].Name)
		}
	}
	m := snapshot.Mapping{
		Locations:    snapshot.IDs{Offset: highest(first.Locations, func(v data.Location) data.ID { return v.ID })},
		Groups:       snapshot.IDs{Offset: highest(first.Groups, func(v data.Group) data.ID { return v.ID })},
		Schools:      snapshot.IDs{Offset: highest(first.Schools, func(v data.School) data.ID { return v.ID })},
		Holidays:     snapshot.IDs{Offset: highest(first.Holidays, func(v data.SchoolHoliday) data.ID { return v.ID })},
		Children:     snapshot.IDs{Offset: highest(first.Children, func(v data.Child) data.ID { return v.ID })},
		Contracts:    snapshot.IDs{Offset: highest(first.Contracts, func(v data.Contract) data.ID { return v.ID })},
		SignUps:      snapshot.IDs{Offset: highest(first.SignUps, func(v data.SignUp) data.ID { return v.ID })},
		Users:        snapshot.IDs{Offset: highest(first.Users, func(v data.User) data.ID { return v.ID })},
		Credit:       snapshot.IDs{Offset: highest(first.Credit, func(v data.CreditEntry) data.ID { return v.ID })},
		Requests:     snapshot.IDs{Offset: highest(first.Requests, func(v data.Request) data.ID { return v.ID })},
		Batches:      snapshot.IDs{Offset: highest(first.InvoiceBatches, func(v data.InvoiceBatch) data.ID { return v.ID })},
		Devices:      snapshot.IDs{Offset: highest(first.Devices, func(v data.Device) data.ID { return v.ID })},
		PairingCodes: snapshot.IDs{Offset: highest(first.PairingCodes, func(v data.PairingCode) data.ID { return v.ID })},
		Seq:          first.Audit[len(first.Audit)-1].Seq,
	}
	if m.Locations.Offset == 0 || m.Children.Offset == 0 || m.Seq == 0 {
		t.Fatalf("offsets %+v: the second file is not moved past the first", m)
	}
	moved := rups.Remap(m)
	want, _ := withoutMoves(first)
	want.Locations = append(want.Locations, moved.Locations...)
	want.Groups = append(want.Groups, moved.Groups...)
	want.Schools = append(want.Schools, moved.Schools...)
	want.Holidays = append(want.Holidays, moved.Holidays...)
	want.StudyDays = append(want.StudyDays, moved.StudyDays...)
	want.Children = append(want.Children, moved.Children...)
	want.Contracts = append(want.Contracts, moved.Contracts...)
	want.Extras = append(want.Extras, moved.Extras...)
	want.Attendance = append(want.Attendance, moved.Attendance...)
	want.SignUps = append(want.SignUps, moved.SignUps...)
	want.Users = append(want.Users, moved.Users...)
	want.Consents = append(want.Consents, moved.Consents...)
	want.Credit = append(want.Credit, moved.Credit...)
	want.CreditGrants = append(want.CreditGrants, moved.CreditGrants...)
	want.Requests = append(want.Requests, moved.Requests...)
	want.InvoiceBatches = append(want.InvoiceBatches, moved.InvoiceBatches...)
	want.InvoiceLines = append(want.InvoiceLines, moved.InvoiceLines...)
	want.Exported = append(want.Exported, moved.Exported...)
	want.Devices = append(want.Devices, moved.Devices...)
	want.PairingCodes = append(want.PairingCodes, moved.PairingCodes...)
	want.Audit = append(want.Audit, moved.Audit...)
	// The closing days are the organisation's: the same days are not added twice.
	got, moves = withoutMoves(dbSnapshot(t, db))
	sameRecords(t, want, got)
	if len(moves) != 2 || moves[1].Seq <= moved.Audit[len(moved.Audit)-1].Seq {
		t.Errorf("the second move is not logged after the file's log: %+v", moves)
	}

	referencesHold(t, got)
	// Each location's rows read back as its own file's.
	sameRecords(t, moved.OfLocations(moved.Locations[0].ID), got.OfLocations(moved.Locations[0].ID))
	sameRecords(t, vlinder.OfLocations(vlinder.Locations[0].ID), got.OfLocations(vlinder.Locations[0].ID))
	for _, l := range got.Locations[1:] {
		if !slices.ContainsFunc(got.Devices, func(d data.Device) bool { return slices.Contains(d.LocationIDs, l.ID) }) {
			t.Errorf("no device of the second location %q", l.Name)
		}
	}

	// Later writes number on past the moved records.
	loc, err := db.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	if loc.ID != moved.Locations[0].ID+1 {
		t.Errorf("a new location got ID %d after the moved %d", loc.ID, moved.Locations[0].ID)
	}
}

// unchanged fails the test when the database holds other records than before.
func unchanged(t *testing.T, db *pgstore.DB, before snapshot.Snapshot) {
	t.Helper()
	sameRecords(t, before, dbSnapshot(t, db))
}

func TestLoad_TheSameLocationTwiceIsRefused(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	vlinder := demoSnapshot(t)
	if _, err := db.Load(t.Context(), vlinder, "vlinder.db"); err != nil {
		t.Fatal(err)
	}
	before := dbSnapshot(t, db)
	again := vlinder.Clone()
	again.Locations[0].Name = " de vlinder "
	_, err := db.Load(t.Context(), again, "vlinder.db")
	if !errors.Is(err, snapshot.ErrLocationTaken) {
		t.Fatalf("moving De Vlinder in again: %v, want ErrLocationTaken", err)
	}
	unchanged(t, db, before)
}

// A step that fails halfway (a record the database refuses, a check that
// finds a row changed, the command stopped) leaves the database as it was.
func TestLoad_AFailureMidwayKeepsNothing(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	vlinder := demoSnapshot(t)
	if _, err := db.Load(t.Context(), vlinder, "vlinder.db"); err != nil {
		t.Fatal(err)
	}
	before := dbSnapshot(t, db)

	broken := elsewhere(vlinder, "De Rups")
	broken.Contracts[len(broken.Contracts)-1].GroupID = 9999 // a contract in a group the file lacks, copied after the children
	if _, err := db.Load(t.Context(), broken, "rups.db"); err == nil {
		t.Fatal("a corrupt record was moved in")
	}
	unchanged(t, db, before)

	restore := pgstore.SetBeforeVerify(func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE children SET first_name = 'Iemand' WHERE id = (SELECT max(id) FROM children)`)
		return err
	})
	_, err := db.Load(t.Context(), elsewhere(vlinder, "De Rups"), "rups.db")
	restore()
	if !errors.Is(err, pgstore.ErrNotVerified) || !strings.Contains(err.Error(), "children") {
		t.Fatalf("a row changed before the check: %v, want ErrNotVerified naming children", err)
	}
	unchanged(t, db, before)

	ctx, cancel := context.WithCancel(t.Context())
	restore = pgstore.SetBeforeVerify(func(context.Context, pgx.Tx) error { cancel(); return nil })
	_, err = db.Load(ctx, elsewhere(vlinder, "De Rups"), "rups.db")
	restore()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped midway: %v", err)
	}
	unchanged(t, db, before)
}

// A move checks the database's own rows as well as the moved ones: a row
// of the organisation's that changed, vanished or came in the meantime
// within the move's transaction fails it, and so does a person the move
// joined whose rows differ from the join.
func TestLoad_AChangedRowOfTheOrganisationIsFound(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	vlinder := demoSnapshot(t)
	if _, err := db.Load(t.Context(), vlinder, "vlinder.db"); err != nil {
		t.Fatal(err)
	}
	before := dbSnapshot(t, db)
	samePeople := otherDevices(vlinder.Clone(), "De Rups")
	samePeople.Locations[0].Name = "De Rups"
	for _, tc := range []struct {
		table, change string
		file          snapshot.Snapshot
	}{
		{"children", `UPDATE children SET first_name = 'Iemand' WHERE id = (SELECT min(id) FROM children)`, elsewhere(vlinder, "De Rups")},
		{"attendance", `DELETE FROM attendance WHERE (day, group_id, child_id) = (SELECT day, group_id, child_id FROM attendance ORDER BY day LIMIT 1)`, elsewhere(vlinder, "De Rups")},
		{"closing_days", `UPDATE closing_days SET name = name || '!' WHERE day = (SELECT min(day) FROM closing_days)`, elsewhere(vlinder, "De Rups")},
		{"organisation", `UPDATE organisation SET name = 'Elders'`, elsewhere(vlinder, "De Rups")},
		{"user_groups", `DELETE FROM user_groups WHERE user_id = (SELECT min(user_id) FROM user_groups)`, elsewhere(vlinder, "De Rups")},
		{"locations", `INSERT INTO locations (id, name) VALUES (0, 'Tussendoor')`, elsewhere(vlinder, "De Rups")},
		// The people of the same names are joined: their rows are the moved ones.
		{"users", `DELETE FROM user_locations WHERE user_id = (SELECT min(user_id) FROM user_locations)`, samePeople},
	} {
		restore := pgstore.SetBeforeVerify(func(ctx context.Context, tx pgx.Tx) error {
			_, err := tx.Exec(ctx, tc.change)
			return err
		})
		_, err := db.Load(t.Context(), tc.file, "rups.db")
		restore()
		if !errors.Is(err, pgstore.ErrNotVerified) || !strings.Contains(err.Error(), tc.table+":") {
			t.Errorf("%s: %v, want ErrNotVerified naming %s", tc.change, err, tc.table)
		}
		unchanged(t, db, before)
	}
}

// Schools and people are the organisation's: a second location's file
// naming the same school and the same person joins them.
func TestLoad_SchoolsAndPeopleOfTheSameNameAreShared(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	vlinder := demoSnapshot(t)
	if _, err := db.Load(t.Context(), vlinder, "vlinder.db"); err != nil {
		t.Fatal(err)
	}
	first := dbSnapshot(t, db)
	rups := otherDevices(vlinder.Clone(), "De Rups")
	rups.Locations[0].Name = "De Rups"
	rups.Settings.StudyDayMinimum = 99 // the organisation keeps its own
	rep, err := db.Load(t.Context(), rups, "rups.db")
	if err != nil {
		t.Fatal(err)
	}
	after := dbSnapshot(t, db)
	if len(after.Schools) != len(first.Schools) || len(after.Users) != len(first.Users) {
		t.Errorf("schools %d → %d, people %d → %d: the same names were added again", len(first.Schools), len(after.Schools), len(first.Users), len(after.Users))
	}
	if len(after.Holidays) != len(first.Holidays) || len(after.StudyDays) != len(first.StudyDays) {
		t.Errorf("holidays %d → %d, study days %d → %d: a shared school's calendar was added again", len(first.Holidays), len(after.Holidays), len(first.StudyDays), len(after.StudyDays))
	}
	if after.Settings.StudyDayMinimum != first.Settings.StudyDayMinimum {
		t.Errorf("the organisation's settings were replaced by the file's")
	}
	rupsID := rep.Locations[0].ID
	for _, u := range after.Users {
		if len(u.LocationIDs) > 0 && !slices.Contains(u.LocationIDs, rupsID) {
			t.Errorf("%s (%s at %v) did not gain De Rups (%d)", u.Name, u.Role, u.LocationIDs, rupsID)
		}
		was := first.Users[slices.IndexFunc(first.Users, func(f data.User) bool { return f.ID == u.ID })]
		if string(was.PINHash) != string(u.PINHash) || string(was.SecretHash) != string(u.SecretHash) {
			t.Errorf("%s's secrets changed", u.Name)
		}
	}
	for _, c := range after.Children {
		if c.LocationID == rupsID && c.SchoolID != 0 && !slices.ContainsFunc(first.Schools, func(s data.School) bool { return s.ID == c.SchoolID }) {
			t.Errorf("child %s goes to school %d, not one of the organisation's", c.Name(), c.SchoolID)
		}
	}
}

// A backup of the database is a data file holding the same records, which
// the window opens like any other; only the system and managers of every
// location make one.
func TestWriteBackup_ADataFileOfTheSameRecords(t *testing.T) {
	db := open(t, func() time.Time { return moveDay })
	vlinder := demoSnapshot(t)
	for _, s := range []snapshot.Snapshot{vlinder, elsewhere(vlinder, "De Rups")} {
		if _, err := db.Load(t.Context(), s, "file.db"); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := boltstore.BackupFrom(t.Context(), db, path); err != nil { // verifies the file as a backup
		t.Fatal(err)
	}
	file, err := boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	backedUp, err := file.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sameRecords(t, dbSnapshot(t, db), backedUp)
	if locations, err := file.Locations(t.Context()); err != nil || len(locations) != 2 {
		t.Errorf("the backup's locations: %v, %v", locations, err)
	}

	staff := vlinder.Users[slices.IndexFunc(vlinder.Users, func(u data.User) bool { return u.Role == data.RoleStaff })]
	actor := data.Actor{UserID: staff.ID, Name: staff.Name, Role: staff.Role, Groups: staff.GroupIDs}
	if _, err := db.As(actor).WriteBackup(t.Context(), io.Discard); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("a backup by staff: %v, want ErrForbidden", err)
	}
}

// referencesHold fails the test when an ID kept inside a record's lists
// (which no foreign key checks) names no record, or another child's.
func referencesHold(t *testing.T, s snapshot.Snapshot) {
	t.Helper()
	entries := map[data.ID]data.CreditEntry{}
	for _, e := range s.Credit {
		entries[e.ID] = e
	}
	children := map[data.ID]data.Child{}
	for _, c := range s.Children {
		children[c.ID] = c
	}
	locations := map[data.ID]bool{}
	for _, l := range s.Locations {
		locations[l.ID] = true
	}
	groups := map[data.ID]data.Group{}
	for _, g := range s.Groups {
		groups[g.ID] = g
	}
	requests := map[data.ID]data.Request{}
	for _, r := range s.Requests {
		requests[r.ID] = r
	}
	signUps := map[data.ID]data.SignUp{}
	for _, su := range s.SignUps {
		signUps[su.ID] = su
	}
	users := map[data.ID]bool{}
	for _, u := range s.Users {
		users[u.ID] = true
	}
	checked := 0
	entryOf := func(what string, child, entry data.ID) {
		checked++
		if e, ok := entries[entry]; !ok || e.ChildID != child {
			t.Errorf("%s names credit entry %d, not one of child %d", what, entry, child)
		}
	}
	for _, r := range s.Attendance {
		if r.Attendance.Credit != nil {
			entryOf(fmt.Sprintf("the record of %s", r.Date), r.ChildID, r.Attendance.Credit.EntryID)
		}
	}
	for _, r := range s.Requests {
		for _, a := range r.Payment.Allocations {
			entryOf(fmt.Sprintf("the payment of request %d", r.ID), r.ChildID, a.EntryID)
		}
		for _, w := range r.Withdrawn {
			entryOf(fmt.Sprintf("the withdrawal of request %d", r.ID), r.ChildID, w.EntryID)
		}
	}
	for _, g := range s.CreditGrants {
		entryOf(fmt.Sprintf("the grant of contract %d", g.ContractID), g.ChildID, g.EntryID)
	}
	for _, sd := range s.StudyDays {
		for _, d := range sd.Decisions {
			for _, c := range d.Children {
				checked++
				if children[c].LocationID != d.LocationID {
					t.Errorf("the decision on %s at location %d names child %d of location %d", sd.Date, d.LocationID, c, children[c].LocationID)
				}
			}
		}
	}
	lines := append(slices.Clone(s.InvoiceLines), func() (out []data.InvoiceLine) {
		for _, e := range s.Exported {
			out = append(out, e.Line)
		}
		return out
	}()...)
	for _, l := range lines {
		checked++
		child := requests[l.SourceID].ChildID
		if l.Source == data.SourceStudyDay {
			child = signUps[l.SourceID].ChildID
		}
		if child != l.ChildID || children[l.ChildID].LocationID != l.LocationID || groups[l.GroupID].LocationID != l.LocationID {
			t.Errorf("invoice line of batch %d: %s %d of child %d, line names child %d at location %d in group %d", l.Batch, l.Source, l.SourceID, child, l.ChildID, l.LocationID, l.GroupID)
		}
	}
	for _, d := range s.Devices {
		for _, l := range d.LocationIDs {
			checked++
			if !locations[l] {
				t.Errorf("device %q names location %d", d.Name, l)
			}
		}
	}
	for _, e := range s.Audit {
		if e.UserID != 0 && !users[e.UserID] {
			t.Errorf("log entry %d names user %d", e.Seq, e.UserID)
		}
		for _, c := range e.Changes {
			checked++
			if (c.GroupID != 0 && groups[c.GroupID].ID == 0) || (c.ChildID != 0 && children[c.ChildID].ID == 0) {
				t.Errorf("log entry %d: a change names group %d, child %d", e.Seq, c.GroupID, c.ChildID)
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d references to check: the snapshot proves nothing", checked)
	}
}
