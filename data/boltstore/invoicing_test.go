package boltstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// The invoicing tests run on studyDataset (two locations, a study day of
// De Wilgen on Thursday 19 March) with a study week at De Linde, so Finn,
// a school-weeks child without holiday contract, can have an extra
// holiday day on Monday 16 March. The clock starts at storeNow (Tuesday 10
// March 09:00) and moves on a minute per write, so every line tells its
// own time.

var (
	march       = data.InvoiceSpec{From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31), By: "Priya (planner)"}
	finnHoliday = data.NewDate(2026, time.March, 16)
	dewiCombi   = data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(18, 30)}  // 690 minutes
	gijsTimes   = data.TimeRange{From: data.NewClock(8, 30), Until: data.NewClock(17, 0)}  // 510 minutes
	insTimes    = data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 30)} // a whole holiday day
)

// movingClock is a store clock the test moves on.
type movingClock struct{ now time.Time }

func (c *movingClock) read() time.Time { return c.now }

func (c *movingClock) tick() time.Time {
	c.now = c.now.Add(time.Minute)
	return c.now
}

func invoiceStore(t *testing.T) (*boltstore.DB, *movingClock) {
	t.Helper()
	ds := studyDataset()
	ds.Holidays = append(ds.Holidays, data.SchoolHoliday{ID: 10, SchoolID: linde, Name: "Studieweek", From: data.NewDate(2026, time.March, 14), To: data.NewDate(2026, time.March, 22)})
	// One sign-up is enough for care to go ahead, so each bills; the
	// minimum's hold-back (S2) is tested with its own setting.
	ds.Settings.StudyDayMinimum = 1
	c := &movingClock{now: storeNow}
	db, _ := datatest.Open(t, datatest.Clock(c.read), datatest.Seeded(ds))
	return db, c
}

// approve submits a request with the proposed payment and approves it, a minute later.
func approve(t *testing.T, db *boltstore.DB, c *movingClock, d data.RequestDraft) data.Request {
	t.Helper()
	c.tick()
	r := submitProposed(t, db, d)
	c.tick()
	if err := db.ApproveRequest(t.Context(), r.ID, "Mirjam (pm)"); err != nil {
		t.Fatalf("approve %d: %v", r.ID, err)
	}
	r, err := db.Request(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func signUp(t *testing.T, db *boltstore.DB, c *movingClock, location data.ID, entries ...data.SignUpEntry) {
	t.Helper()
	c.tick()
	if err := db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: location, SchoolID: wilgen, Date: studyDay, By: "Sanne (office)", Children: entries}); err != nil {
		t.Fatalf("RegisterSignUps: %v", err)
	}
}

func export(t *testing.T, db *boltstore.DB, c *movingClock, spec data.InvoiceSpec) (data.InvoiceBatch, []data.InvoiceLine) {
	t.Helper()
	c.tick()
	b, err := db.ExportInvoicing(t.Context(), spec, nil)
	if err != nil {
		t.Fatalf("ExportInvoicing: %v", err)
	}
	return b, batchLines(t, db, b.ID)
}

func batchLines(t *testing.T, db *boltstore.DB, id data.ID) []data.InvoiceLine {
	t.Helper()
	var out []data.InvoiceLine
	for l, err := range db.InvoiceLines(t.Context(), id) {
		if err != nil {
			t.Fatalf("InvoiceLines(%d): %v", id, err)
		}
		out = append(out, l)
	}
	return out
}

