package data

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// ChangeInvoicing is an export batch recorded.
const ChangeInvoicing ChangeKind = "invoicing"

// ProductStudyDay is the invoice product of a study-day sign-up (S1, F1).
const ProductStudyDay Product = "studiedag-bso"

// InvoiceProducts are the products invoicing bills, in the order a
// preview and a batch list their totals.
var InvoiceProducts = []Product{ProductKDV, ProductQflexibel, ProductBSOSchoolDay, ProductExtraHolidayDay, ProductStudyDay}

// LineKind tells a line that bills from one that takes back what an
// earlier batch billed.
type LineKind string

// The kinds of invoice line.
const (
	LineNew        LineKind = "new"
	LineCorrection LineKind = "correction"
)

// CorrectionCause says why an exported line is taken back.
type CorrectionCause string

// The causes of a correction.
const (
	CauseCancelled CorrectionCause = "cancelled" // the request or sign-up was cancelled after export
	CauseChanged   CorrectionCause = "changed"   // its times or group changed: the new line follows
	// CauseCreditWithdrawn: credit that paid part of a request was withdrawn
	// with the absence that earned it; the new line bills those hours (R7).
	CauseCreditWithdrawn CorrectionCause = "credit-withdrawn"
	// CauseStudyDayCancelled: the planner cancelled care on the study day (S2).
	CauseStudyDayCancelled CorrectionCause = "study-day-cancelled"
)

// InvoiceLine is one line of an export. A correction has the quantities of
// the line it takes back, negated. Names are stored as they were at the
// export, so the batch's file can be made again unchanged.
type InvoiceLine struct {
	Batch      ID       `json:"batch"`
	Kind       LineKind `json:"kind"`
	ChildID    ID       `json:"childId"`
	ChildName  string   `json:"childName"`
	LocationID ID       `json:"locationId"`
	Location   string   `json:"location"`
	GroupID    ID       `json:"groupId"`
	Group      string   `json:"group"`
	Date       Date     `json:"date"`
	Product    Product  `json:"product"`
	Source     Source   `json:"source"`
	SourceID   ID       `json:"sourceId"`
	// CareMinutes is the care given; CreditMinutes of it were paid from
	// credit and InvoiceMinutes are billed (R2).
	CareMinutes    int `json:"careMinutes"`
	CreditMinutes  int `json:"creditMinutes"`
	InvoiceMinutes int `json:"invoiceMinutes"`
	// DayMinutes is, for a product billed by the day, the length of a day
	// (the holiday-day opening hours when the line was made); 0 for hours.
	DayMinutes int `json:"dayMinutes,omitempty"`
	// By and At are who approved (a request) or registered (a sign-up) the
	// care and when; for a correction, who cancelled it and when, if known.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitzero"`
	// Cause and Reason explain a correction.
	Cause  CorrectionCause `json:"cause,omitempty"`
	Reason string          `json:"reason,omitempty"`
}

// PerDay reports whether the line's product is billed by the day.
func (l InvoiceLine) PerDay() bool { return l.DayMinutes > 0 }

// Days is the billed part in days, for a product billed by the day,
// rounded to hundredths: each line is billed as it is shown, so the CSV, the
// XLSX and the preview's totals all add up the same rounded numbers.
func (l InvoiceLine) Days() float64 {
	if !l.PerDay() {
		return 0
	}
	return roundHundredths(float64(l.InvoiceMinutes) / float64(l.DayMinutes))
}

// roundHundredths rounds half away from zero, so a correction is exactly the
// negative of the line it takes back.
func roundHundredths(x float64) float64 { return math.Round(x*100) / 100 }

// Correction takes back an exported line.
func (l InvoiceLine) Correction(cause CorrectionCause, by string, at time.Time, reason string) InvoiceLine {
	c := l
	c.Kind, c.Cause, c.By, c.At, c.Reason = LineCorrection, cause, by, at, reason
	c.CareMinutes, c.CreditMinutes, c.InvoiceMinutes = -l.CareMinutes, -l.CreditMinutes, -l.InvoiceMinutes
	return c
}

