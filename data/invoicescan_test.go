package data_test

import (
	"testing"
	"time"

	"locatiedesk/data"
)

// scanOf is an InvoiceScan over two locations (group 1 at location 1,
// group 2 at location 2) that records what it emits.
func scanOf(spec data.InvoiceSpec, minimum int) (*data.InvoiceScan, *data.InvoiceExport) {
	var x data.InvoiceExport
	s := data.NewInvoiceScan(spec, data.Settings{HolidayDay: data.TimeRange{From: 8 * 60, Until: 18 * 60}, StudyDayMinimum: minimum})
	s.Group = func(id data.ID) (data.Group, error) { return data.Group{ID: id, LocationID: id}, nil }
	s.Line = func(childID, groupID data.ID, d data.Date) (data.InvoiceLine, error) {
		return data.InvoiceLine{ChildID: childID, GroupID: groupID, LocationID: groupID, Date: d}, nil
	}
	s.StudyDay = func(data.ID, data.Date) (data.StudyDay, error) { return data.StudyDay{}, nil }
	s.Emit = x.Add
	return &s, &x
}

func TestInvoiceScan_F1_RequestAgainstWhatWasExported(t *testing.T) {
	day := data.NewDate(2026, 3, 2)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	approved := data.Request{ID: 7, Status: data.StatusApproved, DecidedBy: "Els", DecidedAt: at,
		RequestDraft: data.RequestDraft{ChildID: 3, GroupID: 1, Date: day, Times: data.TimeRange{From: 8 * 60, Until: 12 * 60}},
		Payment:      data.Payment{InvoiceMinutes: 240, InvoiceProduct: data.ProductKDV}}

	s, x := scanOf(data.InvoiceSpec{From: day, To: day}, 0)
	if err := s.Request(approved, nil); err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 1 || x.Lines[0].Kind != data.LineNew || x.Lines[0].InvoiceMinutes != 240 || x.Lines[0].By != "Els" {
		t.Fatalf("a new approved request: %+v, want one new line of 240 minutes by Els", x.Lines)
	}
	if len(x.Changes) != 1 || x.Changes[0].Line == nil || x.Changes[0].ID != 7 {
		t.Fatalf("changes %+v, want the request's line recorded as exported", x.Changes)
	}
	exported := x.Lines[0]

	s, x = scanOf(data.InvoiceSpec{From: day, To: day}, 0)
	if err := s.Request(approved, &exported); err != nil || len(x.Lines) != 0 {
		t.Fatalf("unchanged since its export: %+v %v, want nothing", x.Lines, err)
	}

	cancelled := approved
	cancelled.Status, cancelled.DecidedBy, cancelled.Reason = data.StatusCancelled, "Piet", "ziek"
	s, x = scanOf(data.InvoiceSpec{From: day, To: day}, 0)
	if err := s.Request(cancelled, &exported); err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 1 || x.Lines[0].Kind != data.LineCorrection || x.Lines[0].Cause != data.CauseCancelled || x.Lines[0].By != "Piet" ||
		x.Lines[0].Reason != "ziek" || x.Changes[0].Line != nil {
		t.Fatalf("cancelled after export: %+v %+v, want one correction by Piet and the exported line removed", x.Lines, x.Changes)
	}

	longer := approved
	longer.Times.Until, longer.Payment.InvoiceMinutes = 13*60, 300
	s, x = scanOf(data.InvoiceSpec{From: day, To: day}, 0)
	if err := s.Request(longer, &exported); err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 2 || x.Lines[0].Cause != data.CauseChanged || x.Lines[1].Kind != data.LineNew || x.Lines[1].InvoiceMinutes != 300 {
		t.Fatalf("changed after export: %+v, want a correction then the new line", x.Lines)
	}

	s, x = scanOf(data.InvoiceSpec{From: day, To: day, LocationID: 2}, 0)
	if err := s.Request(cancelled, &exported); err != nil || len(x.Lines) != 0 {
		t.Fatalf("export of another location: %+v %v, want the correction left to location 1's export", x.Lines, err)
	}
}

func TestInvoiceScan_S2_SignUpsBelowTheMinimumWait(t *testing.T) {
	day := data.NewDate(2026, 3, 4)
	signUps := []data.SignUp{
		{ID: 1, SchoolID: 5, Date: day, ChildID: 1, GroupID: 1, Times: data.TimeRange{From: 8 * 60, Until: 18 * 60}},
		{ID: 2, SchoolID: 5, Date: day, ChildID: 2, GroupID: 1, Times: data.TimeRange{From: 8 * 60, Until: 18 * 60}},
		{ID: 3, SchoolID: 5, Date: day, ChildID: 3, GroupID: 2, Times: data.TimeRange{From: 8 * 60, Until: 18 * 60}},
	}
	none := func(int) (*data.InvoiceLine, error) { return nil, nil }
	s, x := scanOf(data.InvoiceSpec{From: day, To: day}, 2)
	if err := s.SignUpDay(signUps, none); err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 2 || x.Lines[0].SourceID != 1 || x.Lines[1].SourceID != 2 || x.Lines[0].DayMinutes != 600 {
		t.Fatalf("lines %+v, want location 1's two sign-ups billed by the day and location 2's one waiting", x.Lines)
	}
}

func TestSortInvoiceLines_F1_NamesAsTheOfficeReadsThem(t *testing.T) {
	lines := []data.InvoiceLine{
		{Location: "Zon", ChildName: "Anna", Kind: data.LineNew},
		{Location: "Éénhoorn", ChildName: "bram", Kind: data.LineNew, SourceID: 1},
		{Location: "Éénhoorn", ChildName: "bram", Kind: data.LineCorrection, SourceID: 1},
		{Location: "eekhoorn", ChildName: "Anna", Kind: data.LineNew},
	}
	data.SortInvoiceLines(lines)
	got := []string{}
	for _, l := range lines {
		got = append(got, l.Location+"/"+l.ChildName+"/"+string(l.Kind))
	}
	want := []string{"eekhoorn/Anna/new", "Éénhoorn/bram/correction", "Éénhoorn/bram/new", "Zon/Anna/new"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v, want %v", got, want)
		}
	}
}

func TestInvoiceExport_F1_BatchOfItsLines(t *testing.T) {
	spec := data.InvoiceSpec{From: data.NewDate(2026, 3, 1), To: data.NewDate(2026, 3, 31), LocationID: 2, By: " Els "}
	if refusalCode((data.InvoiceSpec{By: " "}).CheckExporter()) != data.RefuseInvoiceNoExporter || spec.CheckExporter() != nil {
		t.Fatal("an export names who makes it")
	}
	var x data.InvoiceExport
	x.Add(data.InvoiceLine{ChildName: "Zoë", Kind: data.LineNew, Product: data.ProductKDV, InvoiceMinutes: 60}, data.ExportedChange{Source: data.SourceRequest, ID: 1})
	x.Add(data.InvoiceLine{ChildName: "Anna", Kind: data.LineNew, Product: data.ProductKDV, InvoiceMinutes: 30}, data.ExportedChange{})
	now := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	b := x.Batch(spec, "Zon", now)
	if b.By != "Els" || b.Location != "Zon" || b.LocationID != 2 || !b.CreatedAt.Equal(now) || b.Lines != 2 {
		t.Errorf("batch %+v", b)
	}
	if x.Lines[0].ChildName != "Anna" || len(x.Changes) != 1 {
		t.Errorf("lines %+v changes %+v, want the lines in the file's order and only real changes kept", x.Lines, x.Changes)
	}
}
