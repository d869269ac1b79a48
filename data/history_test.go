package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

func TestPastAbsenceValidate_T1(t *testing.T) {
	at := time.Date(2026, time.March, 2, 7, 45, 0, 0, time.UTC)
	ok := data.PastAbsence{Date: data.DateOf(at), ChildID: 7, Reason: data.AbsenceSick, By: "ouder", ReportedAt: at}
	tests := []struct {
		name   string
		change func(*data.PastAbsence)
		want   string
	}{
		{"as reported", func(*data.PastAbsence) {}, ""},
		{"an unknown reason", func(a *data.PastAbsence) { a.Reason = "vakantie" }, data.RefuseHistoryAbsenceReason},
		{"nobody reported it", func(a *data.PastAbsence) { a.By = " " }, data.RefuseHistoryAbsenceNoReporter},
		{"no moment", func(a *data.PastAbsence) { a.ReportedAt = time.Time{} }, data.RefuseHistoryAbsenceNoTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.change(&a)
			refusedWith(t, a.Validate(), tt.want)
		})
	}
	bad := ok
	bad.Reason = "vakantie"
	if want := "Absence of child 7 on 2026-03-02: unknown reason vakantie."; bad.Validate().Error() != want {
		t.Errorf("sentence %q, want %q", bad.Validate(), want)
	}
}

func TestPastRequestValidate_R2(t *testing.T) {
	submitted := time.Date(2026, time.March, 2, 9, 0, 0, 0, time.UTC)
	decided := data.PastRequest{Draft: data.RequestDraft{ChildID: 7, Date: data.NewDate(2026, time.March, 9)},
		SubmittedAt: submitted, Status: data.StatusApproved, DecidedBy: "Ilse", DecidedAt: submitted}
	tests := []struct {
		name   string
		change func(*data.PastRequest)
		want   string
	}{
		{"approved the same moment", func(*data.PastRequest) {}, ""},
		{"still open", func(r *data.PastRequest) { r.Status, r.DecidedAt, r.DecidedBy = data.StatusOpen, time.Time{}, "" }, ""},
		{"never submitted", func(r *data.PastRequest) { r.SubmittedAt = time.Time{} }, data.RefuseHistoryNotSubmitted},
		{"open with a decision", func(r *data.PastRequest) { r.Status = data.StatusOpen }, data.RefuseHistoryOpenDecided},
		{"an unknown status", func(r *data.PastRequest) { r.Status = "parked" }, data.RefuseHistoryStatus},
		{"decided a second early", func(r *data.PastRequest) { r.DecidedAt = submitted.Add(-time.Second) }, data.RefuseHistoryDecidedEarly},
		{"nobody decided", func(r *data.PastRequest) { r.DecidedBy = "" }, data.RefuseHistoryNoDecider},
		{"rejected without a reason", func(r *data.PastRequest) { r.Status = data.StatusRejected }, data.RefuseHistoryNoRejectReason},
		{"rejected with a reason", func(r *data.PastRequest) { r.Status, r.Reason = data.StatusRejected, "vol" }, ""},
		{"cancelled without a reason", func(r *data.PastRequest) { r.Status = data.StatusCancelled }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := decided
			tt.change(&r)
			refusedWith(t, r.Validate(), tt.want)
		})
	}
}
