package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// PurgeExpired removes, in one transaction, the personal data of every child
// whose retention ended before today (data.RetentionEnds), as the bbolt
// store does: name, birth date, school, picture, planning-system number,
// contacts, the photo-consent history and the notes and absence reasons (a
// reason can be health data) of its attendance records. What billing needs
// stays, tied to the child's ID only: contracts, attendance times, credit,
// requests with their payment (free-text reasons removed), study-day
// sign-ups. A location's role purges its own locations' children only. The
// old row versions stay in the tables until VACUUM; Purge does both.
func (db *DB) PurgeExpired(ctx context.Context) (data.PurgeResult, error) {
	today := db.Today()
	var res data.PurgeResult
	err := db.update(ctx, data.AuditPurgeExpired, func(tx pgx.Tx, changed *[]data.Change) error {
		res.Children = nil
		settings, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		due, err := expiredChildren(ctx, tx, settings, today)
		if err != nil || len(due) == 0 {
			return err
		}
		if err := purgeChildren(ctx, tx, due, today); err != nil {
			return fmt.Errorf("remove personal data of %d children: %w", len(due), err)
		}
		res.Children = due
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog}, data.Change{Kind: data.ChangeConsent}, data.Change{Kind: data.ChangeAttendance})
		return nil
	})
	if err != nil {
		return data.PurgeResult{}, err
	}
	return res, nil
}

// expiredChildren lists, by ID, the children not yet purged whose retention
// ended before today. It reads only the contracts' ends; the rule is
// data.RetentionEnds.
func expiredChildren(ctx context.Context, tx pgx.Tx, s data.Settings, today data.Date) ([]data.ID, error) {
	rows, err := tx.Query(ctx, `SELECT c.child_id, c.end_day FROM contracts c JOIN children ch ON ch.id = c.child_id
		WHERE ch.removed_on IS NULL ORDER BY c.child_id`)
	if err != nil {
		return nil, fmt.Errorf("read the contracts' ends: %w", err)
	}
	var due []data.ID
	var spans []data.Contract
	child := data.ID(0)
	judge := func() {
		if last, ok := data.RetentionEnds(spans, s); ok && today.After(last) {
			due = append(due, child)
		}
	}
	var id int64
	var end data.Date
	_, err = pgx.ForEachRow(rows, []any{&id, scanDate(&end)}, func() error {
		if data.ID(id) != child {
			if child != 0 {
				judge()
			}
			child, spans = data.ID(id), spans[:0]
		}
		spans = append(spans, data.Contract{End: end})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the contracts' ends: %w", err)
	}
	if child != 0 {
		judge()
	}
	return due, nil
}

// purgeChildren removes the personal data of the children ids; see
// PurgeExpired. The children are marked removed first: the consent history
// may be deleted only of a child so marked (migrations/00004_purge.sql).
func purgeChildren(ctx context.Context, tx pgx.Tx, ids []data.ID, today data.Date) error {
	b := &pgx.Batch{}
	// The number goes too: it would lead a re-import back to the removed child.
	b.Queue(`UPDATE children SET first_name = $2, last_name = '#' || id, birth_date = NULL, school_id = NULL,
		number = '', contacts = '[]', picture = NULL, removed_on = $3 WHERE id = ANY($1)`,
		idsArg(ids), data.RemovedChildFirstName, dateArg(today))
	b.Queue(`DELETE FROM consent_changes WHERE child_id = ANY($1)`, idsArg(ids))
	b.Queue(`UPDATE attendance SET note = '', absence_reason = '', absence_text = ''
		WHERE child_id = ANY($1) AND (note <> '' OR absence_reason <> '' OR absence_text <> '')`, idsArg(ids))
	b.Queue(`UPDATE requests SET reason = '', payment = payment - 'overrideReason'
		WHERE child_id = ANY($1) AND (reason <> '' OR payment ? 'overrideReason')`, idsArg(ids))
	return tx.SendBatch(ctx, b).Close()
}

// purgedTables are the tables whose rows a purge rewrites or deletes.
const purgedTables = `children, consent_changes, attendance, requests`

// Purge removes the personal data whose retention has ended (PurgeExpired)
// and, when it removed any, vacuums the tables it changed, so PostgreSQL
// frees the removed data's old row versions now rather than when autovacuum
// comes by. Vacuuming is for the tables' owner: a location's role purges its
// locations' children and leaves the vacuum to autovacuum (Compacted false).
func (db *DB) Purge(ctx context.Context) (data.PurgeResult, error) {
	res, err := db.PurgeExpired(ctx)
	if err != nil || len(res.Children) == 0 {
		return res, err
	}
	var owner bool
	err = db.pool.QueryRow(ctx, `SELECT bool_and(pg_has_role(relowner, 'USAGE')) FROM pg_class
		WHERE oid = ANY(string_to_array($1, ', ')::regclass[])`, purgedTables).Scan(&owner)
	if err == nil && owner {
		// Outside any transaction: VACUUM cannot run in one.
		_, err = db.pool.Exec(ctx, `VACUUM `+purgedTables)
		res.Compacted = err == nil
	}
	if err != nil {
		return res, fmt.Errorf("personal data removed, but the tables are not vacuumed (autovacuum will): %w", err)
	}
	return res, nil
}
