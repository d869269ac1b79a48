package data_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestParseConsentCSV_C1_Formats(t *testing.T) {
	anna := data.NewDate(2024, time.May, 1)
	jan := data.NewDate(2026, time.January, 15)
	tests := []struct {
		name string
		file string
		want []data.ConsentLine
	}{
		{"semicolons, BOM, CRLF, Dutch header and levels, DD-MM-YYYY",
			"\ufeffkind_id;naam;geboortedatum;toestemming;datum\r\n1;Anna Bakker;01-05-2024;Ouderportaal;15-01-2026\r\n;Bram de Vries;2023-06-02;geen;2026-01-15\r\n",
			[]data.ConsentLine{
				{Line: 2, ChildID: 1, Name: "Anna Bakker", BirthDate: anna, Level: data.ConsentPortal, Given: jan},
				{Line: 3, Name: "Bram de Vries", BirthDate: data.NewDate(2023, time.June, 2), Level: data.ConsentNone, Given: jan},
			}},
		{"commas, quoted name with a comma, extra columns, empty spreadsheet rows",
			"Name,Birth date,Parent e-mail,Level,Date\n\"Bakker, Anna\",2024-05-01,x@example.org,portal and public,2026-01-15\n,,,,\n\nCas Jansen,3/7/2019,,PUBLIC,15.01.2026\n",
			[]data.ConsentLine{
				{Line: 2, Name: "Bakker, Anna", BirthDate: anna, Level: data.ConsentPublic, Given: jan},
				{Line: 5, Name: "Cas Jansen", BirthDate: data.NewDate(2019, time.July, 3), Level: data.ConsentPublic, Given: jan},
			}},
		{"child id only, columns in another order",
			"date;level;child_id\n2026-01-15;portal_only;4\n",
			[]data.ConsentLine{{Line: 2, ChildID: 4, Level: data.ConsentPortal, Given: jan}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := data.ParseConsentCSV(strings.NewReader(tt.file))
			if len(problems) > 0 {
				t.Fatalf("problems %v", problems)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("lines\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestParseConsentCSV_C1_EveryBadLineWithItsNumber(t *testing.T) {
	const header = "child_id;name;birth_date;level;date\n"
	tests := []struct {
		name string
		file string
		want []data.LineError
	}{
		{"empty file", "", []data.LineError{{Problem: data.ProblemEmpty}}},
		{"header only", header, []data.LineError{{Problem: data.ProblemEmpty}}},
		{"no header: the first line is data", "1;Anna Bakker;2024-05-01;portal;2026-01-15\n", []data.LineError{
			{Line: 1, Problem: data.ProblemMissingColumn, Value: "level"},
			{Line: 1, Problem: data.ProblemMissingColumn, Value: "date"},
			{Line: 1, Problem: data.ProblemMissingColumn, Value: "name"},
			{Line: 1, Problem: data.ProblemMissingColumn, Value: "birth_date"},
		}},
		{"column named twice", "id;child_id;level;date\n", []data.LineError{{Line: 1, Problem: data.ProblemDoubleColumn, Value: "child_id"}}},
		{"unknown level", header + "1;;;portal;2026-01-15\n2;;;maybe;2026-01-15\n", []data.LineError{
			{Line: 3, Problem: data.ProblemUnknownLevel, Value: "maybe"}}},
		{"empty level", header + "1;;;;2026-01-15\n", []data.LineError{{Line: 2, Problem: data.ProblemUnknownLevel}}},
		{"too few fields", header + "1;Anna Bakker;portal;2026-01-15\n", []data.LineError{
			{Line: 2, Problem: data.ProblemFieldCount, Value: "4", Want: 5}}},
		{"bad dates", header + "1;;;none;2026-02-30\n;Anna;1-13-2024;none;2026-01-15\n", []data.LineError{
			{Line: 2, Problem: data.ProblemDate, Value: "2026-02-30"},
			{Line: 3, Problem: data.ProblemBirthDate, Value: "1-13-2024"}}},
		{"no way to find the child", header + ";Anna Bakker;;none;2026-01-15\n", []data.LineError{{Line: 2, Problem: data.ProblemNoChild}}},
		{"child id not a number", header + "A12;;;none;2026-01-15\n", []data.LineError{{Line: 2, Problem: data.ProblemChildID, Value: "A12"}}},
		{"stray quote, next line still read", header + "1;Anna \"Annie\" Bakker;;none;2026-01-15\n2;;;maybe;2026-01-15\n", []data.LineError{
			{Line: 2, Problem: data.ProblemQuotes},
			{Line: 3, Problem: data.ProblemUnknownLevel, Value: "maybe"}}},
		{"not UTF-8 (a Windows-1252 export)", header + "1;Zo\xeb;;none;2026-01-15\n2;;;none;2026-01-15\n3;Ren\xe9;;none;2026-01-15\n", []data.LineError{
			{Line: 2, Problem: data.ProblemEncoding}, {Line: 4, Problem: data.ProblemEncoding}}},
		{"several problems on one line", header + "x;;;sometimes;yesterday\n", []data.LineError{
			{Line: 2, Problem: data.ProblemChildID, Value: "x"},
			{Line: 2, Problem: data.ProblemUnknownLevel, Value: "sometimes"},
			{Line: 2, Problem: data.ProblemDate, Value: "yesterday"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := data.ParseConsentCSV(strings.NewReader(tt.file))
			if !reflect.DeepEqual(problems, tt.want) {
				t.Errorf("problems\n%v\nwant\n%v", problems, tt.want)
			}
		})
	}
}

func TestParseConsentCSV_C1_TooLarge(t *testing.T) {
	big := strings.Repeat("x", data.MaxConsentFile+1)
	_, problems := data.ParseConsentCSV(strings.NewReader(big))
	if len(problems) != 1 || problems[0].Problem != data.ProblemTooLarge {
		t.Errorf("problems %v, want one too-large", problems)
	}
}

func TestLineError_C1_SaysLineAndProblem(t *testing.T) {
	e := data.LineError{Line: 7, Problem: data.ProblemUnknownLevel, Value: "maybe"}
	if got, want := e.Error(), `line 7: unknown level "maybe" (use none, portal or public)`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	e = data.LineError{Line: 3, Problem: data.ProblemFieldCount, Value: "4", Want: 5}
	if got, want := e.Error(), "line 3: 4 fields, but the header line has 5"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
