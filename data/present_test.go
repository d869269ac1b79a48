package data_test

import (
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

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
	if want := []string{"Bram Test", "Cas Test", "Dewi Test", "Kees Test", "Łukasz Test", "Zoë Test"}; !slices.Equal(datatest.PresentNames(g.Here), want) {
		t.Errorf("here %v, want %v", datatest.PresentNames(g.Here), want)
	}
	if want := []string{"Finn Test"}; !slices.Equal(datatest.PresentNames(g.NotHere), want) {
		t.Errorf("not here %v, want %v", datatest.PresentNames(g.NotHere), want)
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
