package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Invoicing (F1): what is billed outside the contract reaches the planner as
// an export. Every export is recorded as a batch (invoice_batches) with its
// lines (invoice_lines), and the exported table keeps, per source, the line
// last billed for it. The next export of a period compares each source with
// that line only, so it gives what is new and a correction for what was
// cancelled or changed; a source is never billed twice, whatever periods or
// locations the exports cover, and whichever hubs export at once: the
// serializable export that read what another one wrote is run again.

// checkInvoiceSpec validates s and reads its location (zero for all locations).
func checkInvoiceSpec(ctx context.Context, q querier, s data.InvoiceSpec) (data.Location, error) {
	if err := s.Validate(); err != nil {
		return data.Location{}, err
	}
	if s.LocationID == 0 {
		return data.Location{}, nil
	}
	loc, err := readLocation(ctx, q, s.LocationID)
	if errors.Is(err, data.ErrNotFound) {
		return loc, data.Refuse(data.RefuseInvoiceUnknownLocation, data.Args{"Location": int(s.LocationID)})
	}
	return loc, err
}

// allowExport lets a manager or office user export the locations they
// serve; "every location" (0) only someone who serves them all.
func (db *DB) allowExport(ctx context.Context, q querier, locationID data.ID) error {
	if locationID != 0 {
		return db.allow(ctx, q, data.ActExport, locationID, 0)
	}
	return db.allowEverywhere(ctx, q, data.ActExport)
}

// PreviewInvoicing counts what ExportInvoicing would export now, without
// recording anything. progress, when set, is called with the part done (0 to 1).
func (db *DB) PreviewInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceSummary, error) {
	var sum data.InvoiceSummary
	err := db.view(ctx, func(tx pgx.Tx) error {
		if _, err := checkInvoiceSpec(ctx, tx, spec); err != nil {
			return err
		}
		if err := db.allowExport(ctx, tx, spec.LocationID); err != nil {
			return err
		}
		return scanInvoicing(ctx, tx, spec, progress, func(l data.InvoiceLine, _ data.ExportedChange) { sum.Add(l) })
	})
	return sum, err
}

// ExportInvoicing records a batch of what is to be billed in the period:
// the invoiced part of approved requests (an extra holiday day among them)
// and study-day sign-ups not exported before, and a correction for every
// exported one cancelled or changed since. Lines, batch and the exported
// rows are written in the one transaction that computes them, so two
// exports can never both bill a source. progress, when set, is called with
// the part done (0 to 1).
func (db *DB) ExportInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceBatch, error) {
	if err := spec.CheckExporter(); err != nil {
		return data.InvoiceBatch{}, err
	}
	var batch data.InvoiceBatch
	now := db.now()
	err := db.update(ctx, data.AuditExportInvoicing, func(tx pgx.Tx, changed *[]data.Change) error {
		loc, err := checkInvoiceSpec(ctx, tx, spec)
		if err != nil {
			return err
		}
		if err := db.allowExport(ctx, tx, spec.LocationID); err != nil {
			return err
		}
		var export data.InvoiceExport
		if err := scanInvoicing(ctx, tx, spec, progress, export.Add); err != nil {
			return err
		}
		batch = export.Batch(spec, loc.Name, now)
		lines := export.Lines
		if batch.ID, err = insertBatch(ctx, tx, batch); err != nil {
			return err
		}
		if err := insertLines(ctx, tx, batch.ID, lines); err != nil {
			return err
		}
		for _, c := range export.Changes {
			if err := applyExported(ctx, tx, c, batch.ID); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeInvoicing})
		return nil
	})
	if err != nil {
		return data.InvoiceBatch{}, err
	}
	return batch, nil
}

func insertBatch(ctx context.Context, tx pgx.Tx, b data.InvoiceBatch) (data.ID, error) {
	summary, err := json.Marshal(b.InvoiceSummary)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO invoice_batches (first_day, last_day, location_id, location, created_at, created_by, summary)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		dateArg(b.From), dateArg(b.To), idArg(b.LocationID), b.Location, b.CreatedAt, b.By, summary).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record the export: %w", err)
	}
	return data.ID(id), nil
}

// insertLines stores a batch's lines in the file's order, numbered from 1.
func insertLines(ctx context.Context, tx pgx.Tx, batch data.ID, lines []data.InvoiceLine) error {
	if len(lines) == 0 {
		return nil
	}
	rows := make([][]any, len(lines))
	for i := range lines {
		lines[i].Batch = batch
		raw, err := json.Marshal(lines[i])
		if err != nil {
			return err
		}
		rows[i] = []any{int64(batch), i + 1, string(raw)}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"invoice_lines"}, []string{"batch_id", "position", "line"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("record the export's lines: %w", err)
	}
	return nil
}

