package boltstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

func presentNames(children []data.PresentChild) []string {
	var names []string
	for _, c := range children {
		names = append(names, c.Name())
	}
	return names
}

// TestBuildPresentList_WhoIsHere is the rule on its own: here from the
// check-in until the check-out time has come, by the time of day of the moment asked;
// expected but not arrived apart; absent and gone home not at all.
func TestBuildPresentList_WhoIsHere(t *testing.T) {
	asOf := time.Date(2026, time.March, 10, 10, 30, 20, 0, time.Local)
	row := func(first string, source data.Source, a data.Attendance) data.DayRow {
		return data.DayRow{Child: data.Child{ID: data.ID(len(first)), FirstName: first, LastName: "Test"}, Source: source, Attendance: a,
			Expected: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(18, 0)}}
	}
	list := data.DayList{Group: data.Group{ID: 1, Name: "Egeltjes"}, Rows: []data.DayRow{
		row("Zoë", data.SourceContract, data.Attendance{CheckIn: clock(8, 5)}),
		row("Åsa", data.SourceContract, data.Attendance{CheckIn: clock(8, 0), CheckOut: clock(10, 30)}),           // left this minute
		row("Bram", data.SourceContract, data.Attendance{CheckIn: clock(8, 0), CheckOut: clock(10, 31)}),          // leaves next minute
		row("Cas", data.SourceContract, data.Attendance{CheckIn: clock(10, 30)}),                                  // arrived this minute
		row("Dewi", data.SourceContract, data.Attendance{CheckIn: clock(11, 0)}),                                  // a clock ahead of this one: here all the same
		row("Eva", data.SourceContract, data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick}),           // absent
		row("Finn", data.SourceContract, data.Attendance{}),                                                       // still to come
		row("Gijs", "", data.Attendance{Note: "note only"}),                                                       // on the list for a note, not expected
		row("Łukasz", data.SourceRequest, data.Attendance{CheckIn: clock(9, 0), CheckOut: clock(12, 0)}),          // extra day, still here
		row("Ilse", data.SourceContract, data.Attendance{CheckIn: clock(7, 55), CheckOut: clock(9, 0)}),           // gone home
		row("Jet", data.SourceContract, data.Attendance{Absent: true, AbsenceReason: data.AbsenceDayOff}),         // day off
		row("Kees", data.SourceContract, data.Attendance{CheckIn: clock(10, 0), Note: "private", UpdatedBy: "x"}), // here
	}}
	list.Rows[0].Child.Contacts = []data.Contact{
		{Name: "Marloes Dvořák", Relation: "moeder", Phone: "06-12345678", Email: "m@example.nl", MayCollect: true},
		{Name: "Buurvrouw", Relation: "buurvrouw", Email: "only-mail@example.nl"},
	}
	list.Rows[0].Consent = data.ConsentNone

	p := data.BuildPresentList(data.Location{ID: 1, Name: "Het Klavertje"}, []data.DayList{list}, asOf, true)
	if len(p.Groups) != 1 {
		t.Fatalf("groups %d, want 1", len(p.Groups))
	}
	g := p.Groups[0]
	if want := []string{"Bram Test", "Cas Test", "Dewi Test", "Kees Test", "Łukasz Test", "Zoë Test"}; !slices.Equal(presentNames(g.Here), want) {
		t.Errorf("here %v, want %v", presentNames(g.Here), want)
	}
	if want := []string{"Finn Test"}; !slices.Equal(presentNames(g.NotHere), want) {
		t.Errorf("not here %v, want %v", presentNames(g.NotHere), want)
	}
	if p.Total() != 6 || p.TotalNotHere() != 1 || !p.Stale || !p.AsOf.Equal(asOf) {
		t.Errorf("total %d, not here %d, stale %v, as of %v", p.Total(), p.TotalNotHere(), p.Stale, p.AsOf)
	}
	zoe := g.Here[5]
	if zoe.CheckIn != data.NewClock(8, 5) || zoe.Consent != data.ConsentNone {
		t.Errorf("Zoë: in %s, consent %s", zoe.CheckIn, zoe.Consent)
	}
	// Only a contact with a phone number can be called.
	if want := []data.CallContact{{Name: "Marloes Dvořák", Relation: "moeder", Phone: "06-12345678"}}; !slices.Equal(zoe.Contacts, want) {
		t.Errorf("Zoë's contacts %+v, want %+v", zoe.Contacts, want)
	}
}

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
		return presentNames(g.Here), presentNames(g.NotHere)
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
	if len(p.Groups) != 1 || !slices.Equal(presentNames(p.Groups[0].NotHere), []string{"Cas Jansen"}) {
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
