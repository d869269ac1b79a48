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

	"github.com/xuri/excelize/v2"

	"locatiedesk/data"
)

// childrenCSV is a planning system's export for childrenStore: Zoë has a
// daycare and a Qflexibel contract, Sem school weeks at a school Locatiedesk
// does not know yet.
const childrenCSV = "\ufeffkindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum;school;flexuren;ouder_naam;ouder_telefoon;ouder_email;klantnummer\n" +
	"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Egeltjes;kdv;ma,di,do;07:30;18:00;2026-03-02;;;;Eva Dvořák;+31 6 12345678;eva@example.nl;C-77\n" +
	"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Egeltjes;qflexibel;;;;2026-03-02;;;40;Eva Dvořák;+31 6 12345678;eva@example.nl;C-77\n" +
	"K-2;Sem;de Boer;2018-05-20;het klavertje;uilen;BSO schoolweken;ma,wo;15:00;18:30;02-03-2026;31-07-2026;Het Kompas;;;;;C-78\n"

func parseChildFile(t *testing.T, name, text string, mapping map[string]string) data.ChildImport {
	t.Helper()
	ci, err := data.ParseChildImport(name, strings.NewReader(text), mapping)
	if err != nil {
		t.Fatal(err)
	}
	return ci
}

func TestParseChildImport_M1_CSVDutchAndEnglish(t *testing.T) {
	ci := parseChildFile(t, "planning.csv", childrenCSV, nil)
	if len(ci.Problems) > 0 || len(ci.Lines) != 3 {
		t.Fatalf("lines %d, problems %v", len(ci.Lines), ci.Problems)
	}
	zoe, sem := ci.Lines[0], ci.Lines[2]
	if zoe.Line != 2 || zoe.Number != "K-1" || zoe.FirstName != "Zoë" || zoe.BirthDate != data.NewDate(2024, time.January, 31) ||
		zoe.Product != data.ProductKDV || len(zoe.Days) != 3 || zoe.Days[2].Weekday != time.Thursday ||
		zoe.Days[0].Times != kdvTimes || zoe.Parent.Phone != "+31 6 12345678" {
		t.Errorf("Zoë's line: %+v", zoe)
	}
	if ci.Lines[1].CreditHours != 40 || ci.Lines[1].Days != nil {
		t.Errorf("Qflexibel line: %+v", ci.Lines[1])
	}
	if sem.Product != data.ProductBSOSchoolWeeks || sem.End != data.NewDate(2026, time.July, 31) || sem.School != "Het Kompas" {
		t.Errorf("Sem's line: %+v", sem)
	}

	english := "child_number,first_name,last_name,birth_date,location,group,product,days,start_time,end_time,start_date\n" +
		`K-1,Zoë,Dvořák,2024-01-31,Het Klavertje,Egeltjes,kdv,"mon,tue,thu",07:30,18:00,2026-03-02` + "\n"
	if got := parseChildFile(t, "english.csv", english, nil); len(got.Problems) > 0 || !slices.Equal(got.Lines[0].Days, zoe.Days) {
		t.Errorf("English file: %+v", got)
	}

	// A file with its own headers goes in with a column map.
	own := strings.Replace(english, "child_number,first_name", "Kind nr,Roepnaam", 1)
	if got := parseChildFile(t, "own.csv", own, nil); len(got.Problems) != 2 || got.Problems[0].Problem != data.ProblemMissingColumn || got.Headers[0] != "Kind nr" {
		t.Errorf("unmapped own headers: %v", got.Problems)
	}
	if got := parseChildFile(t, "own.csv", own, map[string]string{"Kind nr": "kindnummer", "Roepnaam": "first_name"}); len(got.Problems) > 0 || got.Lines[0].Number != "K-1" {
		t.Errorf("mapped own headers: %+v", got)
	}
	if got := parseChildFile(t, "two.csv", "Kind nr;Roepnaam\nK-1;Zoë\n", nil); len(got.Problems) != 8 || got.Problems[0].Line != 1 {
		t.Errorf("a file without a header line: %v", got.Problems)
	}
	if got := parseChildFile(t, "own.csv", own, map[string]string{"Kind nr": "bsn"}); len(got.Problems) != 1 || got.Problems[0].Problem != data.ProblemMapping {
		t.Errorf("a map to a column that does not exist: %v", got.Problems)
	}
}

