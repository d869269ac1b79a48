package boltstore_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// The request tests run on the store clock, Tuesday 10 March 2026 09:00.
// Dewi comes on Fridays only, so extra care on Wednesday 11 March is hers to
// request; Cas is a school-weeks BSO child whose school has a study week
// from 14 to 22 March (holiday days).
var (
	wednesday = storeToday.AddDays(1) // 11 March: the group's window (fewer than 4 days ahead)
	thursday  = storeToday.AddDays(2) // 12 March
	friday    = storeToday.AddDays(3) // 13 March: Dewi's contract day
	holiday   = storeToday.AddDays(6) // Monday 16 March: the office's window, in the study week
	morning   = data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 0)}
)

const (
	contractCasHoliday data.ID = 5
	contractDewiFlex   data.ID = 6
)

// requestDataset is smallDataset with a study week at Cas's school, a
// holiday contract of two days for Cas and a Qflexibel contract of 10 hours for Dewi.
func requestDataset() data.Dataset {
	ds := smallDataset()
	ds.Holidays = append(ds.Holidays, data.SchoolHoliday{ID: 2, SchoolID: 1, Name: "Studieweek",
		From: data.NewDate(2026, time.March, 14), To: data.NewDate(2026, time.March, 22)})
	start := data.NewDate(2025, time.September, 1)
	ds.Contracts = append(ds.Contracts,
		data.Contract{ID: contractCasHoliday, ChildID: idCas, GroupID: groupUi, Product: data.ProductBSOHoliday, CreditDays: 2, Start: start},
		data.Contract{ID: contractDewiFlex, ChildID: idDewi, GroupID: groupEg, Product: data.ProductQflexibel, CreditHours: 10, Start: start},
	)
	return ds
}

func dewiDraft(day data.Date, times data.TimeRange) data.RequestDraft {
	return data.RequestDraft{ChildID: idDewi, GroupID: groupEg, Date: day, Times: times, Product: data.ProductKDV,
		Channel: data.ChannelGroup, By: "Mirjam (pm)"}
}

// reportAbsence reports the child absent on day from the child's card and returns the record.
func reportAbsence(t *testing.T, db *boltstore.DB, child data.ID, day data.Date) data.Attendance {
	t.Helper()
	a, err := db.ReportAbsence(t.Context(), data.AbsenceReport{ChildID: child, Date: day, Reason: data.AbsenceDayOff, By: "Mirjam (pm)"})
	if err != nil {
		t.Fatalf("ReportAbsence(%d, %s): %v", child, day, err)
	}
	return a
}

// absenceEntry returns the child's entry earned by an absence (not flexible credit).
func absenceEntry(t *testing.T, db *boltstore.DB, child data.ID) data.CreditEntry {
	t.Helper()
	l, err := db.Ledger(t.Context(), child)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range l.Entries {
		if !e.Flexible() {
			return e
		}
	}
	t.Fatalf("child %d has no absence credit: %+v", child, l.Entries)
	return data.CreditEntry{}
}

func TestReportAbsence_T1_EarnsCreditInTheSameWrite(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	var changes []data.Change
	var mu sync.Mutex
	datatest.Subscribe(t, db, func(c data.Change) { mu.Lock(); changes = append(changes, c); mu.Unlock() })

	a := reportAbsence(t, db, idDewi, friday) // three days ahead: in time

	if !a.Absent || a.AbsenceReportedBy != "Mirjam (pm)" || !a.AbsenceReportedAt.Equal(storeNow) || a.AbsenceMinutes != 630 {
		t.Fatalf("absence record %+v, want reported now by Mirjam for 10:30 hours", a)
	}
	if a.Credit == nil || a.Credit.Minutes != 630 || a.NoCredit != "" {
		t.Fatalf("credit %+v (none: %q), want 630 minutes", a.Credit, a.NoCredit)
	}
	e := absenceEntry(t, db, idDewi)
	if e.ID != a.Credit.EntryID || e.Origin != data.OriginKDVDay || e.EarnedOn != friday || e.ExpiresOn != friday.AddDays(28) || e.Available() != 630 {
		t.Errorf("ledger entry %+v", e)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.ContainsFunc(changes, func(c data.Change) bool { return c.Kind == data.ChangeCredit && c.Date == friday }) ||
		!slices.ContainsFunc(changes, func(c data.Change) bool { return c.Kind == data.ChangeAttendance && c.Date == friday }) {
		t.Errorf("changes %+v, want attendance and credit of %s", changes, friday)
	}
}

func TestMarkAbsent_T1_LateReportEarnsNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	// Anna's care today started at 07:30; it is 09:00.
	if err := db.MarkAbsent(t.Context(), data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}, data.AbsenceSick); err != nil {
		t.Fatal(err)
	}
	l, _ := db.DayList(t.Context(), groupEg, storeToday)
	r, _ := rowOf(l, idAnna)
	if r.Attendance.Credit != nil || r.Attendance.NoCredit != data.NoCreditLate {
		t.Errorf("late absence: credit %+v, reason %q", r.Attendance.Credit, r.Attendance.NoCredit)
	}
	ledger, _ := db.Ledger(t.Context(), idAnna)
	if len(ledger.Entries) != 0 {
		t.Errorf("Anna's ledger %+v, want empty", ledger.Entries)
	}
}

