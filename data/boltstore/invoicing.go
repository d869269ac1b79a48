package boltstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Invoicing (F1): what is billed outside the contract reaches the planner as
// an export. Every export is recorded as a batch with its lines, and the
// exported index keeps, per source, the line last billed for it. The next
// export of a period compares each source with that line only, so it gives
// what is new and a correction for what was cancelled or changed, without
// reading old batches; a source is never billed twice, whatever periods or
// locations the exports cover. A batch's file is made from its stored lines,
// so any earlier batch can be produced again byte for byte.

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
		return scanInvoicing(tx, spec, progress, func(l data.InvoiceLine, _ data.ExportedChange) { sum.Add(l) })
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
	if err := spec.CheckExporter(); err != nil {
		return data.InvoiceBatch{}, err
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
		var export data.InvoiceExport
		if err := scanInvoicing(tx, spec, progress, export.Add); err != nil {
			return err
		}
		seq, err := tx.Bucket(bucketExportBatches).NextSequence()
		if err != nil {
			return err
		}
		batch = export.Batch(spec, loc.Name, now)
		batch.ID = data.ID(seq)
		lines := export.Lines
		stored, err := tx.Bucket(bucketExportLines).CreateBucket(idKey(batch.ID))
		if err != nil {
			return err
		}
		stored.FillPercent = 1 // appended in key order, never changed
		for i := range lines {
			lines[i].Batch = batch.ID
			if err := putJSON(stored, itob(uint64(i+1)), lines[i]); err != nil {
				return err
			}
		}
		for _, c := range export.Changes {
			if err := applyExported(tx, c, batch.ID); err != nil {
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

// applyExported writes what a line does to the exported index: c.Line
// billed from now on in batch, or none.
func applyExported(tx *bolt.Tx, c data.ExportedChange, batch data.ID) error {
	b, err := nestedCreate(tx.Bucket(bucketExported), []byte(c.Source))
	if err != nil {
		return err
	}
	if c.Line == nil {
		return b.Delete(idKey(c.ID))
	}
	l := *c.Line
	l.Batch = batch
	return putJSON(b, idKey(c.ID), l)
}

// invoiceScan reads for data.InvoiceScan, each record once per scan.
type invoiceScan struct {
	data.InvoiceScan
	tx        *bolt.Tx
	groups    map[data.ID]data.Group
	locations map[data.ID]data.Location
	children  map[data.ID]data.Child
	studyDays map[data.ID]map[data.Date]data.StudyDay
}

// scanInvoicing finds every source dated in the period whose billing differs
// from what was exported of it, and emits its lines with the change to the
// exported index. Requests are found through each child's date-ordered
// index, sign-ups through their date index: neither reads outside the period.
func scanInvoicing(tx *bolt.Tx, spec data.InvoiceSpec, progress func(float64), emit func(data.InvoiceLine, data.ExportedChange)) error {
	settings, err := readSettings(tx)
	if err != nil {
		return err
	}
	s := &invoiceScan{InvoiceScan: data.NewInvoiceScan(spec, settings), tx: tx,
		groups: map[data.ID]data.Group{}, locations: map[data.ID]data.Location{}, children: map[data.ID]data.Child{},
		studyDays: map[data.ID]map[data.Date]data.StudyDay{}}
	s.Line, s.Group, s.StudyDay, s.Emit = s.line, s.group, s.studyDay, emit
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
	from, to := dateKey(s.Spec.From), dateKey(s.Spec.To)
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
		old, err := s.exported(data.SourceRequest, r.ID)
		if err != nil {
			return err
		}
		if err := s.Request(r, old); err != nil {
			return err
		}
	}
	return nil
}

// signUps compares the sign-ups of the study days in the period, day by
// day, cancelled ones included.
func (s *invoiceScan) signUps() error {
	idx := s.tx.Bucket(bucketSignUpsByDate)
	to := dateKey(s.Spec.To)
	c := idx.Cursor()
	for day, _ := c.Seek(dateKey(s.Spec.From)); day != nil && bytes.Compare(day, to) <= 0; day, _ = c.Next() {
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
		err = s.SignUpDay(all, func(i int) (*data.InvoiceLine, error) { return s.exported(data.SourceStudyDay, all[i].ID) })
		if err != nil {
			return err
		}
	}
	return nil
}

// exported reads the line last exported of a source; nil is none.
func (s *invoiceScan) exported(source data.Source, id data.ID) (*data.InvoiceLine, error) {
	l, err := getJSON[data.InvoiceLine](nested(s.tx.Bucket(bucketExported), []byte(source)), idKey(id))
	if errors.Is(err, data.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// studyDay reads a school's study day on d once per scan; zero is none.
func (s *invoiceScan) studyDay(schoolID data.ID, d data.Date) (data.StudyDay, error) {
	sd, ok := s.studyDays[schoolID][d]
	if ok {
		return sd, nil
	}
	sd, err := readStudyDay(s.tx, schoolID, d)
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return sd, err
	}
	if s.studyDays[schoolID] == nil {
		s.studyDays[schoolID] = map[data.Date]data.StudyDay{}
	}
	s.studyDays[schoolID][d] = sd
	return sd, nil
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

// migrateInvoicing adds the buckets of export batches and the exported index.
func migrateInvoicing(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketExportBatches, bucketExportLines, bucketExported} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	return nil
}
