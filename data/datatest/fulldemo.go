package datatest

import (
	"crypto/sha256"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/demo"
)

// FullDemo writes the demo location with its history to a new data file at
// path, as on now, plus what the demo itself lacks, so that the file holds
// every kind of record: the approved requests, the flexible credit granted,
// the study days gone ahead, a month exported for
// invoicing, a paired device and a pairing code. The file is closed when it
// returns.
func FullDemo(tb testing.TB, path string, now time.Time) {
	tb.Helper()
	ctx := tb.Context()
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer db.Close()
	if err := demo.Fill(ctx, db); err != nil {
		tb.Fatalf("demo: %v", err)
	}
	groups, err := db.Groups(ctx, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for _, g := range groups {
		queue, err := db.OpenRequests(ctx, g.ID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, q := range queue {
			if err := db.ApproveRequest(ctx, q.Request.ID, "Planner"); err != nil {
				tb.Fatalf("approve request %d: %v", q.Request.ID, err)
			}
		}
		children, err := db.Children(ctx, g.LocationID)
		if err != nil {
			tb.Fatal(err)
		}
		for _, c := range children {
			if _, err := db.Ledger(ctx, c.ID); err != nil { // grants the year's flexible credit
				tb.Fatal(err)
			}
		}
	}
	today := data.DateOf(now)
	// The demo's study days with sign-ups go ahead, so their sign-ups are billed.
	s, err := db.Snapshot(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	for _, su := range s.SignUps {
		db.DecideStudyDay(ctx, s.Locations[0].ID, su.SchoolID, su.Date, data.OutcomeGoesAhead, "Planner") // refused where enough signed up
	}
	if _, err := db.ExportInvoicing(ctx, data.InvoiceSpec{From: today.AddDays(-90), To: today.AddDays(90), By: "Planner"}, nil); err != nil {
		tb.Fatalf("export: %v", err)
	}
	// The manager pairs the tablet: it is the manager's locations'.
	users, err := db.Users(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	manager := users[slices.IndexFunc(users, func(u data.User) bool { return u.Role == data.RoleManager })]
	actor, err := db.ActorFor(ctx, manager.ID)
	if err != nil {
		tb.Fatal(err)
	}
	code, err := db.As(actor).CreatePairingCode(ctx, "Tablet Rupsen")
	if err != nil {
		tb.Fatal(err)
	}
	hash := sha256.Sum256([]byte("credential of " + filepath.Base(path)))
	if _, err := db.PairDevice(ctx, code.ID, "", hash[:]); err != nil {
		tb.Fatalf("pair: %v", err)
	}
	if _, err := db.CreatePairingCode(ctx, "Tablet Vlinders"); err != nil {
		tb.Fatal(err)
	}
}
