package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
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

// PreviewInvoicing counts what ExportInvoicing would export now, without
// recording anything. progress, when set, is called with the part done (0 to 1).
func (db *DB) PreviewInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceSummary, error) {
	var sum data.InvoiceSummary
	if err := spec.Validate(); err != nil {
		return sum, err
	}
	s := newInvoiceScan()
	if err := db.viewBatch(ctx, func(b *pgx.Batch) { s.queue(b, spec) }); err != nil {
		return sum, err
	}
	if _, err := s.allow(db.actor, spec); err != nil {
		return sum, err
	}
	err := s.run(spec, progress, func(l data.InvoiceLine, _ data.ExportedChange) { sum.Add(l) })
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
	if err := spec.Validate(); err != nil {
		return data.InvoiceBatch{}, err
	}
	var batch data.InvoiceBatch
	now := db.now()
	err := db.update(ctx, data.AuditExportInvoicing, func(tx pgx.Tx, changed *[]data.Change) error {
		s := newInvoiceScan()
		b := &pgx.Batch{}
		s.queue(b, spec)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		loc, err := s.allow(db.actor, spec)
		if err != nil {
			return err
		}
		var export data.InvoiceExport
		if err := s.run(spec, progress, export.Add); err != nil {
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
	settings  data.Settings
	groups    map[data.ID]data.Group
	locations map[data.ID]data.Location
	children  map[data.ID]data.Child                  // only their names
	studyDays map[data.ID]map[data.Date]data.StudyDay // the period's, by school and day
	lastChild data.ID                                 // the highest child ID, for the progress
	requests  []exportedSource[data.Request]          // by child, day and ID
	signUps   []exportedSource[data.SignUp]           // by day and ID
}

// exportedSource is a request or sign-up of the period with the line last
// exported of it (nil: none).
type exportedSource[T any] struct {
	source T
	old    *data.InvoiceLine
}

// newInvoiceScan is a scan that finds every source dated in the period
// whose billing differs from what was exported of it, and emits its lines
// with the change to the exported table. queue queues everything it reads,
// in one round trip; run compares.
func newInvoiceScan() *invoiceScan {
	return &invoiceScan{groups: map[data.ID]data.Group{}, locations: map[data.ID]data.Location{}, children: map[data.ID]data.Child{}}
}

// allow refuses a spec of a location that does not exist, and an actor who
// may not export it: a manager or office user the locations they serve;
// "every location" (0) only someone who serves them all. It gives the
// spec's location (zero for every location), from the locations queue read.
func (s *invoiceScan) allow(actor *data.Actor, spec data.InvoiceSpec) (data.Location, error) {
	loc, ok := s.locations[spec.LocationID]
	if spec.LocationID != 0 && !ok {
		return loc, data.Refuse(data.RefuseInvoiceUnknownLocation, data.Args{"Location": int(spec.LocationID)})
	}
	if actor == nil {
		return loc, nil
	}
	if spec.LocationID != 0 {
		return loc, actor.Can(data.ActExport, spec.LocationID, data.Group{})
	}
	if err := actor.MayDo(data.ActExport); err != nil {
		return loc, err
	}
	return loc, actor.MayDoEverywhere(data.ActExport, slices.Sorted(maps.Keys(s.locations)))
}

// run compares what queue read, emitting the lines.
func (s *invoiceScan) run(spec data.InvoiceSpec, progress func(float64), emit func(data.InvoiceLine, data.ExportedChange)) error {
	s.InvoiceScan = data.NewInvoiceScan(spec, s.settings)
	s.Line, s.Group, s.StudyDay, s.Emit = s.line, s.group, s.studyDay, emit
	if progress == nil {
		progress = func(float64) {}
	}
	if err := s.compareRequests(progress); err != nil {
		return err
	}
	progress(0.9)
	if err := s.compareSignUps(); err != nil {
		return err
	}
	progress(1)
	return nil
}

// queue queues the scan's reads: every group and location (they are few,
// and a scan names many of them), the period's requests and sign-ups with
// what was exported of them, their children's names and the period's study
// days. A request or sign-up never exported bills only in the export of its
// group's location (compare), so an export of one location reads the
// others' only where they were exported; they count towards the minimum of
// a study day of their own locations only.
func (s *invoiceScan) queue(b *pgx.Batch, spec data.InvoiceSpec) {
	args := pgx.NamedArgs{"from": dateArg(spec.From), "to": dateArg(spec.To), "location": int64(spec.LocationID),
		"request": string(data.SourceRequest), "studyDay": string(data.SourceStudyDay),
		"approved": string(data.StatusApproved), "cancelled": string(data.StatusCancelled)}
	// exported has no column a request has: the columns need no alias.
	// Each with its child's name (only the name, not the picture).
	requests := `FROM requests r LEFT JOIN exported e ON e.source = @request AND e.source_id = r.id
		LEFT JOIN LATERAL (SELECT first_name, last_name FROM children WHERE children.id = r.child_id) c ON true
		WHERE r.day BETWEEN @from AND @to AND (r.status = @approved OR (r.status = @cancelled AND e.line IS NOT NULL))
			AND (@location = 0 OR e.line IS NOT NULL OR r.group_id IN (SELECT id FROM groups WHERE location_id = @location))`
	signUps := `FROM signups s LEFT JOIN exported e ON e.source = @studyDay AND e.source_id = s.id
		LEFT JOIN LATERAL (SELECT first_name, last_name FROM children WHERE children.id = s.child_id) c ON true
		WHERE s.day BETWEEN @from AND @to
			AND (@location = 0 OR e.line IS NOT NULL OR s.group_id IN (SELECT id FROM groups WHERE location_id = @location))`
	queueSettings(b, &s.settings)
	b.Queue(`SELECT ` + groupColumns + ` FROM groups`).Query(func(rows pgx.Rows) error {
		groups, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Group, error) { return scanGroup(row) })
		for _, g := range groups {
			s.groups[g.ID] = g
		}
		return err
	})
	b.Queue(`SELECT ` + locationColumns + ` FROM locations`).Query(func(rows pgx.Rows) error {
		locations, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Location, error) { return scanLocation(row) })
		if err != nil {
			return fmt.Errorf("read locations: %w", err)
		}
		for _, l := range locations {
			s.locations[l.ID] = l
		}
		return nil
	})
	b.Queue(`SELECT COALESCE(max(id), 1) FROM children`).QueryRow(func(row pgx.Row) error {
		var last int64
		err := row.Scan(&last)
		s.lastChild = data.ID(last)
		return err
	})
	b.Queue(`SELECT `+requestColumns+`, e.line, c.first_name, c.last_name `+requests+` ORDER BY r.child_id, r.day, r.id`, args).Query(func(rows pgx.Rows) (err error) {
		s.requests, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (exportedSource[data.Request], error) {
			var x exportedSource[data.Request]
			var line []byte
			var first, last *string // nil: the child is not there
			r, err := scanRequest(withColumns(row, &line, &first, &last))
			if err != nil {
				return x, err
			}
			s.noteName(r.ChildID, first, last)
			x.source = r
			x.old, err = decodeExported(data.SourceRequest, r.ID, line)
			return x, err
		})
		if err != nil {
			return fmt.Errorf("read the period's requests: %w", err)
		}
		return nil
	})
	b.Queue(`SELECT s.id, s.school_id, s.day, s.child_id, s.group_id, s.from_min, s.until_min,
			s.registered_by, s.registered_at, s.changed_at, s.cancelled, s.cancelled_by, e.line, c.first_name, c.last_name `+signUps+` ORDER BY s.day, s.id`, args).
		Query(func(rows pgx.Rows) (err error) {
			s.signUps, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (exportedSource[data.SignUp], error) {
				var x exportedSource[data.SignUp]
				var id, school, child, group int64
				var from, until int16
				var line []byte
				var first, last *string // nil: the child is not there
				err := row.Scan(&id, &school, scanDate(&x.source.Date), &child, &group, &from, &until,
					&x.source.RegisteredBy, &x.source.RegisteredAt, &x.source.ChangedAt, &x.source.Cancelled, &x.source.CancelledBy, &line, &first, &last)
				if err != nil {
					return x, err
				}
				s.noteName(data.ID(child), first, last)
				x.source.ID, x.source.SchoolID, x.source.ChildID, x.source.GroupID = data.ID(id), data.ID(school), data.ID(child), data.ID(group)
				x.source.Times = data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
				x.old, err = decodeExported(data.SourceStudyDay, x.source.ID, line)
				return x, err
			})
			if err != nil {
				return fmt.Errorf("read the period's sign-ups: %w", err)
			}
			return nil
		})
	b.Queue(studyDaysSQL(`WHERE s.day BETWEEN @from AND @to`), args).Query(func(rows pgx.Rows) error {
		days, err := collectStudyDays(rows)
		s.studyDays = map[data.ID]map[data.Date]data.StudyDay{}
		for _, sd := range days {
			if s.studyDays[sd.SchoolID] == nil {
				s.studyDays[sd.SchoolID] = map[data.Date]data.StudyDay{}
			}
			s.studyDays[sd.SchoolID][sd.Date] = sd
		}
		return err
	})
}

