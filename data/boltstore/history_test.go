package boltstore_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

func at(d data.Date, h, m int) time.Time { return d.Time(data.NewClock(h, m), time.Local) }

// The history tests replay the fortnight before the store's today (Tuesday
// 10 March 2026) in smallDataset: Dewi comes on Fridays only, so the other
// days are hers to ask extra care for.
var (
	histWed25Feb = data.NewDate(2026, time.February, 25)
	histFri27Feb = data.NewDate(2026, time.February, 27)
	histMon2Mar  = data.NewDate(2026, time.March, 2)
)

func dewiRequest(day data.Date, submitted time.Time, status data.RequestStatus, decided time.Time, reason string) data.PastRequest {
	r := data.PastRequest{Draft: dewiDraft(day, morning), SubmittedAt: submitted, Status: status, Reason: reason}
	if status != data.StatusOpen {
		r.DecidedBy, r.DecidedAt = "Mirjam (pm)", decided
	}
	return r
}

func TestImportHistory_T1_R7_ReplayedInTimeOrderThroughTheRules(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	h := data.History{
		Absences: []data.PastAbsence{
			// Reported two days ahead: earns the missed day as credit (T1).
			{Date: histFri27Feb, GroupID: groupEg, ChildID: idDewi, Reason: data.AbsenceDayOff, By: "ouder", ReportedAt: at(histWed25Feb, 18, 0)},
			// Reported on the morning itself: too late to earn credit.
			{Date: histMon2Mar, GroupID: groupEg, ChildID: idAnna, Reason: data.AbsenceSick, Note: "Koorts", By: "Mirjam (pm)", ReportedAt: at(histMon2Mar, 7, 15)},
		},
		Requests: []data.PastRequest{
			dewiRequest(histMon2Mar.AddDays(2), at(histMon2Mar, 10, 0), data.StatusApproved, at(histMon2Mar, 10, 30), ""),
			// Submitted the morning before the absence was reported: nothing to pay with yet.
			dewiRequest(histWed25Feb.AddDays(1), at(histWed25Feb, 9, 0), data.StatusApproved, at(histWed25Feb, 9, 5), ""),
			dewiRequest(histMon2Mar.AddDays(3), at(histMon2Mar.AddDays(1), 9, 0), data.StatusRejected, at(histMon2Mar.AddDays(1), 11, 0), "De groep is vol"),
			// The rejected request no longer blocks a new one for the same day.
			dewiRequest(histMon2Mar.AddDays(3), at(histMon2Mar.AddDays(2), 9, 0), data.StatusCancelled, at(histMon2Mar.AddDays(2), 12, 0), "Toch niet nodig"),
			dewiRequest(wednesday, at(yesterday, 9, 0), data.StatusOpen, time.Time{}, ""),
		},
	}
	var published []data.Change
	datatest.Subscribe(t, db, func(c data.Change) { published = append(published, c) })
	if err := db.ImportHistory(t.Context(), h); err != nil {
		t.Fatal(err)
	}
	// Screens hear of the batch once per kind (A2), not of every event in it.
	if len(published) != 4 {
		t.Errorf("%d changes published, want one per kind: %v", len(published), published)
	}

	friday, err := db.DayList(t.Context(), groupEg, histFri27Feb)
	if err != nil {
		t.Fatal(err)
	}
	dewi, _ := rowOf(friday, idDewi)
	if dewi.Attendance.Credit == nil || dewi.Attendance.Credit.Minutes != 630 || !dewi.Attendance.AbsenceReportedAt.Equal(at(histWed25Feb, 18, 0)) {
		t.Fatalf("Dewi's absence on %s: %+v; want 630 minutes of credit, reported on %s", histFri27Feb, dewi.Attendance, histWed25Feb)
	}
	monday, err := db.DayList(t.Context(), groupEg, histMon2Mar)
	if err != nil {
		t.Fatal(err)
	}
	anna, _ := rowOf(monday, idAnna)
	if !anna.Attendance.Absent || anna.Attendance.NoCredit != data.NoCreditLate || anna.Attendance.Note != "Koorts" {
		t.Errorf("Anna's sick morning: %+v; want absent, no credit because late", anna.Attendance)
	}

	first, err := db.Request(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Date != histWed25Feb.AddDays(1) || first.Payment.InvoiceMinutes != 240 || first.Status != data.StatusApproved {
		t.Errorf("the request made before any credit: %+v; want request 1, all on invoice, approved", first)
	}
	wednesdayList, err := db.DayList(t.Context(), groupEg, histMon2Mar.AddDays(2))
	if err != nil {
		t.Fatal(err)
	}
	if r, on := rowOf(wednesdayList, idDewi); !on || r.Source != data.SourceRequest {
		t.Errorf("approved extra care on %s: on the list %v as %q", histMon2Mar.AddDays(2), on, r.Source)
	}

	// 240 minutes spent by the approved request, 240 reserved by the open
	// one; the rejected and cancelled ones gave theirs back (R7).
	e := absenceEntry(t, db, idDewi)
	if e.Minutes != 630 || e.Spent != 240 || e.Reserved != 240 {
		t.Errorf("Dewi's credit %+v; want 630 minutes, 240 spent, 240 reserved", e)
	}
	queue, err := db.OpenRequests(t.Context(), groupEg)
	if err != nil {
		t.Fatal(err)
	}
	if len(queue) != 1 || queue[0].Request.Date != wednesday || queue[0].Request.Payment.CreditMinutes() != 240 {
		t.Errorf("queue %+v; want the one open request, paid from credit", queue)
	}
}

func TestImportHistory_A1_RefusedEventStoresNothing(t *testing.T) {
	valid := data.PastAbsence{Date: histFri27Feb, GroupID: groupEg, ChildID: idDewi, Reason: data.AbsenceDayOff, By: "ouder", ReportedAt: at(histWed25Feb, 18, 0)}
	tests := []struct {
		name string
		bad  data.History
		want error
	}{
		{"absence of a child not on the list", data.History{Absences: []data.PastAbsence{
			{Date: histMon2Mar, GroupID: groupEg, ChildID: idDewi, Reason: data.AbsenceSick, By: "pm", ReportedAt: at(histMon2Mar, 7, 0)}}}, data.ErrNotFound},
		{"absence without a reason", data.History{Absences: []data.PastAbsence{
			{Date: histMon2Mar, GroupID: groupEg, ChildID: idAnna, By: "pm", ReportedAt: at(histMon2Mar, 7, 0)}}}, data.ErrInvalid},
		{"decided before it was submitted", data.History{Requests: []data.PastRequest{
			dewiRequest(histMon2Mar.AddDays(2), at(histMon2Mar, 10, 0), data.StatusApproved, at(histMon2Mar, 9, 0), "")}}, data.ErrInvalid},
		{"request outside the group's window", data.History{Requests: []data.PastRequest{
			dewiRequest(histMon2Mar.AddDays(9), at(histMon2Mar, 10, 0), data.StatusOpen, time.Time{}, "")}}, data.ErrOutsideWindow},
		{"rejected without a reason", data.History{Requests: []data.PastRequest{
			dewiRequest(histMon2Mar.AddDays(2), at(histMon2Mar, 10, 0), data.StatusRejected, at(histMon2Mar, 11, 0), "")}}, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(smallDataset()))
			tt.bad.Absences = append([]data.PastAbsence{valid}, tt.bad.Absences...)
			if err := db.ImportHistory(t.Context(), tt.bad); !errors.Is(err, tt.want) {
				t.Fatalf("ImportHistory: %v, want %v", err, tt.want)
			}
			l, err := db.DayList(t.Context(), groupEg, histFri27Feb)
			if err != nil {
				t.Fatal(err)
			}
			if r, _ := rowOf(l, idDewi); r.Attendance.Absent {
				t.Error("the valid absence was stored although the history was refused")
			}
			if l, _ := db.Ledger(t.Context(), idDewi); len(l.Entries) != 0 {
				t.Errorf("credit %+v stored although the history was refused", l.Entries)
			}
		})
	}
}