func TestClearAbsence_T1_WithdrawsTheCredit(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	u, _ := db.Unlock(t.Context(), friday, "Mirjam")
	// Changing the reason keeps the one credit; clearing the absence withdraws it.
	e := data.DayEdit{Date: friday, GroupID: groupEg, ChildID: idDewi, By: "Mirjam", Unlock: u}
	if err := db.MarkAbsent(t.Context(), e, data.AbsenceSick); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.Ledger(t.Context(), idDewi); len(l.Entries) != 2 { // the absence and the Qflexibel year
		t.Fatalf("after changing the reason: %d entries, want 2", len(l.Entries))
	}
	if err := db.ClearAbsence(t.Context(), e); err != nil {
		t.Fatal(err)
	}
	entry := absenceEntry(t, db, idDewi)
	if !entry.Withdrawn || entry.Available() != 0 {
		t.Errorf("entry after clearing %+v, want withdrawn", entry)
	}
	l, _ := db.DayList(t.Context(), groupEg, friday)
	r, _ := rowOf(l, idDewi)
	if r.Attendance.Credit != nil || !r.Attendance.AbsenceReportedAt.IsZero() {
		t.Errorf("record still shows the absence's credit: %+v", r.Attendance)
	}
}

func TestReportAbsence_Errors(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	for _, tt := range []struct {
		name    string
		report  data.AbsenceReport
		wantErr error
	}{
		{"a day gone by", data.AbsenceReport{ChildID: idAnna, Date: yesterday, Reason: data.AbsenceSick, By: "x"}, data.ErrInvalid},
		{"a day the child is not expected", data.AbsenceReport{ChildID: idDewi, Date: wednesday, Reason: data.AbsenceSick, By: "x"}, data.ErrNotFound},
		{"unknown child", data.AbsenceReport{ChildID: 99, Date: friday, Reason: data.AbsenceSick, By: "x"}, data.ErrNotFound},
		{"no name", data.AbsenceReport{ChildID: idDewi, Date: friday, Reason: data.AbsenceSick}, data.ErrInvalid},
		{"unknown reason", data.AbsenceReport{ChildID: idDewi, Date: friday, Reason: "zomaar", By: "x"}, data.ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.ReportAbsence(t.Context(), tt.report); !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// submitProposed previews a draft and submits it with the proposed payment.
func submitProposed(t *testing.T, db *boltstore.DB, d data.RequestDraft) data.Request {
	t.Helper()
	p, err := db.PreviewRequest(t.Context(), d)
	if err != nil || p.Problem != nil {
		t.Fatalf("PreviewRequest: %v, problem %v", err, p.Problem)
	}
	r, err := db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
	if err != nil {
		t.Fatalf("SubmitRequest: %v", err)
	}
	return r
}

func TestRequest_R3_R7_A2_CreditReservedSpentAndOnTheList(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	a := reportAbsence(t, db, idDewi, friday)
	d := dewiDraft(wednesday, morning)

	p, err := db.PreviewRequest(t.Context(), d)
	if err != nil || p.Problem != nil {
		t.Fatalf("preview: %v / %v", err, p.Problem)
	}
	if len(p.Proposal.Allocations) != 1 || p.Proposal.Allocations[0].EntryID != a.Credit.EntryID || p.Proposal.Allocations[0].Minutes != 240 || p.Proposal.InvoiceMinutes != 0 {
		t.Fatalf("proposal %+v, want the 4 hours from the absence credit", p.Proposal)
	}
	if !slices.Equal(p.Products, []data.Product{data.ProductKDV, data.ProductQflexibel}) || p.Occupancy != 2 || p.Capacity != 12 {
		t.Errorf("preview products %v occupancy %d/%d", p.Products, p.Occupancy, p.Capacity)
	}

	r, err := db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
	if err != nil {
		t.Fatal(err)
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 240 || e.Available() != 390 {
		t.Fatalf("after submitting: %+v, want 240 reserved", e)
	}
	l, _ := db.Ledger(t.Context(), idDewi)
	if want := []data.Balance{{Pot: string(data.OriginKDVDay), Available: 390, Reserved: 240}, {Pot: string(data.ProductQflexibel), Available: 600}}; !slices.Equal(l.Balances, want) {
		t.Errorf("balances %+v, want %+v", l.Balances, want)
	}
	queue, err := db.OpenRequests(t.Context(), groupEg)
	if err != nil || len(queue) != 1 || queue[0].Request.ID != r.ID || queue[0].Flag != data.FlagNear || queue[0].Occupancy != 2 {
		t.Fatalf("queue %+v (%v), want the request flagged near, occupancy 2", queue, err)
	}
	if counts, _ := db.OpenRequestCounts(t.Context(), 1); counts[groupEg] != 1 {
		t.Errorf("counts %v", counts)
	}
	if l, _ := db.DayList(t.Context(), groupEg, wednesday); slices.Contains(rowIDs(l), idDewi) {
		t.Fatal("Dewi on the list before approval")
	}

	if err := db.ApproveRequest(t.Context(), r.ID, "Sanne (pm)"); err != nil {
		t.Fatal(err)
	}
	list, _ := db.DayList(t.Context(), groupEg, wednesday)
	row, ok := rowOf(list, idDewi)
	if !ok || row.Source != data.SourceRequest || row.Expected != morning {
		t.Fatalf("after approval Dewi's row %+v (on list %v)", row, ok)
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 0 || e.Spent != 240 || e.Available() != 390 {
		t.Errorf("after approval: %+v, want 240 spent", e)
	}
	if queue, _ := db.OpenRequests(t.Context(), groupEg); len(queue) != 0 {
		t.Errorf("queue after approval %+v", queue)
	}
	stored, _ := db.Request(t.Context(), r.ID)
	if stored.Status != data.StatusApproved || stored.DecidedBy != "Sanne (pm)" || !stored.DecidedAt.Equal(storeNow) {
		t.Errorf("stored request %+v", stored)
	}
	if err := db.ApproveRequest(t.Context(), r.ID, "Sanne (pm)"); !errors.Is(err, data.ErrNotOpen) {
		t.Errorf("approving twice: %v, want ErrNotOpen", err)
	}

	// Cancelling the approved request takes Dewi off the list and gives the credit back.
	if err := db.CancelRequest(t.Context(), r.ID, "office", "ouder zegt af"); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.DayList(t.Context(), groupEg, wednesday); slices.Contains(rowIDs(l), idDewi) {
		t.Error("Dewi still on the list after cancelling")
	}
	if e := absenceEntry(t, db, idDewi); e.Spent != 0 || e.Available() != 630 {
		t.Errorf("after cancelling: %+v, want everything back", e)
	}
}

func TestRequest_R7_RejectGivesCreditBack(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	r := submitProposed(t, db, dewiDraft(wednesday, morning))
	if err := db.RejectRequest(t.Context(), r.ID, "Sanne", " "); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("reject without reason: %v", err)
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 240 {
		t.Fatalf("a refused rejection changed the credit: %+v", e)
	}
	if err := db.RejectRequest(t.Context(), r.ID, "Sanne", "groep is vol"); err != nil {
		t.Fatal(err)
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 0 || e.Available() != 630 {
		t.Errorf("after rejecting: %+v", e)
	}
	stored, _ := db.Request(t.Context(), r.ID)
	if stored.Status != data.StatusRejected || stored.Reason != "groep is vol" {
		t.Errorf("stored %+v", stored)
	}
	// The day is free again for a new request.
	submitProposed(t, db, dewiDraft(wednesday, morning))
}

func TestRequest_R7_RacingSubmissionsSpendNothingTwice(t *testing.T) {
	for round := range 5 {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(requestDataset()))
			reportAbsence(t, db, idDewi, friday) // 630 minutes
			whole := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
			drafts := []data.RequestDraft{dewiDraft(wednesday, whole), dewiDraft(thursday, whole)}
			payments := make([]data.Payment, len(drafts))
			for i, d := range drafts {
				p, err := db.PreviewRequest(t.Context(), d)
				if err != nil || p.Proposal.CreditMinutes() != 630 {
					t.Fatalf("preview %d: %v, proposal %+v", i, err, p.Proposal)
				}
				payments[i] = p.Proposal.Payment
			}
			errs := make([]error, len(drafts))
			var start, done sync.WaitGroup
			start.Add(1)
			for i := range drafts {
				done.Go(func() {
					start.Wait()
					_, errs[i] = db.SubmitRequest(t.Context(), drafts[i], payments[i])
				})
			}
			start.Done()
			done.Wait()

			won := slices.IndexFunc(errs, func(err error) bool { return err == nil })
			lost := 1 - won
			if won < 0 || errs[lost] == nil {
				t.Fatalf("errors %v, want exactly one winner", errs)
			}
			var changed *data.PaymentChangedError
			if !errors.Is(errs[lost], data.ErrCreditChanged) || !errors.As(errs[lost], &changed) {
				t.Fatalf("loser's error %v, want ErrCreditChanged with a fresh proposal", errs[lost])
			}
			if changed.Fresh.CreditMinutes() != 0 || changed.Fresh.InvoiceMinutes != 630 {
				t.Errorf("fresh proposal %+v, want all on invoice now the credit is reserved", changed.Fresh)
			}
			if e := absenceEntry(t, db, idDewi); e.Reserved != 630 || e.Available() != 0 {
				t.Errorf("entry %+v, want reserved once", e)
			}
			if reqs, _ := db.ChildRequests(t.Context(), idDewi); len(reqs) != 1 || reqs[0].Date != drafts[won].Date {
				t.Errorf("stored requests %+v, want only the winner's", reqs)
			}
			// The loser submits the fresh proposal and succeeds.
			if _, err := db.SubmitRequest(t.Context(), drafts[lost], changed.Fresh.Payment); err != nil {
				t.Errorf("resubmitting the fresh proposal: %v", err)
			}
		})
	}
}

// storeState is what a failed submission must leave untouched.
func storeState(t *testing.T, db *boltstore.DB) string {
	t.Helper()
	var out string
	for _, child := range []data.ID{idAnna, idBram, idCas, idDewi} {
		l, err := db.Ledger(t.Context(), child)
		if err != nil {
			t.Fatal(err)
		}
		reqs, err := db.ChildRequests(t.Context(), child)
		if err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf("%d: %+v %+v\n", child, l.Entries, reqs)
	}
	counts, _ := db.OpenRequestCounts(t.Context(), 0)
	return out + fmt.Sprint(counts)
}

func TestSubmitRequest_BadInputStoresNothing(t *testing.T) {
	withCredit := func(t *testing.T) (*boltstore.DB, data.CreditEntry) {
		db, _ := newStore(t, datatest.Seeded(requestDataset()))
		reportAbsence(t, db, idDewi, friday)
		return db, absenceEntry(t, db, idDewi)
	}
	invoice := func(minutes int) data.Payment {
		return data.Payment{InvoiceMinutes: minutes, InvoiceProduct: data.ProductKDV}
	}
	tests := []struct {
		name    string
		submit  func(t *testing.T, db *boltstore.DB, e data.CreditEntry) error
		wantErr error
	}{
		{"zero hours", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(8, 0)}), invoice(0))
			return err
		}, data.ErrInvalid},
		{"end before start", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(8, 0)}), invoice(-240))
			return err
		}, data.ErrInvalid},
		{"unknown child", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			d := dewiDraft(wednesday, morning)
			d.ChildID = 99
			_, err := db.SubmitRequest(t.Context(), d, invoice(240))
			return err
		}, data.ErrInvalid},
		{"duplicate request", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			submitProposed(t, db, dewiDraft(wednesday, morning))
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, data.TimeRange{From: data.NewClock(13, 0), Until: data.NewClock(15, 0)}), invoice(120))
			return err
		}, data.ErrDuplicate},
		{"overdrawn credit", func(t *testing.T, db *boltstore.DB, e data.CreditEntry) error {
			pay := data.Payment{InvoiceProduct: data.ProductKDV, Allocations: []data.Allocation{
				{EntryID: e.ID, ExpiresOn: e.ExpiresOn, Origin: e.Origin, Minutes: 630},
				{EntryID: e.ID, ExpiresOn: e.ExpiresOn, Origin: e.Origin, Minutes: 30},
			}}
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(18, 0)}), pay)
			return err
		}, data.ErrOverdrawn},
		{"credit of another product", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			l, _ := db.Ledger(t.Context(), idDewi)
			i := slices.IndexFunc(l.Entries, func(e data.CreditEntry) bool { return e.Product == data.ProductQflexibel })
			flex := l.Entries[i]
			pay := data.Payment{InvoiceProduct: data.ProductKDV, Allocations: []data.Allocation{
				{EntryID: flex.ID, ExpiresOn: flex.ExpiresOn, Origin: flex.Origin, Product: flex.Product, Minutes: 240}}}
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, morning), pay)
			return err
		}, data.ErrInvalid},
		{"newer credit before older (R4)", func(t *testing.T, db *boltstore.DB, e data.CreditEntry) error {
			// Pay from the Qflexibel credit while the absence credit is older and usable.
			d := dewiDraft(wednesday, morning)
			d.Product = data.ProductQflexibel
			l, _ := db.Ledger(t.Context(), idDewi)
			i := slices.IndexFunc(l.Entries, func(e data.CreditEntry) bool { return e.Product == data.ProductQflexibel })
			flex := l.Entries[i]
			pay := data.Payment{InvoiceProduct: data.ProductQflexibel, Allocations: []data.Allocation{
				{EntryID: flex.ID, ExpiresOn: flex.ExpiresOn, Origin: flex.Origin, Product: flex.Product, Minutes: 240}}}
			_, err := db.SubmitRequest(t.Context(), d, pay)
			return err
		}, data.ErrCreditChanged},
		{"invoice while credit is usable, without reason (R3)", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			_, err := db.SubmitRequest(t.Context(), dewiDraft(wednesday, morning), invoice(240))
			return err
		}, data.ErrInvalid},
		{"a day gone by", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			_, err := db.SubmitRequest(t.Context(), dewiDraft(yesterday, morning), invoice(240))
			return err
		}, data.ErrInvalid},
		{"the parents' window (R1)", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			_, err := db.SubmitRequest(t.Context(), dewiDraft(storeToday.AddDays(7), morning), invoice(240))
			return err
		}, data.ErrOutsideWindow},
		{"already expected that day", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			d := dewiDraft(wednesday, morning)
			d.ChildID = idAnna
			_, err := db.SubmitRequest(t.Context(), d, invoice(240))
			return err
		}, data.ErrAlreadyExpected},
		{"a product the group does not give", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			d := dewiDraft(wednesday, morning)
			d.Product = data.ProductBSOHoliday
			_, err := db.SubmitRequest(t.Context(), d, data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductExtraHolidayDay})
			return err
		}, data.ErrInvalid},
		{"nobody named", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			d := dewiDraft(wednesday, morning)
			d.By = " "
			_, err := db.SubmitRequest(t.Context(), d, invoice(240))
			return err
		}, data.ErrInvalid},
		{"a closing day", func(t *testing.T, db *boltstore.DB, _ data.CreditEntry) error {
			// Good Friday is no closing day; Easter Monday 6 April is, in the office's window.
			d := dewiDraft(data.NewDate(2026, time.April, 6), morning)
			d.Channel = data.ChannelOffice
			_, err := db.SubmitRequest(t.Context(), d, invoice(240))
			return err
		}, data.ErrClosedDay},
	}
	// The refusal each write gives is the rule's own, as a code the window translates.
	codes := map[string]string{
		"zero hours": data.RefuseNoHours, "end before start": data.RefuseEndsBeforeStart,
		"unknown child": data.RefuseUnknownChild, "duplicate request": data.RefuseDuplicate,
		"overdrawn credit": data.RefuseCreditChanged, "credit of another product": data.RefuseCreditBlocked,
		"newer credit before older (R4)":                      data.RefuseCreditChanged,
		"invoice while credit is usable, without reason (R3)": data.RefuseOverrideReason,
		"a day gone by": data.RefuseDayPassed, "the parents' window (R1)": data.RefuseParentsWindow,
		"already expected that day": data.RefuseAlreadyExpected, "a product the group does not give": data.RefuseProduct,
		"nobody named": data.RefuseNoRegistrar, "a closing day": data.RefuseRequestClosedDay,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, entry := withCredit(t)
			before := storeState(t, db)
			var published []data.Change
			var mu sync.Mutex
			cancel := datatest.Subscribe(t, db, func(c data.Change) { mu.Lock(); published = append(published, c); mu.Unlock() })
			err := tt.submit(t, db, entry)
			cancel()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if r := (*data.Refusal)(nil); !errors.As(err, &r) || r.Code != codes[tt.name] {
				t.Errorf("err = %v, want the refusal %q", err, codes[tt.name])
			}
			if tt.name == "duplicate request" {
				return // the first request was stored on purpose
			}
			if after := storeState(t, db); after != before {
				t.Errorf("a refused request changed the store:\nbefore %s\nafter  %s", before, after)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(published) != 0 {
				t.Errorf("a refused request published %+v", published)
			}
		})
	}
}