func TestParseChildImport_M1_XLSXByContent(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"Kindnummer", "Voornaam", "Achternaam", "Geboortedatum", "Locatie", "Groep", "Product", "Dagen", "Begintijd", "Eindtijd", "Ingangsdatum"},
		{"K-1", "Zoë", "Dvořák", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), "Het Klavertje", "Egeltjes", "dagopvang", "ma,di,do", 7.5 / 24, 0.75, "02-03-2026"},
	}
	f.SetCellValue("Sheet1", "A1", "Kinderen per 1 maart 2026") // a title above the header
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	// Named .csv, but a workbook: the content decides.
	ci := parseChildFile(t, "kinderen.csv", buf.String(), nil)
	if len(ci.Problems) > 0 || len(ci.Lines) != 1 {
		t.Fatalf("workbook: %+v", ci)
	}
	if l := ci.Lines[0]; l.Line != 4 || l.BirthDate != data.NewDate(2024, time.January, 31) || l.Start != data.NewDate(2026, time.March, 2) ||
		l.Product != data.ProductKDV || l.Days[0].Times != kdvTimes {
		t.Errorf("workbook line: %+v", l)
	}
	damaged := buf.Bytes()[:buf.Len()/2]
	if ci := parseChildFile(t, "half.xlsx", string(damaged), nil); len(ci.Problems) != 1 || ci.Problems[0].Problem != data.ProblemNotSheet {
		t.Errorf("half a workbook: %+v", ci.Problems)
	}
}

func TestParseChildImport_M1_EveryBadLineWithItsReason(t *testing.T) {
	header := "kindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum\n"
	good := "K-1;Zoë;Dvořák;2024-01-31;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;\n"
	file := header + good +
		"K-2;Sem;Bos;2024-02-30;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;\n" + // line 3
		"K-3;Mila;Bos;2024-01-01;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;2026-03-01\n" + // line 4
		"K-4;Finn;Bos;2024-01-01;Het Klavertje;Egeltjes;peuterspeelzaal;ma;07:30;18:00;2026-03-02;\n" + // line 5
		"K-5;Noë;Bos;2024-01-01;Het Klavertje;Egeltjes;kdv;maan;07:30;18:00;2026-03-02;\n" + // line 6
		"K-6;Yara;Bos;2024-01-01;Het Klavertje;Egeltjes;kdv;ma;7.3;18:00;2026-03-02;\n" + // line 7
		"K-7;Bos\xe9;Bos;2024-01-01;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;\n" + // line 8
		";Liam;Bos;2024-01-01;Het Klavertje;Egeltjes;kdv;ma;;;2026-03-02;\n" // line 9
	ci := parseChildFile(t, "bad.csv", file, nil)
	want := []struct {
		line    int
		problem data.ImportProblem
	}{{3, data.ProblemBirthDate}, {4, data.ProblemEndBefore}, {5, data.ProblemProduct}, {6, data.ProblemDays},
		{7, data.ProblemTime}, {8, data.ProblemEncoding}, {9, data.ProblemNoNumber}, {9, data.ProblemNoTimes}}
	if len(ci.Problems) != len(want) {
		t.Fatalf("problems %v, want %v", ci.Problems, want)
	}
	for i, w := range want {
		if p := ci.Problems[i]; p.Line != w.line || p.Problem != w.problem {
			t.Errorf("problem %d: line %d %s (%s), want line %d %s", i, p.Line, p.Problem, p.Error(), w.line, w.problem)
		}
	}
	if len(ci.Lines) != 1 || ci.Lines[0].Number != "K-1" {
		t.Errorf("good lines: %+v", ci.Lines)
	}
	if msg := ci.Problems[0].Error(); msg != `line 3: birth date "2024-02-30" is not a date (YYYY-MM-DD or DD-MM-YYYY)` {
		t.Errorf("message: %s", msg)
	}
}

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
	ci := parseChildFile(t, "planning.csv", childrenCSV, nil)
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
	again, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning.csv", childrenCSV, nil))
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
	if _, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning.csv", childrenCSV, nil)); err != nil {
		t.Fatal(err)
	}
	zoe, _ := db.ChildByNumber(t.Context(), "K-1")
	// Zoë goes to four days from 1 April; Sem's contract ends in May; Sem's name is spelled right now.
	updated := strings.Replace(childrenCSV, "kdv;ma,di,do;07:30;18:00;2026-03-02;", "kdv;ma,di,do,vr;07:30;18:00;2026-04-01;", 1)
	updated = strings.Replace(updated, "K-2;Sem;de Boer", "K-2;Sem;de Boer-Smit", 1)
	updated = strings.Replace(updated, "02-03-2026;31-07-2026", "02-03-2026;29-05-2026", 1)
	plan, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning-april.csv", updated, nil))
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
	if again, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning-april.csv", updated, nil)); err != nil || again.HasChanges() {
		t.Errorf("the updated file again: %+v, %v", again.Counts(), err)
	}
}

