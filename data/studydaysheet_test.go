package data_test

import (
	"reflect"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestBSOPlacements_S1(t *testing.T) {
	d := data.NewDate(2026, time.October, 14)
	running := []data.Contract{
		{ChildID: 1, GroupID: 10, Product: data.ProductBSOHoliday, Start: d},
		{ChildID: 1, GroupID: 11, Product: data.ProductBSOSchoolWeeks, Start: d}, // the care contract names the group
		{ChildID: 2, GroupID: 12, Product: data.ProductBSO52Weeks, Start: d},
		{ChildID: 3, GroupID: 13, Product: data.ProductBSOHoliday, Start: d}, // a holiday contract alone will do
		{ChildID: 4, GroupID: 14, Product: data.ProductBSOSchoolWeeks, Start: d.AddDays(1)},
	}
	want := map[data.ID]data.BSOPlacement{1: {GroupID: 11}, 2: {GroupID: 12, FiftyTwoWeeks: true}, 3: {GroupID: 13}}
	if got := data.BSOPlacements(running, d); !reflect.DeepEqual(got, want) {
		t.Errorf("placements %+v, want %+v", got, want)
	}
}

func TestStudyDayCandidates_S1(t *testing.T) {
	placements := map[data.ID]data.BSOPlacement{3: {GroupID: 10}, 1: {GroupID: 10}, 2: {GroupID: 10, FiftyTwoWeeks: true}, 4: {GroupID: 10, FiftyTwoWeeks: true}}
	signUps := map[data.ID]data.SignUp{4: {ChildID: 4, GroupID: 20}, 5: {ChildID: 5, GroupID: 30}}
	got := data.StudyDayCandidates(placements, signUps)
	var ids, groups []data.ID
	for _, c := range got {
		ids, groups = append(ids, c.ChildID), append(groups, c.GroupID)
		if (c.SignUp != nil) != (c.ChildID >= 4) || (c.SignUp != nil && c.SignUp.ChildID != c.ChildID) {
			t.Errorf("child %d has sign-up %+v", c.ChildID, c.SignUp)
		}
	}
	// 2 is 52 weeks a year and not signed up; a sign-up names the group.
	if want := []data.ID{1, 3, 4, 5}; !reflect.DeepEqual(ids, want) {
		t.Errorf("candidates %v, want %v", ids, want)
	}
	if want := []data.ID{10, 10, 20, 30}; !reflect.DeepEqual(groups, want) {
		t.Errorf("groups %v, want %v", groups, want)
	}
}

func TestStudyDaySheetRows_S1(t *testing.T) {
	sheet := data.StudyDaySheet{StudyDay: data.StudyDay{SchoolID: 7}}
	row := func(id data.ID, name string, school data.ID, signed bool) data.StudyDayRow {
		r := data.StudyDayRow{Child: data.Child{ID: id, FirstName: name, LastName: "Jansen", SchoolID: school}}
		if signed {
			r.SignUp = &data.SignUp{ChildID: id}
		}
		return r
	}
	sheet.AddRow(row(1, "Sem", 7, false))
	sheet.AddRow(row(2, "Bo", 8, true))
	sheet.AddRow(row(3, "Lotte", 8, false))
	sheet.AddRow(row(4, "Daan", 8, false))
	sheet.AddRow(row(5, "Fenna", 0, false))
	sheet.Finish(map[data.ID]data.Source{3: data.SourceContract, 4: data.SourceStudyDay})
	names := func(rows []data.StudyDayRow) (out []string) {
		for _, r := range rows {
			out = append(out, r.Child.FirstName)
		}
		return out
	}
	if got, want := names(sheet.Rows), []string{"Bo", "Sem"}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %v, want %v (signed up or of the school, by name)", got, want)
	}
	if got, want := names(sheet.Others), []string{"Daan", "Fenna"}; !reflect.DeepEqual(got, want) {
		t.Errorf("others %v, want %v (not expected under a contract, by name)", got, want)
	}
}

