package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // pictures are PNG or JPEG
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"

	"locatiedesk/data"
)

// A child's record goes to parents who ask for it (AVG/GDPR), so the PDF's
// headings are in Dutch and English both, Dutch first (L1).

// ChildRecordJSON writes the record as indented JSON: machine-readable, for
// a parent who takes the data elsewhere (data portability).
func ChildRecordJSON(w io.Writer, rec data.ChildRecord) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rec)
}

// ChildRecordPDF writes the record as a readable A4 document: the child,
// then one table per kind of record, each with its number of rows, "none"
// for an empty one. The export time is the PDF's date, so the same record
// gives the same bytes.
func ChildRecordPDF(w io.Writer, rec data.ChildRecord) error {
	name := rec.Child.Name()
	exported := rec.ExportedAt.Format("02-01-2006 15:04")
	pdf := newDocument("P", "Gegevens van "+name, rec.ExportedAt,
		"Gegevens van / Data of "+name+" · "+exported+" · pagina / page")
	_, bottom := pdf.GetAutoPageBreak()
	pdf.SetAutoPageBreak(false, bottom)
	_, pageH := pdf.GetPageSize()
	d := recordDoc{pdf: pdf, bottom: pageH - bottom, groups: map[data.ID]string{}}
	for _, g := range rec.Groups {
		d.groups[g.ID] = g.Name
	}

	pdf.AddPage()
	d.heading(rec, exported)
	d.contacts(rec.Child.Contacts)
	d.contracts(rec.Contracts)
	d.attendance(rec.Attendance)
	d.credit(rec.Credit)
	d.requests(rec.Requests)
	d.consent(rec.Consent)
	d.signUps(rec.SignUps)
	return pdf.Output(w)
}

// recordDoc draws the record's tables; rows never split over two pages.
type recordDoc struct {
	pdf    *gofpdf.Fpdf
	bottom float64 // lowest y a row may reach
	groups map[data.ID]string
}

// recordColumn is a table column: its bilingual title and width in mm (the
// widths of a table add up to the 180 mm between the margins).
type recordColumn struct {
	title string
	width float64
}

const (
	recordFontSize   = 8.5
	recordLineHeight = 3.9
)

func (d recordDoc) group(id data.ID) string {
	if name, ok := d.groups[id]; ok {
		return name
	}
	return fmt.Sprintf("#%d", id)
}

