package pgstore_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// klavertje is an organisation set up with location Het Klavertje and the
// groups datatest.ChildrenCSV names (Egeltjes KDV, Uilen BSO) and Vosjes (KDV).
func klavertje(t *testing.T) (*pgstore.DB, map[string]data.Group) {
	t.Helper()
	return klavertjeAt(t, pgtest.Database(t))
}

// klavertjeAt is klavertje on the database at address.
func klavertjeAt(t *testing.T, address string) (*pgstore.DB, map[string]data.Group) {
	t.Helper()
	db := hubAt(t, address)
	_, err := db.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Kinderopvang Klavertje", Location: "Het Klavertje",
		Groups: []data.GroupSetup{{Name: "Egeltjes", Care: data.KDV, Capacity: 12}, {Name: "Uilen", Care: data.BSO, Capacity: 20},
			{Name: "Vosjes", Care: data.KDV, Capacity: 12}},
		Manager: "Marieke", Secret: "wachtwoord-manager"})
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]data.Group{}
	for _, name := range []string{"Egeltjes", "Uilen", "Vosjes"} {
		if groups[name], err = db.GroupByName(t.Context(), name); err != nil {
			t.Fatal(err)
		}
	}
	return db, groups
}

// hubAt is a store on the database at address, as one hub of several opens it.
func hubAt(t *testing.T, address string) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(t.Context(), address, pgstore.WithClock(func() time.Time { return childrenDay }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func auditCount(t *testing.T, db data.Store) int {
	t.Helper()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// childNumbered finds the child with a planning-system number.
func childNumbered(t *testing.T, db data.Store, number string) data.Child {
	t.Helper()
	all, err := db.Children(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		if c.Number == number {
			return c
		}
	}
	t.Fatalf("no child numbered %s among %+v", number, all)
	return data.Child{}
}

func TestImportChildren_M1_ExportImportIsStable(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	plan, err := db.ImportChildren(ctx, datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil))
	if err != nil {
		t.Fatal(err)
	}
	if n := plan.Counts(); n.ChildrenCreated != 2 || n.ContractsCreated != 3 || !slices.Equal(plan.NewSchools, []string{"Het Kompas"}) {
		t.Fatalf("first import: %+v %v", n, plan.NewSchools)
	}
	zoe := childNumbered(t, db, "K-1")
	if len(zoe.Contacts) != 1 || zoe.Contacts[0] != (data.Contact{Name: "Eva Dvořák", Relation: "ouder", Phone: "+31 6 12345678", Email: "eva@example.nl", MayCollect: true}) {
		t.Errorf("Zoë's contacts %+v", zoe.Contacts)
	}
	if sem := childNumbered(t, db, "K-2"); sem.SchoolID == 0 {
		t.Error("Sem's new school was not made")
	}
	before := auditCount(t, db)
	if again, err := db.ImportChildren(ctx, datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)); err != nil || again.HasChanges() {
		t.Fatalf("the same file again: %+v, %v", again.Counts(), err)
	}
	if auditCount(t, db) != before {
		t.Error("the same file again wrote")
	}

	// A version from a date in another group, and days whose times differ, survive the round trip.
	contracts, err := db.Contracts(ctx, zoe.ID)
	if err != nil {
		t.Fatal(err)
	}
	kdv := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	uneven := []data.ContractDay{{Weekday: time.Monday, Times: kdv}, {Weekday: time.Wednesday, Times: data.TimeRange{From: kdv.From, Until: data.NewClock(13, 0)}}}
	if _, err := db.ChangeContract(ctx, contracts[0].ID, data.NewDate(2026, time.May, 4), data.Contract{GroupID: groups["Vosjes"].ID, Product: data.ProductKDV, Days: uneven}); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := db.ExportChildren(ctx, &first, groups["Egeltjes"].LocationID); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "'+31 6 12345678") || !strings.Contains(first.String(), "ma 07:30-18:00,wo 07:30-13:00") {
		t.Errorf("export:\n%s", first.String())
	}
	before = auditCount(t, db)
	if plan, err := db.ImportChildren(ctx, datatest.ParseChildFile(t, "export.csv", first.String(), nil)); err != nil || plan.HasChanges() {
		t.Fatalf("the export imported again: %+v, %v %v\n%s", plan.Counts(), err, plan.Problems, first.String())
	}
	if auditCount(t, db) != before {
		t.Error("importing the export wrote")
	}

	// Into an empty organisation with the same groups, the export makes the same children and contracts.
	fresh, _ := klavertje(t)
	if _, err := fresh.ImportChildren(ctx, datatest.ParseChildFile(t, "export.csv", first.String(), nil)); err != nil {
		t.Fatal(err)
	}
	versions, err := fresh.Contracts(ctx, childNumbered(t, fresh, "K-1").ID)
	if err != nil {
		t.Fatal(err)
	}
	var earlier, later data.Contract
	for _, c := range versions {
		if c.Product == data.ProductKDV && c.End.IsZero() {
			later = c
		} else if c.Product == data.ProductKDV {
			earlier = c
		}
	}
	if earlier.ID == 0 || later.Continues != earlier.ID {
		t.Errorf("the imported later version %+v does not continue %+v", later, earlier)
	}
	var second bytes.Buffer
	if err := fresh.ExportChildren(ctx, &second, 0); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func TestImportChildren_M1_AllOrNothing(t *testing.T) {
	db, _ := klavertje(t)
	bad := datatest.ChildrenCSV + "K-3;Mila;Visser;2024-02-02;Het Klavertje;Onbekend;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n"
	before := auditCount(t, db)
	plan, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning.csv", bad, nil))
	var ie *data.ImportError
	if !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Problem != data.ProblemUnknownGroup || len(plan.Problems) != 1 {
		t.Fatalf("a file with an unknown group: %v, problems %v", err, plan.Problems)
	}
	if children, err := db.Children(t.Context(), 0); err != nil || len(children) != 0 || auditCount(t, db) != before {
		t.Errorf("a refused file left %d children, %d audit entries (%v)", len(children), auditCount(t, db)-before, err)
	}
}
