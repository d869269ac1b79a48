package boltstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

// S2: a study day below its minimum is not billed until the planner decides.
// Going ahead bills the sign-ups; cancelling takes the children off the day's
// list, bills nothing and corrects what was exported.
// studyDayMinimum sets the sign-ups from which a study day goes ahead.
func studyDayMinimum(t *testing.T, db *boltstore.DB, n int) {
	t.Helper()
	s, err := db.Settings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s.StudyDayMinimum = n
	if err := db.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
}

func TestDecideStudyDay_S2(t *testing.T) {
	db, c := invoiceStore(t)
	studyDayMinimum(t, db, 3)
	signUp(t, db, c, 1, data.SignUpEntry{ChildID: idGijs, Times: gijsTimes}) // 1 of the minimum 3
	sheet, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
	if err != nil || sheet.State() != data.StateBelowMinimum {
		t.Fatalf("sheet state %q, %v; want below the minimum", sheet.State(), err)
	}
	if _, lines := export(t, db, c, march); len(lines) != 0 {
		t.Fatalf("a study day below its minimum, undecided, was billed: %+v", lines)
	}

	c.tick()
	if err := db.DecideStudyDay(t.Context(), 1, wilgen, studyDay, data.OutcomeGoesAhead, "Priya (planner)"); err != nil {
		t.Fatal(err)
	}
	sheet, _ = db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
	if sheet.State() != data.StateGoesAhead || sheet.Decision == nil || sheet.Decision.By != "Priya (planner)" {
		t.Fatalf("after going ahead: state %q, decision %+v", sheet.State(), sheet.Decision)
	}
	_, lines := export(t, db, c, march)
	if len(lines) != 1 || lines[0].ChildID != idGijs || lines[0].Kind != data.LineNew {
		t.Fatalf("after going ahead the export holds %+v, want Gijs's study day", lines)
	}

	// Fewer children came than hoped: the planner cancels after all.
	c.tick()
	if err := db.DecideStudyDay(t.Context(), 1, wilgen, studyDay, data.OutcomeCancelled, "Priya (planner)"); err != nil {
		t.Fatal(err)
	}
	list, _ := db.DayList(t.Context(), groupUi, studyDay)
	if _, on := rowOf(list, idGijs); on {
		t.Error("Gijs is still on the list of the cancelled study day")
	}
	_, lines = export(t, db, c, march)
	if len(lines) != 1 || lines[0].Kind != data.LineCorrection || lines[0].Cause != data.CauseStudyDayCancelled || lines[0].InvoiceMinutes != -510 {
		t.Fatalf("after cancelling the export holds %+v, want a correction of Gijs's day", lines)
	}
	notice, err := db.StudyDayNotice(t.Context(), 1, wilgen, studyDay)
	if err != nil || len(notice.Children) != 1 || notice.Children[0].ID != idGijs || notice.Decision.Outcome != data.OutcomeCancelled {
		t.Fatalf("notice %+v, %v; want Gijs's parents told", notice, err)
	}

	// A cancelled study day takes no sign-ups and no study-day requests, and stays cancelled.
	c.tick()
	err = db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Sanne",
		Children: []data.SignUpEntry{{ChildID: idGijs, Times: gijsTimes}}})
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("signing up for a cancelled study day: %v, want refused", err)
	}
	p, err := db.PreviewRequest(t.Context(), data.RequestDraft{ChildID: idGijs, GroupID: groupUi, Date: studyDay, Times: data.DefaultSettings().HolidayDay,
		Product: data.ProductStudyDay, Channel: data.ChannelOffice, By: "Sanne"})
	if err != nil || !errors.Is(p.Problem, data.ErrInvalid) {
		t.Errorf("requesting care on a cancelled study day: problem %v, %v; want refused", p.Problem, err)
	}
	if err := db.DecideStudyDay(t.Context(), 1, wilgen, studyDay, data.OutcomeGoesAhead, "Priya"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("going ahead after cancelling: %v, want refused", err)
	}
	// The other location's sheet is its own decision.
	if s, _ := db.StudyDaySheet(t.Context(), locEik, wilgen, studyDay); s.Decision != nil {
		t.Errorf("De Eik's sheet carries De Linde's decision %+v", s.Decision)
	}
}

