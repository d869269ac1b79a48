package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// semImport is a planning system's file with Sem, a school-weeks BSO child
// of De Wilgen in Avonturiers on Mondays and Wednesdays; importing it is
// how a school comes into a store.
const semImport = "kindnummer;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum;einddatum;school\n" +
	"K-9;Sem;Conform;2018-05-20;De Vlinder;Avonturiers;bso-schoolweken;ma,wo;15:00;18:30;2026-03-02;;De Wilgen\n"

// withSchool imports Sem as the office and returns him and his school.
func (f *fixture) withSchool() (data.Child, data.School) {
	f.t.Helper()
	ci, err := data.ParseChildImport("planning.csv", strings.NewReader(semImport), nil)
	f.must(err, "ParseChildImport")
	if len(ci.Problems) != 0 {
		f.t.Fatalf("the import file has problems: %+v", ci.Problems)
	}
	f.written(f.office, data.AuditImportChildren, func() error {
		_, err := f.as(f.office).ImportChildren(f.t.Context(), ci)
		return err
	})
	school, err := f.sys.SchoolByName(f.t.Context(), "De Wilgen")
	f.must(err, "SchoolByName")
	children, err := f.sys.Children(f.t.Context(), f.vlinder.ID)
	f.must(err, "Children")
	for _, c := range children {
		if c.FirstName == "Sem" {
			if c.SchoolID != school.ID {
				f.t.Fatalf("Sem's school %d, De Wilgen is %d", c.SchoolID, school.ID)
			}
			return c, school
		}
	}
	f.t.Fatalf("the import made no Sem: %+v", children)
	return data.Child{}, data.School{}
}

