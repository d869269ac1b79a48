package pgstore_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
)

// TestRequests_OnTheDemoAnswerAsBoltstore moves the full demo (its queue,
// credit of every kind, study days with sign-ups, an exported month) into
// PostgreSQL and asks both stores the same: every queue and count, every
// child's ledger and requests, the invoicing of three months, and a round
// of new requests decided in every way, with the exports after it.
func TestRequests_OnTheDemoAnswerAsBoltstore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	datatest.FullDemo(t, path, moveDay)
	boltClock, pgClock := &storyClock{now: moveDay}, &storyClock{now: moveDay}
	bolt, err := boltstore.Open(path, boltstore.WithClock(boltClock.read))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bolt.Close() })
	file, err := bolt.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	pg := open(t, pgClock.read)
	if _, err := pg.Load(t.Context(), file, "demo.db"); err != nil {
		t.Fatal(err)
	}
	want := playDemo(t, bolt, boltClock)
	got := playDemo(t, pg, pgClock)
	if len(got) != len(want) {
		t.Fatalf("PostgreSQL answered %d times, bbolt %d", len(got), len(want))
	}
	differ := 0
	for i := range want {
		if got[i] != want[i] {
			if differ++; differ <= 10 {
				t.Errorf("answer %d differs:\n  bbolt:      %s\n  PostgreSQL: %s", i+1, want[i], got[i])
			}
		}
	}
	if differ > 10 {
		t.Errorf("and %d answers more", differ-10)
	}
	if testing.Verbose() {
		for _, a := range want {
			t.Log(a)
		}
	}
	t.Logf("%d answers compared", len(want))
}

// playDemo asks s what the demo test compares, and returns the answers.
func playDemo(t *testing.T, s data.Store, clock *storyClock) []string {
	t.Helper()
	ctx := t.Context()
	a := answers{t: t}
	locations, err := s.Locations(ctx)
	a.must("Locations", err)
	groups, err := s.Groups(ctx, 0)
	a.must("Groups", err)
	var children []data.Child
	for _, l := range locations {
		cs, err := s.Children(ctx, l.ID)
		a.must("Children", err)
		children = append(children, cs...)
	}
	today := data.DateOf(clock.read())
	tomorrow := today.AddDays(1)
	overview := func(what string) {
		for _, l := range locations {
			q, err := s.LocationQueue(ctx, l.ID)
			a.note(what+": LocationQueue "+l.Name, q, err)
			counts, err := s.OpenRequestCounts(ctx, l.ID)
			a.note(what+": OpenRequestCounts "+l.Name, counts, err)
		}
		counts, err := s.OpenRequestCounts(ctx, 0)
		a.note(what+": OpenRequestCounts", counts, err)
		for _, g := range groups {
			q, err := s.OpenRequests(ctx, g.ID)
			a.note(what+": OpenRequests "+g.Name, q, err)
		}
		for _, c := range children {
			l, err := s.Ledger(ctx, c.ID)
			a.note(what+": Ledger "+c.Name(), l, err)
			r, err := s.ChildRequests(ctx, c.ID)
			a.note(what+": ChildRequests "+c.Name(), r, err)
		}
	}
	month := func(offset int) data.InvoiceSpec {
		first := time.Date(today.Year, today.Month+time.Month(offset), 1, 0, 0, 0, 0, time.Local)
		return data.InvoiceSpec{From: data.DateOf(first), To: data.DateOf(first.AddDate(0, 1, -1)), By: "Priya (planner)"}
	}
	months := []data.InvoiceSpec{month(-1), month(0), month(1)}
	invoicing := func(what string) {
		for _, m := range months {
			sum, err := s.PreviewInvoicing(ctx, m, nil)
			a.note(fmt.Sprintf("%s: PreviewInvoicing %s", what, m.From), sum, err)
			clock.add(time.Minute)
			b, err := s.ExportInvoicing(ctx, m, nil)
			a.note(fmt.Sprintf("%s: ExportInvoicing %s", what, m.From), b, err)
			var lines []data.InvoiceLine
			for l, err := range s.InvoiceLines(ctx, b.ID) {
				a.must("InvoiceLines", err)
				lines = append(lines, l)
			}
			a.note(fmt.Sprintf("%s: lines of %s", what, m.From), lines, nil)
		}
		batches, err := s.InvoiceBatches(ctx)
		a.note(what+": InvoiceBatches", batches, err)
	}

	overview("the demo")
	invoicing("the demo")

	// A round of new requests: in every group, the first children who can
	// have one tomorrow ask for the morning, paid as proposed; then the
	// first is approved, the second rejected, the third cancelled.
	morning := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}
	var approved []data.ID
	for _, g := range groups {
		kids, err := s.RequestChildren(ctx, g.ID, tomorrow)
		a.note("RequestChildren "+g.Name, kids, err)
		var submitted []data.Request
		for _, c := range kids {
			d := data.RequestDraft{ChildID: c.ID, GroupID: g.ID, Date: tomorrow, Times: morning, By: "Planner"}
			p, err := s.PreviewRequest(ctx, d)
			a.note("products for "+c.Name(), p.Products, err)
			if len(p.Products) == 0 {
				continue
			}
			d.Product = p.Products[len(p.Products)-1]
			p, err = s.PreviewRequest(ctx, d)
			a.note("PreviewRequest "+c.Name(), p, err)
			r, err := s.SubmitRequest(ctx, d, p.Proposal.Payment)
			a.note("SubmitRequest "+c.Name(), r, err)
			if err == nil {
				submitted = append(submitted, r)
			}
			if len(submitted) == 3 {
				break
			}
		}
		clock.add(time.Second)
		for i, r := range submitted {
			switch i {
			case 0:
				a.note(fmt.Sprintf("ApproveRequest %d", r.ID), nil, s.ApproveRequest(ctx, r.ID, "Planner"))
				approved = append(approved, r.ID)
			case 1:
				a.note(fmt.Sprintf("RejectRequest %d", r.ID), nil, s.RejectRequest(ctx, r.ID, "Planner", "de groep is vol"))
			case 2:
				a.note(fmt.Sprintf("CancelRequest %d", r.ID), nil, s.CancelRequest(ctx, r.ID, "Planner", "toch niet"))
			}
		}
	}
	overview("after the round")
	invoicing("after the round")

	// The approvals are cancelled after their export: corrections.
	clock.add(time.Minute)
	for _, id := range approved {
		a.note(fmt.Sprintf("CancelRequest %d", id), nil, s.CancelRequest(ctx, id, "Planner", "ouder belde af"))
	}
	overview("after cancelling")
	invoicing("after cancelling")
	return a.list
}
