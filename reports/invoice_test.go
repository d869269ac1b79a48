package reports

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"locatiedesk/data"
)

var amsterdam = time.FixedZone("CET", 3600)

var sampleBatch = data.InvoiceBatch{ID: 7, From: data.NewDate(2026, time.March, 1), To: data.NewDate(2026, time.March, 31),
	CreatedAt: time.Date(2026, time.April, 2, 10, 15, 0, 0, amsterdam), By: "Priya"}

// sampleLines are one line of every kind, with names a spreadsheet could
// take for formulas.
func sampleLines() []data.InvoiceLine {
	base := data.InvoiceLine{Batch: 7, Kind: data.LineNew, ChildID: 12, ChildName: "Zoë Dvořák", LocationID: 1, Location: "Het Klavertje",
		GroupID: 3, Group: "Egeltjes", Date: data.NewDate(2026, time.March, 11), Product: data.ProductKDV, Source: data.SourceRequest, SourceID: 41,
		CareMinutes: 690, CreditMinutes: 630, InvoiceMinutes: 60, By: "Mirjam (pm)", At: time.Date(2026, time.March, 10, 9, 2, 0, 0, amsterdam)}
	holiday := base
	holiday.ChildID, holiday.ChildName, holiday.Group = 13, "=HYPERLINK(\"http://x\";\"klik\")", "-Uilen"
	holiday.Date, holiday.Product, holiday.SourceID = data.NewDate(2026, time.March, 16), data.ProductExtraHolidayDay, 42
	holiday.CareMinutes, holiday.CreditMinutes, holiday.InvoiceMinutes, holiday.DayMinutes = 660, 0, 660, 660
	correction := holiday
	correction.Kind, correction.Cause, correction.Reason = data.LineCorrection, data.CauseCancelled, "+ouder; zegt af"
	correction.CareMinutes, correction.InvoiceMinutes, correction.By = -660, -660, "@Sanne"
	studyDay := base
	studyDay.ChildID, studyDay.ChildName, studyDay.Location = 14, "\tTab Jansen", "+Locatie"
	studyDay.Date, studyDay.Product, studyDay.Source, studyDay.SourceID = data.NewDate(2026, time.March, 19), data.ProductStudyDay, data.SourceStudyDay, 5
	studyDay.CareMinutes, studyDay.CreditMinutes, studyDay.InvoiceMinutes, studyDay.DayMinutes, studyDay.At = 330, 0, 330, 660, time.Time{}
	return []data.InvoiceLine{base, holiday, correction, studyDay}
}

func seq(lines []data.InvoiceLine) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) {
		for _, l := range lines {
			if !yield(l, nil) {
				return
			}
		}
	}
}

func TestInvoiceCSV_F1_AsDutchExcelReadsIt(t *testing.T) {
	var buf bytes.Buffer
	if err := InvoiceCSV(&buf, seq(sampleLines())); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if !strings.HasPrefix(raw, "\uFEFF") {
		t.Fatal("no UTF-8 byte-order mark: Excel would read the file as ANSI")
	}
	if strings.Count(raw, "\n") != 5 || strings.Count(raw, "\r\n") != 5 {
		t.Fatalf("want 5 lines each ending in CRLF:\n%q", raw)
	}

	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(raw, "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		InvoiceHeader,
		{"7", "nieuw", "12", "Zoë Dvořák", "Het Klavertje", "Egeltjes", "11-03-2026", "kdv", "11,50", "10,50", "1,00", "", "aanvraag", "41", "Mirjam (pm)", "10-03-2026 09:02", ""},
		{"7", "nieuw", "13", `'=HYPERLINK("http://x";"klik")`, "Het Klavertje", "'-Uilen", "16-03-2026", "extra vakantiedag bso", "11,00", "0,00", "11,00", "1,00", "aanvraag", "42", "Mirjam (pm)", "10-03-2026 09:02", ""},
		{"7", "correctie", "13", `'=HYPERLINK("http://x";"klik")`, "Het Klavertje", "'-Uilen", "16-03-2026", "extra vakantiedag bso", "-11,00", "0,00", "-11,00", "-1,00", "aanvraag", "42", "'@Sanne", "10-03-2026 09:02", "geannuleerd: +ouder; zegt af"},
		{"7", "nieuw", "14", "'\tTab Jansen", "'+Locatie", "Egeltjes", "19-03-2026", "studiedag bso", "5,50", "0,00", "5,50", "0,50", "studiedag", "5", "Mirjam (pm)", "", ""},
	}
	if len(records) != len(want) {
		t.Fatalf("%d records, want %d", len(records), len(want))
	}
	for i := range want {
		if !slices.Equal(records[i], want[i]) {
			t.Errorf("record %d:\n got %q\nwant %q", i, records[i], want[i])
		}
	}
}

