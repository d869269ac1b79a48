package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"locatiedesk/data"
)

// The list of who is here goes outside with staff when the fire alarm goes
// or a group leaves for the park, and may be handed to emergency services,
// so its headings are in Dutch and English both, Dutch first. It shows
// names, check-in times, the consent marker and whom to call: no birth
// dates, no notes, nothing about health.

var presentColumns = []sheetColumn{
	{"Kind", "Child", 54, "L"},
	{"Binnen", "In since", 17, "C"},
	{"Foto", "Photo", 13, "C"},
	{"Bellen", "Contacts to call", 82, "L"},
	{"Geteld", "Counted", 14, "C"},
}

const (
	presentRowHeight  = 7.0
	presentLineHeight = 4.4
	presentFontSize   = 9.5
	presentMarkerSize = 4.6
)

// PresentPDF writes the list as A4 pages: counts at the top, then per group
// a table of the children here and a list of those not yet arrived. The
// moment of the list is in the header and is the PDF's date, so the same
// list gives the same bytes.
func PresentPDF(w io.Writer, p data.PresentList) error {
	made := p.AsOf.Format("02-01-2006 15:04:05")
	pdf := newDocument("P", "Wie is er nu? "+p.Location.Name+" "+made, p.AsOf,
		fmt.Sprintf("Wie is er nu? / Who is here now? · %s · %s · pagina / page", p.Location.Name, made))
	// Rows break pages themselves, so no child is split over two pages.
	_, bottom := pdf.GetAutoPageBreak()
	pdf.SetAutoPageBreak(false, bottom)
	_, pageHeight := pdf.GetPageSize()
	t := presentTable{pdf: pdf, bottom: pageHeight - bottom}

	pdf.AddPage()
	writePresentHeading(pdf, p)
	for _, g := range p.Groups {
		t.group(g)
	}
	if err := pdf.Error(); err != nil {
		return err
	}
	return pdf.Output(w)
}

