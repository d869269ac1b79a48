package data

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// What an export decides once a store has read a source and the line last
// exported of it (F1). The stores only read and write; what is billed, what
// is corrected and in which order the file lists it is decided here, once.

// ExportedChange is what a line does to the exported index: Line is the
// source's line billed from now on, nil none (a correction to nothing).
type ExportedChange struct {
	Source Source
	ID     ID
	Line   *InvoiceLine
}

// InvoiceScan compares the sources of one export's period with what was
// exported of them. A store sets its readers and calls Request and
// SignUpDay for every source it finds; Emit receives the lines in order.
type InvoiceScan struct {
	Spec      InvoiceSpec
	DayLength int // minutes of a holiday day: the length of a line billed by the day
	Minimum   int // sign-ups from which a study day goes ahead (S2)
	// Line starts a line for a child's care in a group on a day, with the
	// names as they are now.
	Line func(childID, groupID ID, d Date) (InvoiceLine, error)
	// Group reads a group; StudyDay reads a school's study day on a day,
	// the zero StudyDay when there is none.
	Group    func(id ID) (Group, error)
	StudyDay func(schoolID ID, d Date) (StudyDay, error)
	Emit     func(InvoiceLine, ExportedChange)
}

// NewInvoiceScan starts a scan of spec with the lengths settings give.
func NewInvoiceScan(spec InvoiceSpec, settings Settings) InvoiceScan {
	return InvoiceScan{Spec: spec, DayLength: int(settings.HolidayDay.Until - settings.HolidayDay.From), Minimum: settings.StudyDayMinimum}
}

// Request compares one request with old, the line last exported of it
// (nil: none). Only an approved request bills; a cancelled one matters only
// when it was exported.
func (s *InvoiceScan) Request(r Request, old *InvoiceLine) error {
	var current *InvoiceLine
	if r.Status == StatusApproved && r.Payment.InvoiceMinutes > 0 {
		l, err := s.Line(r.ChildID, r.GroupID, r.Date)
		if err != nil {
			return err
		}
		l.Product, l.Source, l.SourceID = r.Payment.InvoiceProduct, SourceRequest, r.ID
		l.CareMinutes, l.CreditMinutes, l.InvoiceMinutes = int(r.Times.Until-r.Times.From), r.Payment.CreditMinutes(), r.Payment.InvoiceMinutes
		l.By, l.At = r.DecidedBy, r.DecidedAt
		if l.Product == ProductExtraHolidayDay || l.Product == ProductStudyDay {
			l.DayMinutes = s.DayLength
		}
		current = &l
	}
	by, at, reason := r.DecidedBy, r.DecidedAt, r.Reason
	if n := len(r.Withdrawn); n > 0 && r.Status == StatusApproved {
		// The only change an approved request has after its approval.
		by, at, reason = r.Withdrawn[n-1].By, r.Withdrawn[n-1].At, ""
	}
	s.compare(SourceRequest, r.ID, old, current, by, at, reason, CauseCancelled)
	return nil
}

// SignUpDay compares the sign-ups of one day, cancelled ones included;
// old reads the line last exported of signUps[i] (nil: none). The sign-ups
// of a study day that stays below its minimum at a location wait, unbilled
// and uncorrected, for the planner's decision (S2).
func (s *InvoiceScan) SignUpDay(signUps []SignUp, old func(i int) (*InvoiceLine, error)) error {
	billed, err := s.studyDaysBilled(signUps)
	if err != nil {
		return err
	}
	for i, su := range signUps {
		if !su.Cancelled && !billed[su.SchoolID][su.GroupID] {
			continue
		}
		var current *InvoiceLine
		if !su.Cancelled {
			l, err := s.Line(su.ChildID, su.GroupID, su.Date)
			if err != nil {
				return err
			}
			minutes := int(su.Times.Until - su.Times.From)
			l.Product, l.Source, l.SourceID = ProductStudyDay, SourceStudyDay, su.ID
			l.CareMinutes, l.InvoiceMinutes, l.DayMinutes = minutes, minutes, s.DayLength
			l.By, l.At = su.RegisteredBy, su.ChangedAt
			current = &l
		}
		// A sign-up taken off the sheet does not record who did it; one
		// cancelled with its study day names the planner.
		cause := CauseCancelled
		if su.CancelledBy != "" {
			cause = CauseStudyDayCancelled
		}
		exported, err := old(i)
		if err != nil {
			return err
		}
		s.compare(SourceStudyDay, su.ID, exported, current, su.CancelledBy, su.ChangedAt, "", cause)
	}
	return nil
}

// studyDaysBilled tells, per school and group, whether the active sign-ups
// of one day are billed: the study day at the group's location reaches its
// minimum, or the planner let it go ahead (StudyDayStateOf).
func (s *InvoiceScan) studyDaysBilled(signUps []SignUp) (map[ID]map[ID]bool, error) {
	type place struct{ school, location ID }
	active := map[place]int{}
	for _, su := range signUps {
		g, err := s.Group(su.GroupID)
		if err != nil {
			return nil, err
		}
		if !su.Cancelled {
			active[place{su.SchoolID, g.LocationID}]++
		}
	}
	out := map[ID]map[ID]bool{}
	for _, su := range signUps {
		g, _ := s.Group(su.GroupID)
		p := place{su.SchoolID, g.LocationID}
		sd, err := s.StudyDay(su.SchoolID, su.Date)
		if err != nil {
			return nil, err
		}
		var outcome StudyDayOutcome
		if dec := sd.Decision(p.location); dec != nil {
			outcome = dec.Outcome
		}
		if out[su.SchoolID] == nil {
			out[su.SchoolID] = map[ID]bool{}
		}
		out[su.SchoolID][su.GroupID] = StudyDayStateOf(active[p], s.Minimum, outcome).Billed()
	}
	return out, nil
}