func TestNeutraliseFormula_F1(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+31 6": "'+31 6", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "\rx": "'\rx",
		"Zoë": "Zoë", "": "", "a=b": "a=b", " =x": " =x",
	} {
		if got := NeutraliseFormula(in); got != want {
			t.Errorf("NeutraliseFormula(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestInvoiceXLSX_F1_TypedCellsReadBack(t *testing.T) {
	var buf bytes.Buffer
	lines := sampleLines()
	if err := InvoiceXLSX(&buf, sampleBatch, seq(lines)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); !slices.Equal(sheets, []string{invoiceSheet}) {
		t.Fatalf("sheets %v", sheets)
	}
	shown, err := f.GetRows(invoiceSheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != len(lines)+1 || !slices.Equal(shown[0], InvoiceHeader) {
		t.Fatalf("rows %q", shown)
	}
	for i, l := range lines {
		row := i + 2
		cell := func(col string) string { return col + string(rune('0'+row)) }
		text := map[string]string{"B": map[data.LineKind]string{data.LineNew: "nieuw", data.LineCorrection: "correctie"}[l.Kind],
			"D": l.ChildName, "E": l.Location, "F": l.Group, "H": ProductName(l.Product), "O": l.By}
		for col, want := range text {
			got, _ := f.GetCellValue(invoiceSheet, cell(col))
			formula, _ := f.GetCellFormula(invoiceSheet, cell(col))
			if got != want || formula != "" {
				t.Errorf("%s = %q (formula %q), want the text %q", cell(col), got, formula, want)
			}
		}
		hoursOf := func(m int) float64 { return math.Round(float64(m)/60*100) / 100 }
		numbers := map[string]float64{"A": float64(l.Batch), "C": float64(l.ChildID), "I": hoursOf(l.CareMinutes),
			"J": hoursOf(l.CreditMinutes), "K": hoursOf(l.InvoiceMinutes), "N": float64(l.SourceID)}
		if l.PerDay() {
			numbers["L"] = l.Days()
		}
		for col, want := range numbers {
			typ, _ := f.GetCellType(invoiceSheet, cell(col))
			raw, _ := f.GetCellValue(invoiceSheet, cell(col), excelize.Options{RawCellValue: true})
			if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || math.Abs(mustFloat(t, raw)-want) > 1e-9 {
				t.Errorf("%s is %q of type %v, want the number %v", cell(col), raw, typ, want)
			}
		}
		if shownDate := shown[row-1][6]; shownDate != csvText(l.Date) {
			t.Errorf("G%d shows %q, want %q", row, shownDate, csvText(l.Date))
		}
		raw, _ := f.GetCellValue(invoiceSheet, cell("G"), excelize.Options{RawCellValue: true})
		serial, err := excelize.ExcelDateToTime(mustFloat(t, raw), false)
		if err != nil || data.DateOf(serial) != l.Date {
			t.Errorf("G%d holds %q (%v), want the date %s as a number", row, raw, serial, l.Date)
		}
		at, _ := f.GetCellValue(invoiceSheet, cell("P"))
		if want := map[bool]string{true: "", false: "10-03-2026 09:02"}[l.At.IsZero()]; at != want {
			t.Errorf("P%d shows %q, want %q", row, at, want)
		}
	}
	props, err := f.GetDocProps()
	if err != nil || props.Created != "2026-04-02T09:15:00Z" || props.Modified != props.Created || props.Creator != "Locatiedesk" {
		t.Errorf("document properties %+v, %v; want the batch's time", props, err)
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Errorf("%q is not a number", s)
	}
	return v
}

func TestWriteInvoice_F1_SameBatchSameBytes(t *testing.T) {
	for _, format := range []InvoiceFormat{FormatCSV, FormatXLSX} {
		write := func(b data.InvoiceBatch) []byte {
			var buf bytes.Buffer
			if err := WriteInvoice(&buf, format, b, seq(sampleLines())); err != nil {
				t.Fatal(err)
			}
			return buf.Bytes()
		}
		first := write(sampleBatch)
		if again := write(sampleBatch); !bytes.Equal(first, again) {
			t.Errorf("%s: the same batch written twice differs", format)
		}
		if format == FormatXLSX {
			// No part of the workbook carries the time it was written: DOS
			// date and time zero, which reads as 30 November 1979.
			zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range zr.File {
				if part.ModifiedDate != 0 || part.ModifiedTime != 0 || part.Modified.Year() != 1979 {
					t.Errorf("%s is dated %v", part.Name, part.Modified)
				}
			}
			later := sampleBatch
			later.CreatedAt = later.CreatedAt.Add(time.Hour)
			if bytes.Equal(first, write(later)) {
				t.Error("xlsx: the batch's time is not in the document")
			}
		}
	}
}

// A year of study days, most of them part days: the CSV and the XLSX of the
// same batch must add up to the same days in Dagen factuur, and the same
// hours in Uren factuur.
func TestInvoice_F1_CSVAndXLSXAgreeOnDays(t *testing.T) {
	base := sampleLines()[3]
	var lines []data.InvoiceLine
	for i := range 300 {
		l := base
		l.SourceID = data.ID(i + 1)
		l.Date = data.NewDate(2026, time.January, 5).AddDays(i)
		l.CareMinutes = 60 + (i*37)%600
		l.InvoiceMinutes = l.CareMinutes
		lines = append(lines, l)
	}
	columns := []int{slices.Index(InvoiceHeader, "Dagen factuur"), slices.Index(InvoiceHeader, "Uren factuur")}

	var csvFile bytes.Buffer
	if err := WriteInvoice(&csvFile, FormatCSV, sampleBatch, seq(lines)); err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvFile.String(), "\uFEFF")))
	r.Comma = ';'
	records, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	csvSum := make([]float64, len(columns))
	for _, rec := range records[1:] {
		for i, column := range columns {
			csvSum[i] += mustFloat(t, strings.Replace(rec[column], ",", ".", 1))
		}
	}

	var xlsxFile bytes.Buffer
	if err := WriteInvoice(&xlsxFile, FormatXLSX, sampleBatch, seq(lines)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xlsxFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(invoiceSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	xlsxSum := make([]float64, len(columns))
	for _, row := range rows[1:] {
		for i, column := range columns {
			xlsxSum[i] += mustFloat(t, row[column])
		}
	}
	if len(records) != len(rows) || len(rows) != len(lines)+1 {
		t.Fatalf("%d CSV records and %d XLSX rows for %d lines", len(records), len(rows), len(lines))
	}
	for i, column := range columns {
		if csvSum[i] != xlsxSum[i] {
			t.Errorf("%s adds up to %.4f in the CSV and %.4f in the XLSX", InvoiceHeader[column], csvSum[i], xlsxSum[i])
		}
	}
}

// A correction for withdrawn credit (R7) or a cancelled study day (S2) says
// so in Reden, in the planner's words.
func TestInvoiceCells_R7_S2_CorrectionReasons(t *testing.T) {
	for cause, want := range map[data.CorrectionCause]string{
		data.CauseCreditWithdrawn:   "tegoed ingetrokken: afwezigheid vervallen",
		data.CauseStudyDayCancelled: "studiedag gaat niet door",
		data.CauseChanged:           "gewijzigd",
	} {
		l := sampleLines()[0]
		l.Kind, l.Cause = data.LineCorrection, cause
		l.CareMinutes, l.CreditMinutes, l.InvoiceMinutes = -690, -630, -60
		cells := invoiceCells(l)
		if got := cells[len(cells)-1]; got != want || cells[1] != "correctie" {
			t.Errorf("%s: kind %v, reason %v, want %q", cause, cells[1], got, want)
		}
	}
}
