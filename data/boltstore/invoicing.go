package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Invoicing (F1): what is billed outside the contract reaches the planner as
// an export. Every export is recorded as a batch with its lines, and the
// exported index keeps, per source, the line last billed for it. The next
// export of a period compares each source with that line only, so it gives
// what is new and a correction for what was cancelled or changed, without
// reading old batches; a source is never billed twice, whatever periods or
// locations the exports cover. A batch's file is made from its stored lines,
// so any earlier batch can be produced again byte for byte.

// sameBilling reports whether two lines bill the same care the same way;
// names, who and when do not count.
func sameBilling(a, b data.InvoiceLine) bool {
	return a.ChildID == b.ChildID && a.GroupID == b.GroupID && a.Date == b.Date && a.Product == b.Product &&
		a.CareMinutes == b.CareMinutes && a.CreditMinutes == b.CreditMinutes && a.InvoiceMinutes == b.InvoiceMinutes
}

// creditWithdrawn reports whether the same care now bills more because
// credit that paid for it was withdrawn: only credit moved to invoice.
func creditWithdrawn(old, now data.InvoiceLine) bool {
	return old.ChildID == now.ChildID && old.GroupID == now.GroupID && old.Date == now.Date && old.Product == now.Product &&
		old.CareMinutes == now.CareMinutes && now.CreditMinutes < old.CreditMinutes &&
		now.InvoiceMinutes-old.InvoiceMinutes == old.CreditMinutes-now.CreditMinutes
}

// checkInvoiceSpec validates s and reads its location (zero for all locations).
func checkInvoiceSpec(tx *bolt.Tx, s data.InvoiceSpec) (data.Location, error) {
	if err := s.Validate(); err != nil {
		return data.Location{}, err
	}
	if s.LocationID == 0 {
		return data.Location{}, nil
	}
	loc, err := getJSON[data.Location](tx.Bucket(bucketLocations), idKey(s.LocationID))
	if err != nil {
		return loc, data.Refuse(data.RefuseInvoiceUnknownLocation, data.Args{"Location": int(s.LocationID)})
	}
	return loc, nil
}

// allowExport lets a manager or office user export the locations they
// serve; "every location" (0) only someone who serves them all.
func (db *DB) allowExport(tx *bolt.Tx, locationID data.ID) error {
	if locationID != 0 {
		return db.allow(tx, data.ActExport, locationID, 0)
	}
	return db.allowEverywhere(tx, data.ActExport)
}

// PreviewInvoicing counts what ExportInvoicing would export now, without
// recording anything. progress, when set, is called with the part done (0 to 1).
func (db *DB) PreviewInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceSummary, error) {
	var sum data.InvoiceSummary
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := checkInvoiceSpec(tx, spec); err != nil {
			return err
		}
		if err := db.allowExport(tx, spec.LocationID); err != nil {
			return err
		}
		return scanInvoicing(tx, spec, progress, func(l data.InvoiceLine, _ exportedChange) { sum.Add(l) })
	})
	return sum, err
}

// ExportInvoicing records a batch of what is to be billed in the period:
// the invoiced part of approved requests (an extra holiday day among them)
// and study-day sign-ups not exported before, and a correction for every
// exported one cancelled or changed since. Lines, batch and the exported
// index are written in the one transaction that computes them, so two
// exports can never both bill a source. progress, when set, is called with
// the part done (0 to 1).
func (db *DB) ExportInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceBatch, error) {
	if strings.TrimSpace(spec.By) == "" {
		return data.InvoiceBatch{}, data.Refuse(data.RefuseInvoiceNoExporter, nil)
	}
	var batch data.InvoiceBatch
	now := db.now()
	err := db.update(ctx, data.AuditExportInvoicing, func(tx *bolt.Tx, changed *[]data.Change) error {
		loc, err := checkInvoiceSpec(tx, spec)
		if err != nil {
			return err
		}
		if err := db.allowExport(tx, spec.LocationID); err != nil {
			return err
		}
		var lines []data.InvoiceLine
		var changes []exportedChange
		err = scanInvoicing(tx, spec, progress, func(l data.InvoiceLine, c exportedChange) {
			lines = append(lines, l)
			if c.source != "" {
				changes = append(changes, c)
			}
		})
		if err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketExportBatches).NextSequence()
		if err != nil {
			return err
		}
		batch = data.InvoiceBatch{ID: data.ID(seq), From: spec.From, To: spec.To, LocationID: spec.LocationID, Location: loc.Name,
			CreatedAt: now, By: strings.TrimSpace(spec.By)}
		sortInvoiceLines(lines)
		stored, err := tx.Bucket(bucketExportLines).CreateBucket(idKey(batch.ID))
		if err != nil {
			return err
		}
		stored.FillPercent = 1 // appended in key order, never changed
		for i := range lines {
			lines[i].Batch = batch.ID
			batch.Add(lines[i])
			if err := putJSON(stored, itob(uint64(i+1)), lines[i]); err != nil {
				return err
			}
		}
		for _, c := range changes {
			if err := c.apply(tx, batch.ID); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeInvoicing})
		return putJSON(tx.Bucket(bucketExportBatches), idKey(batch.ID), batch)
	})
	if err != nil {
		return data.InvoiceBatch{}, err
	}
	return batch, nil
}

