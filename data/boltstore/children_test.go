package boltstore_test

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

// childrenDataset is smallDataset with a second KDV group, a second location,
// a staff member of Egeltjes and office users of each location.
func childrenDataset() data.Dataset {
	ds := smallDataset()
	ds.Locations = append(ds.Locations, data.Location{ID: 2, Name: "De Notenboom"})
	ds.Groups = append(ds.Groups,
		data.Group{ID: groupVo, LocationID: 1, Name: "Vosjes", Care: data.KDV, Capacity: 12},
		data.Group{ID: groupNo, LocationID: 2, Name: "Notenkrakers", Care: data.KDV, Capacity: 12})
	ds.Users = []data.NewUser{
		{User: data.User{ID: childrenStaff, Name: "Tess", Role: data.RoleStaff, GroupIDs: []data.ID{groupEg}}, Secret: "2222"},
		{User: data.User{ID: childrenOffice, Name: "Priya", Role: data.RoleOffice, LocationIDs: []data.ID{1}}, Secret: "3333"},
		{User: data.User{ID: childrenOtherOffice, Name: "Olga", Role: data.RoleOffice, LocationIDs: []data.ID{2}}, Secret: "4444"},
	}
	return ds
}

const (
	groupVo             data.ID = 3 // KDV Vosjes at location 1
	groupNo             data.ID = 4 // KDV Notenkrakers at location 2
	childrenStaff       data.ID = 1
	childrenOffice      data.ID = 2
	childrenOtherOffice data.ID = 3
)

func signedInAs(t *testing.T, db *boltstore.DB, user data.ID, secret string) data.Store {
	t.Helper()
	a, err := db.SignIn(t.Context(), user, secret)
	if err != nil {
		t.Fatal(err)
	}
	return db.As(a)
}

func TestAddChild_M1_M3_ValidatedWithUniqueNumber(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	zoe := data.Child{LocationID: 1, FirstName: "Zoë", LastName: "Dvořák", BirthDate: data.NewDate(2024, time.January, 31), SchoolID: 1,
		Number: "K-1001", Contacts: []data.Contact{{Name: "Eva Dvořák", Relation: "moeder", Phone: "06-12345678", MayCollect: true}}}
	added, err := db.AddChild(t.Context(), zoe)
	if err != nil {
		t.Fatal(err)
	}
	found, err := db.ChildByNumber(t.Context(), "K-1001")
	if err != nil || found.ID != added.ID || len(found.Contacts) != 1 || found.Contacts[0].Phone != "06-12345678" {
		t.Fatalf("ChildByNumber = %+v, %v; want the added child with her contact", found, err)
	}
	for _, tc := range []struct {
		name   string
		change func(c *data.Child)
	}{
		{"born tomorrow", func(c *data.Child) { c.BirthDate = storeToday.AddDays(1) }},
		{"no last name", func(c *data.Child) { c.LastName = " " }},
		{"no birth date", func(c *data.Child) { c.BirthDate = data.Date{} }},
		{"unknown school", func(c *data.Child) { c.SchoolID = 99 }},
		{"unknown location", func(c *data.Child) { c.LocationID = 99 }},
		{"number taken", func(c *data.Child) { c.FirstName = "Sem" }},
		{"contact without name", func(c *data.Child) { c.Number = "K-2"; c.Contacts = []data.Contact{{Phone: "112"}} }},
		{"a picture that is no image", func(c *data.Child) { c.Number = "K-3"; c.Picture = []byte("GIF89a") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := zoe
			tc.change(&c)
			if _, err := db.AddChild(t.Context(), c); !errors.Is(err, data.ErrInvalid) {
				t.Errorf("got %v, want ErrInvalid", err)
			}
		})
	}

	// A changed number moves in the index; the old number is free again.
	added.Number = "K-1002"
	added.Contacts = append(added.Contacts, data.Contact{Name: "Opa Jan", Relation: "opa"})
	if err := db.UpdateChild(t.Context(), added); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChildByNumber(t.Context(), "K-1001"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("old number still finds a child: %v", err)
	}
	if c, err := db.ChildByNumber(t.Context(), "K-1002"); err != nil || len(c.Contacts) != 2 {
		t.Errorf("new number: %+v, %v", c, err)
	}
}

