package pgstore_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// TestRequests_AnswerAsBoltstoreAnswers plays one story of extra-care
// requests, credit and invoicing on the bbolt store and on PostgreSQL, and
// compares every answer either gives: records, lists, ledgers, exports and
// the exact errors. The conformance suite checks the rules; this checks
// that the port gives the same answers where the suite does not look
// (the queues, the counts, undo, corrections, refusals' texts).
func TestRequests_AnswerAsBoltstoreAnswers(t *testing.T) {
	boltClock, pgClock := &storyClock{now: raceDay}, &storyClock{now: raceDay}
	bolt, _ := datatest.Open(t, datatest.Clock(boltClock.read))
	pg := open(t, pgClock.read)
	want := playRequests(t, bolt, boltClock)
	got := playRequests(t, pg, pgClock)
	if testing.Verbose() {
		for _, a := range want {
			t.Log(a)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("PostgreSQL answered %d times, bbolt %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("answer %d differs:\n  bbolt:      %s\n  PostgreSQL: %s", i+1, want[i], got[i])
		}
	}
}

// storyClock is the time a story's store reads; the story moves it.
type storyClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *storyClock) read() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *storyClock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// answers collects what a store answers, each as JSON with its error's text.
type answers struct {
	t    *testing.T
	list []string
}

func (a *answers) note(what string, v any, err error) {
	a.t.Helper()
	text := ""
	if err != nil {
		text = err.Error()
	}
	raw, jerr := json.Marshal(v)
	if jerr != nil {
		a.t.Fatalf("%s: %v", what, jerr)
	}
	a.list = append(a.list, fmt.Sprintf("%s: %s error=%q", what, raw, text))
}

// must stops the test on a failure of what sets the story up.
func (a *answers) must(what string, err error) {
	a.t.Helper()
	if err != nil {
		a.t.Fatalf("%s: %v", what, err)
	}
}