// InvoiceBatches lists the recorded exports, the latest first.
func (db *DB) InvoiceBatches(ctx context.Context) ([]data.InvoiceBatch, error) {
	var out []data.InvoiceBatch
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		out, err = allJSON[data.InvoiceBatch](tx.Bucket(bucketExportBatches))
		return err
	})
	slices.Reverse(out)
	return out, err
}

// InvoiceBatch returns one recorded export.
func (db *DB) InvoiceBatch(ctx context.Context, id data.ID) (data.InvoiceBatch, error) {
	var b data.InvoiceBatch
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		b, err = getJSON[data.InvoiceBatch](tx.Bucket(bucketExportBatches), idKey(id))
		return err
	})
	if err != nil {
		return b, fmt.Errorf("export batch %d: %w", id, err)
	}
	return b, nil
}

// InvoiceLines yields the lines of a batch in the file's order, reading them
// one at a time in one read transaction, so a file of any size is written
// without holding its lines in memory.
func (db *DB) InvoiceLines(ctx context.Context, batchID data.ID) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) {
		stopped := false
		err := db.view(ctx, func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketExportLines).Bucket(idKey(batchID))
			if b == nil {
				return fmt.Errorf("export batch %d: %w", batchID, data.ErrNotFound)
			}
			c := b.Cursor()
			for k, raw := c.First(); k != nil; k, raw = c.Next() {
				var l data.InvoiceLine
				if err := json.Unmarshal(raw, &l); err != nil {
					return fmt.Errorf("export batch %d line %d: %w", batchID, btoi(k), err)
				}
				if !yield(l, nil) {
					stopped = true
					return nil
				}
			}
			return nil
		})
		if err != nil && !stopped {
			yield(data.InvoiceLine{}, err)
		}
	}
}

// exportedChange is what a line does to the exported index: the source's
// line billed from now on, or none (a correction to nothing).
type exportedChange struct {
	source data.Source
	id     data.ID
	line   *data.InvoiceLine
}

func (c exportedChange) apply(tx *bolt.Tx, batch data.ID) error {
	b, err := nestedCreate(tx.Bucket(bucketExported), []byte(c.source))
	if err != nil {
		return err
	}
	if c.line == nil {
		return b.Delete(idKey(c.id))
	}
	l := *c.line
	l.Batch = batch
	return putJSON(b, idKey(c.id), l)
}

// invoiceScan holds what one scan reads more than once.
type invoiceScan struct {
	tx        *bolt.Tx
	spec      data.InvoiceSpec
	dayLength int
	minimum   int // sign-ups from which a study day goes ahead (S2)
	groups    map[data.ID]data.Group
	locations map[data.ID]data.Location
	children  map[data.ID]data.Child
	emit      func(data.InvoiceLine, exportedChange)
}

// scanInvoicing finds every source dated in the period whose billing differs
// from what was exported of it, and emits its lines with the change to the
// exported index. Requests are found through each child's date-ordered
// index, sign-ups through their date index: neither reads outside the period.
func scanInvoicing(tx *bolt.Tx, spec data.InvoiceSpec, progress func(float64), emit func(data.InvoiceLine, exportedChange)) error {
	settings, err := readSettings(tx)
	if err != nil {
		return err
	}
	s := &invoiceScan{tx: tx, spec: spec, dayLength: int(settings.HolidayDay.Until - settings.HolidayDay.From), minimum: settings.StudyDayMinimum,
		groups: map[data.ID]data.Group{}, locations: map[data.ID]data.Location{}, children: map[data.ID]data.Child{}, emit: emit}
	if progress == nil {
		progress = func(float64) {}
	}
	// Requests take most of the time: their progress is the child IDs passed.
	lastChild := max(tx.Bucket(bucketChildren).Sequence(), 1)
	byChild := tx.Bucket(bucketRequestsByChild)
	c := byChild.Cursor()
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		if err := s.childRequests(byChild.Bucket(k)); err != nil {
			return err
		}
		if n++; n%500 == 0 {
			progress(0.9 * float64(btoi(k)) / float64(lastChild))
		}
	}
	progress(0.9)
	if err := s.signUps(); err != nil {
		return err
	}
	progress(1)
	return nil
}

