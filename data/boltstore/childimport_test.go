package boltstore_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"locatiedesk/data"
)

// auditCount is the number of audit entries: one per committed write.
func auditCount(t *testing.T, db *boltstore.DB) int {
	t.Helper()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestImportChildren_M1_ReimportChangesNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	ci := datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)
	plan, err := db.ImportChildren(t.Context(), ci)
	if err != nil {
		t.Fatal(err)
	}
	n := plan.Counts()
	if n.ChildrenCreated != 2 || n.ContractsCreated != 3 || n.SchoolsCreated != 1 || !slices.Equal(plan.NewSchools, []string{"Het Kompas"}) {
		t.Fatalf("first import: %+v %v", n, plan.NewSchools)
	}
	zoe, err := db.ChildByNumber(t.Context(), "K-1")
	if err != nil || len(zoe.Contacts) != 1 || zoe.Contacts[0] != (data.Contact{Name: "Eva Dvořák", Relation: "ouder", Phone: "+31 6 12345678", Email: "eva@example.nl", MayCollect: true}) {
		t.Fatalf("Zoë: %+v, %v", zoe, err)
	}
	sem, _ := db.ChildByNumber(t.Context(), "K-2")
	if school, err := db.SchoolByName(t.Context(), "Het Kompas"); err != nil || sem.SchoolID != school.ID {
		t.Errorf("Sem's school %d, the new school %+v (%v)", sem.SchoolID, school, err)
	}
	monday := data.NewDate(2026, time.March, 16)
	if !onList(t, db, groupEg, zoe.ID, monday) || !onList(t, db, groupUi, sem.ID, monday) || onList(t, db, groupEg, zoe.ID, monday.AddDays(2)) {
		t.Error("Zoë is on Monday's Egeltjes list, not on Wednesday's; Sem on Monday's Uilen list")
	}

	before := auditCount(t, db)
	again, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil))
	if err != nil {
		t.Fatal(err)
	}
	if again.HasChanges() || again.Counts().ChildrenUnchanged != 2 {
		t.Errorf("the same file again: %+v", again.Counts())
	}
	if after := auditCount(t, db); after != before {
		t.Errorf("the same file again wrote %d audit entries; want no write at all", after-before)
	}
}

func TestImportChildren_M1_M2_UpdatedFileChangesWhatChanged(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	if _, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)); err != nil {
		t.Fatal(err)
	}
	zoe, _ := db.ChildByNumber(t.Context(), "K-1")
	// Zoë goes to four days from 1 April; Sem's contract ends in May; Sem's name is spelled right now.
	updated := strings.Replace(datatest.ChildrenCSV, "kdv;ma,di,do;07:30;18:00;2026-03-02;", "kdv;ma,di,do,vr;07:30;18:00;2026-04-01;", 1)
	updated = strings.Replace(updated, "K-2;Sem;de Boer", "K-2;Sem;de Boer-Smit", 1)
	updated = strings.Replace(updated, "02-03-2026;31-07-2026", "02-03-2026;29-05-2026", 1)
	plan, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning-april.csv", updated, nil))
	if err != nil {
		t.Fatal(err)
	}
	byNumber := map[string]data.ChildPlan{}
	for _, cp := range plan.Children {
		byNumber[cp.Number] = cp
	}
	z, s := byNumber["K-1"], byNumber["K-2"]
	if z.Action != data.ImportUnchanged || len(z.Contracts) != 1 || z.Contracts[0].Action != data.ImportVersion || z.Contracts[0].Line != 2 {
		t.Errorf("Zoë's plan: %+v", z)
	}
	if s.Action != data.ImportChange || !slices.Equal(s.Changed, []string{data.ColLastName}) || len(s.Contracts) != 1 || s.Contracts[0].Action != data.ImportEnd {
		t.Errorf("Sem's plan: %+v", s)
	}
	contracts, _ := db.Contracts(t.Context(), zoe.ID)
	var kdv []data.Contract
	for _, c := range contracts {
		if c.Product == data.ProductKDV {
			kdv = append(kdv, c)
		}
	}
	if len(kdv) != 2 || kdv[0].End != data.NewDate(2026, time.March, 31) || kdv[1].Start != data.NewDate(2026, time.April, 1) || len(kdv[1].Days) != 4 {
		t.Fatalf("Zoë's daycare contracts: %+v", kdv)
	}
	friday := func(d data.Date) data.Date { return d.AddDays(int(time.Friday - d.Weekday())) }
	if onList(t, db, groupEg, zoe.ID, friday(data.NewDate(2026, time.March, 23))) || !onList(t, db, groupEg, zoe.ID, friday(data.NewDate(2026, time.April, 6))) {
		t.Error("Zoë comes on Fridays from April on, not before")
	}
	// The updated file again changes nothing.
	if again, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning-april.csv", updated, nil)); err != nil || again.HasChanges() {
		t.Errorf("the updated file again: %+v, %v", again.Counts(), err)
	}
}

