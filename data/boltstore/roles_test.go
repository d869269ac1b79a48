package boltstore_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// signedIn returns the store as the demo user with the given ID sees it.
func signedIn(t *testing.T, db *boltstore.DB, userID data.ID) data.Store {
	t.Helper()
	for _, u := range demo.Users {
		if u.ID == userID {
			actor, err := db.SignIn(t.Context(), userID, u.Secret)
			if err != nil {
				t.Fatal(err)
			}
			return db.As(actor)
		}
	}
	t.Fatalf("no demo user %d", userID)
	return nil
}

const (
	marieke = data.ID(1) // location manager
	tess    = data.ID(2) // staff of Rupsjes and Vlindertjes (groups 1, 2)
	sven    = data.ID(3) // staff of Avonturiers and Ontdekkers (groups 3, 4)
	priya   = data.ID(4) // office
)

// openBSORequest has the system register a request in group 3 two days ahead.
func openBSORequest(t *testing.T, db *boltstore.DB) data.Request {
	t.Helper()
	day := db.Today().AddDays(2)
	children, err := db.RequestChildren(t.Context(), 3, day)
	if err != nil || len(children) == 0 {
		t.Fatalf("no child to request for: %v", err)
	}
	for _, c := range children {
		d := data.RequestDraft{ChildID: c.ID, GroupID: 3, Date: day, Times: data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 0)},
			Product: data.ProductBSOSchoolDay, Channel: data.ChannelGroup, By: "system"}
		p, err := db.PreviewRequest(t.Context(), d)
		if err != nil || p.Problem != nil {
			continue // expected that day already, say
		}
		r, err := db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Fatal("no child of group 3 can get a request")
	return data.Request{}
}

// TestRoles_StoreEnforcesEveryWritePath goes through the store, not the
// buttons: a staff member of groups 1–2 cannot act for group 3 by any call.
func TestRoles_StoreEnforcesEveryWritePath(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	today := db.Today()
	listOf := func(group data.ID) data.DayList {
		l, err := db.DayList(t.Context(), group, today)
		if err != nil || len(l.Rows) == 0 {
			t.Fatalf("group %d has no list today: %v", group, err)
		}
		return l
	}
	babies, bso := listOf(1), listOf(3)
	request := openBSORequest(t, db)
	staffA, staffB, office, manager := signedIn(t, db, tess), signedIn(t, db, sven), signedIn(t, db, priya), signedIn(t, db, marieke)

	for _, tc := range []struct {
		name  string
		write func() error
		ok    bool
	}{
		{"staff checks in a child of their group", func() error {
			return staffA.CheckIn(t.Context(), data.DayEdit{Date: today, GroupID: 1, ChildID: babies.Rows[0].Child.ID, By: "Tess"}, data.NewClock(9, 0))
		}, true},
		{"staff cannot check in in another group", func() error {
			return staffA.CheckIn(t.Context(), data.DayEdit{Date: today, GroupID: 3, ChildID: bso.Rows[0].Child.ID, By: "Tess"}, data.NewClock(9, 0))
		}, false},
		{"office does not do attendance", func() error {
			return office.SetNote(t.Context(), data.DayEdit{Date: today, GroupID: 1, ChildID: babies.Rows[0].Child.ID, By: "Priya"}, "x")
		}, false},
		{"staff cannot approve for another group", func() error { return staffA.ApproveRequest(t.Context(), request.ID, "Tess") }, false},
		{"office cannot approve", func() error { return office.ApproveRequest(t.Context(), request.ID, "Priya") }, false},
		{"staff cannot record consent", func() error {
			return staffA.RecordConsent(t.Context(), data.ConsentChange{ChildID: babies.Rows[0].Child.ID, Level: data.ConsentNone, Given: today, Source: data.ConsentFromPhone, RecordedBy: "Tess"})
		}, false},
		{"staff cannot change settings", func() error { return staffA.SaveSettings(t.Context(), data.DefaultSettings()) }, false},
		{"office cannot change settings", func() error { return office.SaveSettings(t.Context(), data.DefaultSettings()) }, false},
		{"staff cannot edit a school calendar", func() error {
			_, err := staffA.AddHoliday(t.Context(), data.SchoolHoliday{SchoolID: 1, Name: "Extra vrij", From: today.AddDays(40), To: today.AddDays(41)})
			return err
		}, false},
		{"office records consent at its location", func() error {
			return office.RecordConsent(t.Context(), data.ConsentChange{ChildID: babies.Rows[0].Child.ID, Level: data.ConsentPortal, Given: today, Source: data.ConsentFromForm, RecordedBy: "Priya"})
		}, true},
		{"office edits a school calendar", func() error {
			_, err := office.AddHoliday(t.Context(), data.SchoolHoliday{SchoolID: 1, Name: "Extra vrij", From: today.AddDays(40), To: today.AddDays(41)})
			return err
		}, true},
		{"staff of the group approves", func() error { return staffB.ApproveRequest(t.Context(), request.ID, "Sven") }, true},
		{"manager changes settings", func() error { return manager.SaveSettings(t.Context(), data.DefaultSettings()) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok && !errors.Is(err, data.ErrForbidden) {
				t.Fatalf("got %v, want ErrForbidden", err)
			}
		})
	}
}

