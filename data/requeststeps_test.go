package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

func TestRequestSteps_R6_DecisionUndoAndTheirChanges(t *testing.T) {
	if refusalCode(data.CheckDecider(" ")) != data.RefuseNoDecider || data.CheckDecider("Els") != nil {
		t.Error("a decision names who decides")
	}
	if refusalCode(data.CheckRejectReason("")) != data.RefuseNoRejectReason || data.CheckRejectReason("vol") != nil {
		t.Error("a rejection needs a reason")
	}
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	r := data.Request{ID: 5, Status: data.StatusApproved}
	r.ChildID, r.GroupID, r.Date = 3, 2, payDay
	changes := r.RecordDecision(" Els ", " ", now)
	if r.DecidedBy != "Els" || !r.DecidedAt.Equal(now) || r.Reason != "" || len(changes) != 1 ||
		changes[0].Kind != data.ChangeRequest || changes[0].Detail != "request 5: approved" {
		t.Errorf("decided without credit: %+v, changes %+v", r, changes)
	}
	r.Payment.Allocations = []data.Allocation{{EntryID: 1, Minutes: 60}}
	changes = r.Reopen()
	if r.Status != data.StatusOpen || r.DecidedBy != "" || !r.DecidedAt.IsZero() || len(changes) != 2 ||
		changes[0].Detail != "request 5: open again" || changes[1].Kind != data.ChangeCredit {
		t.Errorf("reopened with credit: %+v, changes %+v", r, changes)
	}
	if err := data.CheckReopenRecorded(r, data.Attendance{Absent: true}, true); refusalCode(err) != data.RefuseReopenRecorded {
		t.Errorf("recorded absent: %v", err)
	}
	if err := data.CheckReopenRecorded(r, data.Attendance{Note: "blij"}, true); err != nil {
		t.Errorf("only a note recorded: %v", err)
	}
}

func TestRequestSteps_R7_CreditMoves(t *testing.T) {
	e := data.CreditEntry{ID: 4, Minutes: 120}
	data.ReserveCredit(&e, 90)
	data.SpendReserved(&e, 90)
	if e.Reserved != 0 || e.Spent != 90 {
		t.Fatalf("approved: %+v", e)
	}
	data.UnspendToReserved(&e, 90)
	data.ReleaseReserved(&e, 90)
	if e.Reserved != 0 || e.Spent != 0 {
		t.Fatalf("undone and rejected: %+v", e)
	}
	data.ReserveCredit(&e, 60)
	if err := data.ReserveAgain(&e, 90); refusalCode(err) != data.RefuseCreditTaken || e.Reserved != 60 {
		t.Errorf("reserve 90 of 60 left: %v, %+v", err, e)
	}
	if err := data.ReserveAgain(&e, 60); err != nil || e.Reserved != 120 {
		t.Errorf("reserve 60 of 60 left: %v, %+v", err, e)
	}
}

func TestRequestSteps_R2_Submitted(t *testing.T) {
	now := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
	d := data.RequestDraft{ChildID: 3, GroupID: 2, Date: payDay, By: " moeder ", Product: data.ProductKDV,
		Times: data.TimeRange{From: 8 * 60, Until: 10 * 60}}
	pay, err := data.PaymentToReserve(d.Spec(), nil, nil)
	if err != nil || pay.InvoiceMinutes != 120 {
		t.Fatalf("no credit, nothing accepted: %+v %v, want the proposal: all on invoice", pay, err)
	}
	pay.OverrideReason = " afspraak "
	r := data.SubmittedRequest(d, pay, now)
	if r.By != "moeder" || r.Payment.OverrideReason != "afspraak" || r.Status != data.StatusOpen || !r.SubmittedAt.Equal(now) {
		t.Errorf("submitted %+v", r)
	}
	if c := r.SubmitChanges(); len(c) != 2 || c[0].Kind != data.ChangeRequest || c[1].Kind != data.ChangeCredit {
		t.Errorf("changes %+v", c)
	}
	wrong := data.Payment{InvoiceMinutes: 60, InvoiceProduct: data.ProductKDV}
	if _, err := data.PaymentToReserve(d.Spec(), &wrong, nil); err == nil {
		t.Error("a payment of 60 of 120 minutes was accepted")
	}
	d.Date = d.Date.AddDays(30)
	if got, err := data.DraftChannel(&data.Actor{Role: data.RoleStaff}, d, payDay, data.DefaultSettings()); err != nil || got.Channel == "" {
		t.Errorf("channel of staff: %q %v", got.Channel, err)
	}
}

func TestSortQueue_R6_EarliestDayThenLongestWaiting(t *testing.T) {
	item := func(id data.ID, day data.Date, minute int) data.QueueItem {
		var q data.QueueItem
		q.Request.ID, q.Request.Date, q.Request.SubmittedAt = id, day, time.Date(2026, 3, 1, 9, minute, 0, 0, time.UTC)
		return q
	}
	items := []data.QueueItem{item(1, payDay.AddDays(1), 0), item(2, payDay, 30), item(3, payDay, 10)}
	data.SortQueue(items)
	if items[0].Request.ID != 3 || items[1].Request.ID != 2 || items[2].Request.ID != 1 {
		t.Errorf("order %d %d %d, want 3 2 1", items[0].Request.ID, items[1].Request.ID, items[2].Request.ID)
	}
}

func TestDraftFacts_R1_Preview(t *testing.T) {
	d := data.RequestDraft{Channel: data.ChannelGroup, Times: data.TimeRange{From: 8 * 60, Until: 9 * 60}}
	f := data.DraftFacts{ChildFound: true, Group: data.Group{Capacity: 12}, Occupancy: 11, Products: []data.Product{data.ProductKDV}, HolidayDay: true}
	p := f.Preview(d, nil)
	if p.Channel != data.ChannelGroup || p.Capacity != 12 || p.Occupancy != 11 || !p.HolidayDay || len(p.Products) != 1 || p.Problem != nil {
		t.Errorf("preview %+v", p)
	}
	if !f.Proposes(d) {
		t.Error("a known child with times gets a proposal")
	}
	if d.Times.Until = d.Times.From; f.Proposes(d) {
		t.Error("times without length get no proposal")
	}
}
