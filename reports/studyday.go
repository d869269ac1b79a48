package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"locatiedesk/data"
)

// The sign-up sheet is printed, hung up at the location and signed by
// parents, so its text is in Dutch and English both (L1), Dutch first.

// sheetColumn is one column of the sign-up table.
type sheetColumn struct {
	dutch, english string
	width          float64 // mm; the widths add up to the 180 mm between the margins
	align          string
}

var sheetColumns = []sheetColumn{
	{"Nr.", "No.", 9, "R"},
	{"Naam", "Name", 61, "L"},
	{"Groep", "Group", 30, "L"},
	{"Breng", "Drop-off", 20, "C"},
	{"Haal", "Pick-up", 20, "C"},
	{"Handtekening ouder", "Parent's signature", 40, "L"},
}

const (
	// sheetRowHeight fits 30 rows on every page after the first, at a size
	// a parent writes in comfortably.
	sheetRowHeight    = 8.4
	sheetHeaderHeight = 10.0
	sheetLineHeight   = 4.2 // of a name wrapped over several lines
	sheetFontSize     = 10.0
	// sheetMinBlankRows are left for children not on the list; the last page
	// is filled with blank rows after them.
	sheetMinBlankRows = 5
)

var (
	dutchWeekdays = []string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
	dutchMonths   = []string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
		"september", "oktober", "november", "december"}
)

func dutchDate(d data.Date) string {
	return fmt.Sprintf("%s %d %s %d", dutchWeekdays[d.Weekday()], d.Day, dutchMonths[d.Month-1], d.Year)
}

func englishDate(d data.Date) string {
	return fmt.Sprintf("%s %d %s %d", d.Weekday(), d.Day, d.Month, d.Year)
}