func TestSignUpRegistrationRegistered_S1(t *testing.T) {
	now := time.Date(2026, time.October, 1, 10, 0, 0, 0, time.UTC)
	sd := data.StudyDay{SchoolID: 7, Date: data.NewDate(2026, time.October, 14)}
	reg := data.SignUpRegistration{By: "Office"}
	morning := data.TimeRange{From: 8 * 60, Until: 13 * 60}
	e := data.SignUpEntry{ChildID: 3, Times: morning}
	su, write := reg.Registered(sd, e, 10, data.SignUp{}, false, now)
	want := data.SignUp{SchoolID: 7, Date: sd.Date, ChildID: 3, GroupID: 10, Times: morning, RegisteredBy: "Office", RegisteredAt: now, ChangedAt: now}
	if !write || su != want {
		t.Fatalf("new: %+v (write %v), want %+v", su, write, want)
	}
	before := su
	before.ID = 5
	if _, write := reg.Registered(sd, e, 10, before, true, now.Add(time.Hour)); write {
		t.Error("the same line again writes")
	}
	later := now.Add(time.Hour)
	moved, write := reg.Registered(sd, data.SignUpEntry{ChildID: 3, Times: data.TimeRange{From: 8 * 60, Until: 18 * 60}}, 11, before, true, later)
	if !write || moved.ID != 5 || moved.GroupID != 11 || moved.Times.Until != 18*60 || moved.ChangedAt != later || moved.RegisteredAt != now {
		t.Errorf("changed: %+v (write %v)", moved, write)
	}
	changes := data.PlanningChanges(sd.Date, map[data.ID]bool{11: true, 10: true})
	if len(changes) != 2 || changes[0].GroupID != 10 || changes[1].GroupID != 11 || changes[0].Kind != data.ChangePlanning || changes[1].Date != sd.Date {
		t.Errorf("changes %+v, want groups 10 and 11 in order", changes)
	}
}

func TestStudyDaySheetDecided_S2(t *testing.T) {
	now := time.Date(2026, time.October, 1, 10, 0, 0, 0, time.UTC)
	if _, err := data.CheckStudyDayDecider(" ", data.OutcomeCancelled); err == nil {
		t.Error("a decision by nobody accepted")
	}
	if by, err := data.CheckStudyDayDecider(" Planner ", data.OutcomeGoesAhead); by != "Planner" || err != nil {
		t.Errorf("decider %q, %v", by, err)
	}
	if _, err := data.CheckStudyDayDecider("Planner", "maybe"); err == nil {
		t.Error("an unknown outcome accepted")
	}
	signed := &data.SignUp{ID: 4, ChildID: 3, GroupID: 10, Date: data.NewDate(2026, time.October, 14)}
	sheet := data.StudyDaySheet{Minimum: 5,
		StudyDay: data.StudyDay{SchoolID: 7, Date: signed.Date, Decisions: []data.StudyDayDecision{{LocationID: 1, Outcome: data.OutcomeGoesAhead}, {LocationID: 2, Outcome: data.OutcomeGoesAhead}}},
		Rows:     []data.StudyDayRow{{Child: data.Child{ID: 2}}, {Child: data.Child{ID: 3}, SignUp: signed}}}
	cancelled := sheet.CancelledSignUps("Planner", now)
	if len(cancelled) != 1 || !cancelled[0].Cancelled || cancelled[0].CancelledBy != "Planner" || cancelled[0].ChangedAt != now || signed.Cancelled {
		t.Errorf("cancelled %+v (sheet's own %+v)", cancelled, signed)
	}
	if c := data.SignUpChange(cancelled[0]); c.GroupID != 10 || c.ChildID != 3 || c.Date != signed.Date {
		t.Errorf("sign-up change %+v", c)
	}
	sd, c := sheet.Decided(data.StudyDayDecision{LocationID: 1, Outcome: data.OutcomeCancelled, By: "Planner"})
	if len(sd.Decisions) != 2 || sd.Decision(1).Outcome != data.OutcomeCancelled || sd.Decision(2).Outcome != data.OutcomeGoesAhead || sheet.StudyDay.Decision(1).Outcome != data.OutcomeGoesAhead {
		t.Errorf("decisions %+v", sd.Decisions)
	}
	if want := "study day of school 7 at location 1: cancelled (1 of 5 signed up)"; c.Detail != want || c.Date != signed.Date {
		t.Errorf("change %+v, want detail %q", c, want)
	}
}
