package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/snapshot"
)

// LoadReport says what Load moved: per table, the file's rows, the rows the
// table holds after, and the checksum both the expected and the read-back
// records gave.
type LoadReport struct {
	Tables []LoadedTable
	// Locations are the locations moved in, as the database numbers them.
	Locations []data.Location
}

// LoadedTable is one table of a LoadReport.
type LoadedTable struct {
	Name     string
	FromFile int // rows of this kind in the file
	Rows     int // rows the table holds after, read back and checked
	Sum      [32]byte
}

// ErrNotVerified is a load whose records read back otherwise than they were
// written: nothing of it is kept.
var ErrNotVerified = errors.New("the copy did not read back as the file's records")

// beforeVerify, when a test sets it, runs between the writes of a load and
// their check.
var beforeVerify func(ctx context.Context, tx pgx.Tx) error

// Load adds the records of file (a location's data file, see
// boltstore.DB.Snapshot) to the database in one transaction, with an audit
// entry of its own that names source: all of it or, on any error, nothing.
// The file's records are renumbered after the database's own
// (snapshot.JoinInto): IDs, the references to them, and the log after the
// database's log. A location whose name the database holds already is
// refused with snapshot.ErrLocationTaken. Before it commits, Load reads
// every table back and compares its rows and checksum with what the
// database held plus the file's records; on any difference it fails with
// ErrNotVerified and keeps nothing.
func (db *DB) Load(ctx context.Context, file snapshot.Snapshot, source string) (LoadReport, error) {
	var rep LoadReport
	fileTables, err := file.Tables()
	if err != nil {
		return rep, err
	}
	for attempt := 1; ; attempt++ {
		err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
			rep = LoadReport{}
			if err := db.allowEverywhere(ctx, tx, data.ActAdmin); err != nil {
				return err
			}
			// The lock every write takes last: no hub writes while the
			// records are numbered after the database's own.
			var last int64
			if err := tx.QueryRow(ctx, `SELECT last FROM feed_seq FOR UPDATE`).Scan(&last); err != nil {
				return fmt.Errorf("lock the change feed: %w", err)
			}
			before, err := readSnapshot(ctx, tx)
			if err != nil {
				return err
			}
			j, err := snapshot.JoinInto(before, file, uint64(last))
			if err != nil {
				return err
			}
			if err := writeJoin(ctx, tx, j); err != nil {
				return err
			}
			if beforeVerify != nil {
				if err := beforeVerify(ctx, tx); err != nil {
					return err
				}
			}
			after, err := readSnapshot(ctx, tx)
			if err != nil {
				return err
			}
			want, err := j.Expected.Tables()
			if err != nil {
				return err
			}
			got, err := after.Tables()
			if err != nil {
				return err
			}
			if diff := snapshot.Differences(want, got); len(diff) > 0 {
				return fmt.Errorf("%w: %s", ErrNotVerified, strings.Join(diff, "; "))
			}
			for i, t := range got {
				rep.Tables = append(rep.Tables, LoadedTable{Name: t.Name, FromFile: fileTables[i].Rows, Rows: t.Rows, Sum: t.Sum})
			}
			rep.Locations = j.Insert.Locations
			names := make([]string, len(rep.Locations))
			for i, l := range rep.Locations {
				names[i] = strconv.Quote(l.Name)
			}
			detail := fmt.Sprintf("%s moved in from %s", strings.Join(names, ", "), source)
			_, err = appendAudit(ctx, tx, db.auditEntry(data.AuditMigrate, []data.Change{{Kind: data.ChangeCatalog, Detail: detail}}))
			return err
		})
		if err == nil {
			db.feed.wake()
			return rep, nil
		}
		if !retryable(err) || attempt == maxAttempts {
			return LoadReport{}, err
		}
	}
}

