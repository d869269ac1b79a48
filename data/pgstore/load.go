package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"locatiedesk/data"
	"locatiedesk/data/snapshot"
)

// LoadReport says what Load moved: per table, the file's rows, the rows
// the move added or rewrote (read back and checked), the rows the table
// holds after, and the checksum both the expected and the read-back rows
// gave.
type LoadReport struct {
	Tables []LoadedTable
	// Locations are the locations moved in, as the database numbers them.
	Locations []data.Location
}

// LoadedTable is one table of a LoadReport.
type LoadedTable struct {
	Name     string
	FromFile int // rows of this kind in the file
	// Moved are the rows the move added, or rewrote (a person who gained
	// the file's locations, a study day that gained its decisions): read
	// back, they are the file's records as renumbered.
	Moved int
	Rows  int      // rows the table holds after: the database's own, unchanged, and the moved
	Sum   [32]byte // SHA-256 of the moved rows, expected and read back
}

// ErrNotVerified is a load whose records read back otherwise than they were
// written, or that changed the database's own rows: nothing of it is kept.
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
// refused with snapshot.ErrLocationTaken. Before it commits, Load reads the
// rows it added or rewrote back and compares them with the file's records
// (rows and checksum per table), and checks that every other row of every
// table is as it was (count and a checksum the server sums); on any
// difference it fails with ErrNotVerified and keeps nothing. Only the moved
// rows are read into memory, so what a move needs grows with the file, not
// with the organisation it joins.
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
			target, err := readTarget(ctx, tx, file, last)
			if err != nil {
				return err
			}
			j, err := snapshot.JoinInto(target, file)
			if err != nil {
				return err
			}
			moved := movedRows(j, target.Records.Settings == nil)
			ownBefore, err := ownRows(ctx, tx, moved)
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
			ownAfter, err := ownRows(ctx, tx, moved)
			if err != nil {
				return err
			}
			readBack, err := readSnapshot(ctx, tx, moved)
			if err != nil {
				return err
			}
			want, err := j.Moved.Tables()
			if err != nil {
				return err
			}
			got, err := readBack.Tables()
			if err != nil {
				return err
			}
			diff := ownDifferences(ownBefore, ownAfter)
			if diff = append(diff, snapshot.Differences(want, got)...); len(diff) > 0 {
				return fmt.Errorf("%w: %s", ErrNotVerified, strings.Join(diff, "; "))
			}
			for i, t := range got {
				rep.Tables = append(rep.Tables, LoadedTable{Name: t.Name, FromFile: fileTables[i].Rows, Moved: t.Rows, Rows: ownAfter[t.Name].rows + t.Rows, Sum: t.Sum})
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

// readTarget reads what joining file needs to know of the database
// (snapshot.Target): the highest IDs, the log's last number (the feed's,
// lastSeq, or a higher one logged), and of the records only those the
// file's may meet: the settings, the locations, schools, people and
// closing days (the organisation's catalog, small beside its history), the
// shared schools' calendars and the children of the file's numbers.
func readTarget(ctx context.Context, tx pgx.Tx, file snapshot.Snapshot, lastSeq int64) (snapshot.Target, error) {
	var t snapshot.Target
	m := &t.Offsets
	var highest [13]int64
	var logged int64
	err := tx.QueryRow(ctx, `SELECT
		(SELECT coalesce(max(id), 0) FROM locations), (SELECT coalesce(max(id), 0) FROM groups),
		(SELECT coalesce(max(id), 0) FROM schools), (SELECT coalesce(max(id), 0) FROM school_holidays),
		(SELECT coalesce(max(id), 0) FROM children), (SELECT coalesce(max(id), 0) FROM contracts),
		(SELECT coalesce(max(id), 0) FROM signups), (SELECT coalesce(max(id), 0) FROM users),
		(SELECT coalesce(max(id), 0) FROM credit_entries), (SELECT coalesce(max(id), 0) FROM requests),
		(SELECT coalesce(max(id), 0) FROM invoice_batches), (SELECT coalesce(max(id), 0) FROM devices),
		(SELECT coalesce(max(id), 0) FROM pairing_codes), (SELECT coalesce(max(seq), 0) FROM audit_log)`).Scan(
		&highest[0], &highest[1], &highest[2], &highest[3], &highest[4], &highest[5], &highest[6],
		&highest[7], &highest[8], &highest[9], &highest[10], &highest[11], &highest[12], &logged)
	if err != nil {
		return t, fmt.Errorf("read the highest IDs: %w", err)
	}
	for i, ids := range []*snapshot.IDs{&m.Locations, &m.Groups, &m.Schools, &m.Holidays, &m.Children, &m.Contracts,
		&m.SignUps, &m.Users, &m.Credit, &m.Requests, &m.Batches, &m.Devices, &m.PairingCodes} {
		ids.Offset = data.ID(highest[i])
	}
	m.Seq = uint64(max(lastSeq, logged))

	var numbers []string
	for _, c := range file.Children {
		if c.Number != "" {
			numbers = append(numbers, c.Number)
		}
	}
	catalog := selection{rest: "false", args: pgx.NamedArgs{"numbers": numbers}, where: map[string]string{
		"organisation": "true", "locations": "true", "schools": "true", "users": "true", "closing_days": "true",
		"children": "number = ANY(@numbers)",
	}}
	if t.Records, err = readSnapshot(ctx, tx, catalog); err != nil {
		return t, err
	}
	var schools []int64
	for _, id := range snapshot.SharedSchools(t.Records.Schools, file.Schools) {
		schools = append(schools, int64(id))
	}
	if t.Records.Holidays, err = readHolidays(ctx, tx, `WHERE school_id = ANY($1)`, schools); err != nil {
		return t, err
	}
	t.Records.StudyDays, err = readStudyDays(ctx, tx, `WHERE school_id = ANY($1)`, schools)
	return t, err
}

// movedTables are the tables a load writes, each with the rows it adds or
// rewrites: the file's records are numbered past the database's highest
// IDs and log, the people who gained its locations, the study days that
// gained its decisions and the closing days it adds are named (arguments
// of movedRows). Every other row of these tables is the database's own.
var movedTables = []struct{ table, moved string }{
	{"organisation", "@newOrganisation::boolean"},
	{"locations", "id > @locations"},
	{"groups", "id > @groups"},
	{"schools", "id > @schools"},
	{"school_holidays", "id > @holidays"},
	{"study_days", "(school_id, day) IN (SELECT * FROM unnest(@studyDaySchools::bigint[], @studyDays::date[]))"},
	{"study_day_decisions", "(school_id, day) IN (SELECT * FROM unnest(@studyDaySchools::bigint[], @studyDays::date[]))"},
	{"closing_days", "day = ANY(@closingDays::date[])"},
	{"children", "id > @children"},
	{"contracts", "id > @contracts"},
	{"extras", "group_id > @groups"},
	{"attendance", "group_id > @groups"},
	{"signups", "id > @signups"},
	{"users", "id > @users OR id = ANY(@joinedUsers::bigint[])"},
	{"user_locations", "user_id > @users OR user_id = ANY(@joinedUsers::bigint[])"},
	{"user_groups", "user_id > @users OR user_id = ANY(@joinedUsers::bigint[])"},
	{"consent_changes", "child_id > @children"},
	{"credit_entries", "id > @credit"},
	{"credit_grants", "child_id > @children"},
	{"requests", "id > @requests"},
	{"invoice_batches", "id > @batches"},
	{"invoice_lines", "batch_id > @batches"},
	{"exported", "source_id > CASE WHEN source = @studyDaySource THEN @signups::bigint ELSE @requests::bigint END"},
	{"devices", "id > @devices"},
	{"pairing_codes", "id > @pairingCodes"},
	{"audit_log", "seq > @seq"},
	{"changes", "seq > @seq"},
}

// movedRows selects the rows of movedTables that join j adds or rewrites;
// newOrganisation says whether the database had no settings before.
func movedRows(j snapshot.Join, newOrganisation bool) selection {
	m := j.Mapping
	var studyDaySchools, joinedUsers []int64
	var studyDays, closingDays []pgtype.Date
	for _, sd := range j.Moved.StudyDays {
		studyDaySchools, studyDays = append(studyDaySchools, int64(sd.SchoolID)), append(studyDays, dateArg(sd.Date))
	}
	for _, cd := range j.Moved.ClosingDays {
		closingDays = append(closingDays, dateArg(cd.Date))
	}
	for _, u := range j.Users {
		joinedUsers = append(joinedUsers, int64(u.ID))
	}
	sel := selection{where: map[string]string{}, args: pgx.NamedArgs{
		"newOrganisation": newOrganisation,
		"locations":       int64(m.Locations.Offset), "groups": int64(m.Groups.Offset), "schools": int64(m.Schools.Offset),
		"holidays": int64(m.Holidays.Offset), "children": int64(m.Children.Offset), "contracts": int64(m.Contracts.Offset),
		"signups": int64(m.SignUps.Offset), "users": int64(m.Users.Offset), "credit": int64(m.Credit.Offset),
		"requests": int64(m.Requests.Offset), "batches": int64(m.Batches.Offset), "devices": int64(m.Devices.Offset),
		"pairingCodes": int64(m.PairingCodes.Offset), "seq": int64(m.Seq),
		"studyDaySchools": studyDaySchools, "studyDays": studyDays, "closingDays": closingDays, "joinedUsers": joinedUsers,
		"studyDaySource": string(data.SourceStudyDay),
	}}
	for _, t := range movedTables {
		sel.where[t.table] = t.moved
	}
	return sel
}

// ownRowsOf is what ownRows says of one table.
type ownRowsOf struct {
	rows int
	sum  string // of a 64-bit hash of each row's text, as numeric
}

// ownRows counts and sums, per table of movedTables, the database's own
// rows: those moved does not select. The server does the sums: none of
// those rows is read into memory.
func ownRows(ctx context.Context, tx pgx.Tx, moved selection) (map[string]ownRowsOf, error) {
	var union []string
	for _, t := range movedTables {
		union = append(union, `SELECT '`+t.table+`', count(*), coalesce(sum(hashtextextended(r::text, 0)), 0)::text FROM `+t.table+
			` r WHERE (`+t.moved+`) IS NOT TRUE`)
	}
	rows, err := tx.Query(ctx, strings.Join(union, "\nUNION ALL "), moved.args)
	if err != nil {
		return nil, fmt.Errorf("count the database's own rows: %w", err)
	}
	own := map[string]ownRowsOf{}
	var table string
	var of ownRowsOf
	_, err = pgx.ForEachRow(rows, []any{&table, &of.rows, &of.sum}, func() error {
		own[table] = of
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count the database's own rows: %w", err)
	}
	return own, nil
}

// ownDifferences names the tables whose own rows after are not those before.
func ownDifferences(before, after map[string]ownRowsOf) []string {
	var out []string
	for _, t := range movedTables {
		b, a := before[t.table], after[t.table]
		switch {
		case b.rows != a.rows:
			out = append(out, fmt.Sprintf("%s: %d of the database's own rows before, %d after", t.table, b.rows, a.rows))
		case b.sum != a.sum:
			out = append(out, fmt.Sprintf("%s: the database's own rows changed", t.table))
		}
	}
	return out
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
