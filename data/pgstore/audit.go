package pgstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Audit returns log entries matching f, newest first: exactly those
// data.AuditFilter.Matches accepts, the filter on a child or a day applied
// to the entries' changes.
func (db *DB) Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.UserID != 0 {
		where = append(where, "a.user_id = "+arg(int64(f.UserID)))
	}
	if f.Action != "" {
		where = append(where, "a.action = "+arg(f.Action))
	}
	if len(f.Actions) > 0 {
		where = append(where, "a.action = ANY("+arg(f.Actions)+")")
	}
	if f.ChildID != 0 || !f.Date.IsZero() {
		about := []string{"c.seq = a.seq"}
		if f.ChildID != 0 {
			about = append(about, "c.child_id = "+arg(int64(f.ChildID)))
		}
		if !f.Date.IsZero() {
			about = append(about, "c.day = "+arg(dateArg(f.Date)))
		}
		where = append(where, "EXISTS (SELECT 1 FROM changes c WHERE "+strings.Join(about, " AND ")+")")
	}
	sql := `SELECT a.seq, a.at, a.user_id, a.who, a.device, a.action, a.detail FROM audit_log a`
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY a.seq DESC LIMIT " + arg(f.Limit)

	var out []data.AuditEntry
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.AuditEntry, error) {
			var e data.AuditEntry
			var seq int64
			var user *int64
			err := row.Scan(&seq, &e.At, &user, &e.Who, &e.Device, &e.Action, &e.Detail)
			e.Seq, e.UserID = uint64(seq), idOf(user)
			return e, err
		})
		if err != nil {
			return fmt.Errorf("read the audit log: %w", err)
		}
		return readEntryChanges(ctx, tx, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readEntryChanges fills in the changes of entries, sorted newest first.
func readEntryChanges(ctx context.Context, q querier, entries []data.AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	seqs := make([]int64, len(entries))
	at := make(map[uint64]int, len(entries))
	for i, e := range entries {
		seqs[i], at[e.Seq] = int64(e.Seq), i
	}
	rows, err := q.Query(ctx, `SELECT seq, kind, day, group_id, child_id, detail FROM changes
		WHERE seq = ANY($1) ORDER BY seq, position`, seqs)
	if err != nil {
		return fmt.Errorf("read the audit log's changes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var c data.Change
		var group, child *int64
		if err := rows.Scan(&seq, &c.Kind, scanDate(&c.Date), &group, &child, &c.Detail); err != nil {
			return fmt.Errorf("read the audit log's changes: %w", err)
		}
		c.GroupID, c.ChildID = idOf(group), idOf(child)
		e := &entries[at[uint64(seq)]]
		e.Changes = append(e.Changes, c)
	}
	return rows.Err()
}

// LogPrint records in the audit log that a sheet with children's names was
// printed or saved (what says which), as every print and export must be.
func (db *DB) LogPrint(ctx context.Context, what string) error {
	return db.update(ctx, data.AuditPrint, func(_ pgx.Tx, changed *[]data.Change) error {
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, Detail: what})
		return nil
	})
}