// writeJoin writes the file's records of a join and the organisation's
// people who gained its locations, then moves every identity past the
// highest ID and the feed past the file's log.
func writeJoin(ctx context.Context, tx pgx.Tx, j snapshot.Join) error {
	s := j.Insert
	w := copier{ctx: ctx, tx: tx}
	if s.Settings != nil {
		settings, err := json.Marshal(s.Settings)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO organisation (name, settings) VALUES ($1, $2)`, s.Organisation, settings); err != nil {
			return fmt.Errorf("store the organisation: %w", err)
		}
	}
	copyRows(&w, "locations", []string{"id", "name", "closed_on"}, s.Locations, func(l data.Location) []any {
		return []any{int64(l.ID), l.Name, dateArg(l.ClosedOn)}
	})
	copyRows(&w, "groups", []string{"id", "location_id", "name", "care", "capacity", "hours", "closed_on"}, s.Groups, func(g data.Group) []any {
		return []any{int64(g.ID), int64(g.LocationID), g.Name, string(g.Care), g.Capacity, jsonOf(&w, g.Hours, "{}"), dateArg(g.ClosedOn)}
	})
	copyRows(&w, "schools", []string{"id", "name", "region"}, s.Schools, func(sc data.School) []any {
		return []any{int64(sc.ID), sc.Name, sc.Region}
	})
	copyRows(&w, "school_holidays", []string{"id", "school_id", "name", "first_day", "last_day", "uid"}, s.Holidays, func(h data.SchoolHoliday) []any {
		return []any{int64(h.ID), int64(h.SchoolID), h.Name, dateArg(h.From), dateArg(h.To), h.UID}
	})
	// A study day or closing day the organisation has already stays as it
	// is; a study day gains the file's location's decision.
	for _, sd := range s.StudyDays {
		w.exec("study day "+sd.Date.String(), `INSERT INTO study_days (school_id, day, name, uid) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			int64(sd.SchoolID), dateArg(sd.Date), sd.Name, sd.UID)
		for _, d := range sd.Decisions {
			w.exec("decision on study day "+sd.Date.String(), `INSERT INTO study_day_decisions (school_id, day, location_id, outcome, decided_by, decided_at, children)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, int64(sd.SchoolID), dateArg(sd.Date), int64(d.LocationID), string(d.Outcome), d.By, d.At, idsArg(d.Children))
		}
	}
	for _, cd := range s.ClosingDays {
		w.exec("closing day "+cd.Date.String(), `INSERT INTO closing_days (day, name) VALUES ($1, $2) ON CONFLICT DO NOTHING`, dateArg(cd.Date), cd.Name)
	}
	copyRows(&w, "children", []string{"id", "location_id", "first_name", "last_name", "birth_date", "school_id", "number", "contacts", "picture", "removed_on"}, s.Children, func(c data.Child) []any {
		var picture []byte
		if len(c.Picture) > 0 {
			picture = c.Picture
		}
		return []any{int64(c.ID), int64(c.LocationID), c.FirstName, c.LastName, dateArg(c.BirthDate), idArg(c.SchoolID), c.Number,
			jsonOf(&w, c.Contacts, "[]"), picture, dateArg(c.RemovedOn)}
	})
	copyRows(&w, "contracts", []string{"id", "child_id", "group_id", "product", "days", "start_day", "end_day", "credit_days", "credit_hours", "continues"}, s.Contracts, func(c data.Contract) []any {
		return []any{int64(c.ID), int64(c.ChildID), int64(c.GroupID), string(c.Product), jsonOf(&w, c.Days, "[]"), dateArg(c.Start), dateArg(c.End),
			c.CreditDays, c.CreditHours, idArg(c.Continues)}
	})
	copyRows(&w, "extras", []string{"day", "group_id", "child_id", "from_min", "until_min", "source"}, s.Extras, func(e data.Extra) []any {
		return []any{dateArg(e.Date), int64(e.GroupID), int64(e.ChildID), int16(e.Times.From), int16(e.Times.Until), string(e.Source)}
	})
	copyRows(&w, "attendance", []string{"day", "group_id", "child_id", "check_in", "check_out", "absent", "absence_reason", "absence_text",
		"note", "updated_by", "updated_at", "absence_reported_at", "absence_reported_by", "absence_minutes", "credit", "no_credit"}, s.Attendance, func(r data.DayRecord) []any {
		a := r.Attendance
		var credit any
		if a.Credit != nil {
			credit = jsonOf(&w, a.Credit, "")
		}
		return []any{dateArg(r.Date), int64(r.GroupID), int64(r.ChildID), clockArg(a.CheckIn), clockArg(a.CheckOut), a.Absent, string(a.AbsenceReason), a.AbsenceText,
			a.Note, a.UpdatedBy, a.UpdatedAt, timeArg(a.AbsenceReportedAt), a.AbsenceReportedBy, a.AbsenceMinutes, credit, string(a.NoCredit)}
	})
	copyRows(&w, "signups", []string{"id", "school_id", "day", "child_id", "group_id", "from_min", "until_min", "registered_by", "registered_at",
		"changed_at", "cancelled", "cancelled_by"}, s.SignUps, func(su data.SignUp) []any {
		return []any{int64(su.ID), int64(su.SchoolID), dateArg(su.Date), int64(su.ChildID), int64(su.GroupID), int16(su.Times.From), int16(su.Times.Until),
			su.RegisteredBy, su.RegisteredAt, su.ChangedAt, su.Cancelled, su.CancelledBy}
	})
	copyRows(&w, "users", []string{"id", "name", "role", "secret_hash", "pin_hash", "failed_attempts", "locked_until", "deactivated_on"}, s.Users, func(u data.User) []any {
		return []any{int64(u.ID), u.Name, string(u.Role), nonEmpty(u.SecretHash), nonEmpty(u.PINHash), u.FailedAttempts, timeArg(u.LockedUntil), dateArg(u.DeactivatedOn)}
	})
	for _, u := range append(s.Users, j.Users...) {
		if w.err == nil {
			w.err = putUserPlaces(ctx, tx, u)
		}
	}
	copyRows(&w, "consent_changes", []string{"child_id", "seq", "level", "given", "source", "recorded_by", "recorded_at", "note"}, s.Consents, func(c data.ConsentChange) []any {
		return []any{int64(c.ChildID), int32(c.Seq), string(c.Level), dateArg(c.Given), string(c.Source), c.RecordedBy, c.RecordedAt, c.Note}
	})
	copyRows(&w, "credit_entries", []string{"id", "child_id", "origin", "product", "contract_id", "contract_product", "group_id",
		"minutes", "reserved", "spent", "withdrawn", "earned_on", "valid_from", "expires_on"}, s.Credit, func(e data.CreditEntry) []any {
		return []any{int64(e.ID), int64(e.ChildID), string(e.Origin), string(e.Product), idArg(e.ContractID), string(e.ContractProduct), idArg(e.GroupID),
			e.Minutes, e.Reserved, e.Spent, e.Withdrawn, dateArg(e.EarnedOn), dateArg(e.ValidFrom), dateArg(e.ExpiresOn)}
	})
	copyRows(&w, "credit_grants", []string{"child_id", "contract_id", "period", "entry_id"}, s.CreditGrants, func(g snapshot.CreditGrant) []any {
		return []any{int64(g.ChildID), int64(g.ContractID), strconv.Itoa(g.Year), int64(g.EntryID)}
	})
	copyRows(&w, "requests", []string{"id", "child_id", "group_id", "day", "from_min", "until_min", "product", "channel", "requested_by", "over_capacity",
		"submitted_at", "payment", "status", "decided_by", "decided_at", "reason", "withdrawn"}, s.Requests, func(r data.Request) []any {
		return []any{int64(r.ID), int64(r.ChildID), int64(r.GroupID), dateArg(r.Date), int16(r.Times.From), int16(r.Times.Until), string(r.Product),
			string(r.Channel), r.By, r.OverCapacity, r.SubmittedAt, jsonOf(&w, r.Payment, "{}"), string(r.Status), r.DecidedBy, timeArg(r.DecidedAt),
			r.Reason, jsonOf(&w, r.Withdrawn, "[]")}
	})
	copyRows(&w, "invoice_batches", []string{"id", "first_day", "last_day", "location_id", "location", "created_at", "created_by", "summary"}, s.InvoiceBatches, func(b data.InvoiceBatch) []any {
		return []any{int64(b.ID), dateArg(b.From), dateArg(b.To), idArg(b.LocationID), b.Location, b.CreatedAt, b.By, jsonOf(&w, b.InvoiceSummary, "{}")}
	})
	position := map[data.ID]int{}
	copyRows(&w, "invoice_lines", []string{"batch_id", "position", "line"}, s.InvoiceLines, func(l data.InvoiceLine) []any {
		position[l.Batch]++
		return []any{int64(l.Batch), position[l.Batch], jsonOf(&w, l, "")}
	})
	copyRows(&w, "exported", []string{"source", "source_id", "line"}, s.Exported, func(e snapshot.Exported) []any {
		return []any{string(e.Source), int64(e.SourceID), jsonOf(&w, e.Line, "")}
	})
	copyRows(&w, "devices", []string{"id", "name", "paired_at", "paired_by", "last_seen", "revoked_at", "revoked_by", "location_ids", "credential_hash"}, s.Devices, func(d data.Device) []any {
		return []any{int64(d.ID), d.Name, d.PairedAt, d.PairedBy, timeArg(d.LastSeen), timeArg(d.RevokedAt), d.RevokedBy, idsArg(d.LocationIDs), d.CredentialHash}
	})
	copyRows(&w, "pairing_codes", []string{"id", "code", "device_name", "expires", "created_by", "location_ids", "used_at"}, s.PairingCodes, func(p data.PairingCode) []any {
		return []any{int64(p.ID), p.Code, p.DeviceName, p.Expires, p.CreatedBy, idsArg(p.LocationIDs), timeArg(p.UsedAt)}
	})
	copyRows(&w, "audit_log", []string{"seq", "at", "user_id", "who", "device", "action", "detail"}, s.Audit, func(e data.AuditEntry) []any {
		return []any{int64(e.Seq), e.At, idArg(e.UserID), e.Who, e.Device, e.Action, e.Detail}
	})
	var changes [][]any
	lastSeq := j.Mapping.Seq
	for _, e := range s.Audit {
		for i, c := range e.Changes {
			changes = append(changes, []any{int64(e.Seq), i, string(c.Kind), dateArg(c.Date), idArg(c.GroupID), idArg(c.ChildID), c.Detail})
		}
		lastSeq = max(lastSeq, e.Seq)
	}
	copyRows(&w, "changes", []string{"seq", "position", "kind", "day", "group_id", "child_id", "detail"}, changes, func(row []any) []any { return row })
	w.exec("move the change feed on", `UPDATE feed_seq SET last = $1`, int64(lastSeq))
	for _, table := range []string{"locations", "groups", "schools", "school_holidays", "children", "contracts", "signups", "users",
		"credit_entries", "requests", "invoice_batches", "devices", "pairing_codes"} {
		// Later writes number on after the highest ID, the moved ones included.
		w.exec("number on after the IDs of "+table, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'), GREATEST((SELECT max(id) FROM `+table+`),
			(SELECT last_value FROM `+identity(table)+`)), true) WHERE EXISTS (SELECT 1 FROM `+table+`)`)
	}
	return w.err
}

