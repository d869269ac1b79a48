package reports

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"locatiedesk/data"
)

// The invoicing export (F1) goes to a Dutch office's Excel and from there to
// the invoicing system, so its columns are fixed and in Dutch, in both formats.

// InvoiceFormat is a file format of the invoicing export.
type InvoiceFormat string

// The formats of the invoicing export.
const (
	FormatCSV  InvoiceFormat = "csv"
	FormatXLSX InvoiceFormat = "xlsx"
)

// ParseInvoiceFormat reads "csv" or "xlsx".
func ParseInvoiceFormat(s string) (InvoiceFormat, error) {
	switch f := InvoiceFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatCSV, FormatXLSX:
		return f, nil
	}
	return "", fmt.Errorf("%w: unknown format %q: use csv or xlsx", data.ErrInvalid, s)
}

// InvoiceFileName names a batch's file: facturatie-batch-3-2026-11-01-2026-11-30.csv.
func InvoiceFileName(b data.InvoiceBatch, f InvoiceFormat) string {
	return fmt.Sprintf("facturatie-batch-%d-%s-%s.%s", b.ID, b.From, b.To, f)
}

// WriteInvoice writes a batch's lines in format f. The file depends on the
// batch and its lines only, so a batch written again gives the same bytes.
func WriteInvoice(w io.Writer, f InvoiceFormat, b data.InvoiceBatch, lines iter.Seq2[data.InvoiceLine, error]) error {
	switch f {
	case FormatCSV:
		return InvoiceCSV(w, lines)
	case FormatXLSX:
		return InvoiceXLSX(w, b, lines)
	}
	return fmt.Errorf("%w: unknown format %q", data.ErrInvalid, f)
}

// InvoiceHeader are the export's columns.
var InvoiceHeader = []string{"Batch", "Soort", "Kind-id", "Kind", "Locatie", "Groep", "Datum", "Product",
	"Uren zorg", "Uren tegoed", "Uren factuur", "Dagen factuur", "Bron", "Bron-id",
	"Goedgekeurd/gewijzigd door", "Goedgekeurd/gewijzigd op", "Reden"}

// The typed cells a line becomes; each format writes them its own way.
type (
	hours   float64   // a number of hours, or of days, shown with two decimals
	instant time.Time // a moment to the minute, on the clock it was recorded on
)

// ProductName is a product as the planner names it.
func ProductName(p data.Product) string {
	switch p {
	case data.ProductKDV:
		return "kdv"
	case data.ProductQflexibel:
		return "qflexibel"
	case data.ProductBSOSchoolDay:
		return "bso schooldag"
	case data.ProductExtraHolidayDay:
		return "extra vakantiedag bso"
	case data.ProductStudyDay:
		return "studiedag bso"
	}
	return string(p)
}

func invoiceCells(l data.InvoiceLine) []any {
	kind, source, reason := "nieuw", "aanvraag", ""
	if l.Kind == data.LineCorrection {
		kind = "correctie"
		switch l.Cause {
		case data.CauseCancelled:
			reason = "geannuleerd"
		case data.CauseCreditWithdrawn:
			reason = "tegoed ingetrokken: afwezigheid vervallen"
		case data.CauseStudyDayCancelled:
			reason = "studiedag gaat niet door"
		default:
			reason = "gewijzigd"
		}
		if l.Reason != "" {
			reason += ": " + l.Reason
		}
	}
	if l.Source == data.SourceStudyDay {
		source = "studiedag"
	}
	var days, at any
	if l.PerDay() {
		days = hours(l.Days())
	}
	if !l.At.IsZero() {
		at = instant(l.At)
	}
	return []any{int(l.Batch), kind, int(l.ChildID), l.ChildName, l.Location, l.Group, l.Date, ProductName(l.Product),
		minutesToHours(l.CareMinutes), minutesToHours(l.CreditMinutes), minutesToHours(l.InvoiceMinutes), days,
		source, int(l.SourceID), l.By, at, reason}
}

// minutesToHours gives hours rounded to hundredths, as Dagen factuur is
// (data.InvoiceLine.Days): the CSV prints and the XLSX holds the same
// number, so both files add up the same.
func minutesToHours(m int) hours { return hours(math.Round(float64(m)/60*100) / 100) }