const batchColumns = `id, first_day, last_day, location_id, location, created_at, created_by, summary`

func scanBatch(row pgx.Row) (data.InvoiceBatch, error) {
	var b data.InvoiceBatch
	var id int64
	var location *int64
	var summary []byte
	if err := row.Scan(&id, scanDate(&b.From), scanDate(&b.To), &location, &b.Location, &b.CreatedAt, &b.By, &summary); err != nil {
		return b, err
	}
	b.ID, b.LocationID = data.ID(id), idOf(location)
	if err := json.Unmarshal(summary, &b.InvoiceSummary); err != nil {
		return b, fmt.Errorf("decode export batch %d: %w", id, err)
	}
	return b, nil
}

// InvoiceBatches lists the recorded exports, the latest first.
func (db *DB) InvoiceBatches(ctx context.Context) ([]data.InvoiceBatch, error) {
	var out []data.InvoiceBatch
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+batchColumns+` FROM invoice_batches ORDER BY id DESC`)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.InvoiceBatch, error) { return scanBatch(row) })
		if len(out) == 0 {
			out = nil
		}
		return err
	})
	return out, err
}

// InvoiceBatch returns one recorded export.
func (db *DB) InvoiceBatch(ctx context.Context, id data.ID) (data.InvoiceBatch, error) {
	var b data.InvoiceBatch
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		b, err = scanBatch(tx.QueryRow(ctx, `SELECT `+batchColumns+` FROM invoice_batches WHERE id = $1`, int64(id)))
		return notFound(err, "export batch", id)
	})
	return b, err
}

// InvoiceLines yields the lines of a batch in the file's order, reading them
// one at a time in one read transaction, so a file of any size is written
// without holding its lines in memory.
func (db *DB) InvoiceLines(ctx context.Context, batchID data.ID) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) {
		stopped := false
		err := db.view(ctx, func(tx pgx.Tx) error {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invoice_batches WHERE id = $1)`, int64(batchID)).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				return fmt.Errorf("export batch %d: %w", batchID, data.ErrNotFound)
			}
			rows, err := tx.Query(ctx, `SELECT position, line FROM invoice_lines WHERE batch_id = $1 ORDER BY position`, int64(batchID))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var position int
				var raw []byte
				if err := rows.Scan(&position, &raw); err != nil {
					return err
				}
				var l data.InvoiceLine
				if err := json.Unmarshal(raw, &l); err != nil {
					return fmt.Errorf("export batch %d line %d: %w", batchID, position, err)
				}
				if !yield(l, nil) {
					stopped = true
					return nil
				}
			}
			return rows.Err()
		})
		if err != nil && !stopped {
			yield(data.InvoiceLine{}, err)
		}
	}
}

// applyExported writes what a line does to the exported table: c.Line
// billed from now on in batch, or none.
func applyExported(ctx context.Context, tx pgx.Tx, c data.ExportedChange, batch data.ID) error {
	if c.Line == nil {
		_, err := tx.Exec(ctx, `DELETE FROM exported WHERE source = $1 AND source_id = $2`, string(c.Source), int64(c.ID))
		return err
	}
	l := *c.Line
	l.Batch = batch
	raw, err := json.Marshal(l)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO exported (source, source_id, line) VALUES ($1, $2, $3)
		ON CONFLICT (source, source_id) DO UPDATE SET line = excluded.line`, string(c.Source), int64(c.ID), raw)
	return err
}

// invoiceScan reads for data.InvoiceScan, each record once per scan.
type invoiceScan struct {
	data.InvoiceScan
	ctx       context.Context
	q         querier
	groups    map[data.ID]data.Group
	locations map[data.ID]data.Location
	children  map[data.ID]data.Child                  // only their names
	studyDays map[data.ID]map[data.Date]data.StudyDay // the period's, by school and day
}

