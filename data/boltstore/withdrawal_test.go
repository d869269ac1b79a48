package boltstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// R7: an absence reported ahead earns credit that pays a request now; when
// the child comes that day after all, withdrawing the absence must not leave
// that credit spent and the care unbilled. The store refuses the withdrawal
// until staff confirm the amount it shows; then the spent minutes go on the
// requests' invoice, and an exported request gets a correction.
func TestWithdrawAbsence_R7_SpentCreditIsBilled(t *testing.T) {
	db, c := invoiceStore(t)
	absence := reportAbsence(t, db, idDewi, friday)             // 630 minutes of credit
	combi := approve(t, db, c, dewiDraft(wednesday, dewiCombi)) // 630 from credit, 60 on invoice
	if combi.Payment.CreditMinutes() != 630 || combi.Payment.InvoiceMinutes != 60 {
		t.Fatalf("combination paid %+v", combi.Payment)
	}
	first, lines := export(t, db, c, march)
	if len(lines) != 1 || lines[0].InvoiceMinutes != 60 {
		t.Fatalf("first export %+v, want the 60 invoiced minutes", lines)
	}

	// Friday: Dewi comes after all.
	c.now = friday.Time(data.NewClock(8, 30), time.Local)
	checkIn := data.DayEdit{Date: friday, GroupID: groupEg, ChildID: idDewi, By: "Mirjam (pm)"}
	err := db.CheckIn(t.Context(), checkIn, data.NewClock(8, 15))
	var spent *data.CreditSpentError
	if !errors.As(err, &spent) || !errors.Is(err, data.ErrCreditSpent) {
		t.Fatalf("check-in over spent credit: %v, want a CreditSpentError", err)
	}
	want := []data.CreditUse{{RequestID: combi.ID, Date: wednesday, Status: data.StatusApproved, Product: data.ProductKDV, Minutes: 630}}
	if spent.Minutes != 630 || spent.AbsenceDate != friday || !slices.Equal(spent.Uses, want) {
		t.Fatalf("refusal %+v, want 630 minutes used by request %d", spent, combi.ID)
	}
	if e := absenceEntry(t, db, idDewi); e.Spent != 630 || e.Withdrawn {
		t.Fatalf("a refused check-in changed the credit: %+v", e)
	}
	list, _ := db.DayList(t.Context(), groupEg, friday)
	if r, _ := rowOf(list, idDewi); !r.Attendance.Absent || r.Attendance.Credit == nil {
		t.Fatalf("a refused check-in changed the record: %+v", r.Attendance)
	}

	stale := checkIn
	stale.BillSpentCredit = 600
	if err := db.CheckIn(t.Context(), stale, data.NewClock(8, 15)); !errors.Is(err, data.ErrCreditSpent) {
		t.Fatalf("confirming another amount than is spent: %v, want refused", err)
	}
	confirmed := checkIn
	confirmed.BillSpentCredit = 630
	if err := db.CheckIn(t.Context(), confirmed, data.NewClock(8, 15)); err != nil {
		t.Fatalf("confirmed check-in: %v", err)
	}
	e := absenceEntry(t, db, idDewi)
	if !e.Withdrawn || e.Spent != 0 || e.Reserved != 0 || e.ID != absence.Credit.EntryID {
		t.Errorf("entry after withdrawal %+v, want withdrawn and nothing spent from it", e)
	}
	r, _ := db.Request(t.Context(), combi.ID)
	if r.Payment.CreditMinutes() != 0 || r.Payment.InvoiceMinutes != 690 || r.Status != data.StatusApproved {
		t.Errorf("request after withdrawal %+v, want all 690 minutes on invoice", r.Payment)
	}
	if len(r.Withdrawn) != 1 || r.Withdrawn[0].Minutes != 630 || r.Withdrawn[0].AbsenceDate != friday || r.Withdrawn[0].By != "Mirjam (pm)" {
		t.Errorf("request records %+v, want the 630 minutes withdrawn by Mirjam", r.Withdrawn)
	}

	// The export corrects what it billed and bills the whole request.
	_, lines = export(t, db, c, march)
	if len(lines) != 2 {
		t.Fatalf("second export %+v, want a correction and a new line", lines)
	}
	corr, now := lines[0], lines[1]
	if corr.Kind != data.LineCorrection || corr.Cause != data.CauseCreditWithdrawn || corr.InvoiceMinutes != -60 || corr.CreditMinutes != -630 || corr.By != "Mirjam (pm)" {
		t.Errorf("correction %+v, want -60 invoiced minutes, credit withdrawn by Mirjam", corr)
	}
	if now.Kind != data.LineNew || now.InvoiceMinutes != 690 || now.CreditMinutes != 0 || now.SourceID != combi.ID {
		t.Errorf("new line %+v, want 690 minutes on invoice", now)
	}
	if first.ID == lines[0].Batch {
		t.Error("the correction is in the first batch")
	}
}

// An open request keeps its place; the withdrawn credit it reserved goes on its invoice before approval.
func TestWithdrawAbsence_R7_ReservedCreditMovesToInvoice(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	r := submitProposed(t, db, dewiDraft(wednesday, morning)) // 240 minutes reserved
	u, err := db.Unlock(t.Context(), friday, "Mirjam")
	if err != nil {
		t.Fatal(err)
	}
	clear := data.DayEdit{Date: friday, GroupID: groupEg, ChildID: idDewi, By: "Mirjam", Unlock: u}
	err = db.ClearAbsence(t.Context(), clear)
	var spent *data.CreditSpentError
	if !errors.As(err, &spent) || spent.Minutes != 240 || len(spent.Uses) != 1 || spent.Uses[0].Status != data.StatusOpen {
		t.Fatalf("clearing: %v, want 240 minutes reserved by the open request", err)
	}
	clear.BillSpentCredit = 240
	if err := db.ClearAbsence(t.Context(), clear); err != nil {
		t.Fatal(err)
	}
	if e := absenceEntry(t, db, idDewi); !e.Withdrawn || e.Reserved != 0 {
		t.Errorf("entry %+v", e)
	}
	got, _ := db.Request(t.Context(), r.ID)
	if got.Payment.InvoiceMinutes != 240 || len(got.Payment.Allocations) != 0 || got.Status != data.StatusOpen {
		t.Fatalf("open request after withdrawal %+v", got)
	}
	if err := db.ApproveRequest(t.Context(), r.ID, "Mirjam"); err != nil {
		t.Fatalf("approving after withdrawal: %v", err)
	}
}

// Unspent credit is withdrawn as before, without asking.
func TestWithdrawAbsence_R7_UnspentCreditNeedsNoConfirmation(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(requestDataset()))
	reportAbsence(t, db, idDewi, friday)
	u, _ := db.Unlock(t.Context(), friday, "Mirjam")
	if err := db.ClearAbsence(t.Context(), data.DayEdit{Date: friday, GroupID: groupEg, ChildID: idDewi, By: "Mirjam", Unlock: u}); err != nil {
		t.Fatal(err)
	}
}