func TestImportChildren_M1_AllOrNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	before := auditCount(t, db)
	childrenBefore, _ := db.Children(t.Context(), 0)
	bad := childrenCSV +
		"K-3;Mila;Jansen;2024-01-01;Het Klavertje;Rupsjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 5: unknown group
		"K-4;Finn;Jansen;2024-01-01;Het Klavertje;Uilen;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 6: daycare in a BSO group
		"K-1;Zoë;Dvořák;31-01-2024;Het Klavertje;Vosjes;kdv;do;07:30;18:00;2026-06-01;;;;;;;\n" + // line 7: Thursday twice from June
		"K-5;Liam;Jansen;2024-01-01;Nergens;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 8: unknown location
		"K-6;Yara;Jansen;2027-01-01;Het Klavertje;Egeltjes;kdv;ma;07:30;18:00;2026-03-02;;;;;;;\n" + // line 9: born next year
		"K-2;Sam;de Boer;2018-05-20;Het Klavertje;Uilen;bso-52weken;di;15:00;18:30;2026-03-02;;;;;;;\n" // line 10: another name for K-2
	plan, err := db.ImportChildren(t.Context(), parseChildFile(t, "bad.csv", bad, nil))
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
	if _, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning.csv", childrenCSV, nil)); err != nil {
		t.Fatal(err)
	}
	zoe, _ := db.ChildByNumber(t.Context(), "K-1")
	if _, err := db.AddContract(t.Context(), data.Contract{ChildID: zoe.ID, GroupID: groupVo, Product: data.ProductKDV, Start: storeToday, Days: days(kdvTimes, time.Friday)}); err != nil {
		t.Fatal(err)
	}
	friday := strings.Replace(childrenCSV, "kdv;ma,di,do;07:30;18:00;2026-03-02;", "kdv;ma,di,do,vr;07:30;18:00;2026-04-01;", 1)
	plan, _ = db.PlanChildImport(t.Context(), parseChildFile(t, "friday.csv", friday, nil))
	if len(plan.Problems) != 1 || plan.Problems[0].Problem != data.ProblemOverlap || plan.Problems[0].Value != storeToday.String() {
		t.Errorf("overlap with a stored contract: %v", plan.Problems)
	}
}

func TestImportChildren_M1_Roles(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(childrenDataset()))
	ci := parseChildFile(t, "planning.csv", childrenCSV, nil)
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
	if _, err := db.ImportChildren(t.Context(), parseChildFile(t, "planning.csv", childrenCSV, nil)); err != nil {
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
	plan, err := db.ImportChildren(t.Context(), parseChildFile(t, "export.csv", first.String(), nil))
	if err != nil || plan.HasChanges() {
		t.Fatalf("the export imported again: %+v, %v %v\n%s", plan.Counts(), err, plan.Problems, first.String())
	}
	if auditCount(t, db) != before {
		t.Error("importing the export wrote")
	}

	// Into an empty organisation with the same locations, the export makes the same children and contracts.
	fresh, _ := newStore(t, datatest.Seeded(childrenDataset()))
	if _, err := fresh.ImportChildren(t.Context(), parseChildFile(t, "export.csv", first.String(), nil)); err != nil {
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
	plan, err := db.PlanChildImport(t.Context(), parseChildFile(t, "ouders.csv", file, nil))
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
