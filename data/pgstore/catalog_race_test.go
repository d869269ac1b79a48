package pgstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// The account rules that read before they write hold with two hubs on one
// database: the lock-out after too many wrong PINs, and the last manager.

// twoCatalogHubs is an organisation set up through hub a, with a second
// hub b on the same database.
func twoCatalogHubs(t *testing.T) (a, b *pgstore.DB, manager data.Actor) {
	t.Helper()
	address := pgtest.Database(t)
	open := func() *pgstore.DB {
		db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return raceDay }))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	a, b = open(), open()
	manager, err := a.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Kinderopvang Race", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Manager", Secret: "wachtwoord-manager"})
	if err != nil {
		t.Fatal(err)
	}
	return a, b, manager
}

// Wrong PINs typed on two hubs at once all count: none is lost to the
// other hub's write of the count, so the lock-out comes when it should.
func TestSignIn_WrongPINsOnTwoHubsAllCount(t *testing.T) {
	a, b, manager := twoCatalogHubs(t)
	ctx := t.Context()
	s, err := a.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.SignInAttempts < 3 {
		t.Fatalf("the default allows %d attempts; the test needs at least 3", s.SignInAttempts)
	}
	group, err := a.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		tess, err := a.As(manager).AddUser(ctx, data.NewUser{User: data.User{Name: fmt.Sprintf("Tess %d", round), Role: data.RoleStaff,
			GroupIDs: []data.ID{group.ID}}, Secret: "1234"})
		if err != nil {
			t.Fatal(err)
		}
		wrong := func(hub *pgstore.DB) func() error {
			return func() error { _, err := hub.SignIn(ctx, tess.ID, "0000"); return err }
		}
		// Two at a time, until one attempt short of the lock-out.
		for tried := 0; tried+2 <= s.SignInAttempts-1; tried += 2 {
			errA, errB := atOnce(wrong(a), wrong(b))
			if !errors.Is(errA, data.ErrWrongSecret) || !errors.Is(errB, data.ErrWrongSecret) {
				t.Fatalf("round %d: wrong PINs on both hubs: %v; %v; want both ErrWrongSecret", round, errA, errB)
			}
		}
		if (s.SignInAttempts-1)%2 == 1 {
			if err := wrong(b)(); !errors.Is(err, data.ErrWrongSecret) {
				t.Fatalf("round %d: %v, want ErrWrongSecret", round, err)
			}
		}
		if err := wrong(a)(); !errors.Is(err, data.ErrLockedOut) {
			t.Fatalf("round %d: wrong PIN %d: %v, want ErrLockedOut: an attempt on the other hub was lost", round, s.SignInAttempts, err)
		}
	}
}

// Two managers who deactivate each other on two hubs at once: one of them
// stays, as the last manager must.
func TestDeactivateUser_TheLastManagerStaysAcrossHubs(t *testing.T) {
	a, b, first := twoCatalogHubs(t)
	ctx := t.Context()
	for round := range raceRounds / 2 {
		added, err := a.As(first).AddUser(ctx, data.NewUser{User: data.User{Name: fmt.Sprintf("Joost %d", round), Role: data.RoleManager,
			LocationIDs: first.Locations}, Secret: "wachtwoord-joost"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := b.ActorFor(ctx, added.ID)
		if err != nil {
			t.Fatal(err)
		}
		errA, errB := atOnce(
			func() error { return a.As(first).DeactivateUser(ctx, second.UserID) },
			func() error { return b.As(second).DeactivateUser(ctx, first.UserID) })
		lost := oneWon(t, round, errA, errB)
		var r *data.Refusal
		if !errors.As(lost, &r) || r.Code != data.RefuseLastManager {
			t.Fatalf("round %d: the other deactivation failed with %v, want the last manager refused", round, lost)
		}
		// The one left standing meets a new colleague in the next round.
		if errA != nil {
			first = second
		}
	}
}
