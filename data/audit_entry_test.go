package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

func TestNewAuditEntry_WhoAndDetail(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	changes := []data.Change{{Kind: data.ChangeCatalog, Detail: "one"}, {Kind: data.ChangeCatalog}, {Kind: data.ChangeCatalog, Detail: "two"}}
	for _, tc := range []struct {
		name                string
		actor               *data.Actor
		who, device, detail string
		userID              data.ID
	}{
		{"system", nil, data.SystemName, "", "one; two", 0},
		{"signed in on a tablet", &data.Actor{UserID: 7, Name: "Tess", Device: "tablet-1"}, "Tess", "tablet-1", "one; two", 7},
		{"a device before anyone signs in", &data.Actor{Device: "tablet-1"}, data.SystemName, "tablet-1", "one; two", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := data.NewAuditEntry(tc.actor, at, data.AuditAddUser, changes)
			if e.Who != tc.who || e.UserID != tc.userID || e.Device != tc.device || e.Detail != tc.detail ||
				e.Action != data.AuditAddUser || !e.At.Equal(at) || len(e.Changes) != 3 {
				t.Errorf("entry = %+v", e)
			}
		})
	}
	if e := data.NewAuditEntry(nil, at, data.AuditSignIn, nil); e.Detail != "" {
		t.Errorf("no changes: detail %q, want none", e.Detail)
	}
}

func TestActorMayDoEverywhere(t *testing.T) {
	manager := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1, 2}}
	if err := manager.MayDoEverywhere(data.ActExport, []data.ID{1, 2}); err != nil {
		t.Errorf("manager of both locations: %v", err)
	}
	if err := manager.MayDoEverywhere(data.ActExport, []data.ID{1, 2, 3}); refusalCode(err) != data.RefuseOtherLocation {
		t.Errorf("manager of two of three locations: %v, want a refusal", err)
	}
	staff := data.Actor{Name: "Tess", Role: data.RoleStaff, Groups: []data.ID{1}}
	if err := staff.MayDoEverywhere(data.ActAdmin, nil); err == nil {
		t.Error("staff may not administer, not even with no locations")
	}
}
