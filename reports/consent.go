package reports

import (
	"fmt"
	"io"
	"time"

	"github.com/jung-kurt/gofpdf"

	"locatiedesk/data"
)

// ConsentSheet is the photo-consent overview printed for a group room (C2).
// It carries names, group and level only: the sheet hangs on a wall.
type ConsentSheet struct {
	Location string
	Group    string // empty for a whole location
	Date     data.Date
	Rows     []data.ConsentRow
	// Created is written into the PDF as its date; the same sheet gives the same bytes.
	Created time.Time
}

// consentSection is one part of the sheet: who may not be photographed comes
// first, because that is what staff look for.
type consentSection struct {
	title  string
	marker func(pdf *gofpdf.Fpdf, x, y, size float64)
	holds  func(data.ConsentStatus) bool
}

var consentSections = []consentSection{
	{"Mag niet op de foto · No photos", drawNoPhotos, func(s data.ConsentStatus) bool { return !s.MayPhotograph() }},
	{"Alleen ouderportaal, niet publiek · Parent portal only, not public", drawNotPublic,
		func(s data.ConsentStatus) bool { return s.MayPhotograph() && !s.MayPublish() }},
	{"Ouderportaal en publiek · Parent portal and public", nil, data.ConsentStatus.MayPublish},
}

// consentLevelText names a status in both languages (L1).
func consentLevelText(s data.ConsentStatus) string {
	switch {
	case s.Ended():
		return "Beëindigd · Ended"
	case s.Level == data.ConsentNone:
		return "Geen toestemming · No consent"
	case s.Level == data.ConsentPortal:
		return "Alleen ouderportaal · Parent portal only"
	case s.Level == data.ConsentPublic:
		return "Ouderportaal en publiek · Portal and public"
	default:
		return "Nog niet beantwoord · Not answered"
	}
}

// numericDate writes dd-mm-yyyy, as Dutch forms do.
func numericDate(d data.Date) string { return fmt.Sprintf("%02d-%02d-%04d", d.Day, d.Month, d.Year) }

