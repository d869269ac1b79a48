package boltstore_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"testing"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	"github.com/xuri/excelize/v2"

	"locatiedesk/data"
)

// FuzzParseChildImport feeds the children import any bytes: it never
// panics, what it accepts is whole (a number, names, a known product, a
// contract that does not end before it starts), and a file the store
// refuses leaves the store as it was: not one write.
func FuzzParseChildImport(f *testing.F) {
	f.Add([]byte(datatest.ChildrenCSV))
	f.Add([]byte("child_number,first_name,last_name,birth_date,location,group,product,days,start_time,end_time,start_date,end_date\n" +
		`K-9,Noë,Bos,2024-01-31,Het Klavertje,Egeltjes,kdv,"mon,fri",07:30,18:00,2026-03-02,2026-02-30` + "\n"))
	f.Add([]byte("kindnummer;voornaam\n\"K-1;Zoë\n"))
	f.Add([]byte("kindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;ingangsdatum\nK-1;A;B;1-1-2024;Het Klavertje;Egeltjes;kdv;ma 07:30-18:00,di 8:00-12:00;2026-03-02\n"))
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &[]any{"kindnummer", "voornaam", "achternaam", "geboortedatum", "locatie", "groep", "product", "dagen", "begintijd", "eindtijd", "ingangsdatum"})
	wb.SetSheetRow("Sheet1", "A2", &[]any{"K-1", "Zoë", "Dvořák", 45322, "Het Klavertje", "Egeltjes", "kdv", "ma", 0.3125, 0.75, 46083})
	var xlsx bytes.Buffer
	wb.Write(&xlsx)
	f.Add(xlsx.Bytes())

	db, err := boltstore.Open(filepath.Join(f.TempDir(), "fuzz.db"), boltstore.WithClock(fixedClock))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if err := db.Seed(f.Context(), smallDataset()); err != nil {
		f.Fatal(err)
	}
	lastWrite := func() uint64 {
		entries, err := db.Audit(context.Background(), data.AuditFilter{Limit: 1})
		if err != nil || len(entries) == 0 {
			f.Fatalf("audit: %v", err)
		}
		return entries[0].Seq
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ci, err := data.ParseChildImport("fuzz.csv", bytes.NewReader(raw), nil)
		if err != nil {
			t.Fatalf("reading bytes failed: %v", err)
		}
		for _, l := range ci.Lines {
			if l.Number == "" || l.FirstName == "" || l.LastName == "" || l.Start.IsZero() || l.BirthDate.IsZero() ||
				(!l.End.IsZero() && l.End.Before(l.Start)) {
				t.Fatalf("accepted a broken line %+v", l)
			}
			if _, known := data.ParseProduct(string(l.Product)); !known {
				t.Fatalf("accepted unknown product %q", l.Product)
			}
		}
		for _, p := range ci.Problems {
			if p.Line < 0 || p.Message() == "" {
				t.Fatalf("problem without a place or a message: %+v", p)
			}
		}
		before := lastWrite()
		plan, err := db.ImportChildren(t.Context(), ci)
		var ie *data.ImportError
		switch {
		case err == nil:
		case errors.As(err, &ie):
			if len(ie.Lines) == 0 || len(plan.Problems) == 0 {
				t.Fatal("refused without a reason")
			}
			if lastWrite() != before {
				t.Fatal("a refused file was written")
			}
		default:
			t.Fatalf("not an ImportError: %v", err)
		}
	})
}