func TestSubmitRequest_OverCapacityNeedsConfirmation(t *testing.T) {
	ds := requestDataset()
	ds.Groups[0].Capacity = 2 // Anna and Bram fill Egeltjes on Wednesday
	db, _ := newStore(t, datatest.Seeded(ds))
	d := dewiDraft(wednesday, morning)
	p, err := db.PreviewRequest(t.Context(), d)
	if err != nil || p.Problem != nil || !p.OverCapacity() {
		t.Fatalf("preview %+v (%v), want it to say over capacity", p, err)
	}
	_, err = db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
	if r := (*data.Refusal)(nil); !errors.Is(err, data.ErrOverCapacity) || !errors.As(err, &r) || r.Code != data.RefuseOverCapacity {
		t.Fatalf("unconfirmed: %v, want the over-capacity refusal", err)
	}
	d.OverCapacity = true
	r, err := db.SubmitRequest(t.Context(), d, p.Proposal.Payment)
	if err != nil || !r.OverCapacity {
		t.Fatalf("confirmed: %+v, %v", r, err)
	}
	queue, _ := db.OpenRequests(t.Context(), groupEg)
	if len(queue) != 1 || queue[0].Occupancy != 2 || queue[0].Capacity != 2 {
		t.Errorf("queue %+v, want occupancy 2 of 2 before approval", queue)
	}
}