// TestAudit_OneEntryPerWrite: every committed write leaves exactly one
// entry naming who did what; a refused write leaves none.
func TestAudit_OneEntryPerWrite(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	staff := signedIn(t, db, tess)
	count := func() int {
		entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 100000})
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	list, _ := db.DayList(t.Context(), 1, db.Today())
	child := list.Rows[0].Child
	edit := data.DayEdit{Date: db.Today(), GroupID: 1, ChildID: child.ID, By: "Tess"}

	before := count()
	if err := staff.CheckIn(t.Context(), edit, data.NewClock(8, 15)); err != nil {
		t.Fatal(err)
	}
	if got := count(); got != before+1 {
		t.Fatalf("a check-in left %d entries, want 1", got-before)
	}
	latest, _ := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	e := latest[0]
	if e.Who != "Tess Janssen" || e.UserID != tess || e.Action != "CheckIn" || e.Detail != "nothing recorded → in 08:15" || e.Changes[0].ChildID != child.ID {
		t.Fatalf("entry %+v", e)
	}

	yesterday := db.Today().AddDays(-1)
	if _, err := staff.Unlock(t.Context(), yesterday, "Tess"); err != nil {
		t.Fatal(err)
	}
	unlocks, _ := db.Audit(t.Context(), data.AuditFilter{Action: "Unlock", Date: yesterday})
	if len(unlocks) != 1 || unlocks[0].Who != "Tess Janssen" {
		t.Fatalf("unlock of %s logged as %+v", yesterday, unlocks)
	}

	before = count()
	bad := edit
	bad.GroupID = 3
	if err := staff.CheckIn(t.Context(), bad, data.NewClock(8, 15)); err == nil {
		t.Fatal("check-in in another group went through")
	}
	if got := count(); got != before {
		t.Fatalf("a refused write left %d entries", got-before)
	}
	byChild, _ := db.Audit(t.Context(), data.AuditFilter{ChildID: child.ID})
	byUser, _ := db.Audit(t.Context(), data.AuditFilter{UserID: tess})
	if len(byChild) != 1 || len(byUser) != 2 {
		t.Fatalf("filters: %d entries for the child (want 1), %d for Tess (want 2)", len(byChild), len(byUser))
	}
}

// TestRoles_SignedInHandleListsOwnGroups: a staff member's pickers offer
// their own groups only; a manager's their locations' groups.
func TestRoles_SignedInHandleListsOwnGroups(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	ids := func(h data.Store) []data.ID {
		groups, err := h.Groups(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		var out []data.ID
		for _, g := range groups {
			out = append(out, g.ID)
		}
		return out
	}
	if got := ids(signedIn(t, db, sven)); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Errorf("Sven's groups %v, want [3 4]", got)
	}
	if got := ids(signedIn(t, db, marieke)); len(got) != 4 {
		t.Errorf("Marieke's groups %v, want all 4 of her location", got)
	}
	if got := ids(db); len(got) != 4 {
		t.Errorf("the system's groups %v, want all 4", got)
	}
	locations, err := signedIn(t, db, tess).Locations(t.Context())
	if err != nil || len(locations) != 1 || locations[0].Name != demo.LocationName {
		t.Errorf("Tess's locations %v, %v", locations, err)
	}
}

// TestRoles_PersonalDataExportIsLoggedAndRestricted: staff cannot export a
// child's whole record; an office export leaves a log entry naming the child.
func TestRoles_PersonalDataExportIsLoggedAndRestricted(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	if _, err := signedIn(t, db, tess).ChildRecord(t.Context(), 1); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("staff export: %v, want ErrForbidden", err)
	}
	if _, err := signedIn(t, db, priya).ChildRecord(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{ChildID: 1, Action: "ChildRecord"})
	if len(entries) != 1 || entries[0].Who != "Priya Ramdin" || entries[0].Detail != "personal data exported" {
		t.Fatalf("export log: %+v", entries)
	}
}

// TestRoles_InvoicingExport: staff cannot export for invoicing; the office
// can, and the batch is logged as theirs.
func TestRoles_InvoicingExport(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	spec := data.InvoiceSpec{From: db.Today().AddDays(-30), To: db.Today().AddDays(30), By: "x"}
	if _, err := signedIn(t, db, tess).ExportInvoicing(t.Context(), spec, nil); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("staff export: %v, want ErrForbidden", err)
	}
	if _, err := signedIn(t, db, priya).ExportInvoicing(t.Context(), spec, nil); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "ExportInvoicing"})
	if len(entries) != 1 || entries[0].Who != "Priya Ramdin" {
		t.Fatalf("export log: %+v", entries)
	}
}