func (d recordDoc) heading(rec data.ChildRecord, exported string) {
	pdf := d.pdf
	const pictureSize = 32.0
	left, top, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	textW := pageW - left - right
	if pic, ok := pictureJPEG(rec.Child.Picture); ok {
		pdf.RegisterImageOptionsReader("picture", gofpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(pic))
		pdf.ImageOptions("picture", pageW-right-pictureSize, top, pictureSize, pictureSize, false, gofpdf.ImageOptions{}, 0, "")
		textW -= pictureSize + 4
	}
	pdf.SetFont(fontFamily, "B", 16)
	pdf.CellFormat(textW, 9, "Gegevens van een kind · A child's data", "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "B", 13)
	pdf.CellFormat(textW, 8, rec.Child.Name(), "", 1, "L", false, 0, "")
	pdf.SetFont(fontFamily, "", 9)
	pdf.MultiCell(textW, 4.4, "Dit overzicht bevat alles wat Locatiedesk over dit kind bewaart (AVG artikel 15).", "", "L", false)
	pdf.SetTextColor(90, 90, 90)
	pdf.MultiCell(textW, 4.4, "This overview holds everything Locatiedesk keeps about this child (GDPR article 15).", "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(2)

	facts := [][2]string{
		{"Naam · Name", rec.Child.Name()},
		{"Geboortedatum · Date of birth", optionalDate(rec.Child.BirthDate)},
		{"Locatie · Location", rec.Location.Name},
		{"School", "—"},
		{"Kindnummer · Child number", fmt.Sprint(rec.Child.ID)},
		{"Uitgevoerd op · Exported on", exported},
	}
	if rec.School != nil {
		facts[3][1] = rec.School.Name
	}
	if rec.Child.Number != "" { // beside Locatiedesk's own number
		facts = slices.Insert(facts, 5, [2]string{"Planningsnummer · Planning no.", rec.Child.Number})
	}
	if !rec.Child.RemovedOn.IsZero() {
		facts = append(facts, [2]string{"Gegevens verwijderd · Data removed", numericDate(rec.Child.RemovedOn)})
	}
	for _, f := range facts {
		pdf.SetFont(fontFamily, "B", 9.5)
		pdf.CellFormat(66, 5.5, f[0], "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 9.5)
		pdf.CellFormat(textW-66, 5.5, f[1], "", 1, "L", false, 0, "")
	}
	pdf.SetY(max(pdf.GetY(), top+pictureSize) + 4)
}

// table draws a titled table: the title with the number of rows, the column
// titles (again on every page the table continues on) and the rows, each as
// high as its longest wrapped cell. A title never stays behind at the foot of
// a page: it moves on with the column titles and the first row. An empty
// table is its title and "none" on one line, without column titles.
func (d recordDoc) table(title string, columns []recordColumn, rows [][]string) {
	pdf := d.pdf
	const titleHeight = 8.0
	if len(rows) == 0 {
		if pdf.GetY()+titleHeight > d.bottom {
			pdf.AddPage()
		}
		pdf.SetFont(fontFamily, "B", 12)
		pdf.CellFormat(pdf.GetStringWidth(title)+2, titleHeight, title, "", 0, "L", false, 0, "")
		pdf.SetFont(fontFamily, "", 10)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, titleHeight, "geen · none", "", 1, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(3)
		return
	}
	pdf.SetFont(fontFamily, "", recordFontSize)
	if pdf.GetY()+titleHeight+d.headerHeight()+d.rowHeight(columns, rows[0]) > d.bottom {
		pdf.AddPage()
	}
	pdf.SetFont(fontFamily, "B", 12)
	pdf.CellFormat(0, titleHeight, fmt.Sprintf("%s (%d)", title, len(rows)), "", 1, "L", false, 0, "")
	header := func() { d.header(columns) }
	header()
	for _, r := range rows {
		if pdf.GetY()+d.rowHeight(columns, r) > d.bottom {
			pdf.AddPage()
			header()
		}
		d.row(columns, r)
	}
	pdf.Ln(5)
}

// header draws the column titles on a grey band: Dutch in bold, English below it in grey.
func (d recordDoc) header(columns []recordColumn) {
	pdf := d.pdf
	height := d.headerHeight()
	left, y := pdf.GetX(), pdf.GetY()
	pdf.SetFillColor(235, 235, 235)
	x := left
	for _, c := range columns {
		pdf.Rect(x, y, c.width, height, "F")
		dutch, english, _ := strings.Cut(c.title, " · ")
		pdf.SetXY(x, y+0.8)
		pdf.SetFont(fontFamily, "B", recordFontSize)
		pdf.CellFormat(c.width, recordLineHeight, dutch, "", 0, "L", false, 0, "")
		pdf.SetXY(x, y+0.8+recordLineHeight)
		pdf.SetFont(fontFamily, "", recordFontSize)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(c.width, recordLineHeight, english, "", 0, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		x += c.width
	}
	pdf.SetXY(left, y+height)
}

func (recordDoc) headerHeight() float64 { return 2*recordLineHeight + 1.6 }

func (d recordDoc) rowHeight(columns []recordColumn, cells []string) float64 {
	lines := 1
	for i, c := range columns {
		lines = max(lines, len(d.pdf.SplitText(cells[i], c.width)))
	}
	return float64(lines)*recordLineHeight + 1.6
}

func (d recordDoc) row(columns []recordColumn, cells []string) {
	pdf := d.pdf
	height := d.rowHeight(columns, cells)
	left, y := pdf.GetX(), pdf.GetY()
	x := left
	for i, c := range columns {
		for j, line := range pdf.SplitText(cells[i], c.width) {
			pdf.SetXY(x, y+0.8+float64(j)*recordLineHeight)
			pdf.CellFormat(c.width, recordLineHeight, strings.TrimSpace(line), "", 0, "L", false, 0, "")
		}
		x += c.width
	}
	pdf.SetDrawColor(190, 190, 190)
	pdf.Line(left, y+height, x, y+height)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetXY(left, y+height)
}

func (d recordDoc) contracts(contracts []data.Contract) {
	var rows [][]string
	for _, c := range contracts {
		var days []string
		for _, day := range slices.SortedFunc(slices.Values(c.Days), mondayFirst) {
			days = append(days, weekdayText(day.Weekday)+" "+day.Times.String())
		}
		credit := ""
		switch {
		case c.CreditDays > 0:
			credit = fmt.Sprintf("%d dagen · days", c.CreditDays)
		case c.CreditHours > 0:
			credit = fmt.Sprintf("%g uur · hours", c.CreditHours)
		}
		rows = append(rows, []string{productText(c.Product), d.group(c.GroupID), numericDate(c.Start), optionalDate(c.End), strings.Join(days, "\n"), credit})
	}
	d.table("Contracten · Contracts", []recordColumn{
		{"Product", 42}, {"Groep · Group", 26}, {"Van · From", 21}, {"Tot en met · Until", 22}, {"Dagen · Days", 43}, {"Tegoed · Credit", 26},
	}, rows)
}

func (d recordDoc) attendance(records []data.AttendanceRecord) {
	var rows [][]string
	for _, r := range records {
		a := r.Attendance
		absent := ""
		if a.Absent {
			absent = "afwezig · absent"
			if a.AbsenceReason != "" {
				absent = absenceText(a.AbsenceReason)
			}
			if a.AbsenceText != "" {
				absent += ": " + a.AbsenceText
			}
		}
		rows = append(rows, []string{numericDate(r.Date), d.group(r.GroupID), clockText(a.CheckIn), clockText(a.CheckOut), absent, a.Note, a.UpdatedBy})
	}
	d.table("Aanwezigheid en afwezigheid · Attendance and absence", []recordColumn{
		{"Datum · Date", 21}, {"Groep · Group", 24}, {"Binnen · In", 14}, {"Buiten · Out", 14}, {"Afwezig · Absent", 28}, {"Notitie · Note", 55}, {"Door · By", 24},
	}, rows)
}

func (d recordDoc) credit(entries []data.CreditEntry) {
	var rows [][]string
	for _, e := range entries {
		state := ""
		if e.Withdrawn {
			state = "ja · yes"
		}
		rows = append(rows, []string{potText(e), numericDate(e.EarnedOn), numericDate(e.ExpiresOn), data.MinutesText(e.Minutes),
			data.MinutesText(e.Reserved), data.MinutesText(e.Spent), state})
	}
	d.table("Tegoed · Credit", []recordColumn{
		{"Soort · Kind", 42}, {"Opgebouwd · Earned", 21}, {"Geldig t/m · Valid until", 21}, {"Tegoed · Credit", 17},
		{"Gereserveerd · Reserved", 25}, {"Besteed · Spent", 18}, {"Ingetrokken · Withdrawn", 36},
	}, rows)
}

func (d recordDoc) requests(requests []data.Request) {
	var rows [][]string
	for _, r := range requests {
		pay := paymentText(r.Payment)
		decision := statusText(r.Status)
		if r.DecidedBy != "" {
			decision += "\n" + r.DecidedBy + ", " + r.DecidedAt.Format("02-01-2006 15:04")
		}
		if r.Reason != "" {
			decision += "\n" + r.Reason
		}
		rows = append(rows, []string{numericDate(r.Date) + "\n" + r.Times.String(), d.group(r.GroupID), productText(r.Product),
			r.By + ", " + r.SubmittedAt.Format("02-01-2006 15:04"), pay, decision})
	}
	d.table("Aanvragen extra opvang · Extra-care requests", []recordColumn{
		{"Dag · Day", 22}, {"Groep · Group", 22}, {"Product", 30}, {"Aangevraagd · Requested", 30}, {"Betaling · Payment", 36}, {"Besluit · Decision", 40},
	}, rows)
}

func (d recordDoc) consent(history []data.ConsentChange) {
	var rows [][]string
	for _, c := range history {
		rows = append(rows, []string{numericDate(c.Given), consentLevelText(data.ConsentStatus{Level: c.Level}), sourceText(c.Source),
			c.RecordedBy + ", " + c.RecordedAt.Format("02-01-2006 15:04"), c.Note})
	}
	d.table("Toestemming foto's · Photo consent", []recordColumn{
		{"Gegeven op · Given on", 24}, {"Toestemming · Consent", 40}, {"Bron · Source", 30}, {"Vastgelegd · Recorded", 38}, {"Notitie · Note", 48},
	}, rows)
}

// contacts are the parents and others staff may call (M3).
func (d recordDoc) contacts(contacts []data.Contact) {
	var rows [][]string
	for _, c := range contacts {
		collect := "nee · no"
		if c.MayCollect {
			collect = "ja · yes"
		}
		rows = append(rows, []string{c.Name, c.Relation, c.Phone, c.Email, collect})
	}
	d.table("Contactpersonen · Contacts", []recordColumn{
		{"Naam · Name", 46}, {"Relatie · Relation", 28}, {"Telefoon · Phone", 34}, {"E-mail", 46}, {"Mag ophalen · May collect", 26},
	}, rows)
}

func (d recordDoc) signUps(signUps []data.SignUp) {
	var rows [][]string
	for _, s := range signUps {
		state := "ingeschreven · signed up"
		if s.Cancelled {
			state = "geannuleerd · cancelled"
		}
		rows = append(rows, []string{numericDate(s.Date), d.group(s.GroupID), s.Times.String(),
			s.RegisteredBy + ", " + s.RegisteredAt.Format("02-01-2006 15:04"), state})
	}
	d.table("Studiedagen · Study days", []recordColumn{
		{"Dag · Day", 24}, {"Groep · Group", 30}, {"Tijden · Times", 30}, {"Ingeschreven · Registered", 50}, {"Status", 46},
	}, rows)
}

// pictureJPEG re-encodes the child's picture as a plain JPEG, which gofpdf
// reads whatever the original's PNG variant; ok is false without a usable picture.
func pictureJPEG(picture []byte) ([]byte, bool) {
	if len(picture) == 0 {
		return nil, false
	}
	img, _, err := image.Decode(bytes.NewReader(picture))
	if err != nil {
		return nil, false
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

func optionalDate(d data.Date) string {
	if d.IsZero() {
		return "—"
	}
	return numericDate(d)
}

func clockText(c *data.Clock) string {
	if c == nil {
		return ""
	}
	return c.String()
}

// mondayFirst orders contract days as a Dutch week runs.
func mondayFirst(a, b data.ContractDay) int { return (int(a.Weekday)+6)%7 - (int(b.Weekday)+6)%7 }

var weekdayShort = []string{"zo/Sun", "ma/Mon", "di/Tue", "wo/Wed", "do/Thu", "vr/Fri", "za/Sat"}

func weekdayText(wd time.Weekday) string { return weekdayShort[wd] }

// bilingual returns the text for key, or key itself for a value this build does not know.
func bilingual[K ~string](texts map[K]string, key K) string {
	if t, ok := texts[key]; ok {
		return t
	}
	return string(key)
}

var productTexts = map[data.Product]string{
	data.ProductKDV:             "KDV · Daycare",
	data.ProductBSOSchoolWeeks:  "BSO schoolweken · Out-of-school care, school weeks",
	data.ProductBSO52Weeks:      "BSO 52 weken · Out-of-school care, 52 weeks",
	data.ProductBSOHoliday:      "BSO vakantiecontract · Holiday contract",
	data.ProductQflexibel:       "Qflexibel · Flexible hours",
	data.ProductBSOSchoolDay:    "BSO schooldag · Out-of-school care, school day",
	data.ProductExtraHolidayDay: "Extra vakantiedag BSO · Extra holiday day",
}

func productText(p data.Product) string { return bilingual(productTexts, p) }

var absenceTexts = map[data.AbsenceReason]string{
	data.AbsenceSick:   "ziek · sick",
	data.AbsenceDayOff: "vrij · day off",
	data.AbsenceOther:  "anders · other",
}

func absenceText(r data.AbsenceReason) string { return bilingual(absenceTexts, r) }

var originTexts = map[data.CreditOrigin]string{
	data.OriginKDVDay:        "Afwezigheid KDV · Daycare absence",
	data.OriginBSOSchoolDay:  "Afwezigheid BSO schooldag · School-day absence",
	data.OriginBSOHolidayDay: "Afwezigheid BSO vakantiedag · Holiday-day absence",
}

func potText(e data.CreditEntry) string {
	if e.Flexible() {
		return productText(e.Product)
	}
	return bilingual(originTexts, e.Origin)
}

var statusTexts = map[data.RequestStatus]string{
	data.StatusOpen:      "wacht op goedkeuring · awaiting approval",
	data.StatusApproved:  "goedgekeurd · approved",
	data.StatusRejected:  "afgewezen · rejected",
	data.StatusCancelled: "geannuleerd · cancelled",
}

func statusText(s data.RequestStatus) string { return bilingual(statusTexts, s) }

var sourceTexts = map[data.ConsentSource]string{
	data.ConsentFromParentApp: "ouderapp · parent app",
	data.ConsentFromForm:      "formulier · form",
	data.ConsentFromPhone:     "telefoon · phone",
}

func sourceText(s data.ConsentSource) string { return bilingual(sourceTexts, s) }

// paymentText says how a request is paid: credit per entry and the invoiced part (R2).
func paymentText(p data.Payment) string {
	var parts []string
	for _, a := range p.Allocations {
		pot := bilingual(originTexts, a.Origin)
		if a.Product != "" {
			pot = productText(a.Product)
		}
		parts = append(parts, fmt.Sprintf("tegoed · credit %s (%s)", data.MinutesText(a.Minutes), pot))
	}
	if p.InvoiceMinutes > 0 {
		parts = append(parts, fmt.Sprintf("factuur · invoice %s (%s)", data.MinutesText(p.InvoiceMinutes), productText(p.InvoiceProduct)))
	}
	if p.OverrideReason != "" {
		parts = append(parts, "reden · reason: "+p.OverrideReason)
	}
	return strings.Join(parts, "\n")
}
