package data_test

import (
	"errors"
	"testing"

	"locatiedesk/data"
)

func TestValidateSecret(t *testing.T) {
	for secret, ok := range map[string]bool{"1234": true, "123456": true, "123": false, "1234567": false, "abc": false, "long enough": true, "": false} {
		if err := data.ValidateSecret(secret); (err == nil) != ok {
			t.Errorf("ValidateSecret(%q) = %v, want ok=%v", secret, err, ok)
		}
	}
}

func TestActorCan_RolesTable(t *testing.T) {
	groupA := data.Group{ID: 1, LocationID: 1, Name: "A"}
	groupB := data.Group{ID: 3, LocationID: 1, Name: "B"}
	otherLoc := data.Group{ID: 9, LocationID: 2, Name: "Elders"}
	staffA := data.Actor{Name: "Tess", Role: data.RoleStaff, Groups: []data.ID{1}}
	manager := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	office := data.Actor{Name: "Priya", Role: data.RoleOffice, Locations: []data.ID{1}}
	for _, tc := range []struct {
		name   string
		actor  data.Actor
		action data.Action
		group  data.Group
		loc    data.ID
		ok     bool
	}{
		{"staff approves in own group", staffA, data.ActApprove, groupA, 0, true},
		{"staff may not approve for another group", staffA, data.ActApprove, groupB, 0, false},
		{"staff checks in own group", staffA, data.ActAttendance, groupA, 0, true},
		{"staff may not export", staffA, data.ActExport, data.Group{}, 1, false},
		{"staff may not edit contracts", staffA, data.ActContracts, groupA, 0, false},
		{"manager approves any group of the location", manager, data.ActApprove, groupB, 0, true},
		{"manager not at another location", manager, data.ActAttendance, otherLoc, 0, false},
		{"manager exports", manager, data.ActExport, data.Group{}, 1, true},
		{"office exports for its locations", office, data.ActExport, data.Group{}, 1, true},
		{"office not for other locations", office, data.ActExport, data.Group{}, 2, false},
		{"office does not do attendance", office, data.ActAttendance, groupA, 0, false},
		{"office registers requests for parents", office, data.ActRequest, groupA, 0, true},
		{"office may not approve", office, data.ActApprove, groupA, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.actor.Can(tc.action, tc.loc, tc.group)
			if tc.ok && err != nil || !tc.ok && !errors.Is(err, data.ErrForbidden) {
				t.Fatalf("Can = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