// scanInvoicing finds every source dated in the period whose billing differs
// from what was exported of it, and emits its lines with the change to the
// exported table. Requests and sign-ups are read by their day, each with
// the line exported of it: nothing outside the period is read.
func scanInvoicing(ctx context.Context, q querier, spec data.InvoiceSpec, progress func(float64), emit func(data.InvoiceLine, data.ExportedChange)) error {
	settings, err := readSettings(ctx, q)
	if err != nil {
		return err
	}
	s := &invoiceScan{InvoiceScan: data.NewInvoiceScan(spec, settings), ctx: ctx, q: q,
		groups: map[data.ID]data.Group{}, locations: map[data.ID]data.Location{}, children: map[data.ID]data.Child{}}
	s.Line, s.Group, s.StudyDay, s.Emit = s.line, s.group, s.studyDay, emit
	// Groups and locations are few, and a scan names many of them: read
	// them all at once rather than one round trip each.
	groups, err := readGroups(ctx, q, `SELECT `+groupColumns+` FROM groups`)
	if err != nil {
		return err
	}
	for _, g := range groups {
		s.groups[g.ID] = g
	}
	rows, err := q.Query(ctx, `SELECT `+locationColumns+` FROM locations`)
	if err != nil {
		return fmt.Errorf("read locations: %w", err)
	}
	locations, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Location, error) { return scanLocation(row) })
	if err != nil {
		return fmt.Errorf("read locations: %w", err)
	}
	for _, l := range locations {
		s.locations[l.ID] = l
	}
	if progress == nil {
		progress = func(float64) {}
	}
	if err := s.requests(progress); err != nil {
		return err
	}
	progress(0.9)
	if err := s.signUps(); err != nil {
		return err
	}
	progress(1)
	return nil
}

// requests compares the requests dated in the period, child by child as
// boltstore reads them. Only approved requests bill; a cancelled one
// matters only when it was exported. Their progress is the child IDs passed.
func (s *invoiceScan) requests(progress func(float64)) error {
	var lastChild int64
	if err := s.q.QueryRow(s.ctx, `SELECT COALESCE(max(id), 1) FROM children`).Scan(&lastChild); err != nil {
		return fmt.Errorf("count children: %w", err)
	}
	// exported has no column a request has: the columns need no alias.
	// A request never exported bills only in the export of its group's
	// location (compare), so an export of one location reads the others'
	// only where they were exported.
	rows, err := s.q.Query(s.ctx, `SELECT `+requestColumns+`, e.line FROM requests r
		LEFT JOIN exported e ON e.source = $3 AND e.source_id = r.id
		WHERE r.day BETWEEN $1 AND $2 AND (r.status = $4 OR (r.status = $5 AND e.line IS NOT NULL))
			AND ($6 = 0 OR e.line IS NOT NULL OR r.group_id IN (SELECT id FROM groups WHERE location_id = $6))
		ORDER BY r.child_id, r.day, r.id`,
		dateArg(s.Spec.From), dateArg(s.Spec.To), string(data.SourceRequest), string(data.StatusApproved), string(data.StatusCancelled),
		int64(s.Spec.LocationID))
	if err != nil {
		return fmt.Errorf("read the period's requests: %w", err)
	}
	type exportedRequest struct {
		r   data.Request
		old *data.InvoiceLine
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (exportedRequest, error) {
		var x exportedRequest
		var line []byte
		r, err := scanRequest(withExtra{row, &line})
		if err != nil {
			return x, err
		}
		x.r = r
		x.old, err = decodeExported(data.SourceRequest, r.ID, line)
		return x, err
	})
	if err != nil {
		return fmt.Errorf("read the period's requests: %w", err)
	}
	ids := make([]data.ID, 0, len(found))
	for _, x := range found {
		if x.r.Status == data.StatusApproved {
			ids = append(ids, x.r.ChildID)
		}
	}
	if err := s.readChildren(ids); err != nil {
		return err
	}
	children := 0
	for i, x := range found {
		if i > 0 && x.r.ChildID != found[i-1].r.ChildID {
			if children++; children%500 == 0 {
				progress(0.9 * float64(found[i-1].r.ChildID) / float64(lastChild))
			}
		}
		if err := s.Request(x.r, x.old); err != nil {
			return err
		}
	}
	return nil
}

