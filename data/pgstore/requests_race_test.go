package pgstore_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// The check-then-write rules of requests and invoicing hold with several
// hubs on one database: each test opens two stores on the same database
// (two hubs), lets both write at the same moment, and checks that the rule
// let exactly one through, round after round.

// raceRounds is how often each race is run.
const raceRounds = 20

// raceDay is the day the races run on: a Tuesday, 09:00.
var raceDay = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)

// twoHubs is an organisation with one KDV group and a child, Dewi, whose
// Qflexibel contract gives exactly 4 hours of credit a year, on two stores
// of the same database, each as the manager.
type twoHubs struct {
	a, b  data.Store
	group data.Group
	dewi  data.Child
}

func openTwoHubs(t *testing.T) twoHubs {
	t.Helper()
	address := pgtest.Database(t)
	open := func() *pgstore.DB {
		db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return raceDay }))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	hubA, hubB := open(), open()
	ctx := t.Context()
	manager, err := hubA.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Race", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Manager", Secret: "wachtwoord-manager"})
	if err != nil {
		t.Fatal(err)
	}
	group, err := hubB.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	dewi, err := hubA.AddChild(ctx, data.Child{LocationID: group.LocationID, FirstName: "Dewi", LastName: "Race", BirthDate: data.NewDate(2024, time.August, 4)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = hubB.AddContract(ctx, data.Contract{ChildID: dewi.ID, GroupID: group.ID, Product: data.ProductQflexibel, CreditHours: 4,
		Start: data.NewDate(2025, time.September, 1)})
	if err != nil {
		t.Fatal(err)
	}
	return twoHubs{a: hubA.As(manager), b: hubB.As(manager), group: group, dewi: dewi}
}

// draft is a Qflexibel morning for Dewi, days after raceDay.
func (h twoHubs) draft(days int) data.RequestDraft {
	return data.RequestDraft{ChildID: h.dewi.ID, GroupID: h.group.ID, Date: data.DateOf(raceDay).AddDays(days),
		Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}, Product: data.ProductQflexibel, By: "Marieke de Manager"}
}

// atOnce runs a and b at the same moment, each on a goroutine of its own,
// and returns their errors.
func atOnce(a, b func() error) (errA, errB error) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(2)
	done.Add(2)
	run := func(write func() error, err *error) {
		defer done.Done()
		ready.Done()
		<-start
		*err = write()
	}
	go run(a, &errA)
	go run(b, &errB)
	ready.Wait()
	close(start)
	done.Wait()
	return errA, errB
}

// oneWon checks that exactly one of two writes went through, and returns the other's error.
func oneWon(t *testing.T, round int, errA, errB error) error {
	t.Helper()
	switch {
	case errA == nil && errB == nil:
		t.Fatalf("round %d: both hubs' writes went through", round)
	case errA != nil && errB != nil:
		t.Fatalf("round %d: neither hub's write went through: %v; %v", round, errA, errB)
	case errA != nil:
		return errA
	}
	return errB
}