func TestRequest_R3_InvoiceAnywayWithReasonIsRecorded(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	d := dewiDraft(wednesday, morning)
	p, _ := db.PreviewRequest(t.Context(), d)
	r, err := db.SubmitRequest(t.Context(), d, p.Proposal.InvoiceAnyway(240, " ouder spaart tegoed voor de zomer "))
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := db.Request(t.Context(), r.ID)
	if stored.Payment.OverrideReason != "ouder spaart tegoed voor de zomer" || stored.Payment.InvoiceMinutes != 240 || len(stored.Payment.Allocations) != 0 {
		t.Errorf("stored payment %+v", stored.Payment)
	}
	if e := absenceEntry(t, db, idDewi); e.Reserved != 0 {
		t.Errorf("an invoiced request reserved credit: %+v", e)
	}
}

func TestRequest_V1_V3_HolidayDays(t *testing.T) {
	holidayDay := data.DefaultSettings().HolidayDay // 07:30–18:30, 660 minutes
	casDraft := data.RequestDraft{ChildID: idCas, GroupID: groupUi, Date: holiday, Times: holidayDay,
		Product: data.ProductBSOHoliday, Channel: data.ChannelOffice, By: "klantenservice"}

	t.Run("V1_HolidayContractCreditFirst", func(t *testing.T) {
		db, _ := newStore(t, datatest.Seeded(requestDataset()))
		reportAbsence(t, db, idCas, friday) // school-day credit of a school-weeks child
		p, err := db.PreviewRequest(t.Context(), casDraft)
		if err != nil || p.Problem != nil || !p.HolidayDay || !slices.Equal(p.Products, []data.Product{data.ProductBSOHoliday}) {
			t.Fatalf("preview %+v (%v)", p, err)
		}
		if len(p.Proposal.Allocations) != 1 || p.Proposal.Allocations[0].Product != data.ProductBSOHoliday || p.Proposal.Allocations[0].Minutes != 660 {
			t.Fatalf("proposal %+v, want one holiday-contract day", p.Proposal)
		}
		r, err := db.SubmitRequest(t.Context(), casDraft, p.Proposal.Payment)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ApproveRequest(t.Context(), r.ID, "Sanne"); err != nil {
			t.Fatal(err)
		}
		l, _ := db.Ledger(t.Context(), idCas)
		want := []data.Balance{{Pot: string(data.OriginBSOSchoolDay), Available: 210}, {Pot: string(data.ProductBSOHoliday), Available: 660}}
		if !slices.Equal(l.Balances, want) {
			t.Errorf("balances %+v, want the school-day credit untouched and one holiday day of two left: %+v", l.Balances, want)
		}
		list, _ := db.DayList(t.Context(), groupUi, holiday)
		if row, ok := rowOf(list, idCas); !ok || row.Expected != holidayDay || row.Source != data.SourceRequest {
			t.Errorf("Cas on the holiday list: %+v %v", row, ok)
		}
	})

	t.Run("V3_T2_WithoutContractSchoolDayCreditBlockedAndInvoiced", func(t *testing.T) {
		ds := requestDataset()
		ds.Contracts = slices.DeleteFunc(ds.Contracts, func(c data.Contract) bool { return c.ID == contractCasHoliday })
		db, _ := newStore(t, datatest.Seeded(ds))
		reportAbsence(t, db, idCas, friday)
		p, err := db.PreviewRequest(t.Context(), casDraft)
		if err != nil || p.Problem != nil {
			t.Fatal(err, p.Problem)
		}
		if p.Proposal.CreditMinutes() != 0 || p.Proposal.InvoiceMinutes != 660 || p.Proposal.InvoiceProduct != data.ProductExtraHolidayDay {
			t.Fatalf("proposal %+v, want the day on invoice as extra vakantiedag bso", p.Proposal)
		}
		if len(p.Proposal.Blocked) != 1 || p.Proposal.Blocked[0].Reason != data.BlockSchoolDayCredit {
			t.Fatalf("blocked %+v, want the school-day credit blocked by T2", p.Proposal.Blocked)
		}
		r, err := db.SubmitRequest(t.Context(), casDraft, p.Proposal.Payment)
		if err != nil || r.Payment.InvoiceProduct != data.ProductExtraHolidayDay {
			t.Fatalf("submitted %+v, %v", r.Payment, err)
		}
	})
}