// SignUpSheetPDF writes the sign-up sheet of a study day (S1): an A4 page
// per 30 rows with location, school, date and opening hours, instructions,
// one row per child with columns for times and a parent's signature, and
// blank rows for children not on the list. printed is shown on the sheet and
// used as the PDF's date, so the same sheet printed at the same time gives
// the same bytes.
func SignUpSheetPDF(w io.Writer, sheet data.StudyDaySheet, printed time.Time) error {
	title := fmt.Sprintf("Intekenlijst studiedag %s %s", sheet.School.Name, sheet.StudyDay.Date)
	footer := fmt.Sprintf("Intekenlijst studiedag / Study day sign-up sheet · %s · %s · %s · pagina / page",
		sheet.Location.Name, sheet.School.Name, sheet.StudyDay.Date)
	pdf := newDocument("P", title, printed, footer)
	// Rows break pages themselves, so no row is ever split over two pages.
	_, bottom := pdf.GetAutoPageBreak()
	pdf.SetAutoPageBreak(false, bottom)
	_, pageHeight := pdf.GetPageSize()
	t := sheetTable{pdf: pdf, bottom: pageHeight - bottom}

	pdf.AddPage()
	writeSheetHeading(pdf, sheet, printed)
	t.header()
	for i, r := range sheet.Rows {
		t.row(strconv.Itoa(i+1), r.Child.Name(), r.Group.Name)
	}
	for n := len(sheet.Rows) + 1; n <= len(sheet.Rows)+sheetMinBlankRows || t.fits(sheetRowHeight); n++ {
		t.row(strconv.Itoa(n), "", "")
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func writeSheetHeading(pdf *gofpdf.Fpdf, sheet data.StudyDaySheet, printed time.Time) {
	grey := func() { pdf.SetTextColor(90, 90, 90) }
	black := func() { pdf.SetTextColor(0, 0, 0) }

	writeBilingualTitle(pdf, "Intekenlijst studiedag", "Study day sign-up sheet")
	facts := [][2]string{
		{"Locatie / Location", sheet.Location.Name},
		{"School", sheet.School.Name},
		{"Datum / Date", dutchDate(sheet.StudyDay.Date) + "  /  " + englishDate(sheet.StudyDay.Date)},
		{"Openingstijden / Opening hours", sheet.Hours.From.String() + " – " + sheet.Hours.Until.String()},
	}
	for _, f := range facts {
		pdf.SetFont(fontFamily, "B", 10.5)
		pdf.CellFormat(70, 6, f[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 10.5)
		pdf.CellFormat(0, 6, f[1], "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)

	minimum := sheet.Minimum
	pdf.SetFont(fontFamily, "", 9.5)
	pdf.MultiCell(0, 4.6, fmt.Sprintf("Heeft uw kind op deze studiedag opvang nodig? Schrijf achter de naam van uw kind "+
		"hoe laat u het brengt en haalt, en zet uw handtekening. Staat uw kind er niet bij, gebruik dan een lege regel "+
		"en schrijf ook de groep erbij. De opvang gaat door vanaf %d aanmeldingen; het is extra opvang, die wordt gefactureerd.",
		minimum), "", "L", false)
	pdf.Ln(1.5)
	grey()
	pdf.MultiCell(0, 4.6, fmt.Sprintf("Does your child need care on this study day? Write next to your child's name "+
		"when you will drop them off and pick them up, and sign. If your child is not listed, use an empty row and add "+
		"the group. Care goes ahead from %d sign-ups; it is extra care and will be invoiced.", minimum), "", "L", false)
	black()
	pdf.Ln(1.5)
	pdf.SetFont(fontFamily, "", 8)
	pdf.CellFormat(0, 4, "Afgedrukt / Printed: "+printed.Format("02-01-2006 15:04"), "", 1, "R", false, 0, "")
	pdf.Ln(1)
}

// sheetTable draws the sign-up table, starting a page (with the column
// header again) whenever the next row does not fit.
type sheetTable struct {
	pdf    *gofpdf.Fpdf
	bottom float64 // the lowest y a row may reach
}

func (t sheetTable) fits(height float64) bool { return t.pdf.GetY()+height <= t.bottom }

func (t sheetTable) header() {
	pdf := t.pdf
	pdf.SetFillColor(230, 230, 230)
	left, y := pdf.GetX(), pdf.GetY()
	x := left
	for _, c := range sheetColumns {
		pdf.Rect(x, y, c.width, sheetHeaderHeight, "FD")
		pdf.SetXY(x, y+0.8)
		pdf.SetFont(fontFamily, "B", 9)
		pdf.CellFormat(c.width, 4.4, c.dutch, "", 2, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(c.width, 4.2, c.english, "", 0, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		x += c.width
	}
	pdf.SetXY(left, y+sheetHeaderHeight)
}

// row draws one row; a name or group too long for its column wraps, and the
// row grows to hold it (measured before anything is drawn).
func (t sheetTable) row(number, name, group string) {
	pdf := t.pdf
	pdf.SetFont(fontFamily, "", sheetFontSize)
	cells := []string{number, name, group, "", "", ""}
	lines := make([][]string, len(cells))
	height := sheetRowHeight
	for i, text := range cells {
		lines[i] = pdf.SplitText(text, sheetColumns[i].width)
		height = max(height, float64(len(lines[i]))*sheetLineHeight+2)
	}
	if !t.fits(height) {
		pdf.AddPage()
		t.header()
		pdf.SetFont(fontFamily, "", sheetFontSize)
	}
	left, y := pdf.GetX(), pdf.GetY()
	x := left
	for i, c := range sheetColumns {
		pdf.Rect(x, y, c.width, height, "D")
		top := y + (height-float64(len(lines[i]))*sheetLineHeight)/2
		for j, line := range lines[i] {
			pdf.SetXY(x, top+float64(j)*sheetLineHeight)
			pdf.CellFormat(c.width, sheetLineHeight, strings.TrimSpace(line), "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	pdf.SetXY(left, y+height)
}

// StudyDayNoticePDF writes the parents' notice that care on a study day is
// cancelled (S2): a page per child whose sign-up or request was taken back,
// addressed to that child's parents so staff can hand each family its own,
// in Dutch and English (L1). Without children it is one page for the notice
// board. printed is shown and used as the PDF's date.
func StudyDayNoticePDF(w io.Writer, n data.StudyDayNotice, printed time.Time) error {
	title := fmt.Sprintf("Studiedag %s %s gaat niet door", n.School.Name, n.StudyDay.Date)
	footer := fmt.Sprintf("Studiedag gaat niet door / Study day cancelled · %s · %s · %s · pagina / page",
		n.Location.Name, n.School.Name, n.StudyDay.Date)
	pdf := newDocument("P", title, printed, footer)
	if len(n.Children) == 0 {
		writeNoticePage(pdf, n, "", printed)
	}
	for _, c := range n.Children {
		writeNoticePage(pdf, n, c.Name(), printed)
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

// writeNoticePage writes one page of the notice; child is empty on the page for the notice board.
func writeNoticePage(pdf *gofpdf.Fpdf, n data.StudyDayNotice, child string, printed time.Time) {
	grey := func() { pdf.SetTextColor(90, 90, 90) }
	black := func() { pdf.SetTextColor(0, 0, 0) }
	pdf.AddPage()
	writeBilingualTitle(pdf, "Studiedag: geen opvang", "Study day: no care")
	facts := [][2]string{
		{"Locatie / Location", n.Location.Name},
		{"School", n.School.Name},
		{"Datum / Date", dutchDate(n.StudyDay.Date) + "  /  " + englishDate(n.StudyDay.Date)},
	}
	if child != "" {
		facts = append(facts, [2]string{"Kind / Child", child})
	}
	for _, f := range facts {
		pdf.SetFont(fontFamily, "B", 10.5)
		pdf.CellFormat(50, 6, f[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 10.5)
		pdf.MultiCell(0, 6, f[1], "", "L", false)
	}
	pdf.Ln(4)

	dutchTo, englishTo := "Beste ouders,", "Dear parents,"
	dutchYou, englishYou := "Op de intekenlijst voor", "On the sign-up sheet for"
	if child != "" {
		dutchTo, englishTo = "Beste ouders van "+child+",", "Dear parents of "+child+","
		dutchYou, englishYou = "U heeft uw kind aangemeld voor", "You signed your child up for"
	}
	pdf.SetFont(fontFamily, "", 11)
	pdf.MultiCell(0, 5.5, dutchTo, "", "L", false)
	pdf.Ln(1.5)
	pdf.MultiCell(0, 5.5, fmt.Sprintf("%s opvang op de studiedag van %s op %s. Er zijn minder dan %d kinderen aangemeld, "+
		"daarom gaat de opvang op deze dag niet door. De aanmelding is geannuleerd en er wordt niets in rekening gebracht. "+
		"Heeft u op deze dag toch opvang nodig, neem dan contact op met %s.",
		dutchYou, n.School.Name, dutchDate(n.StudyDay.Date), n.Minimum, n.Location.Name), "", "L", false)
	pdf.Ln(5)
	grey()
	pdf.MultiCell(0, 5.5, englishTo, "", "L", false)
	pdf.Ln(1.5)
	pdf.MultiCell(0, 5.5, fmt.Sprintf("%s care on the study day of %s on %s. Fewer than %d children signed up, "+
		"so there is no care on this day. The sign-up is cancelled and nothing will be charged. "+
		"If you do need care on this day, please contact %s.",
		englishYou, n.School.Name, englishDate(n.StudyDay.Date), n.Minimum, n.Location.Name), "", "L", false)
	black()
	pdf.Ln(6)
	pdf.SetFont(fontFamily, "", 8)
	pdf.CellFormat(0, 4, fmt.Sprintf("Besloten / Decided: %s · Afgedrukt / Printed: %s",
		n.Decision.At.Format("02-01-2006"), printed.Format("02-01-2006 15:04")), "", 1, "R", false, 0, "")
}

// writeBilingualTitle writes a sheet's title in Dutch, with the English
// below it in grey: parents read the first, the second is for everyone else.
func writeBilingualTitle(pdf *gofpdf.Fpdf, dutch, english string) {
	pdf.SetFont(fontFamily, "B", 16)
	pdf.CellFormat(0, 8, dutch, "", 1, "L", false, 0, "")
	pdf.SetTextColor(90, 90, 90)
	pdf.SetFont(fontFamily, "", 12)
	pdf.CellFormat(0, 6, english, "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)
}