// flexibleEntry is Dewi's one credit entry, read through hub.
func (h twoHubs) flexibleEntry(t *testing.T, hub data.Store) data.CreditEntry {
	t.Helper()
	l, err := hub.Ledger(t.Context(), h.dewi.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 1 || l.Entries[0].Product != data.ProductQflexibel || l.Entries[0].Minutes != 240 {
		t.Fatalf("Dewi's ledger %+v, want one Qflexibel entry of 4 hours", l.Entries)
	}
	return l.Entries[0]
}

// R7 across hubs: two requests that each want the child's last 4 hours of
// credit, submitted through two hubs at once. One reserves it; the other is
// refused as boltstore refuses a payment whose credit another request took
// meanwhile (PaymentChangedError, the credit overdrawn, a fresh proposal on
// invoice), and stores nothing.
func TestRace_R7_TwoHubsCannotReserveTheSameCredit(t *testing.T) {
	h := openTwoHubs(t)
	ctx := t.Context()
	wednesday, thursday := h.draft(1), h.draft(2)
	for round := 1; round <= raceRounds; round++ {
		entry := h.flexibleEntry(t, h.a)
		if entry.Available() != 240 {
			t.Fatalf("round %d: Dewi's credit %+v, want 4 hours available", round, entry)
		}
		// Both hubs show the user the same proposal: 4 hours from the credit.
		var pays [2]data.Payment
		for i, pair := range []struct {
			hub data.Store
			d   data.RequestDraft
		}{{h.a, wednesday}, {h.b, thursday}} {
			p, err := pair.hub.PreviewRequest(ctx, pair.d)
			if err != nil || p.Problem != nil {
				t.Fatalf("round %d: preview: %v, %v", round, err, p.Problem)
			}
			if p.Proposal.CreditMinutes() != 240 || p.Proposal.Allocations[0].EntryID != entry.ID {
				t.Fatalf("round %d: proposal %+v, want 4 hours from entry %d", round, p.Proposal, entry.ID)
			}
			pays[i] = p.Proposal.Payment
		}
		var reqA, reqB data.Request
		errA, errB := atOnce(
			func() (err error) { reqA, err = h.a.SubmitRequest(ctx, wednesday, pays[0]); return err },
			func() (err error) { reqB, err = h.b.SubmitRequest(ctx, thursday, pays[1]); return err })
		lost := oneWon(t, round, errA, errB)
		var changed *data.PaymentChangedError
		if !errors.As(lost, &changed) || !errors.Is(lost, data.ErrCreditChanged) || !errors.Is(lost, data.ErrOverdrawn) {
			t.Fatalf("round %d: the losing hub got %v, want the credit changed (overdrawn)", round, lost)
		}
		if changed.Fresh.CreditMinutes() != 0 || changed.Fresh.InvoiceMinutes != 240 {
			t.Errorf("round %d: fresh proposal %+v, want 4 hours on invoice", round, changed.Fresh.Payment)
		}
		won := reqA
		if errA != nil {
			won = reqB
		}
		for _, hub := range []data.Store{h.a, h.b} { // each hub reads the one reservation
			if e := h.flexibleEntry(t, hub); e.Reserved != 240 || e.Spent != 0 || e.Available() != 0 {
				t.Fatalf("round %d: Dewi's credit %+v, want the 4 hours reserved once", round, e)
			}
		}
		requests, err := h.b.ChildRequests(ctx, h.dewi.ID)
		if err != nil {
			t.Fatal(err)
		}
		if open := countOpen(requests); open != 1 || won.ID == 0 {
			t.Fatalf("round %d: %d open requests (%+v), want the winner's only", round, open, requests)
		}
		// Cancelling gives the credit back for the next round.
		if err := h.a.CancelRequest(ctx, won.ID, "Marieke de Manager", fmt.Sprintf("round %d", round)); err != nil {
			t.Fatal(err)
		}
	}
}

// R_Duplicates across hubs: the same request registered through two hubs at
// once is stored once; no unique key backs the rule (a cancelled request
// may be asked again), only the serializable check.
func TestRace_TwoHubsCannotStoreTheSameRequestTwice(t *testing.T) {
	h := openTwoHubs(t)
	ctx := t.Context()
	d := h.draft(1)
	onInvoice := data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductQflexibel, OverrideReason: "keeps the credit for later"}
	for round := 1; round <= raceRounds; round++ {
		var reqA, reqB data.Request
		errA, errB := atOnce(
			func() (err error) { reqA, err = h.a.SubmitRequest(ctx, d, onInvoice); return err },
			func() (err error) { reqB, err = h.b.SubmitRequest(ctx, d, onInvoice); return err })
		if lost := oneWon(t, round, errA, errB); !errors.Is(lost, data.ErrDuplicate) {
			t.Fatalf("round %d: the losing hub got %v, want a duplicate", round, lost)
		}
		won := reqA
		if errA != nil {
			won = reqB
		}
		requests, err := h.a.ChildRequests(ctx, h.dewi.ID)
		if err != nil {
			t.Fatal(err)
		}
		if open := countOpen(requests); open != 1 {
			t.Fatalf("round %d: %d open requests, want 1", round, open)
		}
		if err := h.b.CancelRequest(ctx, won.ID, "Marieke de Manager", fmt.Sprintf("round %d", round)); err != nil {
			t.Fatal(err)
		}
	}
}