func TestImportChildren_M1_AllOrNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	before := auditCount(t, db)
	childrenBefore, _ := db.Children(t.Context(), 0)
	bad := datatest.ChildrenCSV +
		"K-3;Mila;Jansen;2024-01-01;Het Klavertje;Rupsjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 5: unknown group
		"K-4;Finn;Jansen;2024-01-01;Het Klavertje;Uilen;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 6: daycare in a BSO group
		"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Vosjes;kdv;do;07:30;18:00;2026-06-01;;;;;;;\n" + // line 7: Thursday twice from June
		"K-5;Liam;Jansen;2024-01-01;Nergens;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 8: unknown location
		"K-6;Yara;Jansen;2027-01-01;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 9: born next year
		"K-2;Sam;de Boer;2018-05-20;Het Klavertje;Uilen;bso-52weken;di;15:00;18:30;2026-03-02;;;;;;;\n" // line 10: another name for K-2
	plan, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "bad.csv", bad, nil))
	var ie *data.ImportError
	if !errors.As(err, &ie) || !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("got %v, want an ImportError", err)
	}
	want := []struct {
		line    int
		problem data.ImportProblem
	}{{5, data.ProblemUnknownGroup}, {6, data.ProblemCareType}, {7, data.ProblemOverlap}, {8, data.ProblemUnknownLoc},
		{9, data.ProblemBirthFuture}, {10, data.ProblemChildDiffers}}
	if len(plan.Problems) != len(want) {
		t.Fatalf("problems %v", plan.Problems)
	}
	for i, w := range want {
		if p := plan.Problems[i]; p.Line != w.line || p.Problem != w.problem {
			t.Errorf("problem %d: %s, want line %d %s", i, p.Error(), w.line, w.problem)
		}
	}
	if plan.Problems[2].Want != 2 {
		t.Errorf("the overlap names line %d, want 2", plan.Problems[2].Want)
	}
	childrenAfter, _ := db.Children(t.Context(), 0)
	if len(childrenAfter) != len(childrenBefore) || auditCount(t, db) != before {
		t.Error("a refused file changed the store")
	}
	// A line overlapping a contract made in the window is refused as well.
	if _, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)); err != nil {
		t.Fatal(err)
	}
	zoe, _ := db.ChildByNumber(t.Context(), "K-1")
	if _, err := db.AddContract(t.Context(), data.Contract{ChildID: zoe.ID, GroupID: groupVo, Product: data.ProductKDV, Start: storeToday, Days: days(kdvTimes, time.Friday)}); err != nil {
		t.Fatal(err)
	}
	friday := strings.Replace(datatest.ChildrenCSV, "kdv;ma,di,do;07:30;18:00;2026-03-02;", "kdv;ma,di,do,vr;07:30;18:00;2026-04-01;", 1)
	plan, _ = db.PlanChildImport(t.Context(), datatest.ParseChildFile(t, "friday.csv", friday, nil))
	if len(plan.Problems) != 1 || plan.Problems[0].Problem != data.ProblemOverlap || plan.Problems[0].Value != storeToday.String() {
		t.Errorf("overlap with a stored contract: %v", plan.Problems)
	}
}