// billedMarch fills March with every kind of care: a combination of
// credit and invoice, a request wholly on invoice, one wholly from credit
// (not billed), an open and a rejected one (not billed), an extra holiday
// day, and study-day sign-ups at both locations. It returns the requests
// that bill, in the file's order.
func billedMarch(t *testing.T, db *boltstore.DB, c *movingClock) (combi, invoiced, holiday data.Request) {
	t.Helper()
	reportAbsence(t, db, idDewi, friday) // 630 minutes of credit
	combi = approve(t, db, c, dewiDraft(wednesday, dewiCombi))
	invoiced = approve(t, db, c, dewiDraft(thursday, morning))
	reportAbsence(t, db, idDewi, friday.AddDays(7)) // credit again
	office := func(day data.Date) data.RequestDraft {
		d := dewiDraft(day, morning)
		d.Channel = data.ChannelOffice
		return d
	}
	approve(t, db, c, office(wednesday.AddDays(7)))
	rejected := submitProposed(t, db, office(data.NewDate(2026, time.March, 17)))
	if err := db.RejectRequest(t.Context(), rejected.ID, "Mirjam (pm)", "de groep is vol"); err != nil {
		t.Fatal(err)
	}
	submitProposed(t, db, office(data.NewDate(2026, time.March, 24))) // stays open
	holiday = approve(t, db, c, data.RequestDraft{ChildID: idFinn, GroupID: groupUi, Date: finnHoliday, Times: data.DefaultSettings().HolidayDay,
		Product: data.ProductBSOHoliday, Channel: data.ChannelOffice, By: "Sanne (office)"})
	signUp(t, db, c, 1, data.SignUpEntry{ChildID: idGijs, Times: gijsTimes})
	signUp(t, db, c, locEik, data.SignUpEntry{ChildID: idIns, Times: insTimes})
	return combi, invoiced, holiday
}

