package pgstore_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"
	"time"

	"locatiedesk/data"
)

// childrenDay is the day the children tests run on.
var childrenDay = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)

func portrait(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestChildren_M1_ListedByNameWithoutPictures(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	klaver := groups["Egeltjes"].LocationID
	egel, err := db.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	born := data.NewDate(2024, time.May, 1)
	zoe, err := db.AddChild(ctx, data.Child{LocationID: klaver, FirstName: "Zoë", LastName: "Dvořák", BirthDate: born,
		Number: " K-1 ", Picture: portrait(t), Contacts: []data.Contact{{Name: "Eva Dvořák", Phone: "06-1", MayCollect: true}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddChild(ctx, data.Child{LocationID: klaver, FirstName: "Anna", LastName: "Bakker", BirthDate: born}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddChild(ctx, data.Child{LocationID: egel.ID, FirstName: "Finn", LastName: "Egel", BirthDate: born}); err != nil {
		t.Fatal(err)
	}
	stored, err := db.Child(ctx, zoe.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Number != "K-1" || len(stored.Picture) == 0 || len(stored.Contacts) != 1 || stored.Contacts[0].Phone != "06-1" {
		t.Errorf("Child = %+v, want Zoë with number K-1, picture and contact", stored)
	}
	list, err := db.Children(ctx, klaver)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].FirstName != "Anna" || list[1].FirstName != "Zoë" || list[1].Picture != nil || list[0].Contacts != nil {
		t.Errorf("Children of Het Klavertje = %+v, want Anna then Zoë, without pictures", list)
	}
	all, err := db.Children(ctx, 0)
	if err != nil || len(all) != 3 {
		t.Errorf("Children(0) = %d children, %v; want all 3", len(all), err)
	}
	office := db.As(data.Actor{UserID: 9, Name: "Priya", Role: data.RoleOffice, Locations: []data.ID{egel.ID}})
	if _, err := office.Children(ctx, klaver); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("an office user of De Egel lists Het Klavertje: %v", err)
	}
	if mine, err := office.Children(ctx, 0); err != nil || len(mine) != 1 || mine[0].FirstName != "Finn" {
		t.Errorf("an office user of De Egel lists %+v, %v; want Finn only", mine, err)
	}
	if _, err := office.Child(ctx, zoe.ID); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("an office user of De Egel reads Zoë: %v", err)
	}
	if _, err := db.AddChild(ctx, data.Child{LocationID: egel.ID, FirstName: "Sem", LastName: "Dubbel", BirthDate: born, Number: "K-1"}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second child numbered K-1: %v, want refused", err)
	}
	if _, err := db.AddChild(ctx, data.Child{LocationID: egel.ID + 1, FirstName: "Sem", LastName: "Nergens", BirthDate: born}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a child at an unknown location: %v, want refused", err)
	}
}

func TestContracts_M2_EveryVersionListed(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	egeltjes, vosjes := groups["Egeltjes"], groups["Vosjes"]
	child, err := db.AddChild(ctx, data.Child{LocationID: egeltjes.LocationID, FirstName: "Bram", LastName: "Bakker", BirthDate: data.NewDate(2024, time.June, 2)})
	if err != nil {
		t.Fatal(err)
	}
	morning := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(13, 0)}
	first, err := db.AddContract(ctx, data.Contract{ChildID: child.ID, GroupID: egeltjes.ID, Product: data.ProductKDV, Start: data.NewDate(2025, time.September, 1),
		Days: []data.ContractDay{{Weekday: time.Tuesday, Times: morning}}})
	if err != nil {
		t.Fatal(err)
	}
	from := data.DateOf(childrenDay).AddDays(7)
	next := first
	next.ID, next.GroupID = 0, vosjes.ID
	if _, err := db.ChangeContract(ctx, first.ID, from, next); err != nil {
		t.Fatal(err)
	}
	// Overlapping the first version: refused however the versions are stored.
	if _, err := db.AddContract(ctx, data.Contract{ChildID: child.ID, GroupID: egeltjes.ID, Product: data.ProductKDV, Start: data.NewDate(2025, time.October, 1),
		Days: []data.ContractDay{{Weekday: time.Tuesday, Times: morning}}}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a contract overlapping the ended version: %v, want refused", err)
	}
	all, err := db.Contracts(ctx, child.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].End != from.AddDays(-1) || all[1].Start != from || all[1].Continues != first.ID || all[1].GroupID != vosjes.ID {
		t.Errorf("Contracts = %+v, want the first version ended the day before %s and the second continuing it", all, from)
	}
	if err := db.EndCare(ctx, child.ID, from.AddDays(-3)); err != nil {
		t.Fatal(err)
	}
	if all, err = db.Contracts(ctx, child.ID); err != nil || len(all) != 1 || all[0].End != from.AddDays(-3) {
		t.Errorf("after EndCare Contracts = %+v, %v; want the first version only, ending on the last day", all, err)
	}
}

// A contract still to come whose flexible credit was granted already (the
// parents may ask for its first days) goes at the end of care; the credit
// entry stays in the ledger, as every entry does.
func TestEndCare_M2_RemovesAGrantedContractStillToCome(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	mila, err := db.AddChild(ctx, data.Child{LocationID: groups["Egeltjes"].LocationID, FirstName: "Mila", LastName: "Visser", BirthDate: data.NewDate(2024, time.February, 2)})
	if err != nil {
		t.Fatal(err)
	}
	start := data.DateOf(childrenDay).AddDays(7)
	if _, err := db.AddContract(ctx, data.Contract{ChildID: mila.ID, GroupID: groups["Egeltjes"].ID, Product: data.ProductQflexibel, Start: start, CreditHours: 40}); err != nil {
		t.Fatal(err)
	}
	granted, err := db.Ledger(ctx, mila.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(granted.Entries) != 1 || granted.Entries[0].Minutes != 40*60 {
		t.Fatalf("Mila's ledger %+v, want next week's 40 hours granted", granted.Entries)
	}
	if err := db.EndCare(ctx, mila.ID, data.DateOf(childrenDay)); err != nil {
		t.Fatal(err)
	}
	if contracts, err := db.Contracts(ctx, mila.ID); err != nil || len(contracts) != 0 {
		t.Errorf("after the end of care Mila has contracts %+v, %v; want none", contracts, err)
	}
	if after, err := db.Ledger(ctx, mila.ID); err != nil || len(after.Entries) != 1 {
		t.Errorf("after the end of care Mila's ledger %+v, %v; want the entry kept", after.Entries, err)
	}
}
