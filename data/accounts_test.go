package data_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestCheckAccountAmong(t *testing.T) {
	day := data.Date{Year: 2026, Month: 3, Day: 2}
	marieke := data.User{ID: 1, Name: "Marieke", Role: data.RoleManager, LocationIDs: []data.ID{1}}
	tess := data.User{ID: 2, Name: "Tess", Role: data.RoleStaff, GroupIDs: []data.ID{1}}
	all := []data.User{marieke, tess}

	if err := data.CheckAccountAmong(data.User{Name: " tess ", Role: data.RoleStaff}, all); refusalCode(err) != data.RefuseNameTaken {
		t.Errorf("a second active Tess: %v, want the name taken", err)
	}
	gone := tess
	gone.DeactivatedOn = day
	if err := data.CheckAccountAmong(data.User{Name: "Tess", Role: data.RoleStaff}, []data.User{marieke, gone}); err != nil {
		t.Errorf("the name of a deactivated colleague: %v", err)
	}
	renamed := tess
	renamed.Name = "TESS"
	if err := data.CheckAccountAmong(renamed, all); err != nil {
		t.Errorf("an account keeps its own name: %v", err)
	}
	demoted := marieke
	demoted.Role = data.RoleOffice
	if err := data.CheckAccountAmong(demoted, all); refusalCode(err) != data.RefuseLastManager {
		t.Errorf("the last manager demoted: %v, want refused", err)
	}
	if all[0].Role != data.RoleManager {
		t.Error("CheckAccountAmong changed the list it was given")
	}
}

func TestMayManageAccount(t *testing.T) {
	manager := data.Actor{Name: "Marieke", Role: data.RoleManager, Locations: []data.ID{1}}
	locationOf := func(id data.ID) (data.ID, bool) { loc, ok := map[data.ID]data.ID{1: 1, 2: 2}[id]; return loc, ok }
	if err := manager.MayManageAccount(data.User{Name: "Tess", GroupIDs: []data.ID{1}}, locationOf); err != nil {
		t.Errorf("staff of the manager's location: %v", err)
	}
	if err := manager.MayManageAccount(data.User{Name: "Tess", GroupIDs: []data.ID{1, 2}}, locationOf); refusalCode(err) != data.RefuseOutsideYourScope {
		t.Errorf("staff with a group elsewhere too: %v, want outside your scope", err)
	}
	if err := manager.MayManageAccount(data.User{Name: "Tess", GroupIDs: []data.ID{9}}, locationOf); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("an unknown group: %v, want invalid", err)
	}
}

func TestSecretsAndAccountWords(t *testing.T) {
	var u data.User
	u.SetSecretHash("1234", []byte("pin"))
	u.SetSecretHash("long enough", []byte("pw"))
	if string(u.PINHash) != "pin" || string(u.SecretHash) != "pw" {
		t.Errorf("hashes in the wrong slots: %+v", u)
	}
	if data.SecretKind("1234") != "PIN" || data.SecretKind("12ab") != "password" || data.IsPIN("") {
		t.Error("a PIN is digits only")
	}
	a := data.StaffAccountOf(u)
	if !a.HasPIN || !a.HasPassword || a.PINHash != nil || a.SecretHash != nil {
		t.Errorf("StaffAccountOf = %+v, want flags without hashes", a)
	}
	old := data.User{Name: "Tess", Role: data.RoleStaff, GroupIDs: []data.ID{1}}
	next := old
	next.Name, next.GroupIDs = "Tessa", []data.ID{1, 2}
	if got, want := data.AccountChanges(old, next), `account "Tessa": name "Tess" → "Tessa", groups [1] → [1 2]`; got != want {
		t.Errorf("AccountChanges = %q, want %q", got, want)
	}
	today := data.Date{Year: 2026, Month: 3, Day: 2}
	if what, ok := next.SetActive(false, today); !ok || what != "deactivated" || next.DeactivatedOn != today {
		t.Errorf("deactivate: %q %v %v", what, ok, next.DeactivatedOn)
	}
	if _, ok := next.SetActive(false, today); ok {
		t.Error("deactivating twice changed something")
	}
	if what, ok := next.SetActive(true, today); !ok || what != "reactivated" || !next.Active() {
		t.Errorf("reactivate: %q %v", what, ok)
	}
}

func TestTrySignIn(t *testing.T) {
	hash, err := data.HashSecret("1234")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	s := data.Settings{SignInAttempts: 2, LockoutMinutes: 5}
	tess := data.User{ID: 2, Name: "Tess", Role: data.RoleStaff, GroupIDs: []data.ID{1}, PINHash: hash, FailedAttempts: 1}

	right, err := tess.TrySignIn("1234", now, s)
	if err != nil || right.Wrong != nil || right.Actor.UserID != 2 || right.Kept.FailedAttempts != 0 || right.Log.Detail != "Tess signed in" {
		t.Errorf("right PIN: %+v, %v", right, err)
	}
	wrong, err := tess.TrySignIn("9999", now, s)
	if err != nil || refusalCode(wrong.Wrong) != data.RefuseLockedOut || wrong.Actor.UserID != 0 ||
		!wrong.Kept.LockedUntil.Equal(now.Add(5*time.Minute)) || wrong.Log.Detail != "wrong PIN or password for Tess" {
		t.Errorf("second wrong PIN: %+v, %v, want a stored lock-out", wrong, err)
	}
	if _, err := wrong.Kept.TrySignIn("1234", now.Add(time.Minute), s); refusalCode(err) != data.RefuseLockedOut {
		t.Errorf("locked out, right PIN: %v, want refused before trying", err)
	}
	tess.DeactivatedOn = data.Date{Year: 2026, Month: 3, Day: 1}
	if _, err := tess.ActiveActor(); refusalCode(err) != data.RefuseDeactivated {
		t.Errorf("ActiveActor of a deactivated account: %v", err)
	}
}

func TestSignInList(t *testing.T) {
	all := []data.User{
		{ID: 1, Name: "Tess", PINHash: []byte("h")},
		{ID: 2, Name: "Anne", DeactivatedOn: data.Date{Year: 2026, Month: 1, Day: 1}},
		{ID: 3, Name: "Bram", SecretHash: []byte("h")},
	}
	got := data.SignInList(all)
	if len(got) != 2 || got[0].Name != "Bram" || got[1].Name != "Tess" || got[0].SecretHash != nil || got[1].PINHash != nil {
		t.Errorf("SignInList = %+v, want Bram and Tess without hashes", got)
	}
	if all[0].PINHash == nil {
		t.Error("SignInList changed the accounts it was given")
	}
}