func TestLedger_FlexibleCreditGrantedOncePerContractYear(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	for range 2 {
		l, err := db.Ledger(t.Context(), idDewi)
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Entries) != 1 {
			t.Fatalf("entries %+v, want the one Qflexibel year", l.Entries)
		}
		e := l.Entries[0]
		// The contract started 1 September 2025: this year runs to 31 August 2026.
		if e.Product != data.ProductQflexibel || e.Minutes != 600 || e.ValidFrom != data.NewDate(2025, time.September, 1) || e.ExpiresOn != data.NewDate(2026, time.August, 31) {
			t.Errorf("grant %+v", e)
		}
		if len(l.Balances) != 1 || l.Balances[0].Pot != string(data.ProductQflexibel) || l.Balances[0].Available != 600 {
			t.Errorf("balances %+v", l.Balances)
		}
	}
	// Cas's holiday contract gives two holiday days of 11 hours.
	l, _ := db.Ledger(t.Context(), idCas)
	if len(l.Entries) != 1 || l.Entries[0].Minutes != 2*660 {
		t.Errorf("Cas's ledger %+v, want 1320 minutes of holiday credit", l.Entries)
	}
}

// TestOpen_MigratesToRequestsIndexingContractsByChild upgrades a file of
// schema 1 (written before requests existed): the migration adds the
// request and credit buckets and indexes the contracts already stored by
// child, so their flexible credit is found.
func TestOpen_MigratesToRequestsIndexingContractsByChild(t *testing.T) {
	db, path := newStore(t)
	if err := db.Seed(t.Context(), requestDataset()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"credit", "credit-grants", "requests", "requests-open", "requests-by-child", "contracts-by-child"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("version"), []byte{0, 0, 0, 0, 0, 0, 0, 1})
	})
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}

	db, _ = newStore(t, datatest.Path(path))
	l, err := db.Ledger(t.Context(), idDewi)
	if err != nil || len(l.Entries) != 1 || l.Entries[0].Product != data.ProductQflexibel {
		t.Fatalf("ledger after migrating: %+v, %v; want Dewi's Qflexibel year", l.Entries, err)
	}
	reportAbsence(t, db, idDewi, friday)
	submitProposed(t, db, dewiDraft(wednesday, morning))
}