// signUpOf finds the active sign-up of a child on the study day.
func signUpOf(t *testing.T, db *boltstore.DB, location, child data.ID) data.SignUp {
	t.Helper()
	sheet, err := db.StudyDaySheet(t.Context(), location, wilgen, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sheet.Rows {
		if r.Child.ID == child && r.SignUp != nil {
			return *r.SignUp
		}
	}
	t.Fatalf("child %d has no sign-up", child)
	return data.SignUp{}
}

func TestExportInvoicing_F1_EveryKindOfLine(t *testing.T) {
	db, c := invoiceStore(t)
	combi, invoiced, holiday := billedMarch(t, db, c)
	gijs, ins := signUpOf(t, db, 1, idGijs), signUpOf(t, db, locEik, idIns)
	if combi.Payment.CreditMinutes() != 630 || combi.Payment.InvoiceMinutes != 60 {
		t.Fatalf("the combination is paid %+v, want 630 minutes of credit and 60 on invoice", combi.Payment)
	}

	batch, lines := export(t, db, c, march)

	line := func(loc data.ID, locName string, group data.ID, groupName string, child data.ID, name string) data.InvoiceLine {
		return data.InvoiceLine{Batch: batch.ID, Kind: data.LineNew, ChildID: child, ChildName: name, LocationID: loc, Location: locName, GroupID: group, Group: groupName}
	}
	insLine := line(locEik, "De Eik", groupSp, "Spechten", idIns, "Inès García")
	insLine.Date, insLine.Product, insLine.Source, insLine.SourceID = studyDay, data.ProductStudyDay, data.SourceStudyDay, ins.ID
	insLine.CareMinutes, insLine.InvoiceMinutes, insLine.DayMinutes, insLine.By, insLine.At = 660, 660, 660, "Sanne (office)", ins.ChangedAt
	combiLine := line(1, "Het Klavertje", groupEg, "Egeltjes", idDewi, "Dewi Smit")
	combiLine.Date, combiLine.Product, combiLine.Source, combiLine.SourceID = wednesday, data.ProductKDV, data.SourceRequest, combi.ID
	combiLine.CareMinutes, combiLine.CreditMinutes, combiLine.InvoiceMinutes, combiLine.By, combiLine.At = 690, 630, 60, "Mirjam (pm)", combi.DecidedAt
	invoicedLine := combiLine
	invoicedLine.Date, invoicedLine.SourceID = thursday, invoiced.ID
	invoicedLine.CareMinutes, invoicedLine.CreditMinutes, invoicedLine.InvoiceMinutes, invoicedLine.At = 240, 0, 240, invoiced.DecidedAt
	holidayLine := line(1, "Het Klavertje", groupUi, "Uilen", idFinn, "Finn Öztürk")
	holidayLine.Date, holidayLine.Product, holidayLine.Source, holidayLine.SourceID = finnHoliday, data.ProductExtraHolidayDay, data.SourceRequest, holiday.ID
	holidayLine.CareMinutes, holidayLine.InvoiceMinutes, holidayLine.DayMinutes, holidayLine.By, holidayLine.At = 660, 660, 660, "Mirjam (pm)", holiday.DecidedAt
	gijsLine := line(1, "Het Klavertje", groupUi, "Uilen", idGijs, "Gijs Łukasik")
	gijsLine.Date, gijsLine.Product, gijsLine.Source, gijsLine.SourceID = studyDay, data.ProductStudyDay, data.SourceStudyDay, gijs.ID
	gijsLine.CareMinutes, gijsLine.InvoiceMinutes, gijsLine.DayMinutes, gijsLine.By, gijsLine.At = 510, 510, 660, "Sanne (office)", gijs.ChangedAt

	want := []data.InvoiceLine{insLine, combiLine, invoicedLine, holidayLine, gijsLine}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%+v", len(lines), len(want), lines)
	}
	for i := range want {
		if !lines[i].At.Equal(want[i].At) {
			t.Errorf("line %d at %v, want %v", i+1, lines[i].At, want[i].At)
		}
		lines[i].At, want[i].At = time.Time{}, time.Time{}
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %+v\nwant %+v", i+1, lines[i], want[i])
		}
	}
	if got := holidayLine.Days(); got != 1 {
		t.Errorf("an extra holiday day of the whole opening hours is %v days, want 1", got)
	}

	if batch.From != march.From || batch.To != march.To || batch.By != "Priya (planner)" || !batch.CreatedAt.Equal(c.now) || batch.Location != "" {
		t.Errorf("batch %+v", batch)
	}
	if batch.Lines != 5 || batch.New != 5 || batch.Corrections != 0 {
		t.Errorf("batch counts %d lines, %d new, %d corrections; want 5, 5, 0", batch.Lines, batch.New, batch.Corrections)
	}
	wantTotals := []data.ProductTotal{
		{Product: data.ProductKDV, Lines: 2, CareMinutes: 930, CreditMinutes: 630, InvoiceMinutes: 300},
		{Product: data.ProductExtraHolidayDay, Lines: 1, CareMinutes: 660, InvoiceMinutes: 660, Days: 1, PerDay: true},
		{Product: data.ProductStudyDay, Lines: 2, CareMinutes: 1170, InvoiceMinutes: 1170, Days: 1 + 0.77, PerDay: true}, // each line rounded to hundredths: 660 and 510 minutes
	}
	if !slices.Equal(batch.Totals, wantTotals) {
		t.Errorf("totals\n got %+v\nwant %+v", batch.Totals, wantTotals)
	}
	stored, err := db.InvoiceBatches(t.Context())
	if err != nil || len(stored) != 1 || stored[0].ID != batch.ID || !slices.Equal(stored[0].Totals, wantTotals) {
		t.Errorf("batches stored %+v, %v", stored, err)
	}
}

func TestExportInvoicing_F1_AgainGivesOnlyWhatIsNew(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	first, _ := export(t, db, c, march)

	again, lines := export(t, db, c, march)
	if len(lines) != 0 || again.Lines != 0 || again.ID == first.ID {
		t.Fatalf("second export of an unchanged March: batch %d with %d lines %+v, want a new empty batch", again.ID, len(lines), lines)
	}

	// A request approved after the export is billed next time, and only it.
	late := approve(t, db, c, func() data.RequestDraft {
		d := dewiDraft(data.NewDate(2026, time.March, 26), morning)
		d.Channel = data.ChannelOffice
		return d
	}())
	_, lines = export(t, db, c, march)
	if len(lines) != 1 || lines[0].SourceID != late.ID || lines[0].Kind != data.LineNew || lines[0].InvoiceMinutes != late.Payment.InvoiceMinutes ||
		lines[0].CreditMinutes != late.Payment.CreditMinutes() || late.Payment.InvoiceMinutes == 0 {
		t.Fatalf("lines %+v, want only the late request", lines)
	}
}

