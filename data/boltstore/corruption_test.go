package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// sweepNow is the clock of the corruption sweep's organisation.
var sweepNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// TestCorruptionSweep damages copies of a generated organisation's file at
// random offsets (a fixed seed, so a failure repeats) and demands of every
// copy: VerifyFile and every read and write of the workload end without a
// panic; and a copy that VerifyFile passes works, every read succeeding.
// (A flip that turns one valid value into another, a letter of a name, is
// beyond any check without checksums; it still decodes and reads.) Under
// the race detector only the copies VerifyFile passes run the workload.
func TestCorruptionSweep(t *testing.T) {
	copies := 200
	if testing.Short() || raceDetector {
		copies = 50
	}
	if n, err := strconv.Atoi(os.Getenv("LOCATIEDESK_SWEEP_COPIES")); err == nil {
		copies = n // a longer sweep by hand
	}
	dir := t.TempDir()
	opts := generate.Options{Locations: 1, ChildrenPerLocation: 10, Years: 1, Today: data.DateOf(sweepNow), Seed: 5}
	source, err := generate.File(t.Context(), filepath.Join(dir, "cache"), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	original, err := os.ReadFile(source)
	if err != nil {
		t.Fatal(err)
	}
	if err := boltstore.VerifyFile(source); err != nil {
		t.Fatal(err)
	}
	if err := workload(source); err != nil {
		t.Fatalf("the undamaged file: %v", err)
	}
	// Most flips land where records are: on a byte that is not zero (free
	// space and the unused ends of pages are mostly zeros).
	var live []int
	for i, b := range original[:len(original)-4] {
		if b != 0 {
			live = append(live, i)
		}
	}
	rng := rand.New(rand.NewPCG(15, 2026))
	var refused, passed int
	for i := range copies {
		damaged := append([]byte(nil), original...)
		at := live[rng.IntN(len(live))]
		if i%4 == 0 {
			at = rng.IntN(len(damaged) - 4)
		}
		for j := range 1 + rng.IntN(4) {
			damaged[at+j] ^= byte(1 + rng.IntN(255))
		}
		path := filepath.Join(dir, fmt.Sprintf("copy-%d.db", i))
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		verr := boltstore.VerifyFile(path)
		if verr != nil && raceDetector {
			// Under the race detector bbolt's reads are checked pointer by
			// pointer (checkptr), and a damaged page count ends the process
			// instead of panicking into guardPages. The test script runs
			// the sweep without the race detector too, for these copies.
			refused++
			os.Remove(path)
			continue
		}
		werr := workload(path)
		switch {
		case errors.Is(werr, data.ErrUnexpected):
			t.Errorf("copy %d (bytes at %d): a panic outside storage: %v", i, at, werr)
		case verr == nil && werr != nil:
			t.Errorf("copy %d (bytes at %d) passed the check but does not work: %v", i, at, werr)
		case verr == nil:
			passed++
		default:
			refused++
		}
		os.Remove(path)
	}
	t.Logf("%d damaged copies: %d refused by the check, %d passed it and work", copies, refused, passed)
}

// workload opens a data file and does what the commands and screens do:
// read every child's record and ledger, every group's lists, the study
// days, the consent overview and the invoicing, then write a note and an
// invoicing batch. It returns the first error.
func workload(path string) (err error) {
	db, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return sweepNow }))
	if err != nil {
		return err
	}
	defer db.Close()
	today := data.DateOf(sweepNow)
	var errs []error
	keep := func(err error) {
		if err != nil && !errors.Is(err, data.ErrClosedDay) {
			errs = append(errs, err)
		}
	}
	_, err = db.Settings(context.Background())
	keep(err)
	_, err = db.Users(context.Background())
	keep(err)
	_, err = db.Audit(context.Background(), data.AuditFilter{})
	keep(err)
	_, err = db.ConsentOverview(context.Background(), 0, 0)
	keep(err)
	_, err = db.InvoiceBatches(context.Background())
	keep(err)
	children, err := db.Children(context.Background(), 0)
	keep(err)
	for _, c := range children {
		_, err := db.ChildRecord(context.Background(), c.ID)
		keep(err)
		_, err = db.Ledger(context.Background(), c.ID)
		keep(err)
	}
	groups, err := db.Groups(context.Background(), 0)
	keep(err)
	for _, g := range groups {
		for d := -30; d <= 0; d += 3 {
			_, err := db.DayList(context.Background(), g.ID, today.AddDays(d))
			keep(err)
		}
		_, err := db.OpenRequests(context.Background(), g.ID)
		keep(err)
	}
	locations, err := db.Locations(context.Background())
	keep(err)
	days, err := db.StudyDays(context.Background(), today.AddDays(-400), today.AddDays(30))
	keep(err)
	for _, sd := range days {
		for _, l := range locations {
			_, err := db.StudyDaySheet(context.Background(), l.ID, sd.SchoolID, sd.Date)
			keep(err)
		}
	}
	_, err = db.PreviewInvoicing(context.Background(), data.InvoiceSpec{From: today.AddDays(-60), To: today}, nil)
	keep(err)
	if len(groups) > 0 {
		if list, err := db.DayList(context.Background(), groups[0].ID, today); err == nil && len(list.Rows) > 0 {
			keep(db.SetNote(context.Background(), data.DayEdit{Date: today, GroupID: groups[0].ID, ChildID: list.Rows[0].Child.ID, By: "sweep"}, "Zoë"))
		}
	}
	_, err = db.ExportInvoicing(context.Background(), data.InvoiceSpec{From: today.AddDays(-60), To: today, By: "sweep"}, nil)
	keep(err)
	return errors.Join(errs...)
}