// A study day has no school: extra care on it is study-day care, a whole day
// billed as the study-day product, and an absence of a 52-weeks child that day
// earns holiday-day credit, not school-day credit (S2, T2).
func TestRequest_S2_StudyDayIsNotASchoolDay(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	whole := data.DefaultSettings().HolidayDay
	gijs := data.RequestDraft{ChildID: idGijs, GroupID: groupUi, Date: studyDay, Times: whole,
		Product: data.ProductStudyDay, Channel: data.ChannelOffice, By: "klantenservice"}

	p, err := db.PreviewRequest(t.Context(), gijs)
	if err != nil || p.Problem != nil || !slices.Equal(p.Products, []data.Product{data.ProductStudyDay}) || !p.StudyDay {
		t.Fatalf("preview products %v (study day %v), problem %v, %v; want the study-day product only", p.Products, p.StudyDay, p.Problem, err)
	}
	if p.Proposal.InvoiceProduct != data.ProductStudyDay || p.Proposal.InvoiceMinutes != 660 {
		t.Fatalf("proposal %+v, want a whole study day on invoice", p.Proposal)
	}
	school := gijs
	school.Product = data.ProductBSOSchoolDay
	if p, _ := db.PreviewRequest(t.Context(), school); p.Problem == nil || !errors.Is(p.Problem, data.ErrInvalid) {
		t.Errorf("a school-day request on the study day: problem %v, want it refused", p.Problem)
	}
	r := submitProposed(t, db, gijs)
	if err := db.ApproveRequest(t.Context(), r.ID, "Sanne"); err != nil {
		t.Fatal(err)
	}
	batch, err := db.ExportInvoicing(t.Context(), data.InvoiceSpec{From: studyDay, To: studyDay, By: "Priya"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []data.InvoiceLine
	for l, err := range db.InvoiceLines(t.Context(), batch.ID) {
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	if len(lines) != 1 || lines[0].Product != data.ProductStudyDay || lines[0].Days() != 1 {
		t.Errorf("invoice lines %+v, want one study day of 1 day", lines)
	}

	// Eva's 52-weeks contract gives her a whole day on the study day; her
	// absence that day goes into the pot of days without school.
	a := reportAbsence(t, db, idEva, studyDay)
	if a.Credit == nil {
		t.Fatalf("Eva's absence earned nothing: %+v", a)
	}
	if e := absenceEntry(t, db, idEva); e.Origin != data.OriginBSOHolidayDay || e.Minutes != 660 {
		t.Errorf("Eva's credit %+v, want 660 minutes of holiday-day credit", e)
	}
}
