package boltstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

func presentGroup(t *testing.T, p data.PresentList, name string) data.PresentGroup {
	t.Helper()
	for _, g := range p.Groups {
		if g.Group.Name == name {
			return g
		}
	}
	t.Fatalf("no group %q in %+v", name, p.Groups)
	return data.PresentGroup{}
}

// TestPresentNow_FollowsEveryEdit: each check-in, check-out and absence
// shows in the very next read, to the second of the store's clock.
func TestPresentNow_FollowsEveryEdit(t *testing.T) {
	now := storeNow
	ds := smallDataset()
	ds.Children[0].Contacts = []data.Contact{{Name: "Sanne Bakker", Relation: "moeder", Phone: "06-11111111"}}
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.Seeded(ds))
	read := func() (here, notHere []string) {
		t.Helper()
		p, err := db.PresentNow(t.Context(), 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !p.AsOf.Equal(now) || p.Stale || p.Location.Name != "Het Klavertje" || len(p.Groups) != 2 {
			t.Fatalf("list as of %v (stale %v) of %q with %d groups", p.AsOf, p.Stale, p.Location.Name, len(p.Groups))
		}
		g := presentGroup(t, p, "Egeltjes")
		return datatest.PresentNames(g.Here), datatest.PresentNames(g.NotHere)
	}
	anna := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}
	bram := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idBram, By: "Mirjam"}

	here, notHere := read()
	if len(here) != 0 || !slices.Equal(notHere, []string{"Anna Bakker", "Bram de Vries"}) {
		t.Fatalf("before anyone came: here %v, not here %v", here, notHere)
	}
	now = now.Add(7 * time.Second)
	if err := db.CheckIn(t.Context(), anna, data.ClockOf(now)); err != nil {
		t.Fatal(err)
	}
	p, err := db.PresentNow(t.Context(), 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	g := presentGroup(t, p, "Egeltjes")
	if len(g.Here) != 1 || g.Here[0].Name() != "Anna Bakker" || g.Here[0].CheckIn != data.NewClock(9, 0) ||
		len(g.Here[0].Contacts) != 1 || g.Here[0].Contacts[0].Phone != "06-11111111" {
		t.Fatalf("after Anna's check-in: %+v", g.Here)
	}
	if err := db.MarkAbsent(t.Context(), bram, data.AbsenceSick); err != nil {
		t.Fatal(err)
	}
	if here, notHere = read(); !slices.Equal(here, []string{"Anna Bakker"}) || len(notHere) != 0 {
		t.Fatalf("after Bram's absence: here %v, not here %v", here, notHere)
	}
	now = now.Add(5 * time.Minute)
	if err := db.CheckOut(t.Context(), anna, data.ClockOf(now)); err != nil {
		t.Fatal(err)
	}
	if here, notHere = read(); len(here) != 0 || len(notHere) != 0 {
		t.Fatalf("after Anna's check-out: here %v, not here %v", here, notHere)
	}
	// The BSO child is expected this afternoon: not here, in his own group.
	p, _ = db.PresentNow(t.Context(), 1, groupUi)
	if len(p.Groups) != 1 || !slices.Equal(datatest.PresentNames(p.Groups[0].NotHere), []string{"Cas Jansen"}) {
		t.Fatalf("Uilen alone: %+v", p.Groups)
	}
}

// TestPresentNow_RoleScope: staff see their own groups, managers their
// locations; others are refused.
func TestPresentNow_RoleScope(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	groupIDs := func(p data.PresentList) []data.ID {
		var ids []data.ID
		for _, g := range p.Groups {
			ids = append(ids, g.Group.ID)
		}
		return ids
	}
	cases := []struct {
		name     string
		handle   data.Store
		location data.ID
		group    data.ID
		want     []data.ID
		err      error
	}{
		{"staff, whole location", signedIn(t, db, sven), 1, 0, []data.ID{3, 4}, nil},
		{"staff, own group", signedIn(t, db, sven), 1, 4, []data.ID{4}, nil},
		{"staff, other group", signedIn(t, db, sven), 1, 1, nil, data.ErrForbidden},
		{"manager", signedIn(t, db, marieke), 1, 0, []data.ID{1, 2, 3, 4}, nil},
		{"office", signedIn(t, db, priya), 1, 0, nil, data.ErrForbidden},
		{"unknown location", db, 99, 0, nil, data.ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.handle.PresentNow(t.Context(), c.location, c.group)
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			if got := groupIDs(p); !slices.Equal(got, c.want) {
				t.Errorf("groups %v, want %v", got, c.want)
			}
		})
	}
}