// childRequests compares one child's requests dated in the period. Only
// approved requests bill; a cancelled one matters only when it was exported.
func (s *invoiceScan) childRequests(b *bolt.Bucket) error {
	from, to := dateKey(s.spec.From), dateKey(s.spec.To)
	exported := nested(s.tx.Bucket(bucketExported), []byte(data.SourceRequest))
	c := b.Cursor()
	for k, status := c.Seek(from); k != nil && bytes.Compare(k[:len(to)], to) <= 0; k, status = c.Next() {
		id := k[len(k)-8:]
		switch data.RequestStatus(status) {
		case data.StatusApproved:
		case data.StatusCancelled:
			if exported == nil || exported.Get(id) == nil {
				continue
			}
		default:
			continue
		}
		r, err := getJSON[data.Request](s.tx.Bucket(bucketRequests), id)
		if err != nil {
			return fmt.Errorf("request %d: %w", btoi(id), err)
		}
		var current *data.InvoiceLine
		if r.Status == data.StatusApproved && r.Payment.InvoiceMinutes > 0 {
			l, err := s.line(r.ChildID, r.GroupID, r.Date)
			if err != nil {
				return err
			}
			l.Product, l.Source, l.SourceID = r.Payment.InvoiceProduct, data.SourceRequest, r.ID
			l.CareMinutes, l.CreditMinutes, l.InvoiceMinutes = int(r.Times.Until-r.Times.From), r.Payment.CreditMinutes(), r.Payment.InvoiceMinutes
			l.By, l.At = r.DecidedBy, r.DecidedAt
			if l.Product == data.ProductExtraHolidayDay || l.Product == data.ProductStudyDay {
				l.DayMinutes = s.dayLength
			}
			current = &l
		}
		by, at, reason := r.DecidedBy, r.DecidedAt, r.Reason
		if n := len(r.Withdrawn); n > 0 && r.Status == data.StatusApproved {
			// The only change an approved request has after its approval.
			by, at, reason = r.Withdrawn[n-1].By, r.Withdrawn[n-1].At, ""
		}
		if err := s.compare(data.SourceRequest, r.ID, current, by, at, reason, data.CauseCancelled); err != nil {
			return err
		}
	}
	return nil
}

// signUps compares the sign-ups of the study days in the period, cancelled
// ones included. The sign-ups of a study day that stays below its minimum
// at a location wait, unbilled and uncorrected, for the planner's decision (S2).
func (s *invoiceScan) signUps() error {
	idx := s.tx.Bucket(bucketSignUpsByDate)
	to := dateKey(s.spec.To)
	c := idx.Cursor()
	for day, _ := c.Seek(dateKey(s.spec.From)); day != nil && bytes.Compare(day, to) <= 0; day, _ = c.Next() {
		ids := idx.Bucket(day)
		if ids == nil {
			continue
		}
		var all []data.SignUp
		err := ids.ForEach(func(id, _ []byte) error {
			su, err := getJSON[data.SignUp](s.tx.Bucket(bucketSignUps), id)
			if err != nil {
				return fmt.Errorf("sign-up %d: %w", btoi(id), err)
			}
			all = append(all, su)
			return nil
		})
		if err != nil {
			return err
		}
		billed, err := s.studyDaysBilled(all)
		if err != nil {
			return err
		}
		for _, su := range all {
			if !su.Cancelled && !billed[su.SchoolID][su.GroupID] {
				continue
			}
			var current *data.InvoiceLine
			if !su.Cancelled {
				l, err := s.line(su.ChildID, su.GroupID, su.Date)
				if err != nil {
					return err
				}
				minutes := int(su.Times.Until - su.Times.From)
				l.Product, l.Source, l.SourceID = data.ProductStudyDay, data.SourceStudyDay, su.ID
				l.CareMinutes, l.InvoiceMinutes, l.DayMinutes = minutes, minutes, s.dayLength
				l.By, l.At = su.RegisteredBy, su.ChangedAt
				current = &l
			}
			// A sign-up taken off the sheet does not record who did it; one
			// cancelled with its study day names the planner.
			cause := data.CauseCancelled
			if su.CancelledBy != "" {
				cause = data.CauseStudyDayCancelled
			}
			if err := s.compare(data.SourceStudyDay, su.ID, current, su.CancelledBy, su.ChangedAt, "", cause); err != nil {
				return err
			}
		}
	}
	return nil
}

