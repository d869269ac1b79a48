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