// InvoiceCSV writes the lines as Dutch Excel opens a CSV with a double
// click: UTF-8 with a byte-order mark (else Excel reads ANSI and mangles
// Zoë), ';' between fields, decimal commas, dd-mm-jjjj dates and CRLF line
// ends. Text that Excel would run as a formula is neutralised. Rows are
// written as the lines come, so memory does not grow with their number.
func InvoiceCSV(w io.Writer, lines iter.Seq2[data.InvoiceLine, error]) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(InvoiceHeader); err != nil {
		return err
	}
	record := make([]string, len(InvoiceHeader))
	for l, err := range lines {
		if err != nil {
			return err
		}
		for i, c := range invoiceCells(l) {
			record[i] = csvText(c)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func csvText(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case int:
		return strconv.Itoa(v)
	case string:
		return NeutraliseFormula(v)
	case data.Date:
		return fmt.Sprintf("%02d-%02d-%04d", v.Day, v.Month, v.Year)
	case hours:
		return strings.Replace(strconv.FormatFloat(float64(v), 'f', 2, 64), ".", ",", 1)
	case instant:
		return time.Time(v).Format("02-01-2006 15:04")
	}
	panic(fmt.Sprintf("invoice cell of type %T", c))
}

// NeutraliseFormula keeps text from running as a formula when a spreadsheet
// opens the file: a value starting with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe (OWASP's advice on CSV injection).
func NeutraliseFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// invoiceSheet is the name of the XLSX's one sheet.
const invoiceSheet = "Facturatie"

// InvoiceXLSX writes the lines as an Excel workbook with typed cells:
// numbers, dates and times that Excel sums and sorts, and text as text
// (never a formula). Rows are streamed (excelize's StreamWriter keeps them
// on disk past 16 MiB). The document's dates are the batch's, so the same
// batch gives the same bytes.
func InvoiceXLSX(w io.Writer, b data.InvoiceBatch, lines iter.Seq2[data.InvoiceLine, error]) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", invoiceSheet); err != nil {
		return err
	}
	created := b.CreatedAt.UTC().Format(time.RFC3339)
	err := f.SetDocProps(&excelize.DocProperties{Creator: "Locatiedesk", LastModifiedBy: "Locatiedesk", Created: created, Modified: created,
		Title: fmt.Sprintf("Facturatie batch %d, %s tot en met %s", b.ID, b.From, b.To), Language: "nl-NL"})
	if err != nil {
		return err
	}
	styles, err := newInvoiceStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(invoiceSheet)
	if err != nil {
		return err
	}
	widths := []float64{7, 10, 8, 26, 18, 14, 12, 20, 10, 10, 10, 10, 10, 8, 24, 17, 30}
	for i, width := range widths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(InvoiceHeader))
	for i, h := range InvoiceHeader {
		header[i] = excelize.Cell{StyleID: styles.header, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	cells := make([]any, len(InvoiceHeader))
	for l, err := range lines {
		if err != nil {
			return err
		}
		for i, c := range invoiceCells(l) {
			cells[i] = styles.cell(c)
		}
		row++
		if err := sw.SetRow("A"+strconv.Itoa(row), cells); err != nil {
			return err
		}
	}
	last, err := excelize.CoordinatesToCellName(len(InvoiceHeader), max(row, 2))
	if err != nil {
		return err
	}
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Facturatie", StyleName: "TableStyleLight9"}); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

type invoiceStyles struct{ header, date, instant, hours int }

func newInvoiceStyles(f *excelize.File) (invoiceStyles, error) {
	var s invoiceStyles
	var err error
	format := func(nf string) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(&excelize.Style{CustomNumFmt: &nf})
		return id
	}
	s.date, s.instant, s.hours = format("dd-mm-yyyy"), format("dd-mm-yyyy hh:mm"), format("0.00")
	if err != nil {
		return s, err
	}
	s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	return s, err
}

// cell types an XLSX cell. Dates and times are given to Excel as the wall
// clock they were recorded on; Excel has no time zones.
func (s invoiceStyles) cell(c any) any {
	switch v := c.(type) {
	case data.Date:
		return excelize.Cell{StyleID: s.date, Value: time.Date(v.Year, v.Month, v.Day, 0, 0, 0, 0, time.UTC)}
	case instant:
		t := time.Time(v)
		return excelize.Cell{StyleID: s.instant, Value: time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)}
	case hours:
		return excelize.Cell{StyleID: s.hours, Value: float64(v)}
	}
	return c
}