// compare emits the lines of one source: nothing when what was exported of
// it (old) still stands, a correction of the exported line when it was
// cancelled or changed, and a new line for what it bills now. A source whose
// exported line belongs to a location outside the export waits for that
// location's export to correct it first.
func (s *InvoiceScan) compare(source Source, id ID, old, current *InvoiceLine, by string, at time.Time, reason string, cancelled CorrectionCause) {
	inExport := func(l *InvoiceLine) bool {
		return l != nil && (s.Spec.LocationID == 0 || l.LocationID == s.Spec.LocationID)
	}
	switch {
	case old == nil && current == nil:
		return
	case old != nil && current != nil && sameBilling(*old, *current):
		return
	case old != nil && !inExport(old):
		return
	}
	change := ExportedChange{Source: source, ID: id}
	if old != nil {
		cause := cancelled
		switch {
		case current != nil && creditWithdrawn(*old, *current):
			cause = CauseCreditWithdrawn
		case current != nil:
			cause, by, reason = CauseChanged, current.By, ""
		}
		s.Emit(old.Correction(cause, by, at, reason), change)
	}
	if inExport(current) {
		current.Kind = LineNew
		change.Line = current
		s.Emit(*current, change)
	}
}

// sameBilling reports whether two lines bill the same care the same way;
// names, who and when do not count.
func sameBilling(a, b InvoiceLine) bool {
	return a.ChildID == b.ChildID && a.GroupID == b.GroupID && a.Date == b.Date && a.Product == b.Product &&
		a.CareMinutes == b.CareMinutes && a.CreditMinutes == b.CreditMinutes && a.InvoiceMinutes == b.InvoiceMinutes
}

// creditWithdrawn reports whether the same care now bills more because
// credit that paid for it was withdrawn: only credit moved to invoice.
func creditWithdrawn(old, now InvoiceLine) bool {
	return old.ChildID == now.ChildID && old.GroupID == now.GroupID && old.Date == now.Date && old.Product == now.Product &&
		old.CareMinutes == now.CareMinutes && now.CreditMinutes < old.CreditMinutes &&
		now.InvoiceMinutes-old.InvoiceMinutes == old.CreditMinutes-now.CreditMinutes
}

// InvoiceExport gathers an export's lines and the changes they make to the
// exported index; its Add is an InvoiceScan's Emit.
type InvoiceExport struct {
	Lines   []InvoiceLine
	Changes []ExportedChange
}

// Add takes one emitted line.
func (x *InvoiceExport) Add(l InvoiceLine, c ExportedChange) {
	x.Lines = append(x.Lines, l)
	if c.Source != "" {
		x.Changes = append(x.Changes, c)
	}
}

// SortInvoiceLines puts lines in the file's order: by location, group and
// child as the office reads names, then by day and source, a correction
// before the new line of the same source.
func SortInvoiceLines(lines []InvoiceLine) {
	col := collate.New(language.Dutch, collate.IgnoreCase, collate.IgnoreDiacritics)
	var buf collate.Buffer
	keys := map[string][]byte{}
	key := func(s string) []byte {
		k, ok := keys[s]
		if !ok {
			k = bytes.Clone(col.KeyFromString(&buf, s))
			buf.Reset()
			keys[s] = k
		}
		return k
	}
	type sortable struct {
		line                 InvoiceLine
		location, group, kid []byte
	}
	items := make([]sortable, len(lines))
	for i, l := range lines {
		items[i] = sortable{l, key(l.Location), key(l.Group), key(l.ChildName)}
	}
	slices.SortFunc(items, func(a, b sortable) int {
		return cmp.Or(
			bytes.Compare(a.location, b.location), cmp.Compare(a.line.LocationID, b.line.LocationID),
			bytes.Compare(a.group, b.group), cmp.Compare(a.line.GroupID, b.line.GroupID),
			bytes.Compare(a.kid, b.kid), cmp.Compare(a.line.ChildID, b.line.ChildID),
			a.line.Date.Compare(b.line.Date), cmp.Compare(a.line.Source, b.line.Source), cmp.Compare(a.line.SourceID, b.line.SourceID),
			cmp.Compare(kindRank(a.line.Kind), kindRank(b.line.Kind)))
	})
	for i := range items {
		lines[i] = items[i].line
	}
}

func kindRank(k LineKind) int {
	if k == LineCorrection {
		return 0
	}
	return 1
}

// CheckExporter refuses an export that names no one: a batch records who made it.
func (s InvoiceSpec) CheckExporter() error {
	if strings.TrimSpace(s.By) == "" {
		return Refuse(RefuseInvoiceNoExporter, nil)
	}
	return nil
}

// Batch is the batch an export of s made at now records, of location (its
// name; "" for every location) with the totals of its lines, sorted in
// the file's order (SortInvoiceLines). Its ID is the store's to give.
func (x *InvoiceExport) Batch(s InvoiceSpec, location string, now time.Time) InvoiceBatch {
	SortInvoiceLines(x.Lines)
	b := InvoiceBatch{From: s.From, To: s.To, LocationID: s.LocationID, Location: location, CreatedAt: now, By: strings.TrimSpace(s.By)}
	for _, l := range x.Lines {
		b.Add(l)
	}
	return b
}