// noteName keeps a child's name as the scan read it with a request or a
// sign-up.
func (s *invoiceScan) noteName(id data.ID, first, last *string) {
	if first != nil && last != nil {
		s.children[id] = data.Child{ID: id, FirstName: *first, LastName: *last}
	}
}

// compareRequests compares the requests dated in the period, child by
// child as boltstore reads them. Only approved requests bill; a cancelled
// one matters only when it was exported. Their progress is the child IDs
// passed.
func (s *invoiceScan) compareRequests(progress func(float64)) error {
	children := 0
	for i, x := range s.requests {
		if i > 0 && x.source.ChildID != s.requests[i-1].source.ChildID {
			if children++; children%500 == 0 {
				progress(0.9 * float64(s.requests[i-1].source.ChildID) / float64(s.lastChild))
			}
		}
		if err := s.Request(x.source, x.old); err != nil {
			return err
		}
	}
	return nil
}

// compareSignUps compares the sign-ups of the study days in the period,
// cancelled ones included, a day at a time. The sign-ups of a study day
// that stays below its minimum at a location wait, unbilled and
// uncorrected, for the planner's decision (S2).
func (s *invoiceScan) compareSignUps() error {
	for first := 0; first < len(s.signUps); {
		last := first + 1
		for last < len(s.signUps) && s.signUps[last].source.Date == s.signUps[first].source.Date {
			last++
		}
		day := s.signUps[first:last]
		all := make([]data.SignUp, len(day))
		for i, x := range day {
			all[i] = x.source
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

// group is one of the groups the scan read.
func (s *invoiceScan) group(id data.ID) (data.Group, error) {
	g, ok := s.groups[id]
	if !ok {
		return data.Group{}, fmt.Errorf("group %d: %w", id, data.ErrNotFound)
	}
	return g, nil
}

// line starts a line for a child's care in a group on a day, with the
// names as they are now.
func (s *invoiceScan) line(childID, groupID data.ID, d data.Date) (data.InvoiceLine, error) {
	child, ok := s.children[childID]
	if !ok {
		return data.InvoiceLine{}, fmt.Errorf("child %d: %w", childID, data.ErrNotFound)
	}
	group, err := s.group(groupID)
	if err != nil {
		return data.InvoiceLine{}, err
	}
	loc, ok := s.locations[group.LocationID]
	if !ok {
		return data.InvoiceLine{}, fmt.Errorf("location %d: %w", group.LocationID, data.ErrNotFound)
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
	row    pgx.Row
	extras []any
}

func withColumns(row pgx.Row, extras ...any) withExtra { return withExtra{row, extras} }

func (w withExtra) Scan(dest ...any) error { return w.row.Scan(append(dest, w.extras...)...) }
