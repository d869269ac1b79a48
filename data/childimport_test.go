package data_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"

	"github.com/xuri/excelize/v2"
)

func TestParseChildImport_M1_CSVDutchAndEnglish(t *testing.T) {
	ci := datatest.ParseChildFile(t, "planning.csv", datatest.ChildrenCSV, nil)
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
	if got := datatest.ParseChildFile(t, "english.csv", english, nil); len(got.Problems) > 0 || !slices.Equal(got.Lines[0].Days, zoe.Days) {
		t.Errorf("English file: %+v", got)
	}

	// A file with its own headers goes in with a column map.
	own := strings.Replace(english, "child_number,first_name", "Kind nr,Roepnaam", 1)
	if got := datatest.ParseChildFile(t, "own.csv", own, nil); len(got.Problems) != 2 || got.Problems[0].Problem != data.ProblemMissingColumn || got.Headers[0] != "Kind nr" {
		t.Errorf("unmapped own headers: %v", got.Problems)
	}
	if got := datatest.ParseChildFile(t, "own.csv", own, map[string]string{"Kind nr": "kindnummer", "Roepnaam": "first_name"}); len(got.Problems) > 0 || got.Lines[0].Number != "K-1" {
		t.Errorf("mapped own headers: %+v", got)
	}
	if got := datatest.ParseChildFile(t, "two.csv", "Kind nr;Roepnaam\nK-1;Zoë\n", nil); len(got.Problems) != 8 || got.Problems[0].Line != 1 {
		t.Errorf("a file without a header line: %v", got.Problems)
	}
	if got := datatest.ParseChildFile(t, "own.csv", own, map[string]string{"Kind nr": "bsn"}); len(got.Problems) != 1 || got.Problems[0].Problem != data.ProblemMapping {
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
	ci := datatest.ParseChildFile(t, "kinderen.csv", buf.String(), nil)
	if len(ci.Problems) > 0 || len(ci.Lines) != 1 {
		t.Fatalf("workbook: %+v", ci)
	}
	if l := ci.Lines[0]; l.Line != 4 || l.BirthDate != data.NewDate(2024, time.January, 31) || l.Start != data.NewDate(2026, time.March, 2) ||
		l.Product != data.ProductKDV || l.Days[0].Times != kdvTimes {
		t.Errorf("workbook line: %+v", l)
	}
	damaged := buf.Bytes()[:buf.Len()/2]
	if ci := datatest.ParseChildFile(t, "half.xlsx", string(damaged), nil); len(ci.Problems) != 1 || ci.Problems[0].Problem != data.ProblemNotSheet {
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
	ci := datatest.ParseChildFile(t, "bad.csv", file, nil)
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