func TestExportInvoicing_F1_OverlappingPeriodsNeverBillTwice(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	firstHalf := march
	firstHalf.To = data.NewDate(2026, time.March, 15)
	_, early := export(t, db, c, firstHalf)
	_, rest := export(t, db, c, march)
	if len(early) != 2 || len(rest) != 3 {
		t.Fatalf("1–15 March gave %d lines and then the month %d; want 2 and 3", len(early), len(rest))
	}
	for _, l := range rest {
		if !l.Date.After(firstHalf.To) {
			t.Errorf("%+v billed again", l)
		}
	}
}

func TestExportInvoicing_F1_LocationFilter(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	eik := march
	eik.LocationID = locEik
	batch, lines := export(t, db, c, eik)
	if batch.Location != "De Eik" || len(lines) != 1 || lines[0].ChildID != idIns {
		t.Fatalf("De Eik's export: batch %+v lines %+v, want Inès's sign-up only", batch, lines)
	}
	_, lines = export(t, db, c, march)
	if len(lines) != 4 || slices.ContainsFunc(lines, func(l data.InvoiceLine) bool { return l.ChildID == idIns }) {
		t.Fatalf("every location after De Eik's: %+v, want the four lines of Het Klavertje", lines)
	}
}

func TestExportInvoicing_F1_CancelledAfterExportIsCorrected(t *testing.T) {
	db, c := invoiceStore(t)
	_, invoiced, holiday := billedMarch(t, db, c)
	export(t, db, c, march)

	at := c.tick()
	if err := db.CancelRequest(t.Context(), holiday.ID, "Sanne (office)", "ouder heeft afgezegd"); err != nil {
		t.Fatal(err)
	}
	batch, lines := export(t, db, c, march)
	if len(lines) != 1 {
		t.Fatalf("%d lines after cancelling, want one correction: %+v", len(lines), lines)
	}
	got := lines[0]
	if got.Kind != data.LineCorrection || got.Cause != data.CauseCancelled || got.SourceID != holiday.ID || got.Product != data.ProductExtraHolidayDay ||
		got.CareMinutes != -660 || got.InvoiceMinutes != -660 || got.Days() != -1 || got.By != "Sanne (office)" || !got.At.Equal(at) ||
		got.Reason != "ouder heeft afgezegd" || got.Batch != batch.ID {
		t.Errorf("correction %+v", got)
	}
	if batch.Corrections != 1 || batch.New != 0 || batch.Totals[0].InvoiceMinutes != -660 {
		t.Errorf("batch %+v", batch)
	}

	// Corrected once: the next export has nothing.
	if _, lines := export(t, db, c, march); len(lines) != 0 {
		t.Errorf("the cancellation corrected twice: %+v", lines)
	}

	// A request cancelled before any export is never billed.
	c.tick()
	if err := db.CancelRequest(t.Context(), invoiced.ID, "Mirjam (pm)", "toch niet nodig"); err != nil {
		t.Fatal(err)
	}
	late := approve(t, db, c, func() data.RequestDraft {
		d := dewiDraft(data.NewDate(2026, time.March, 26), morning)
		d.Channel = data.ChannelOffice
		return d
	}())
	if err := db.CancelRequest(t.Context(), late.ID, "Mirjam (pm)", "dubbel aangevraagd"); err != nil {
		t.Fatal(err)
	}
	_, lines = export(t, db, c, march)
	if len(lines) != 1 || lines[0].SourceID != invoiced.ID || lines[0].InvoiceMinutes != -240 {
		t.Errorf("lines %+v, want only the correction of the exported request", lines)
	}
}