// studyDaysBilled tells, per school and group, whether the active sign-ups
// of one day are billed: the study day at the group's location reaches its
// minimum, or the planner let it go ahead (StudyDayStateOf).
func (s *invoiceScan) studyDaysBilled(signUps []data.SignUp) (map[data.ID]map[data.ID]bool, error) {
	type place struct{ school, location data.ID }
	active := map[place]int{}
	for _, su := range signUps {
		g, err := s.group(su.GroupID)
		if err != nil {
			return nil, err
		}
		if !su.Cancelled {
			active[place{su.SchoolID, g.LocationID}]++
		}
	}
	out := map[data.ID]map[data.ID]bool{}
	days := map[data.ID]data.StudyDay{} // the day's study day per school, read once
	for _, su := range signUps {
		g, _ := s.group(su.GroupID)
		p := place{su.SchoolID, g.LocationID}
		sd, ok := days[su.SchoolID]
		if !ok {
			var err error
			if sd, err = readStudyDay(s.tx, su.SchoolID, su.Date); err != nil && !errors.Is(err, data.ErrNotFound) {
				return nil, err
			}
			days[su.SchoolID] = sd
		}
		var outcome data.StudyDayOutcome
		if dec := sd.Decision(p.location); dec != nil {
			outcome = dec.Outcome
		}
		if out[su.SchoolID] == nil {
			out[su.SchoolID] = map[data.ID]bool{}
		}
		out[su.SchoolID][su.GroupID] = data.StudyDayStateOf(active[p], s.minimum, outcome).Billed()
	}
	return out, nil
}

// group reads a group once per scan.
func (s *invoiceScan) group(id data.ID) (data.Group, error) {
	g, ok := s.groups[id]
	if !ok {
		var err error
		if g, err = getJSON[data.Group](s.tx.Bucket(bucketGroups), idKey(id)); err != nil {
			return data.Group{}, fmt.Errorf("group %d: %w", id, err)
		}
		s.groups[id] = g
	}
	return g, nil
}

// compare emits the lines of one source: nothing when what was exported of
// it still stands, a correction of the exported line when it was cancelled
// or changed, and a new line for what it bills now. A source whose
// exported line belongs to a location outside the export waits for that
// location's export to correct it first.
func (s *invoiceScan) compare(source data.Source, id data.ID, current *data.InvoiceLine, by string, at time.Time, reason string, cancelled data.CorrectionCause) error {
	var old *data.InvoiceLine
	if l, err := getJSON[data.InvoiceLine](nested(s.tx.Bucket(bucketExported), []byte(source)), idKey(id)); err == nil {
		old = &l
	} else if !errors.Is(err, data.ErrNotFound) {
		return err
	}
	inExport := func(l *data.InvoiceLine) bool {
		return l != nil && (s.spec.LocationID == 0 || l.LocationID == s.spec.LocationID)
	}
	switch {
	case old == nil && current == nil:
		return nil
	case old != nil && current != nil && sameBilling(*old, *current):
		return nil
	case old != nil && !inExport(old):
		return nil
	}
	change := exportedChange{source: source, id: id}
	if old != nil {
		cause := cancelled
		switch {
		case current != nil && creditWithdrawn(*old, *current):
			cause = data.CauseCreditWithdrawn
		case current != nil:
			cause, by, reason = data.CauseChanged, current.By, ""
		}
		s.emit(old.Correction(cause, by, at, reason), change)
	}
	if inExport(current) {
		current.Kind = data.LineNew
		change.line = current
		s.emit(*current, change)
	}
	return nil
}

// line starts a line for a child's care in a group on a day, with the
// names as they are now.
func (s *invoiceScan) line(childID, groupID data.ID, d data.Date) (data.InvoiceLine, error) {
	child, ok := s.children[childID]
	if !ok {
		var err error
		if child, err = getJSON[data.Child](s.tx.Bucket(bucketChildren), idKey(childID)); err != nil {
			return data.InvoiceLine{}, fmt.Errorf("child %d: %w", childID, err)
		}
		s.children[childID] = child
	}
	group, err := s.group(groupID)
	if err != nil {
		return data.InvoiceLine{}, err
	}
	loc, ok := s.locations[group.LocationID]
	if !ok {
		var err error
		if loc, err = getJSON[data.Location](s.tx.Bucket(bucketLocations), idKey(group.LocationID)); err != nil {
			return data.InvoiceLine{}, fmt.Errorf("location %d: %w", group.LocationID, err)
		}
		s.locations[group.LocationID] = loc
	}
	return data.InvoiceLine{ChildID: childID, ChildName: child.Name(), LocationID: loc.ID, Location: loc.Name,
		GroupID: groupID, Group: group.Name, Date: d}, nil
}

// sortInvoiceLines puts lines in the file's order: by location, group and
// child as the office reads names, then by day and source, a correction
// before the new line of the same source.
func sortInvoiceLines(lines []data.InvoiceLine) {
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
		line                 data.InvoiceLine
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

func kindRank(k data.LineKind) int {
	if k == data.LineCorrection {
		return 0
	}
	return 1
}

// migrateInvoicing adds the buckets of export batches and the exported index.
func migrateInvoicing(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketExportBatches, bucketExportLines, bucketExported} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}
