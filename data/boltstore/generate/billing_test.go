package generate_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// TestBilling_F1_StoredAndExported builds October's billing history (with
// the autumn holiday), stores it, and exports it: every kind of line is
// there, and the history the export reads is what the generator made.
func TestBilling_F1_StoredAndExported(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	opts := generate.Options{Locations: 2, ChildrenPerLocation: 40, Years: 1, Today: data.DateOf(now), Seed: 5}
	from, to := data.NewDate(2026, time.October, 1), data.NewDate(2026, time.October, 31)
	build := func() (data.Dataset, []data.Request) {
		ds := generate.Organisation(opts)
		return ds, generate.Billing(&ds, from, to, 1.5, 5)
	}
	ds, requests := build()
	if again, againRequests := build(); !reflect.DeepEqual(ds, again) || !reflect.DeepEqual(requests, againRequests) {
		t.Fatal("the same seed built two different histories")
	}
	// Organisation has study days of its own through the year; October's are billed.
	inOctober, signUps := 0, 0
	for _, sd := range ds.StudyDays {
		if !sd.Date.Before(from) && !sd.Date.After(to) {
			inOctober++
		}
	}
	for _, su := range ds.SignUps {
		if !su.Date.Before(from) && !su.Date.After(to) {
			signUps++
		}
	}
	if inOctober < len(ds.Schools) || signUps == 0 {
		t.Fatalf("%d study days in October for %d schools, %d sign-ups", inOctober, len(ds.Schools), signUps)
	}
	billed := 0
	for _, r := range requests {
		if r.Status == data.StatusApproved && r.Payment.InvoiceMinutes > 0 {
			billed++
		}
	}

	db, err := boltstore.Open(filepath.Join(t.TempDir(), "billing.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportRequests(t.Context(), requests); err != nil {
		t.Fatal(err)
	}
	batch, err := db.ExportInvoicing(t.Context(), data.InvoiceSpec{From: from, To: to, By: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if batch.Lines != billed+signUps {
		t.Errorf("%d lines, want %d billed requests and %d sign-ups", batch.Lines, billed, signUps)
	}
	for _, p := range data.InvoiceProducts {
		if p != data.ProductQflexibel && !hasProduct(batch.Totals, p) {
			t.Errorf("no line of %s in %+v", p, batch.Totals)
		}
	}
}

func hasProduct(totals []data.ProductTotal, p data.Product) bool {
	for _, t := range totals {
		if t.Product == p && t.Lines > 0 {
			return true
		}
	}
	return false
}

func TestImportRequests_RefusesWhatDoesNotAddUp(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "import.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds := generate.Organisation(generate.Options{Locations: 1, ChildrenPerLocation: 10, Years: 1, Today: data.DateOf(now), Seed: 1})
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	c := ds.Contracts[0]
	good := data.Request{RequestDraft: data.RequestDraft{ChildID: c.ChildID, GroupID: c.GroupID, Date: data.NewDate(2026, time.November, 3),
		Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}, Product: data.ProductKDV, Channel: data.ChannelOffice, By: "x"},
		Payment: data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV}, Status: data.StatusApproved}
	short, open, wrongProduct := good, good, good
	short.Payment.InvoiceMinutes = 200
	open.Status = data.StatusOpen
	wrongProduct.Payment.InvoiceProduct = data.ProductQflexibel
	for name, r := range map[string]data.Request{"payment short": short, "open": open, "wrong product": wrongProduct} {
		if err := db.ImportRequests(t.Context(), []data.Request{good, r}); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := db.Request(t.Context(), 1); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a refused import stored request 1: %v", err)
	}
}