func TestExportInvoicing_F1_ChangedSignUpIsCorrectedAndBilledAnew(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	export(t, db, c, march)
	gijs := signUpOf(t, db, 1, idGijs)

	shorter := data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(17, 0)}
	signUp(t, db, c, 1, data.SignUpEntry{ChildID: idGijs, Times: shorter})
	_, lines := export(t, db, c, march)
	if len(lines) != 2 {
		t.Fatalf("%d lines after changing Gijs's times, want a correction and a new line: %+v", len(lines), lines)
	}
	if l := lines[0]; l.Kind != data.LineCorrection || l.Cause != data.CauseChanged || l.SourceID != gijs.ID || l.InvoiceMinutes != -510 {
		t.Errorf("first line %+v, want the old 510 minutes taken back", l)
	}
	if l := lines[1]; l.Kind != data.LineNew || l.SourceID != gijs.ID || l.InvoiceMinutes != 300 {
		t.Errorf("second line %+v, want 300 minutes billed anew", l)
	}

	// Taking the tick away cancels the sign-up: its last line is taken back.
	signUp(t, db, c, 1)
	_, lines = export(t, db, c, march)
	if len(lines) != 1 || lines[0].Kind != data.LineCorrection || lines[0].Cause != data.CauseCancelled || lines[0].InvoiceMinutes != -300 {
		t.Fatalf("lines after cancelling %+v, want the 300 minutes taken back", lines)
	}
}

func TestInvoiceLines_F1_EarlierBatchUnchangedByLaterOnes(t *testing.T) {
	db, c := invoiceStore(t)
	_, _, holiday := billedMarch(t, db, c)
	first, lines := export(t, db, c, march)
	c.tick()
	if err := db.CancelRequest(t.Context(), holiday.ID, "Sanne (office)", "afgezegd"); err != nil {
		t.Fatal(err)
	}
	export(t, db, c, march)
	if again := batchLines(t, db, first.ID); !slices.EqualFunc(again, lines, func(a, b data.InvoiceLine) bool { return a == b }) {
		t.Errorf("batch %d reads\n%+v\nafter a later batch, was\n%+v", first.ID, again, lines)
	}
	stored, err := db.InvoiceBatch(t.Context(), first.ID)
	if err != nil || stored.Lines != first.Lines || !stored.CreatedAt.Equal(first.CreatedAt) {
		t.Errorf("batch %d stored as %+v, %v", first.ID, stored, err)
	}
	for _, err := range db.InvoiceLines(t.Context(), 99) {
		if !errors.Is(err, data.ErrNotFound) {
			t.Errorf("lines of an unknown batch: %v, want ErrNotFound", err)
		}
	}
}

func TestPreviewInvoicing_F1_CountsWithoutRecording(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	var progress []float64
	preview, err := db.PreviewInvoicing(t.Context(), march, func(f float64) { progress = append(progress, f) })
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 1 || !slices.IsSorted(progress) {
		t.Errorf("progress %v, want rising to 1", progress)
	}
	again, _ := db.PreviewInvoicing(t.Context(), march, nil)
	batch, _ := export(t, db, c, march)
	if preview.Lines != 5 || preview.New != 5 || again.Lines != 5 || !slices.Equal(preview.Totals, batch.Totals) {
		t.Errorf("preview %+v, again %+v; the export gave %+v", preview, again, batch.InvoiceSummary)
	}
	if after, _ := db.PreviewInvoicing(t.Context(), march, nil); after.Lines != 0 {
		t.Errorf("preview after the export: %+v, want nothing new", after)
	}
}

func TestExportInvoicing_F1_BadRequestStoresNothing(t *testing.T) {
	db, c := invoiceStore(t)
	billedMarch(t, db, c)
	backwards := march
	backwards.From, backwards.To = march.To, march.From
	unknown := march
	unknown.LocationID = 77
	nobody := march
	nobody.By = " "
	for name, spec := range map[string]data.InvoiceSpec{"backwards": backwards, "unknown location": unknown, "nobody": nobody, "no period": {By: "Priya"}} {
		if _, err := db.ExportInvoicing(t.Context(), spec, nil); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if batches, err := db.InvoiceBatches(t.Context()); err != nil || len(batches) != 0 {
		t.Errorf("batches %+v, %v; want none", batches, err)
	}
	if _, lines := export(t, db, c, march); len(lines) != 5 {
		t.Errorf("a refused export marked lines as exported: %d left", len(lines))
	}
}
