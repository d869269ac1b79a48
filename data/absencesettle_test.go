package data_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestAbsenceReport_T1_ChecksAndEdit(t *testing.T) {
	today := data.NewDate(2026, time.March, 9)
	r := data.AbsenceReport{ChildID: 4, Date: today.AddDays(2), Reason: data.AbsenceSick, By: "moeder"}
	if err := r.Check(today); err != nil {
		t.Fatalf("a day to come: %v", err)
	}
	for _, bad := range []struct {
		r    data.AbsenceReport
		code string
	}{
		{data.AbsenceReport{ChildID: 4, Date: today, Reason: data.AbsenceSick, By: "  "}, data.RefuseAbsenceNoReporter},
		{data.AbsenceReport{ChildID: 4, Date: today.AddDays(-1), Reason: data.AbsenceSick, By: "moeder"}, data.RefuseAbsenceDayPassed},
	} {
		if got := refusalCode(bad.r.Check(today)); got != bad.code {
			t.Errorf("Check(%+v) = %q, want %q", bad.r, got, bad.code)
		}
	}
	edit, err := r.Edit(2, today)
	if err != nil || edit.GroupID != 2 || edit.ChildID != 4 || edit.Unlock == nil || edit.Unlock.Date() != r.Date {
		t.Fatalf("edit of a day to come: %+v %v, want group 2 with the day unlocked", edit, err)
	}
	if r.Date = today; func() bool { e, _ := r.Edit(2, today); return e.Unlock != nil }() {
		t.Error("today's list needs no unlock")
	}
	r.Reason = "verveling"
	if _, err := r.Edit(2, today); refusalCode(err) != data.RefuseAbsenceReason {
		t.Errorf("unknown reason: %v", err)
	}
	list := data.DayList{Rows: []data.DayRow{{Child: data.Child{ID: 4}, Attendance: data.Attendance{Absent: true}}}}
	if a, err := r.Recorded(list); err != nil || !a.Absent {
		t.Errorf("recorded %+v %v", a, err)
	}
	if _, err := (data.AbsenceReport{ChildID: 5}).Recorded(list); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("a child not on the list: %v", err)
	}
}

func TestSettleAbsence_T1_R7(t *testing.T) {
	now := time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC)
	row := data.DayRow{Expected: data.TimeRange{From: 8 * 60, Until: 13 * 60}}
	after := data.Attendance{Absent: true}
	if got := data.SettleAbsence("Els", row, data.Attendance{}, &after, now); got != data.SettleEarn ||
		after.AbsenceMinutes != 300 || after.AbsenceReportedBy != "Els" || !after.AbsenceReportedAt.Equal(now) {
		t.Errorf("newly absent: %v %+v", got, after)
	}
	withCredit := after
	withCredit.Credit = &data.CreditRef{EntryID: 3}
	back := data.Attendance{}
	if got := data.SettleAbsence("Els", row, withCredit, &back, now); got != data.SettleWithdraw || back.Credit != nil || back.AbsenceMinutes != 0 {
		t.Errorf("taken back with credit: %v %+v", got, back)
	}
	back = data.Attendance{NoCredit: data.NoCreditLate}
	if got := data.SettleAbsence("Els", row, after, &back, now); got != data.SettleNothing || back.NoCredit != "" {
		t.Errorf("taken back without credit: %v %+v", got, back)
	}
}

func TestWithdrawCredit_R7_ConfirmedMinutesGoOnTheInvoice(t *testing.T) {
	now := time.Date(2026, 3, 9, 7, 0, 0, 0, time.UTC)
	req := func(id data.ID, st data.RequestStatus) data.Request {
		r := data.Request{ID: id, Status: st}
		r.Payment.Allocations = []data.Allocation{{EntryID: 7, Minutes: 60}, {EntryID: 8, Minutes: 30}}
		return r
	}
	requests := []data.Request{req(1, data.StatusApproved), req(2, data.StatusOpen), req(3, data.StatusRejected)}
	e := data.DayEdit{Date: data.NewDate(2026, time.March, 2), By: " Els "}
	if ok, err := data.SpentCreditToBill(e, 7, requests); ok || !errors.Is(err, data.ErrCreditSpent) {
		t.Fatalf("unconfirmed: %v %v, want a CreditSpentError", ok, err)
	}
	e.BillSpentCredit = 120
	if ok, err := data.SpentCreditToBill(e, 7, requests); !ok || err != nil {
		t.Fatalf("confirmed: %v %v", ok, err)
	}
	if ok, err := data.SpentCreditToBill(e, 9, requests); ok || err != nil {
		t.Fatalf("an entry no request uses: %v %v, want nothing to move", ok, err)
	}
	r := requests[0]
	moved, change := data.WithdrawCredit(&r, 7, e, now)
	if moved != 60 || r.Payment.InvoiceMinutes != 60 || len(r.Payment.Allocations) != 1 || len(r.Withdrawn) != 1 ||
		r.Withdrawn[0].By != "Els" || change.Kind != data.ChangeRequest {
		t.Errorf("approved request: moved %d, %+v, %+v", moved, r, change)
	}
	rejected := requests[2]
	if moved, _ := data.WithdrawCredit(&rejected, 7, e, now); moved != 0 || len(rejected.Withdrawn) != 0 {
		t.Errorf("a rejected request holds no credit: moved %d, %+v", moved, rejected)
	}
	entry := data.CreditEntry{Minutes: 300, Reserved: 30, Spent: 60}
	entry.GiveBack(data.StatusApproved, 60)
	entry.GiveBack(data.StatusOpen, 30)
	if entry.Reserved != 0 || entry.Spent != 0 {
		t.Errorf("given back: %+v", entry)
	}
}
