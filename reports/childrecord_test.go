package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func testPicture(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	for x := range 40 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{R: uint8(6 * x), G: 120, B: uint8(6 * y), A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// childRecord is a record with every kind of data, and attendance records
// enough to run over several pages.
func childRecord(t *testing.T, days int) data.ChildRecord {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	in, out := data.NewClock(15, 5), data.NewClock(18, 10)
	bso := data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
	rec := data.ChildRecord{
		ExportedAt: at,
		Child: data.Child{ID: 20, LocationID: 1, FirstName: "Zoë", LastName: "Dvořák", BirthDate: data.NewDate(2018, time.February, 14),
			SchoolID: 1, Picture: testPicture(t), Number: "PL-4711",
			Contacts: []data.Contact{{Name: "Łukasz Dvořák", Relation: "vader", Phone: "+31 6 12345678", Email: "lukasz@example.nl", MayCollect: true},
				{Name: "Buurvrouw Anke", Relation: "buurvrouw", Phone: "06-11112222"}}},
		Location: data.Location{ID: 1, Name: "Het Klavertje"},
		School:   &data.School{ID: 1, Name: "De Wilgen"},
		Groups:   []data.Group{{ID: 2, LocationID: 1, Name: "Uilen", Care: data.BSO, Capacity: 20}},
		Contracts: []data.Contract{{ID: 20, ChildID: 20, GroupID: 2, Product: data.ProductBSO52Weeks, Start: data.NewDate(2025, time.September, 1),
			End: data.NewDate(2026, time.April, 30), Days: []data.ContractDay{{Weekday: time.Monday, Times: bso}, {Weekday: time.Thursday, Times: bso}}}},
		Attendance: []data.AttendanceRecord{
			{Date: data.NewDate(2026, time.March, 2), GroupID: 2, Attendance: data.Attendance{CheckIn: &in, CheckOut: &out, Note: "Zoë is allergisch voor pinda's", UpdatedBy: "Mirjam", UpdatedAt: at}},
			{Date: data.NewDate(2026, time.March, 3), GroupID: 2, Attendance: data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick, UpdatedBy: "Mirjam", UpdatedAt: at,
				AbsenceReportedAt: at, AbsenceReportedBy: "Mirjam", AbsenceMinutes: 210, Credit: &data.CreditRef{EntryID: 1, ExpiresOn: data.NewDate(2026, time.March, 31), Minutes: 210}}},
		},
		Credit: []data.CreditEntry{{ID: 1, ChildID: 20, Origin: data.OriginBSOSchoolDay, ContractID: 20, ContractProduct: data.ProductBSO52Weeks, GroupID: 2,
			Minutes: 210, Spent: 210, EarnedOn: data.NewDate(2026, time.March, 3), ExpiresOn: data.NewDate(2026, time.March, 31)}},
		Requests: []data.Request{{ID: 1, RequestDraft: data.RequestDraft{ChildID: 20, GroupID: 2, Date: data.NewDate(2026, time.March, 13), Times: bso,
			Product: data.ProductBSOSchoolDay, Channel: data.ChannelGroup, By: "Mirjam"}, SubmittedAt: at, Status: data.StatusRejected,
			Payment:   data.Payment{InvoiceMinutes: 210, InvoiceProduct: data.ProductBSOSchoolDay, OverrideReason: "Ouder wil liever een factuur"},
			DecidedBy: "Sanne", DecidedAt: at, Reason: "Groep vol"}},
		Consent: []data.ConsentChange{
			{Seq: 1, ChildID: 20, Level: data.ConsentPortal, Given: data.NewDate(2025, time.September, 1), Source: data.ConsentFromForm, RecordedBy: "Kantoor", RecordedAt: at},
			{Seq: 2, ChildID: 20, Level: data.ConsentNone, Given: data.NewDate(2026, time.February, 1), Source: data.ConsentFromPhone, RecordedBy: "Kantoor", RecordedAt: at, Note: "Ingetrokken door vader"},
		},
		SignUps: []data.SignUp{{ID: 1, SchoolID: 1, Date: data.NewDate(2026, time.March, 27), ChildID: 20, GroupID: 2,
			Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}, RegisteredBy: "Kantoor", RegisteredAt: at, ChangedAt: at}},
	}
	for i := range days {
		rec.Attendance = append(rec.Attendance, data.AttendanceRecord{Date: data.NewDate(2025, time.September, 1).AddDays(i), GroupID: 2,
			Attendance: data.Attendance{CheckIn: &in, CheckOut: &out, Note: fmt.Sprintf("dag %d", i), UpdatedBy: "Mirjam", UpdatedAt: at}})
	}
	return rec
}

