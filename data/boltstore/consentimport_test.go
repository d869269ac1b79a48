package boltstore_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// goodConsentFile names children of smallDataset by id, and by name as a
// portal may spell it (other case, no accents).
const goodConsentFile = "child_id;name;birth_date;level;date\n" +
	"1;Anna Bakker;2024-05-01;none;2026-01-10\n" +
	";BRAM DE VRIES;02-06-2023;portal;2026-01-11\n" +
	";Cas  Jansen;2019-07-03;public;2026-01-12\n" +
	"4;;;public;2026-01-13\n" +
	"4;;;portal;2026-03-01\n"

func TestImportConsent_C1_GoodFile(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	res, err := db.ImportConsent(t.Context(), strings.NewReader(goodConsentFile), "Marieke", "import ouders.csv")
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 5 || res.Unchanged != 0 {
		t.Errorf("result %+v, want 5 imported", res)
	}
	want := map[data.ID]data.ConsentLevel{idAnna: data.ConsentNone, idBram: data.ConsentPortal, idCas: data.ConsentPublic, idDewi: data.ConsentPortal}
	for id, level := range want {
		c, err := db.Consent(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Level != level {
			t.Errorf("%s: %s, want %s", c.Child.Name(), c.Level, level)
		}
		last := c.History[len(c.History)-1]
		if last.Source != data.ConsentFromParentApp || last.RecordedBy != "Marieke" || last.Note != "import ouders.csv" || !last.RecordedAt.Equal(storeNow) {
			t.Errorf("%s: recorded %+v, want from the parent app by Marieke with the file as note", c.Child.Name(), last)
		}
	}
	if c, _ := db.Consent(t.Context(), idDewi); len(c.History) != 2 || c.Since != data.NewDate(2026, time.March, 1) {
		t.Errorf("Dewi: %d changes since %s, want 2 since 2026-03-01", len(c.History), c.Since)
	}

	t.Run("the same file again adds nothing", func(t *testing.T) {
		res, err := db.ImportConsent(t.Context(), strings.NewReader(goodConsentFile), "Marieke", "again")
		if err != nil || res.Imported != 0 || res.Unchanged != 5 {
			t.Fatalf("second import %+v, %v; want 5 unchanged", res, err)
		}
		if c, _ := db.Consent(t.Context(), idAnna); len(c.History) != 1 {
			t.Errorf("Anna has %d changes after importing twice, want 1", len(c.History))
		}
	})
}

func TestImportConsent_C1_BadFileImportsNothing(t *testing.T) {
	const header = "child_id;name;birth_date;level;date\n"
	good := "1;;;none;2026-01-10\n"
	tests := []struct {
		name string
		bad  string // the third line of the file
		want data.LineError
	}{
		{"unknown child id", "77;;;none;2026-01-10", data.LineError{Line: 3, Problem: data.ProblemUnknownChild, Value: "77"}},
		{"unknown child name", ";Anna Bakker;2024-05-02;none;2026-01-10", data.LineError{Line: 3, Problem: data.ProblemUnknownChild, Value: "Anna Bakker (2024-05-02)"}},
		{"id and name of different children", "2;Anna Bakker;;none;2026-01-10", data.LineError{Line: 3, Problem: data.ProblemMismatch, Value: "2"}},
		{"unknown level", "2;;;ja;2026-01-10", data.LineError{Line: 3, Problem: data.ProblemUnknownLevel, Value: "ja"}},
		{"malformed line", "2;portal;2026-01-10", data.LineError{Line: 3, Problem: data.ProblemFieldCount, Value: "3", Want: 5}},
		{"answer dated after today", "2;;;portal;2026-03-11", data.LineError{Line: 3, Problem: data.ProblemFutureDate, Value: "2026-03-11"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(smallDataset()))
			file := header + good + tt.bad + "\n" + "3;;;public;2026-01-10\n"
			_, err := db.ImportConsent(t.Context(), strings.NewReader(file), "Marieke", "")
			var ie *data.ImportError
			if !errors.As(err, &ie) || !errors.Is(err, data.ErrInvalid) {
				t.Fatalf("error %v, want an ImportError that is ErrInvalid", err)
			}
			if len(ie.Lines) != 1 || ie.Lines[0] != tt.want {
				t.Errorf("lines %v, want [%v]", ie.Lines, tt.want)
			}
			for _, id := range []data.ID{idAnna, idBram, idCas} {
				if c, _ := db.Consent(t.Context(), id); len(c.History) != 0 {
					t.Errorf("%s has %d changes although the file was refused", c.Child.Name(), len(c.History))
				}
			}
		})
	}

	t.Run("all problems at once, in line order", func(t *testing.T) {
		db, _ := newStore(t, datatest.Seeded(smallDataset()))
		file := header + "77;;;none;2026-01-10\n" + "1;;;ja;2026-01-10\n" + "2;portal\n"
		_, err := db.ImportConsent(t.Context(), strings.NewReader(file), "Marieke", "")
		var ie *data.ImportError
		if !errors.As(err, &ie) {
			t.Fatalf("error %v, want an ImportError", err)
		}
		var lines []int
		for _, l := range ie.Lines {
			lines = append(lines, l.Line)
		}
		if !reflect.DeepEqual(lines, []int{2, 3, 4}) {
			t.Errorf("problems on lines %v, want 2, 3, 4: %v", lines, ie.Lines)
		}
	})

	t.Run("twins of the same name cannot be told apart", func(t *testing.T) {
		db, _ := newStore(t)
		ds := smallDataset()
		twin := ds.Children[0]
		twin.ID = 9
		ds.Children = append(ds.Children, twin)
		if err := db.Seed(t.Context(), ds); err != nil {
			t.Fatal(err)
		}
		_, err := db.ImportConsent(t.Context(), strings.NewReader(header+";Anna Bakker;2024-05-01;none;2026-01-10\n"), "Marieke", "")
		var ie *data.ImportError
		if !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Problem != data.ProblemAmbiguous {
			t.Errorf("error %v, want an ambiguous child on line 2", err)
		}
	})
}