func TestDecideStudyDay_S2_CancelTakesStudyDayRequestsBack(t *testing.T) {
	db, c := invoiceStore(t)
	studyDayMinimum(t, db, 3)
	r := approve(t, db, c, data.RequestDraft{ChildID: idGijs, GroupID: groupUi, Date: studyDay, Times: data.DefaultSettings().HolidayDay,
		Product: data.ProductStudyDay, Channel: data.ChannelOffice, By: "Sanne"})
	if err := db.DecideStudyDay(t.Context(), 1, wilgen, studyDay, data.OutcomeCancelled, "Priya"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Request(t.Context(), r.ID); got.Status != data.StatusCancelled {
		t.Errorf("the study-day request is %s after the study day was cancelled", got.Status)
	}
	list, _ := db.DayList(t.Context(), groupUi, studyDay)
	if _, on := rowOf(list, idGijs); on {
		t.Error("Gijs's request keeps him on the cancelled study day's list")
	}
	notice, _ := db.StudyDayNotice(t.Context(), 1, wilgen, studyDay)
	if !slices.ContainsFunc(notice.Children, func(c data.Child) bool { return c.ID == idGijs }) {
		t.Errorf("notice children %+v, want Gijs", notice.Children)
	}
}

func TestDecideStudyDay_S2_Refusals(t *testing.T) {
	db, c := invoiceStore(t)
	studyDayMinimum(t, db, 3)
	signUp(t, db, c, 1, data.SignUpEntry{ChildID: idGijs, Times: gijsTimes})
	for _, tt := range []struct {
		name    string
		outcome data.StudyDayOutcome
		by      string
		day     data.Date
	}{
		{"no name", data.OutcomeCancelled, " ", studyDay},
		{"unknown outcome", "maybe", "Priya", studyDay},
		{"not a study day", data.OutcomeCancelled, "Priya", studyDay.AddDays(1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := db.DecideStudyDay(t.Context(), 1, wilgen, tt.day, tt.outcome, tt.by)
			if !errors.Is(err, data.ErrInvalid) && !errors.Is(err, data.ErrNotFound) {
				t.Fatalf("err = %v, want refused", err)
			}
		})
	}
	studyDayMinimum(t, db, 1)
	if err := db.DecideStudyDay(t.Context(), 1, wilgen, studyDay, data.OutcomeCancelled, "Priya"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("cancelling a study day that reaches its minimum: %v, want refused", err)
	}
}

// Only the office and the manager decide a study day, and the audit log says who.
func TestDecideStudyDay_S2_RolesAndAudit(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	days, err := db.StudyDays(t.Context(), db.Today(), db.Today().AddDays(60))
	if err != nil || len(days) != 1 {
		t.Fatalf("the demo's study day: %v, %v", days, err)
	}
	sd := days[0]
	staff := signedIn(t, db, sven)
	if err := staff.DecideStudyDay(t.Context(), 1, sd.SchoolID, sd.Date, data.OutcomeCancelled, "Sven"); !errors.Is(err, data.ErrForbidden) {
		t.Fatalf("group staff deciding a study day: %v, want forbidden", err)
	}
	office := signedIn(t, db, priya)
	if err := office.DecideStudyDay(t.Context(), 1, sd.SchoolID, sd.Date, data.OutcomeCancelled, "Priya Ramdin"); err != nil {
		t.Fatalf("the office cancelling the study day: %v", err)
	}
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: "DecideStudyDay"})
	if err != nil || len(entries) != 1 || entries[0].Who != "Priya Ramdin" || !slices.ContainsFunc(entries[0].Changes, func(c data.Change) bool {
		return c.Kind == data.ChangePlanning && c.Date == sd.Date
	}) {
		t.Fatalf("audit %+v, %v; want Priya's decision with the day's planning change", entries, err)
	}
}