func TestSetChildPicture_PNGOrJPEGOnly(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	if err := db.SetChildPicture(t.Context(), idAnna, pic.Bytes()); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Child(t.Context(), idAnna); !bytes.Equal(c.Picture, pic.Bytes()) {
		t.Fatal("picture not stored")
	}
	for name, img := range map[string][]byte{
		"text named .png": []byte("not an image"),
		"a GIF":           []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
		"too large":       append(append([]byte{}, pic.Bytes()...), make([]byte, data.MaxPictureBytes)...),
	} {
		if err := db.SetChildPicture(t.Context(), idAnna, img); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	if err := db.SetChildPicture(t.Context(), idAnna, nil); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Child(t.Context(), idAnna); c.Picture != nil {
		t.Error("nil did not remove the picture")
	}
}

// onList reports whether child is on group's list on d.
func onList(t *testing.T, db *boltstore.DB, group, child data.ID, d data.Date) bool {
	t.Helper()
	l, err := db.DayList(t.Context(), group, d)
	if err != nil {
		t.Fatal(err)
	}
	_, ok := rowOf(l, child)
	return ok
}

func TestChangeContract_M2_NewVersionFromADate(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	nextMonday := storeToday.AddDays(6) // Monday 16 March
	next := data.Contract{GroupID: groupEg, Product: data.ProductKDV, Days: days(kdvTimes, time.Monday)}
	v2, err := db.ChangeContract(t.Context(), 1, nextMonday, next)
	if err != nil {
		t.Fatal(err)
	}
	contracts, _ := db.Contracts(t.Context(), idAnna)
	if len(contracts) != 2 || contracts[0].End != nextMonday.AddDays(-1) || v2.Start != nextMonday || v2.ID == 1 {
		t.Fatalf("contracts after the change: %+v", contracts)
	}
	if !onList(t, db, groupEg, idAnna, storeToday) || onList(t, db, groupEg, idAnna, nextMonday.AddDays(1)) || !onList(t, db, groupEg, idAnna, nextMonday) {
		t.Error("Tuesday this week follows the old version, Tuesday next week the new one (Mondays only)")
	}
	// A version that collides with Anna's other contracts is refused whole.
	if _, err := db.AddContract(t.Context(), data.Contract{ChildID: idAnna, GroupID: groupVo, Product: data.ProductKDV, Start: nextMonday, Days: days(kdvTimes, time.Monday)}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("overlapping contract: %v", err)
	}
	// From a day the contract does not run is refused.
	if _, err := db.ChangeContract(t.Context(), 1, nextMonday, next); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("change of an ended version: %v", err)
	}
}

func TestMoveChild_M2_FromADateKeepsThePast(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	from := storeToday.AddDays(1)
	if err := db.MoveChild(t.Context(), idAnna, groupVo, from); err != nil {
		t.Fatal(err)
	}
	if !onList(t, db, groupEg, idAnna, storeToday) || onList(t, db, groupEg, idAnna, from) || !onList(t, db, groupVo, idAnna, from) {
		t.Error("Anna is in Egeltjes today and in Vosjes from tomorrow")
	}
	// A move to another location takes the child there.
	if err := db.MoveChild(t.Context(), idAnna, groupNo, from.AddDays(7)); err != nil {
		t.Fatal(err)
	}
	if c, _ := db.Child(t.Context(), idAnna); c.LocationID != 2 {
		t.Errorf("Anna's location is %d, want 2", c.LocationID)
	}
	there, _ := db.Children(t.Context(), 2)
	here, _ := db.Children(t.Context(), 1)
	if len(there) != 1 || len(here) != 3 {
		t.Errorf("location 2 has %d children, location 1 %d; want 1 and 3", len(there), len(here))
	}
	if err := db.MoveChild(t.Context(), idCas, groupEg, from); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a BSO contract moved to a KDV group: %v", err)
	}
}

func TestEndCare_M2_C1_ListConsentAndRetention(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	// A contract that would start later is removed, not ended before it begins.
	later, err := db.AddContract(t.Context(), data.Contract{ChildID: idDewi, GroupID: groupEg, Product: data.ProductKDV, Start: storeToday.AddDays(30), Days: days(kdvTimes, time.Monday)})
	if err != nil {
		t.Fatal(err)
	}
	friday := storeToday.AddDays(3)
	if err := db.EndCare(t.Context(), idDewi, friday); err != nil {
		t.Fatal(err)
	}
	if !onList(t, db, groupEg, idDewi, friday) || onList(t, db, groupEg, idDewi, friday.AddDays(7)) {
		t.Error("Dewi is on Friday's list and not on the next Friday's")
	}
	contracts, _ := db.Contracts(t.Context(), idDewi)
	if len(contracts) != 1 || contracts[0].End != friday || contracts[0].ID == later.ID {
		t.Fatalf("contracts after EndCare: %+v", contracts)
	}
	settings, _ := db.Settings(t.Context())
	if last, ok := data.RetentionEnds(contracts, settings); !ok || last != data.NewDate(2028, time.March, 13) {
		t.Errorf("retention ends %s (%v), want 24 months after Friday", last, ok)
	}
	if c, _ := db.Consent(t.Context(), idDewi); c.Ended() {
		t.Error("consent ended before the last day")
	}
	if ended, ok := data.ConsentEnded(contracts, friday.AddDays(1)); !ok || ended != friday {
		t.Errorf("consent on Saturday: ended %s %v, want ended on Friday", ended, ok)
	}
	if err := db.EndCare(t.Context(), idDewi, friday); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("ending ended care again: %v", err)
	}
}