// playRequests plays the story on s and returns every answer, as JSON.
func playRequests(t *testing.T, s data.Store, clock *storyClock) []string {
	t.Helper()
	ctx := t.Context()
	a := answers{t: t}
	note, must := a.note, a.must

	manager, err := s.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Gelijk", Location: "Het Klavertje",
		Groups: []data.GroupSetup{{Name: "Egeltjes", Care: data.KDV, Capacity: 3}}, Manager: "Marieke de Manager", Secret: "wachtwoord-manager"})
	must("SetUp", err)
	egeltjes, err := s.GroupByName(ctx, "Egeltjes")
	must("GroupByName", err)
	eik, err := s.AddLocation(ctx, "De Eik")
	must("AddLocation", err)
	spechten, err := s.AddGroup(ctx, data.Group{LocationID: eik.ID, Name: "Spechten", Care: data.KDV, Capacity: 12})
	must("AddGroup", err)
	staff, err := s.AddUser(ctx, data.NewUser{User: data.User{Name: "Tess Janssen", Role: data.RoleStaff, LocationIDs: []data.ID{egeltjes.LocationID},
		GroupIDs: []data.ID{egeltjes.ID}}, Secret: "1234"})
	must("AddUser", err)
	tess, err := s.ActorFor(ctx, staff.ID)
	must("ActorFor", err)
	start := data.NewDate(2025, time.September, 1)
	day := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	child := func(g data.Group, first string, contracts ...data.Contract) data.Child {
		c, err := s.AddChild(ctx, data.Child{LocationID: g.LocationID, FirstName: first, LastName: "Gelijk", BirthDate: data.NewDate(2024, time.May, 1)})
		must("AddChild "+first, err)
		for _, k := range contracts {
			k.ChildID, k.GroupID, k.Start = c.ID, g.ID, start
			_, err := s.AddContract(ctx, k)
			must("AddContract "+first, err)
		}
		return c
	}
	weekdays := func(ds ...time.Weekday) []data.ContractDay {
		var out []data.ContractDay
		for _, d := range ds {
			out = append(out, data.ContractDay{Weekday: d, Times: day})
		}
		return out
	}
	anna := child(egeltjes, "Anna", data.Contract{Product: data.ProductKDV, Days: weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)})
	bram := child(egeltjes, "Bram", data.Contract{Product: data.ProductKDV, Days: weekdays(time.Tuesday, time.Thursday)})
	dewi := child(egeltjes, "Dewi", data.Contract{Product: data.ProductKDV, Days: weekdays(time.Friday)},
		data.Contract{Product: data.ProductQflexibel, CreditHours: 10})
	finn := child(spechten, "Finn", data.Contract{Product: data.ProductKDV, Days: weekdays(time.Monday)})
	cas := child(egeltjes, "Cas", data.Contract{Product: data.ProductKDV, Days: weekdays(time.Monday)})

	today := data.DateOf(raceDay) // Tuesday
	wednesday, thursday, friday := today.AddDays(1), today.AddDays(2), today.AddDays(3)
	morning := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}
	draft := func(c data.Child, g data.Group, d data.Date, p data.Product) data.RequestDraft {
		return data.RequestDraft{ChildID: c.ID, GroupID: g.ID, Date: d, Times: morning, Product: p, By: "Tess Janssen"}
	}
	sys, asManager, asTess := s, s.As(manager), s.As(tess)
	ledger := func(what string, c data.Child) {
		l, err := sys.Ledger(ctx, c.ID)
		note(what, l, err)
	}
	preview := func(what string, d data.RequestDraft) data.RequestPreview {
		p, err := asTess.PreviewRequest(ctx, d)
		note(what, p, err)
		return p
	}
	submit := func(what string, who data.Store, d data.RequestDraft, pay data.Payment) data.Request {
		r, err := who.SubmitRequest(ctx, d, pay)
		note(what, r, err)
		return r
	}
	queues := func(what string) {
		q, err := sys.OpenRequests(ctx, egeltjes.ID)
		note(what+": OpenRequests", q, err)
		q, err = asTess.LocationQueue(ctx, egeltjes.LocationID)
		note(what+": LocationQueue", q, err)
		counts, err := sys.OpenRequestCounts(ctx, 0)
		note(what+": OpenRequestCounts", counts, err)
		counts, err = sys.OpenRequestCounts(ctx, eik.ID)
		note(what+": OpenRequestCounts De Eik", counts, err)
		requests, err := sys.ChildRequests(ctx, dewi.ID)
		note(what+": ChildRequests", requests, err)
	}

	// Credit: Dewi's Qflexibel year, granted once, also to the contract's
	// next version, and an absence reported in time.
	ledger("Dewi's ledger at first", dewi)
	contracts, err := sys.Contracts(ctx, dewi.ID)
	must("Contracts", err)
	for _, c := range contracts {
		if c.Product == data.ProductQflexibel {
			next := c
			next.CreditHours = 12
			_, err := sys.ChangeContract(ctx, c.ID, today, next)
			note("ChangeContract Qflexibel", nil, err)
		}
	}
	ledger("Dewi's ledger after the new version", dewi)
	absence, err := asTess.ReportAbsence(ctx, data.AbsenceReport{ChildID: dewi.ID, Date: friday, Reason: data.AbsenceDayOff, By: "Tess Janssen"})
	note("ReportAbsence", absence, err)
	_, err = asTess.ReportAbsence(ctx, data.AbsenceReport{ChildID: bram.ID, Date: wednesday, Reason: data.AbsenceDayOff, By: "Tess Janssen"})
	note("ReportAbsence on a day Bram does not come", nil, err)
	ledger("Dewi's ledger with the absence", dewi)
	children, err := sys.RequestChildren(ctx, egeltjes.ID, wednesday)
	note("RequestChildren", children, err)

	// Requests: paid from credit, on invoice, refused in every way a user can.
	wholeThursday := draft(dewi, egeltjes, thursday, data.ProductKDV)
	wholeThursday.Times = day
	stale := preview("preview Dewi all Thursday", wholeThursday)
	p := preview("preview Dewi Wednesday", draft(dewi, egeltjes, wednesday, data.ProductKDV))
	fromCredit := submit("submit Dewi Wednesday", asTess, draft(dewi, egeltjes, wednesday, data.ProductKDV), p.Proposal.Payment)
	submit("submit Dewi Wednesday again", asTess, draft(dewi, egeltjes, wednesday, data.ProductKDV), p.Proposal.Payment)
	submit("submit Thursday on credit Wednesday took", asTess, wholeThursday, stale.Proposal.Payment)
	submit("submit Anna, expected anyway", asTess, draft(anna, egeltjes, wednesday, data.ProductKDV), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
	submit("submit Finn elsewhere", asTess, draft(finn, spechten, wednesday, data.ProductKDV), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
	submit("submit a week ahead", asTess, draft(bram, egeltjes, today.AddDays(8), data.ProductKDV), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV})
	p = preview("preview Bram Wednesday", draft(bram, egeltjes, wednesday, data.ProductKDV))
	submit("submit Bram without the credit he has not", asTess, draft(bram, egeltjes, wednesday, data.ProductKDV), data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductQflexibel})
	onInvoice := submit("submit Bram Wednesday", asTess, draft(bram, egeltjes, wednesday, data.ProductKDV), p.Proposal.Payment)
	p = preview("preview Dewi Thursday, Qflexibel", draft(dewi, egeltjes, thursday, data.ProductQflexibel))
	flexible := submit("submit Dewi Thursday", asTess, draft(dewi, egeltjes, thursday, data.ProductQflexibel), p.Proposal.Payment)
	preview("preview Anna Saturday", draft(anna, egeltjes, today.AddDays(4), data.ProductKDV))
	queues("three open")

	// Decisions, and taking them back.
	clock.add(time.Second)
	note("approve without a name", nil, asTess.ApproveRequest(ctx, fromCredit.ID, " "))
	note("approve Dewi Wednesday", nil, asTess.ApproveRequest(ctx, fromCredit.ID, "Tess Janssen"))
	note("approve it again", nil, asTess.ApproveRequest(ctx, fromCredit.ID, "Tess Janssen"))
	note("reject without a reason", nil, asTess.RejectRequest(ctx, onInvoice.ID, "Tess Janssen", " "))
	note("reject Bram Wednesday", nil, asTess.RejectRequest(ctx, onInvoice.ID, "Tess Janssen", "de groep is vol"))
	note("undo by someone else", nil, asManager.UndoDecision(ctx, onInvoice.ID, "Marieke de Manager"))
	note("undo the rejection", nil, asTess.UndoDecision(ctx, onInvoice.ID, "Tess Janssen"))
	clock.add(data.UndoWindow + time.Second)
	note("undo the approval too late", nil, asTess.UndoDecision(ctx, fromCredit.ID, "Tess Janssen"))
	note("cancel Dewi Thursday", nil, asTess.CancelRequest(ctx, flexible.ID, "Tess Janssen", "toch niet"))
	note("cancel it again", nil, asTess.CancelRequest(ctx, flexible.ID, "Tess Janssen", "nog eens"))
	note("approve Bram Wednesday", nil, asManager.ApproveRequest(ctx, onInvoice.ID, "Marieke de Manager"))
	note("approve a request that is not there", nil, asManager.ApproveRequest(ctx, 999, "Marieke de Manager"))
	full := draft(cas, egeltjes, wednesday, data.ProductKDV)
	p = preview("preview Cas on a full Wednesday", full)
	submit("submit Cas on a full Wednesday", asTess, full, p.Proposal.Payment)
	full.OverCapacity = true
	submit("submit Cas, told it is full", asTess, full, p.Proposal.Payment)
	for _, id := range []data.ID{fromCredit.ID, onInvoice.ID, flexible.ID, 999} {
		r, err := sys.Request(ctx, id)
		note(fmt.Sprintf("Request %d", id), r, err)
	}
	queues("decided")
	ledger("Dewi's ledger after the decisions", dewi)
	list, err := sys.DayList(ctx, egeltjes.ID, wednesday)
	note("Wednesday's list", list, err)

	// Invoicing: what bills, once; a correction when it is cancelled.
	march := data.InvoiceSpec{From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31), By: "Marieke de Manager"}
	var progress []float64
	sum, err := sys.PreviewInvoicing(ctx, march, func(f float64) { progress = append(progress, f) })
	note("PreviewInvoicing", sum, err)
	note("its progress", progress, nil)
	_, err = asTess.ExportInvoicing(ctx, march, nil)
	note("export as staff", nil, err)
	_, err = asManager.ExportInvoicing(ctx, march, nil)
	note("export every location as the manager of one", nil, err)
	for _, bad := range []data.InvoiceSpec{{From: march.To, To: march.From, By: "Marieke"}, {From: march.From, To: march.To, LocationID: 77, By: "Marieke"},
		{From: march.From, To: march.To, By: " "}, {By: "Marieke"}} {
		_, err := sys.ExportInvoicing(ctx, bad, nil)
		note(fmt.Sprintf("export %+v", bad), nil, err)
	}
	clock.add(time.Minute)
	batch, err := sys.ExportInvoicing(ctx, march, nil)
	note("ExportInvoicing", batch, err)
	clock.add(time.Minute)
	batch, err = sys.ExportInvoicing(ctx, march, nil)
	note("ExportInvoicing again", batch, err)
	clock.add(time.Minute)
	note("cancel Bram Wednesday", nil, asManager.CancelRequest(ctx, onInvoice.ID, "Marieke de Manager", "ouder belde af"))
	// Dewi comes on Friday after all: the credit her Wednesday was paid
	// with goes, and that morning goes on the invoice once confirmed (R7).
	came := data.DayEdit{Date: friday, GroupID: egeltjes.ID, ChildID: dewi.ID, By: "Tess Janssen", Unlock: data.NewUnlock(friday, "Tess Janssen")}
	note("clear Dewi's absence", nil, asTess.ClearAbsence(ctx, came))
	came.BillSpentCredit = 240
	note("clear Dewi's absence, billing the 4 hours", nil, asTess.ClearAbsence(ctx, came))
	r, err := sys.Request(ctx, fromCredit.ID)
	note("Dewi Wednesday after the withdrawal", r, err)
	ledger("Dewi's ledger after the withdrawal", dewi)
	eikOnly := march
	eikOnly.LocationID = eik.ID
	batch, err = sys.ExportInvoicing(ctx, eikOnly, nil)
	note("ExportInvoicing De Eik", batch, err)
	batch, err = sys.ExportInvoicing(ctx, march, nil)
	note("ExportInvoicing after the cancellation", batch, err)
	batches, err := sys.InvoiceBatches(ctx)
	note("InvoiceBatches", batches, err)
	for _, id := range []data.ID{1, 4, 99} {
		b, err := sys.InvoiceBatch(ctx, id)
		note(fmt.Sprintf("InvoiceBatch %d", id), b, err)
		var lines []data.InvoiceLine
		for l, err := range sys.InvoiceLines(ctx, id) {
			if err != nil {
				note(fmt.Sprintf("InvoiceLines %d", id), nil, err)
				break
			}
			lines = append(lines, l)
		}
		note(fmt.Sprintf("lines of batch %d", id), lines, nil)
	}
	ledger("Dewi's ledger at the end", dewi)
	ledger("Bram's ledger at the end", bram)
	return a.list
}