// InvoiceSpec is what the planner asks to export.
type InvoiceSpec struct {
	From, To Date
	// LocationID limits the export to one location; 0 is every location.
	LocationID ID
	// By names who exports (staff sign-in comes later).
	By string
}

// ProductTotal adds up the lines of one product. Corrections count negative.
type ProductTotal struct {
	Product        Product `json:"product"`
	Lines          int     `json:"lines"`
	CareMinutes    int     `json:"careMinutes"`
	CreditMinutes  int     `json:"creditMinutes"`
	InvoiceMinutes int     `json:"invoiceMinutes"`
	// Days adds up the lines' days, for a product billed by the day.
	Days float64 `json:"days,omitempty"`
	// PerDay tells a product billed by the day.
	PerDay bool `json:"perDay,omitempty"`
}

// InvoiceSummary counts an export's lines, and totals them per product.
type InvoiceSummary struct {
	Lines       int            `json:"lines"`
	New         int            `json:"new"`
	Corrections int            `json:"corrections"`
	Totals      []ProductTotal `json:"totals,omitempty"`
}

func (s *InvoiceSummary) Add(l InvoiceLine) {
	s.Lines++
	if l.Kind == LineCorrection {
		s.Corrections++
	} else {
		s.New++
	}
	of := func(t ProductTotal) bool { return t.Product == l.Product }
	if !slices.ContainsFunc(s.Totals, of) {
		s.Totals = append(s.Totals, ProductTotal{Product: l.Product})
		slices.SortStableFunc(s.Totals, func(a, b ProductTotal) int {
			return cmp.Or(cmp.Compare(productRank(a.Product), productRank(b.Product)), cmp.Compare(a.Product, b.Product))
		})
	}
	t := &s.Totals[slices.IndexFunc(s.Totals, of)]
	t.Lines++
	t.CareMinutes += l.CareMinutes
	t.CreditMinutes += l.CreditMinutes
	t.InvoiceMinutes += l.InvoiceMinutes
	t.Days = roundHundredths(t.Days + l.Days()) // no float drift over a year of lines
	t.PerDay = t.PerDay || l.PerDay()
}

func productRank(p Product) int {
	if i := slices.Index(InvoiceProducts, p); i >= 0 {
		return i
	}
	return len(InvoiceProducts)
}

// InvoiceBatch is one recorded export: what was asked, when and by whom, and
// its counts. Its lines are read with InvoiceLines.
type InvoiceBatch struct {
	ID         ID        `json:"id"`
	From       Date      `json:"from"`
	To         Date      `json:"to"`
	LocationID ID        `json:"locationId,omitempty"`
	Location   string    `json:"location,omitempty"`
	CreatedAt  time.Time `json:"createdAt"`
	By         string    `json:"by"`
	InvoiceSummary
}

// The codes of refusals of the invoicing export (F1).
const (
	RefuseInvoiceNoPeriod        = "invoice-no-period"
	RefuseInvoicePeriodReversed  = "invoice-period-reversed"
	RefuseInvoiceUnknownLocation = "invoice-unknown-location"
	RefuseInvoiceNoExporter      = "invoice-no-exporter"
)

var invoiceRefusals = map[string]RefusalText{
	RefuseInvoiceNoPeriod:        {Text: "Choose the first and last day of the period."},
	RefuseInvoicePeriodReversed:  {Text: "The period ends ({{.To}}) before it starts ({{.From}})."},
	RefuseInvoiceUnknownLocation: {Text: "This location is not in the data any more."},
	RefuseInvoiceNoExporter:      {Text: "Say who exports."},
}

// Validate checks the period of an export before anything is read (F1).
func (s InvoiceSpec) Validate() error {
	switch {
	case s.From.IsZero() || s.To.IsZero():
		return Refuse(RefuseInvoiceNoPeriod, nil)
	case s.To.Before(s.From):
		return Refuse(RefuseInvoicePeriodReversed, Args{"From": s.From, "To": s.To})
	}
	return nil
}