func planning(t *testing.T, newStore Factory) {
	run(t, "V2_HolidayContractDeadline", newStore, func(t *testing.T, f *fixture) {
		sem, wilgen := f.withSchool()
		office := f.as(f.office)
		var may, easter data.SchoolHoliday
		f.written(f.office, data.AuditAddHoliday, func() error {
			var err error
			may, err = office.AddHoliday(t.Context(), data.SchoolHoliday{SchoolID: wilgen.ID, Name: "Meivakantie",
				From: data.NewDate(2026, time.April, 25), To: data.NewDate(2026, time.May, 3)})
			return err
		})
		easter, err := office.AddHoliday(t.Context(), data.SchoolHoliday{SchoolID: wilgen.ID, Name: "Paasvakantie",
			From: data.NewDate(2026, time.April, 3), To: data.NewDate(2026, time.April, 6)})
		f.must(err, "AddHoliday")
		var c data.Contract
		f.written(f.office, data.AuditRegisterHolidayContract, func() error {
			c, err = office.RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: sem.ID, HolidayID: may.ID, CreditDays: 3})
			return err
		})
		if c.ID == 0 || c.Product != data.ProductBSOHoliday || c.CreditDays != 3 || c.ChildID != sem.ID {
			t.Errorf("holiday contract %+v, want 3 holiday days for Sem", c)
		}
		// Easter starts in less than 5 weeks: too late (V2).
		f.refused(data.ErrTooLate, func() error {
			_, err := office.RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: sem.ID, HolidayID: easter.ID, CreditDays: 2})
			return err
		})
		f.refused(data.ErrForbidden, func() error {
			_, err := f.as(f.sven).RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: sem.ID, HolidayID: may.ID, CreditDays: 1})
			return err
		})
	})

	run(t, "S1_StudyDaySignUpPutsTheChildOnTheList", newStore, func(t *testing.T, f *fixture) {
		sem, wilgen := f.withSchool()
		office := f.as(f.office)
		f.written(f.office, data.AuditAddStudyDay, func() error {
			return office.AddStudyDay(t.Context(), data.StudyDay{SchoolID: wilgen.ID, Date: thursday, Name: "Studiedag"})
		})
		if f.onList(f.avonturiers, sem, thursday) {
			t.Fatal("Sem (Mondays and Wednesdays) is on Thursday's list before signing up")
		}
		times := data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(16, 0)}
		reg := data.SignUpRegistration{LocationID: f.vlinder.ID, SchoolID: wilgen.ID, Date: thursday, By: f.office.Name,
			Children: []data.SignUpEntry{{ChildID: sem.ID, Times: times}}}
		f.refused(data.ErrForbidden, func() error { return f.as(f.sven).RegisterSignUps(t.Context(), reg) })
		f.written(f.office, data.AuditRegisterSignUps, func() error { return office.RegisterSignUps(t.Context(), reg) })
		row := f.row(f.avonturiers, sem, thursday)
		if row.Source != data.SourceStudyDay || row.Expected != times {
			t.Errorf("Sem's row on the study day %+v, want the sign-up's 08:30–16:00", row)
		}
		sheet, err := office.StudyDaySheet(t.Context(), f.vlinder.ID, wilgen.ID, thursday)
		f.must(err, "StudyDaySheet")
		if sheet.SignedUp() != 1 || len(sheet.Rows) != 1 || sheet.Rows[0].Child.ID != sem.ID || sheet.Rows[0].SignUp == nil {
			t.Errorf("the sheet's rows %+v, want Sem signed up", sheet.Rows)
		}
	})

	run(t, "F1_InvoicingExportsEachLineOnce", newStore, func(t *testing.T, f *fixture) {
		r := f.submit(f.tess, f.dewiDraft(wednesday), data.CreditEntry{}) // no credit: on invoice
		f.must(f.as(f.tess).ApproveRequest(t.Context(), r.ID, f.tess.Name), "ApproveRequest")
		march := data.InvoiceSpec{From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31), LocationID: f.vlinder.ID, By: f.office.Name}
		office := f.as(f.office)
		f.refused(data.ErrForbidden, func() error {
			_, err := f.as(f.tess).ExportInvoicing(t.Context(), march, nil)
			return err
		})
		var first data.InvoiceBatch
		f.written(f.office, data.AuditExportInvoicing, func() error {
			var err error
			first, err = office.ExportInvoicing(t.Context(), march, nil)
			return err
		})
		lines := f.invoiceLines(first.ID)
		if first.Lines != 1 || len(lines) != 1 || lines[0].SourceID != r.ID || lines[0].InvoiceMinutes != 240 || lines[0].Kind != data.LineNew {
			t.Fatalf("first export %+v with lines %+v, want Dewi's 4 hours", first.InvoiceSummary, lines)
		}
		f.clock.add(time.Minute)
		again, err := office.ExportInvoicing(t.Context(), march, nil)
		f.must(err, "ExportInvoicing")
		if again.ID == first.ID || again.Lines != 0 || len(f.invoiceLines(again.ID)) != 0 {
			t.Errorf("the same month again: batch %+v, want a new, empty one", again)
		}
		batches, err := office.InvoiceBatches(t.Context())
		f.must(err, "InvoiceBatches")
		if len(batches) != 2 {
			t.Errorf("%d batches stored, want 2", len(batches))
		}
		for _, loc := range []data.ID{f.egel.ID, 0} { // another location, or all of them
			other := march
			other.LocationID = loc
			f.refused(data.ErrForbidden, func() error {
				_, err := office.ExportInvoicing(t.Context(), other, nil)
				return err
			})
		}
	})
}

func (f *fixture) invoiceLines(batch data.ID) []data.InvoiceLine {
	f.t.Helper()
	var out []data.InvoiceLine
	for l, err := range f.sys.InvoiceLines(f.t.Context(), batch) {
		if err != nil {
			if errors.Is(err, data.ErrNotFound) {
				f.t.Fatalf("batch %d not found", batch)
			}
			f.t.Fatalf("InvoiceLines: %v", err)
		}
		out = append(out, l)
	}
	return out
}