// TestChildRecordJSON_AVG_RoundTrip decodes the export back: every kind of
// record is there and nothing is lost or changed on the way.
func TestChildRecordJSON_AVG_RoundTrip(t *testing.T) {
	rec := childRecord(t, 0)
	// Every list of the record has data here, so a kind of record added to
	// ChildRecord later must be added to this test too.
	v := reflect.ValueOf(rec)
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			t.Fatalf("the test record has no %s", v.Type().Field(i).Name)
		}
	}
	var buf bytes.Buffer
	if err := ChildRecordJSON(&buf, rec); err != nil {
		t.Fatal(err)
	}
	var back data.ChildRecord
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := ChildRecordJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("decoding and encoding again changes the export:\n%s\n---\n%s", buf.Bytes(), again.Bytes())
	}
	if back.Child.Name() != "Zoë Dvořák" || !bytes.Equal(back.Child.Picture, rec.Child.Picture) || back.School.Name != "De Wilgen" {
		t.Errorf("child %+v", back.Child)
	}
	if len(back.Attendance) != 2 || back.Attendance[0].Attendance.Note != "Zoë is allergisch voor pinda's" || *back.Attendance[1].Attendance.Credit != *rec.Attendance[1].Attendance.Credit {
		t.Errorf("attendance %+v", back.Attendance)
	}
	if back.Credit[0] != rec.Credit[0] || back.Requests[0].Payment.OverrideReason != "Ouder wil liever een factuur" ||
		back.Consent[1].Note != "Ingetrokken door vader" || back.SignUps[0].Date != rec.SignUps[0].Date || back.Contracts[0].Days[1].Weekday != time.Thursday {
		t.Errorf("records changed on the way: %+v", back)
	}
	if !strings.Contains(buf.String(), `"firstName": "Zoë"`) {
		t.Errorf("names are not written as plain UTF-8:\n%.300s", buf.String())
	}
}

func TestChildRecordPDF_AVG_ReadableWithEveryKindOfRecord(t *testing.T) {
	var buf bytes.Buffer
	if err := ChildRecordPDF(&buf, childRecord(t, 150)); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{
		"Zoë Dvořák", "14-02-2018", "De Wilgen", "Het Klavertje", "PL-4711",
		"Contactpersonen · Contacts (2)", "Łukasz Dvořák", "lukasz@example.nl", "ja · yes", "Buurvrouw Anke", "nee · no",
		"Contracten · Contracts (1)", "BSO 52 weken", "ma/Mon 15:00–18:30",
		"Aanwezigheid en afwezigheid · Attendance and absence (152)", "Zoë is allergisch voor pinda's", "ziek · sick",
		"Tegoed · Credit (1)", "Afwezigheid BSO", "schooldag · School-day",
		"Aanvragen extra opvang · Extra-care requests (1)", "afgewezen · rejected", "reden · reason: Ouder", "Groep vol",
		"Toestemming foto's · Photo consent (2)", "Ingetrokken door vader", "telefoon · phone",
		"Studiedagen · Study days (1)", "27-03-2026",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The attendance table runs over pages; its column titles come again on each.
	if pages, titles := strings.Count(text, "\f"), strings.Count(text, "Binnen"); pages < 3 || titles < pages-1 {
		t.Errorf("%d pages with %d attendance headers", pages, titles)
	}
	if !bytes.Contains(buf.Bytes(), []byte("/Subtype /Image")) {
		t.Error("the PDF has no picture")
	}
}

func TestChildRecordPDF_AVG_RemovedChildAndBadPicture(t *testing.T) {
	rec := childRecord(t, 0)
	rec.Child = data.Child{ID: 20, LocationID: 1, FirstName: data.RemovedChildFirstName, LastName: "#20", RemovedOn: data.NewDate(2028, time.May, 1),
		Picture: []byte("not a picture")}
	rec.School, rec.Consent = nil, nil
	var buf bytes.Buffer
	if err := ChildRecordPDF(&buf, rec); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"Verwijderd kind #20", "Gegevens verwijderd · Data removed", "01-05-2028", "Toestemming foto's · Photo consent geen · none"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
}

// TestChildRecordPDF_AVG_NoEmptyHeadings: the PDF promises no file it does
// not hold, an empty kind of record takes one line, and no table title is
// left at the foot of a page without a row under it, however long the
// attendance table runs.
func TestChildRecordPDF_AVG_NoEmptyHeadings(t *testing.T) {
	empty := childRecord(t, 0)
	empty.Contracts, empty.Attendance, empty.Credit, empty.Requests, empty.Consent, empty.SignUps = nil, nil, nil, nil, nil, nil
	var buf bytes.Buffer
	if err := ChildRecordPDF(&buf, empty); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if strings.Contains(text, "JSON") || strings.Count(text, "geen · none") != 6 || strings.Contains(text, "Ingetrokken") || strings.Count(text, "\f") > 1 {
		t.Errorf("an empty record's PDF:\n%s", text)
	}

	title := regexp.MustCompile(`\(\d+\)\s*$`)
	for days := 30; days < 110; days++ {
		rec := childRecord(t, days)
		// A first row of several lines is what pushed a title off on its own.
		rec.SignUps[0].RegisteredBy = strings.Repeat("Kantoor Het Klavertje ", 6)
		buf.Reset()
		if err := ChildRecordPDF(&buf, rec); err != nil {
			t.Fatal(err)
		}
		for n, page := range strings.Split(pdfText(t, buf.Bytes()), "\f") {
			var lines []string
			for _, l := range strings.Split(page, "\n") {
				if strings.TrimSpace(l) != "" && !strings.Contains(l, "pagina / page") {
					lines = append(lines, l)
				}
			}
			for i, l := range lines {
				// A title, its two lines of column titles, then at least one row.
				if title.MatchString(l) && len(lines)-i < 4 {
					t.Fatalf("%d days: page %d ends with the title %q and no row:\n%s", days, n+1, l, strings.Join(lines, "\n"))
				}
			}
		}
	}
}