// identity is the sequence of a table's identity column.
func identity(table string) string { return table + "_id_seq" }

// copier keeps the first error, so writeJoin reads as a list of tables.
type copier struct {
	ctx context.Context
	tx  pgx.Tx
	err error
}

func (w *copier) exec(what, sql string, args ...any) {
	if w.err != nil {
		return
	}
	if _, err := w.tx.Exec(w.ctx, sql, args...); err != nil {
		w.err = fmt.Errorf("%s: %w", what, err)
	}
}

// copyRows copies records into table in one COPY.
func copyRows[T any](w *copier, table string, columns []string, records []T, row func(T) []any) {
	if w.err != nil || len(records) == 0 {
		return
	}
	_, err := w.tx.CopyFrom(w.ctx, pgx.Identifier{table}, columns, pgx.CopyFromSlice(len(records), func(i int) ([]any, error) {
		r := row(records[i])
		return r, w.err
	}))
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("copy %s: %w", table, err)
	}
}

// jsonOf is v as JSON for a jsonb column, empty when v is nil or empty.
func jsonOf(w *copier, v any, empty string) any {
	raw, err := json.Marshal(v)
	if err != nil {
		w.err = err
		return nil
	}
	if empty != "" && (string(raw) == "null" || string(raw) == "[]" || string(raw) == "{}") {
		return empty
	}
	return string(raw)
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