// ConsentPDF writes the sheet as an A4 PDF: a legend, then one section per
// marker with name, group and level, rows in the order given.
func ConsentPDF(w io.Writer, s ConsentSheet) error {
	place := s.Location
	if s.Group != "" {
		place += " — " + s.Group
	}
	pdf := newDocument("P", "Foto-toestemming "+place, s.Created, "Locatiedesk · "+place+" · "+numericDate(s.Date))
	pdf.AddPage()
	pageW, pageH := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	_, bottom := pdf.GetAutoPageBreak()
	width := pageW - left - right
	columns := []float64{width * 0.36, width * 0.18, width * 0.46}
	const rowH, markerSize = 7.0, 4.6

	pdf.SetFont(fontFamily, "B", 16)
	pdf.CellFormat(0, 9, "Foto-toestemming · Photo consent", "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "B", 12)
	pdf.CellFormat(0, 7, place, "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 10)
	pdf.CellFormat(0, 6, "Stand van · As of "+numericDate(s.Date), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	for _, sec := range consentSections[:2] {
		y := pdf.GetY()
		sec.marker(pdf, left, y+0.7, markerSize)
		pdf.SetX(left + markerSize + 2)
		pdf.CellFormat(0, 6, sec.title, "", 1, "L", false, 0, "")
	}
	pdf.Ln(3)

	header := func() {
		pdf.SetFont(fontFamily, "B", 10)
		pdf.SetFillColor(235, 235, 235)
		for i, title := range []string{"Naam · Name", "Groep · Group", "Toestemming · Consent"} {
			pdf.CellFormat(columns[i], rowH, title, "B", 0, "L", true, 0, "")
		}
		pdf.Ln(-1)
		pdf.SetFont(fontFamily, "", 10)
	}
	// room makes sure h millimetres fit on the page, so a marker never lands
	// on one page and its row on the next.
	room := func(h float64, withHeader bool) {
		if pdf.GetY()+h > pageH-bottom {
			pdf.AddPage()
			if withHeader {
				header()
			}
		}
	}
	for _, sec := range consentSections {
		var rows []data.ConsentRow
		for _, r := range s.Rows {
			if sec.holds(r.ConsentStatus) {
				rows = append(rows, r)
			}
		}
		room(10+2*rowH, false)
		pdf.SetFont(fontFamily, "B", 12)
		x := left
		if sec.marker != nil {
			sec.marker(pdf, left, pdf.GetY()+1.7, markerSize+0.6)
			x += markerSize + 2.6
		}
		pdf.SetX(x)
		pdf.CellFormat(0, 8, fmt.Sprintf("%s (%d)", sec.title, len(rows)), "", 1, "L", false, 0, "")
		header()
		if len(rows) == 0 {
			pdf.SetTextColor(110, 110, 110)
			pdf.CellFormat(0, rowH, "Niemand · Nobody", "", 1, "L", false, 0, "")
			pdf.SetTextColor(0, 0, 0)
		}
		for _, r := range rows {
			room(rowH, true)
			y := pdf.GetY()
			name := r.Child.Name()
			if sec.marker != nil {
				// The rule under the row runs full width; marker and name sit above it.
				pdf.CellFormat(columns[0], rowH, "", "B", 0, "L", false, 0, "")
				sec.marker(pdf, left+1, y+(rowH-markerSize+1)/2, markerSize-1)
				pdf.SetX(left + markerSize + 1.5)
				pdf.CellFormat(columns[0]-markerSize-1.5, rowH, name, "", 0, "L", false, 0, "")
			} else {
				pdf.CellFormat(columns[0], rowH, name, "B", 0, "L", false, 0, "")
			}
			pdf.CellFormat(columns[1], rowH, r.Group.Name, "B", 0, "L", false, 0, "")
			pdf.CellFormat(columns[2], rowH, consentLevelText(r.ConsentStatus), "B", 1, "L", false, 0, "")
		}
		pdf.Ln(4)
	}
	return pdf.Output(w)
}

// drawNoPhotos draws the no-photos marker as in the app: a red prohibition
// sign (ring and slash) over a camera, recognisable by shape without colour.
func drawNoPhotos(pdf *gofpdf.Fpdf, x, y, size float64) {
	r := size / 2
	cx, cy := x+r, y+r
	pdf.SetFillColor(255, 255, 255)
	pdf.Circle(cx, cy, r, "F")
	drawCamera(pdf, cx, cy, size*0.5)
	pdf.SetDrawColor(211, 47, 47)
	pdf.SetLineWidth(size * 0.12)
	pdf.Circle(cx, cy, r*0.85, "D")
	d := r * 0.85 * 0.7071
	pdf.Line(cx-d, cy-d, cx+d, cy+d)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
}

// drawNotPublic draws the portal-only marker as in the app: an amber warning
// triangle with an exclamation mark.
func drawNotPublic(pdf *gofpdf.Fpdf, x, y, size float64) {
	pdf.SetFillColor(249, 168, 37)
	pdf.SetDrawColor(33, 33, 33)
	pdf.SetLineWidth(size * 0.06)
	pdf.SetLineJoinStyle("round")
	pdf.Polygon([]gofpdf.PointType{{X: x + size/2, Y: y}, {X: x + size, Y: y + size*0.9}, {X: x, Y: y + size*0.9}}, "FD")
	pdf.SetFillColor(33, 33, 33)
	pdf.Rect(x+size*0.45, y+size*0.3, size*0.1, size*0.32, "F")
	pdf.Circle(x+size/2, y+size*0.74, size*0.06, "F")
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
}

// drawCamera draws a small camera of width w centred on cx, cy.
func drawCamera(pdf *gofpdf.Fpdf, cx, cy, w float64) {
	h := w * 0.65
	pdf.SetFillColor(33, 33, 33)
	pdf.Rect(cx-w/2, cy-h/2+w*0.08, w, h, "F")
	pdf.Rect(cx-w*0.18, cy-h/2-w*0.06, w*0.36, w*0.16, "F")
	pdf.SetFillColor(255, 255, 255)
	pdf.Circle(cx, cy+w*0.08, h*0.3, "F")
}