func writePresentHeading(pdf *gofpdf.Fpdf, p data.PresentList) {
	pdf.SetFont(fontFamily, "B", 18)
	pdf.CellFormat(0, 9, "Wie is er nu?", "", 1, "L", false, 0, "")
	pdf.SetTextColor(90, 90, 90)
	pdf.SetFont(fontFamily, "", 12)
	pdf.CellFormat(0, 6, "Who is here now?", "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(2)
	if p.Stale {
		pdf.SetFillColor(211, 47, 47)
		pdf.SetTextColor(255, 255, 255)
		pdf.SetFont(fontFamily, "B", 10)
		stale := "Laatst bekende stand, mogelijk niet actueel · Last known state, may not be current"
		if !p.StateOf.IsZero() {
			at := p.StateOf.Format("15:04")
			stale = "Offline — stand van " + at + ", mogelijk niet actueel · Offline — state of " + at + ", may not be current"
		}
		pdf.MultiCell(0, 6, stale, "", "L", true)
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(2)
	}
	day := data.DateOf(p.AsOf)
	facts := [][2]string{
		{"Locatie / Location", p.Location.Name},
		{"Stand van / As of", p.AsOf.Format("15:04:05") + "  " + dutchDate(day) + "  /  " + englishDate(day)},
	}
	for _, f := range facts {
		pdf.SetFont(fontFamily, "B", 10.5)
		pdf.CellFormat(45, 6, f[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 10.5)
		pdf.CellFormat(0, 6, f[1], "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)

	pdf.SetFont(fontFamily, "B", 14)
	pdf.CellFormat(0, 8, fmt.Sprintf("Aanwezig / Here: %d", p.Total()), "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 10.5)
	pdf.CellFormat(0, 6, fmt.Sprintf("Nog niet binnen / Not here yet: %d", p.TotalNotHere()), "", 1, "L", false, 0, "")
	for _, g := range p.Groups {
		pdf.CellFormat(45, 5.5, "   "+g.Group.Name, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5.5, groupCounts(g), "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)

	pdf.SetFont(fontFamily, "", 8.5)
	x, y := pdf.GetX(), pdf.GetY()
	drawNoPhotos(pdf, x, y+0.5, 4)
	pdf.SetX(x + 5.5)
	pdf.CellFormat(60, 5, "Geen foto's · No photos", "", 0, "L", false, 0, "")
	drawNotPublic(pdf, x+66, y+0.5, 4)
	pdf.SetX(x + 71.5)
	pdf.CellFormat(0, 5, "Alleen ouderportaal · Parent portal only", "", 1, "L", false, 0, "")
	pdf.Ln(3)
}

func groupCounts(g data.PresentGroup) string {
	if g.Closed {
		return "gesloten / closed"
	}
	return fmt.Sprintf("%d aanwezig / here · %d nog niet binnen / not here yet", len(g.Here), len(g.NotHere))
}

// presentTable draws the groups, starting a page (with the group's name and
// the column header again) whenever the next row does not fit.
type presentTable struct {
	pdf    *gofpdf.Fpdf
	bottom float64 // the lowest y a row may reach
}

func (t presentTable) fits(height float64) bool { return t.pdf.GetY()+height <= t.bottom }

// group draws one group: its heading, its table of children here, and who
// is not here yet. The heading keeps at least one row with it.
func (t presentTable) group(g data.PresentGroup) {
	pdf := t.pdf
	if !t.fits(10 + sheetHeaderHeight + presentRowHeight) {
		pdf.AddPage()
	}
	t.groupHeading(g, "")
	if g.Closed {
		return
	}
	if len(g.Here) == 0 {
		pdf.SetFont(fontFamily, "", presentFontSize)
		pdf.CellFormat(0, presentRowHeight, "Niemand aanwezig · Nobody here", "", 1, "L", false, 0, "")
	} else {
		t.header()
	}
	for _, c := range g.Here {
		t.row(g, c)
	}
	if len(g.NotHere) > 0 {
		t.notHere(g)
	}
	pdf.Ln(4)
}

func (t presentTable) groupHeading(g data.PresentGroup, suffix string) {
	pdf := t.pdf
	pdf.SetFont(fontFamily, "B", 12)
	pdf.SetFillColor(215, 228, 242)
	here := fmt.Sprintf("%d aanwezig / here", len(g.Here))
	if g.Closed {
		here = "gesloten / closed"
	}
	pdf.CellFormat(0, 8, " "+g.Group.Name+" — "+here+suffix, "", 1, "L", true, 0, "")
	if g.Closed && g.ClosedReason != "" {
		pdf.SetFont(fontFamily, "", presentFontSize)
		pdf.CellFormat(0, 6, g.ClosedReason, "", 1, "L", false, 0, "")
	}
	pdf.Ln(1)
}

func (t presentTable) header() {
	pdf := t.pdf
	pdf.SetFillColor(230, 230, 230)
	left, y := pdf.GetX(), pdf.GetY()
	x := left
	for _, c := range presentColumns {
		pdf.Rect(x, y, c.width, sheetHeaderHeight, "FD")
		pdf.SetXY(x+1, y+0.8)
		pdf.SetFont(fontFamily, "B", 9)
		pdf.CellFormat(c.width-2, 4.4, c.dutch, "", 2, c.align, false, 0, "")
		pdf.SetFont(fontFamily, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(c.width-2, 4.2, c.english, "", 0, c.align, false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		x += c.width
	}
	pdf.SetXY(left, y+sheetHeaderHeight)
}

// contactLines writes each contact as "name (relation)  phone".
func contactLines(contacts []data.CallContact) string {
	lines := make([]string, len(contacts))
	for i, k := range contacts {
		who := k.Name
		if k.Relation != "" {
			who += " (" + k.Relation + ")"
		}
		lines[i] = who + "   " + k.Phone
	}
	return strings.Join(lines, "\n")
}

// row draws one child; a long name or several contacts make the row grow
// (measured before anything is drawn).
func (t presentTable) row(g data.PresentGroup, c data.PresentChild) {
	pdf := t.pdf
	pdf.SetFont(fontFamily, "", presentFontSize)
	cells := []string{c.Name(), c.CheckIn.String(), "", contactLines(c.Contacts), ""}
	lines := make([][]string, len(cells))
	height := presentRowHeight
	for i, text := range cells {
		for _, part := range strings.Split(text, "\n") {
			lines[i] = append(lines[i], pdf.SplitText(part, presentColumns[i].width-2)...)
		}
		height = max(height, float64(len(lines[i]))*presentLineHeight+2.6)
	}
	if !t.fits(height) {
		pdf.AddPage()
		t.groupHeading(g, " (vervolg / continued)")
		t.header()
		pdf.SetFont(fontFamily, "", presentFontSize)
	}
	left, y := pdf.GetX(), pdf.GetY()
	x := left
	for i, col := range presentColumns {
		pdf.Rect(x, y, col.width, height, "D")
		top := y + (height-float64(len(lines[i]))*presentLineHeight)/2
		for j, line := range lines[i] {
			pdf.SetXY(x+1, top+float64(j)*presentLineHeight)
			pdf.CellFormat(col.width-2, presentLineHeight, strings.TrimSpace(line), "", 0, col.align, false, 0, "")
		}
		x += col.width
	}
	if marker := consentMarkerOf(c.Consent); marker != nil {
		photo := left + presentColumns[0].width + presentColumns[1].width
		marker(pdf, photo+(presentColumns[2].width-presentMarkerSize)/2, y+(height-presentMarkerSize)/2, presentMarkerSize)
	}
	counted := left + 180 - presentColumns[4].width/2
	pdf.Rect(counted-2, y+height/2-2, 4, 4, "D")
	pdf.SetXY(left, y+height)
}

// notHere lists the children expected who have not arrived, with the time
// they are due, two to a line.
func (t presentTable) notHere(g data.PresentGroup) {
	pdf := t.pdf
	const lineHeight, half = 5.5, 90.0
	if !t.fits(7 + lineHeight) {
		pdf.AddPage()
		t.groupHeading(g, " (vervolg / continued)")
	}
	pdf.Ln(1.5)
	pdf.SetFont(fontFamily, "B", 10)
	pdf.CellFormat(0, 6, "Nog niet binnen · Not here yet", "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", presentFontSize)
	left := pdf.GetX()
	for i, c := range g.NotHere {
		if i%2 == 0 && !t.fits(lineHeight) {
			pdf.AddPage()
			t.groupHeading(g, " (vervolg / continued)")
			pdf.SetFont(fontFamily, "", presentFontSize)
		}
		text := c.Name()
		if c.Expected.Until > c.Expected.From {
			text += "  (" + c.Expected.String() + ")"
		}
		pdf.SetX(left + float64(i%2)*half)
		ln := 0
		if i%2 == 1 || i == len(g.NotHere)-1 {
			ln = 1
		}
		pdf.CellFormat(half, lineHeight, text, "", ln, "L", false, 0, "")
	}
}

// consentMarkerOf is the marker drawn for a level, nil when photos may be published.
func consentMarkerOf(level data.ConsentLevel) func(pdf *gofpdf.Fpdf, x, y, size float64) {
	switch {
	case !level.MayPhotograph():
		return drawNoPhotos
	case !level.MayPublish():
		return drawNotPublic
	}
	return nil
}
