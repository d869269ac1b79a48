package boltstore_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

func TestSignIn_PINAndLockout(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	const tess = 2

	actor, err := db.SignIn(t.Context(), tess, "2222")
	if err != nil || actor.Name != "Tess Janssen" || actor.Role != data.RoleStaff {
		t.Fatalf("sign in with the right PIN: %+v, %v", actor, err)
	}
	for i := 1; i <= 4; i++ {
		if _, err := db.SignIn(t.Context(), tess, "0000"); !errors.Is(err, data.ErrWrongSecret) {
			t.Fatalf("wrong PIN %d: %v, want ErrWrongSecret", i, err)
		}
	}
	if _, err := db.SignIn(t.Context(), tess, "0000"); !errors.Is(err, data.ErrLockedOut) {
		t.Fatalf("fifth wrong PIN: %v, want ErrLockedOut", err)
	}
	if _, err := db.SignIn(t.Context(), tess, "2222"); !errors.Is(err, data.ErrLockedOut) {
		t.Fatalf("right PIN while locked out: %v, want ErrLockedOut", err)
	}
	now = now.Add(4 * time.Minute)
	if _, err := db.SignIn(t.Context(), tess, "2222"); !errors.Is(err, data.ErrLockedOut) {
		t.Fatalf("after 4 of 5 minutes: %v, want still locked out", err)
	}
	now = now.Add(2 * time.Minute)
	if _, err := db.SignIn(t.Context(), tess, "2222"); err != nil {
		t.Fatalf("after the lock-out: %v", err)
	}
	if _, err := db.SignIn(t.Context(), 4, "planner2026"); err != nil {
		t.Fatalf("office password: %v", err)
	}
	if _, err := db.SignIn(t.Context(), 99, "1234"); !errors.Is(err, data.ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
}