// signUps compares the sign-ups of the study days in the period, cancelled
// ones included. The sign-ups of a study day that stays below its minimum
// at a location wait, unbilled and uncorrected, for the planner's decision
// (S2). As with requests, an export of one location reads the others'
// sign-ups only where they were exported: they count towards the minimum
// of their own locations only, and bill only in their own exports.
func (s *invoiceScan) signUps() error {
	rows, err := s.q.Query(s.ctx, `SELECT s.id, s.school_id, s.day, s.child_id, s.group_id, s.from_min, s.until_min,
			s.registered_by, s.registered_at, s.changed_at, s.cancelled, s.cancelled_by, e.line
		FROM signups s LEFT JOIN exported e ON e.source = $3 AND e.source_id = s.id
		WHERE s.day BETWEEN $1 AND $2
			AND ($4 = 0 OR e.line IS NOT NULL OR s.group_id IN (SELECT id FROM groups WHERE location_id = $4))
		ORDER BY s.day, s.id`, dateArg(s.Spec.From), dateArg(s.Spec.To), string(data.SourceStudyDay), int64(s.Spec.LocationID))
	if err != nil {
		return fmt.Errorf("read the period's sign-ups: %w", err)
	}
	type exportedSignUp struct {
		su  data.SignUp
		old *data.InvoiceLine
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (exportedSignUp, error) {
		var x exportedSignUp
		var id, school, child, group int64
		var from, until int16
		var line []byte
		err := row.Scan(&id, &school, scanDate(&x.su.Date), &child, &group, &from, &until,
			&x.su.RegisteredBy, &x.su.RegisteredAt, &x.su.ChangedAt, &x.su.Cancelled, &x.su.CancelledBy, &line)
		if err != nil {
			return x, err
		}
		x.su.ID, x.su.SchoolID, x.su.ChildID, x.su.GroupID = data.ID(id), data.ID(school), data.ID(child), data.ID(group)
		x.su.Times = data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
		x.old, err = decodeExported(data.SourceStudyDay, x.su.ID, line)
		return x, err
	})
	if err != nil {
		return fmt.Errorf("read the period's sign-ups: %w", err)
	}
	ids := make([]data.ID, len(found))
	for i, x := range found {
		ids[i] = x.su.ChildID
	}
	if err := s.readChildren(ids); err != nil {
		return err
	}
	days, err := readStudyDays(s.ctx, s.q, `WHERE day BETWEEN $1 AND $2`, dateArg(s.Spec.From), dateArg(s.Spec.To))
	if err != nil {
		return err
	}
	s.studyDays = map[data.ID]map[data.Date]data.StudyDay{}
	for _, sd := range days {
		if s.studyDays[sd.SchoolID] == nil {
			s.studyDays[sd.SchoolID] = map[data.Date]data.StudyDay{}
		}
		s.studyDays[sd.SchoolID][sd.Date] = sd
	}
	for first := 0; first < len(found); {
		last := first + 1
		for last < len(found) && found[last].su.Date == found[first].su.Date {
			last++
		}
		day := found[first:last]
		all := make([]data.SignUp, len(day))
		for i, x := range day {
			all[i] = x.su
		}
		err := s.SignUpDay(all, func(i int) (*data.InvoiceLine, error) { return day[i].old, nil })
		if err != nil {
			return err
		}
		first = last
	}
	return nil
}

// studyDay gives a school's study day on d of the period's; zero is none.
func (s *invoiceScan) studyDay(schoolID data.ID, d data.Date) (data.StudyDay, error) {
	return s.studyDays[schoolID][d], nil
}

// readChildren reads the names of a period's children in one query (and
// not their pictures), so a month's export does not ask for them one by one.
func (s *invoiceScan) readChildren(ids []data.ID) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id data.ID) bool { _, ok := s.children[id]; return ok })
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.q.Query(s.ctx, `SELECT id, first_name, last_name FROM children WHERE id = ANY($1)`, idsArg(ids))
	if err != nil {
		return fmt.Errorf("read children: %w", err)
	}
	var c data.Child
	var id int64
	_, err = pgx.ForEachRow(rows, []any{&id, &c.FirstName, &c.LastName}, func() error {
		s.children[data.ID(id)] = data.Child{ID: data.ID(id), FirstName: c.FirstName, LastName: c.LastName}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read children: %w", err)
	}
	return nil
}

// group reads a group once per scan.
func (s *invoiceScan) group(id data.ID) (data.Group, error) {
	g, ok := s.groups[id]
	if !ok {
		var err error
		if g, err = readGroup(s.ctx, s.q, id); err != nil {
			return data.Group{}, err
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
		if child, err = readChild(s.ctx, s.q, childID); err != nil {
			return data.InvoiceLine{}, err
		}
		s.children[childID] = child
	}
	group, err := s.group(groupID)
	if err != nil {
		return data.InvoiceLine{}, err
	}
	loc, ok := s.locations[group.LocationID]
	if !ok {
		if loc, err = readLocation(s.ctx, s.q, group.LocationID); err != nil {
			return data.InvoiceLine{}, err
		}
		s.locations[group.LocationID] = loc
	}
	return data.InvoiceLine{ChildID: childID, ChildName: child.Name(), LocationID: loc.ID, Location: loc.Name,
		GroupID: groupID, Group: group.Name, Date: d}, nil
}

// decodeExported decodes the line last exported of a source; nil is none.
func decodeExported(source data.Source, id data.ID, raw []byte) (*data.InvoiceLine, error) {
	if raw == nil {
		return nil, nil
	}
	var l data.InvoiceLine
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("decode the line exported of %s %d: %w", source, id, err)
	}
	return &l, nil
}

// withExtra scans a row whose first columns a scanner of a whole record
// knows, followed by more columns for the caller.
type withExtra struct {
	row   pgx.Row
	extra any
}

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extra)...) }