// FuzzParseConsentCSV feeds the parser arbitrary files: it must not panic,
// and what it accepts must be a usable answer on a real line of the file.
func FuzzParseConsentCSV(f *testing.F) {
	f.Add(goodConsentFile)
	f.Add("\ufeffnaam,geboortedatum,niveau,datum\r\n\"de Vries, Bram\",02-06-2023,Ouderportaal,11-01-2026\r\n")
	f.Add("child_id;level;date\n1;\"none;2026-01-10\n")
	f.Add("id;level;date\n;;\n1;maybe;2026-13-01\nZo\xeb;;\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, file string) {
		lines, problems := data.ParseConsentCSV(strings.NewReader(file))
		lineCount := strings.Count(file, "\n") + 1
		last := 1
		for _, l := range lines {
			if l.Line <= last || l.Line > lineCount {
				t.Errorf("line number %d out of order or outside the file's %d lines", l.Line, lineCount)
			}
			last = l.Line
			if !l.Level.IsAnswer() || l.Given.IsZero() {
				t.Errorf("accepted line %+v without a level or date", l)
			}
			if l.ChildID == 0 && (l.Name == "" || l.BirthDate.IsZero()) {
				t.Errorf("accepted line %+v that names no child", l)
			}
			if !utf8.ValidString(l.Name) {
				t.Errorf("accepted a name that is not UTF-8: %q", l.Name)
			}
		}
		for _, p := range problems {
			if p.Line < 0 || p.Line > lineCount || p.Error() == "" {
				t.Errorf("problem %+v outside the file's %d lines", p, lineCount)
			}
		}
		if len(lines) == 0 && len(problems) == 0 {
			t.Error("nothing accepted and no problem reported")
		}
	})
}