func TestImportChildren_M1_Roles(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	ci := datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)
	for who, h := range map[string]data.Store{"staff": signedInAs(t, db, childrenStaff, "2222"), "office of another location": signedInAs(t, db, childrenOtherOffice, "4444")} {
		if _, err := h.PlanChildImport(t.Context(), ci); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("%s previews: %v", who, err)
		}
		if _, err := h.ImportChildren(t.Context(), ci); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("%s imports: %v", who, err)
		}
		if err := h.ExportChildren(t.Context(), &bytes.Buffer{}, 1); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("%s exports: %v", who, err)
		}
	}
	if _, err := signedInAs(t, db, childrenOffice, "3333").ImportChildren(t.Context(), ci); err != nil {
		t.Errorf("office of the location: %v", err)
	}
}

func TestExportChildren_M1_ImportExportImportIsStable(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	if _, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)); err != nil {
		t.Fatal(err)
	}
	zoe, _ := db.ChildByNumber(t.Context(), "K-1")
	// A version from a date, and days whose times differ, survive the round trip.
	uneven := days(kdvTimes, time.Monday, time.Wednesday)
	uneven[1].Times.Until = data.NewClock(13, 0)
	contracts, _ := db.Contracts(t.Context(), zoe.ID)
	if _, err := db.ChangeContract(t.Context(), contracts[0].ID, data.NewDate(2026, time.May, 4), data.Contract{GroupID: groupVo, Product: data.ProductKDV, Days: uneven}); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	if err := db.ExportChildren(t.Context(), &first, 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "'+31 6 12345678") || !strings.Contains(first.String(), "ma 07:30-18:00,wo 07:30-13:00") {
		t.Errorf("export:\n%s", first.String())
	}
	before := auditCount(t, db)
	plan, err := db.ImportChildren(t.Context(), datatest.ParseChildFile(t, "export.csv", first.String(), nil))
	if err != nil || plan.HasChanges() {
		t.Fatalf("the export imported again: %+v, %v %v\n%s", plan.Counts(), err, plan.Problems, first.String())
	}
	if auditCount(t, db) != before {
		t.Error("importing the export wrote")
	}

	// Into an empty organisation with the same locations, the export makes the same children and contracts.
	fresh, _ := newStore(t, datatest.Seeded(childrenDataset()))
	if _, err := fresh.ImportChildren(t.Context(), datatest.ParseChildFile(t, "export.csv", first.String(), nil)); err != nil {
		t.Fatal(err)
	}
	freshZoe, _ := fresh.ChildByNumber(t.Context(), "K-1")
	versions, _ := fresh.Contracts(t.Context(), freshZoe.ID)
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
	if err := fresh.ExportChildren(t.Context(), &second, 1); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("export → import → export differs:\n%s\n---\n%s", first.String(), second.String())
	}
}

func TestImportChildren_M3_ParentFromAnyLineOfTheChild(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	file := "kindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;vakantiedagen;ouder_naam;ouder_email\n" +
		"K-7;Noë;Visser;2018-04-01;Het Klavertje;Uilen;bso-schoolweken;di;15:00;18:30;2026-03-02;;;\n" +
		"K-7;Noë;Visser;2018-04-01;Het Klavertje;Uilen;bso-vakantie;;;;2026-03-02;10;Ilse Visser;ilse@example.nl\n" +
		"K-8;Finn;Visser;2018-04-01;Het Klavertje;Uilen;bso-schoolweken;di;15:00;18:30;2026-03-02;;Ilse Visser;ilse@example.nl\n" +
		"K-8;Finn;Visser;2018-04-01;Het Klavertje;Uilen;bso-vakantie;;;;2026-03-02;10;Ruud Visser;ruud@example.nl\n"
	plan, err := db.PlanChildImport(t.Context(), datatest.ParseChildFile(t, "ouders.csv", file, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Problems) != 1 || plan.Problems[0].Line != 5 || plan.Problems[0].Value != data.ColParentName {
		t.Errorf("two parents for Finn: %v", plan.Problems)
	}
	if len(plan.Children) != 1 || len(plan.Children[0].Child.Contacts) != 1 || plan.Children[0].Child.Contacts[0].Email != "ilse@example.nl" {
		t.Errorf("Noë's parent from her second line: %+v", plan.Children)
	}
}