func TestChildren_M1_RolesInTheStore(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	staff, office, other := signedInAs(t, db, childrenStaff, "2222"), signedInAs(t, db, childrenOffice, "3333"), signedInAs(t, db, childrenOtherOffice, "4444")
	anna, _ := db.Child(t.Context(), idAnna)
	anna.Contacts = []data.Contact{{Name: "Petra Bakker", Phone: "06-1"}}
	kdvSaturday := data.Contract{ChildID: idAnna, GroupID: groupVo, Product: data.ProductKDV, Start: storeToday, Days: days(kdvTimes, time.Saturday)}
	writes := map[string]func(db data.Store) error{
		"AddChild": func(db data.Store) error {
			_, err := db.AddChild(t.Context(), data.Child{LocationID: 1, FirstName: "Sem", LastName: "Bos", BirthDate: data.NewDate(2024, 1, 1)})
			return err
		},
		"UpdateChild":     func(db data.Store) error { return db.UpdateChild(t.Context(), anna) },
		"SetChildPicture": func(db data.Store) error { return db.SetChildPicture(t.Context(), idAnna, nil) },
		"AddContract":     func(db data.Store) error { _, err := db.AddContract(t.Context(), kdvSaturday); return err },
		"ChangeContract": func(db data.Store) error {
			_, err := db.ChangeContract(t.Context(), 2, storeToday.AddDays(7), data.Contract{GroupID: groupEg, Product: data.ProductKDV, Days: days(kdvTimes, time.Monday)})
			return err
		},
		"MoveChild": func(db data.Store) error {
			return db.MoveChild(t.Context(), idDewi, groupVo, storeToday.AddDays(14))
		},
		"EndCare": func(db data.Store) error { return db.EndCare(t.Context(), idCas, storeToday.AddDays(30)) },
	}
	for name, write := range writes {
		t.Run(name, func(t *testing.T) {
			for who, h := range map[string]data.Store{"staff": staff, "office of another location": other} {
				if err := write(h); !errors.Is(err, data.ErrForbidden) {
					t.Errorf("%s: got %v, want ErrForbidden", who, err)
				}
			}
			if err := write(office); err != nil {
				t.Errorf("office of the location: %v", err)
			}
		})
	}
	// Staff on the group's tablet read a child's contacts.
	if c, err := staff.Child(t.Context(), idAnna); err != nil || len(c.Contacts) != 1 {
		t.Errorf("staff read %+v, %v; want Anna's contact", c.Contacts, err)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "EndCare"})
	if len(entries) != 1 || entries[0].Who != "Priya" {
		t.Errorf("EndCare audit: %+v", entries)
	}
}

// TestChangeContract_M2_CreditYearsRunOnOverVersions: a Qflexibel contract
// changed in the middle of its year gives no second year's hours; its next
// year comes from the new version, with the new hours.
func TestChangeContract_M2_CreditYearsRunOnOverVersions(t *testing.T) {
	now := storeNow
	ds := smallDataset()
	ds.Contracts = append(ds.Contracts, data.Contract{ID: 9, ChildID: idAnna, GroupID: groupEg, Product: data.ProductQflexibel,
		Start: data.NewDate(2025, time.September, 1), CreditHours: 40})
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.Seeded(ds))
	flexHours := func() float64 {
		t.Helper()
		l, err := db.Ledger(t.Context(), idAnna)
		if err != nil {
			t.Fatal(err)
		}
		minutes := 0
		for _, b := range l.Balances {
			if b.Pot == string(data.ProductQflexibel) {
				minutes += b.Available
			}
		}
		return float64(minutes) / 60
	}
	if h := flexHours(); h != 40 {
		t.Fatalf("before the change: %v hours, want 40", h)
	}
	v2, err := db.ChangeContract(t.Context(), 9, data.NewDate(2026, time.April, 1), data.Contract{GroupID: groupEg, Product: data.ProductQflexibel, CreditHours: 60})
	if err != nil {
		t.Fatal(err)
	}
	if v2.Continues != 9 {
		t.Errorf("the new version continues %d, want 9", v2.Continues)
	}
	now = time.Date(2026, time.April, 2, 9, 0, 0, 0, time.Local)
	if h := flexHours(); h != 40 {
		t.Errorf("after a change in the middle of the year: %v hours, want the year's 40 only", h)
	}
	now = time.Date(2026, time.September, 1, 9, 0, 0, 0, time.Local)
	if h := flexHours(); h != 60 {
		t.Errorf("in the next contract year: %v hours, want the new version's 60", h)
	}
}