// F1 across hubs: two hubs exporting the same month at once bill each
// approved request once: one batch has its line, the other none.
func TestRace_F1_TwoHubsExportEachLineOnce(t *testing.T) {
	h := openTwoHubs(t)
	ctx := t.Context()
	onInvoice := data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductQflexibel, OverrideReason: "keeps the credit for later"}
	month := data.InvoiceSpec{From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31), By: "Marieke de Manager"}
	for round := 1; round <= raceRounds; round++ {
		// A new request to bill each round, on a day of its own.
		r, err := h.a.SubmitRequest(ctx, h.draft(1+round%3), onInvoice)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if err := h.b.ApproveRequest(ctx, r.ID, "Marieke de Manager"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		var batchA, batchB data.InvoiceBatch
		errA, errB := atOnce(
			func() (err error) { batchA, err = h.a.ExportInvoicing(ctx, month, nil); return err },
			func() (err error) { batchB, err = h.b.ExportInvoicing(ctx, month, nil); return err })
		if errA != nil || errB != nil {
			t.Fatalf("round %d: exports failed: %v; %v", round, errA, errB)
		}
		if batchA.New+batchB.New != 1 || batchA.Corrections+batchB.Corrections != 0 {
			t.Fatalf("round %d: the batches bill %d and %d new lines, want the request once", round, batchA.New, batchB.New)
		}
		// The day is free again for a later round; its export stays as it is.
		if err := h.a.CancelRequest(ctx, r.ID, "Marieke de Manager", "next round"); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		correction, err := h.b.ExportInvoicing(ctx, month, nil)
		if err != nil || correction.Corrections != 1 || correction.New != 0 {
			t.Fatalf("round %d: the export after the cancellation %+v, %v; want one correction", round, correction.InvoiceSummary, err)
		}
	}
}

// Flexible credit across hubs: two hubs opening the ledger of a child whose
// contract year is due at the same moment grant that year once, and both
// show the one entry.
func TestRace_TwoHubsGrantAContractYearOnce(t *testing.T) {
	h := openTwoHubs(t)
	ctx := t.Context()
	for round := 1; round <= raceRounds; round++ {
		c, err := h.a.AddChild(ctx, data.Child{LocationID: h.group.LocationID, FirstName: fmt.Sprintf("Kind %d", round), LastName: "Race",
			BirthDate: data.NewDate(2024, time.August, 4)})
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.b.AddContract(ctx, data.Contract{ChildID: c.ID, GroupID: h.group.ID, Product: data.ProductQflexibel, CreditHours: 4,
			Start: data.NewDate(2025, time.September, 1)})
		if err != nil {
			t.Fatal(err)
		}
		var ledgerA, ledgerB data.Ledger
		errA, errB := atOnce(
			func() (err error) { ledgerA, err = h.a.Ledger(ctx, c.ID); return err },
			func() (err error) { ledgerB, err = h.b.Ledger(ctx, c.ID); return err })
		if errA != nil || errB != nil {
			t.Fatalf("round %d: %v; %v", round, errA, errB)
		}
		if len(ledgerA.Entries) != 1 || len(ledgerB.Entries) != 1 || ledgerA.Entries[0] != ledgerB.Entries[0] {
			t.Fatalf("round %d: the hubs show %+v and %+v, want the one year granted once", round, ledgerA.Entries, ledgerB.Entries)
		}
	}
}

func countOpen(requests []data.Request) int {
	n := 0
	for _, r := range requests {
		if r.Status == data.StatusOpen {
			n++
		}
	}
	return n
}
