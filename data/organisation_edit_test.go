package data_test

import (
	"slices"
	"testing"

	"locatiedesk/data"
)

func TestOrganisationFor_OnlyTheActorsLocations(t *testing.T) {
	locations := []data.Location{{ID: 1, Name: "Noord"}, {ID: 2, Name: "Zuid", ClosedOn: data.Date{Year: 2026, Month: 1, Day: 1}}}
	groups := []data.Group{{ID: 1, LocationID: 1, Name: "Rups"}, {ID: 2, LocationID: 2, Name: "Vlinder"}}
	if org := data.OrganisationFor(nil, "Kinderopvang", locations, groups); org.Name != "Kinderopvang" || len(org.Locations) != 2 || len(org.Groups) != 2 {
		t.Errorf("the system sees all, closed ones too: %+v", org)
	}
	manager := &data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{2}}
	if org := data.OrganisationFor(manager, "Kinderopvang", locations, groups); len(org.Locations) != 1 || org.Locations[0].ID != 2 || len(org.Groups) != 1 || org.Groups[0].Name != "Vlinder" {
		t.Errorf("a manager of Zuid: %+v", org)
	}
}

func TestGroupEdit_CareFixedAndChangesInWords(t *testing.T) {
	old := data.Group{ID: 4, LocationID: 1, Name: "Rups", Care: data.KDV, Capacity: 12}
	g := data.Group{ID: 4, LocationID: 9, Name: "Rupsen", Care: data.KDV, Capacity: 14}
	next, err := old.Edit(g)
	if err != nil || next.LocationID != 1 || next.Name != "Rupsen" {
		t.Fatalf("Edit = %+v, %v; want the new name at the old location", next, err)
	}
	changes := data.GroupEdited(old, next)
	if len(changes) != 2 || changes[0].Detail != `group "Rupsen": name "Rups" → "Rupsen", capacity 12 → 14` ||
		changes[1].Kind != data.ChangePlanning || changes[1].GroupID != 4 {
		t.Errorf("GroupEdited = %+v", changes)
	}
	other := g
	other.Care = data.BSO
	if _, err := old.Edit(other); refusalCode(err) != data.RefuseCareFixed {
		t.Errorf("another care type: %v", err)
	}
	closed := old
	closed.ClosedOn = data.Date{Year: 2026, Month: 1, Day: 1}
	if _, err := closed.Edit(g); refusalCode(err) != data.RefuseClosed {
		t.Errorf("a closed group: %v", err)
	}
}

func TestOpenLocationsFor_WhereTheActorWorks(t *testing.T) {
	locations := []data.Location{{ID: 1, Name: "Noord"}, {ID: 2, Name: "Zuid"}, {ID: 3, Name: "Oost", ClosedOn: data.Date{Year: 2026, Month: 1, Day: 1}}, {ID: 4, Name: "West"}}
	groups := []data.Group{{ID: 1, LocationID: 1}, {ID: 2, LocationID: 2}}
	ids := func(ls []data.Location) (out []data.ID) {
		for _, l := range ls {
			out = append(out, l.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		actor *data.Actor
		want  []data.ID
	}{
		{"the system: every open one", nil, []data.ID{1, 2, 4}},
		{"staff: their groups' locations", &data.Actor{Role: data.RoleStaff, Groups: []data.ID{2}, Locations: []data.ID{4}}, []data.ID{2}},
		{"a manager: their locations, with groups or not", &data.Actor{Role: data.RoleManager, Locations: []data.ID{2, 3, 4}}, []data.ID{2, 4}},
	} {
		if got := ids(data.OpenLocationsFor(tc.actor, locations, groups)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
