package pgstore

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// RecordConsent appends an answer to the child's history, which makes it the
// current one if it is the latest (C1), in one transaction. RecordedAt is set
// by the store's clock.
func (db *DB) RecordConsent(ctx context.Context, c data.ConsentChange) error {
	c.RecordedAt = db.now()
	c.Note = strings.TrimSpace(c.Note)
	if err := c.Validate(data.DateOf(c.RecordedAt)); err != nil {
		return err
	}
	return db.update(ctx, data.AuditRecordConsent, func(tx pgx.Tx, changed *[]data.Change) error {
		child, err := readChild(ctx, tx, c.ChildID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActConsent, child.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeConsent, ChildID: c.ChildID,
			Detail: fmt.Sprintf("%s from %s", c.Level, c.Source)})
		return appendConsent(ctx, tx, c)
	})
}

// appendConsent stores c as the child's next change; the caller has
// validated c and checked that the child exists. The current answer is not
// stored: it is read from the history (data.CurrentConsent).
func appendConsent(ctx context.Context, tx pgx.Tx, c data.ConsentChange) error {
	_, err := tx.Exec(ctx, `INSERT INTO consent_changes (child_id, seq, level, given, source, recorded_by, recorded_at, note)
		SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7 FROM consent_changes WHERE child_id = $1`,
		int64(c.ChildID), string(c.Level), dateArg(c.Given), string(c.Source), c.RecordedBy, c.RecordedAt, c.Note)
	if err != nil {
		return fmt.Errorf("record consent of child %d: %w", c.ChildID, err)
	}
	return nil
}

// consentHistories reads the consent histories of the children with the
// given IDs, each in recording order.
func consentHistories(ctx context.Context, q querier, ids []data.ID) (map[data.ID][]data.ConsentChange, error) {
	rows, err := q.Query(ctx, `SELECT child_id, seq, level, given, source, recorded_by, recorded_at, note
		FROM consent_changes WHERE child_id = ANY($1) ORDER BY child_id, seq`, idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("read consent: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.ConsentChange, error) {
		var c data.ConsentChange
		var child, seq int64
		err := row.Scan(&child, &seq, &c.Level, scanDate(&c.Given), &c.Source, &c.RecordedBy, &c.RecordedAt, &c.Note)
		c.ChildID, c.Seq = data.ID(child), uint64(seq)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("read consent: %w", err)
	}
	out := map[data.ID][]data.ConsentChange{}
	for _, c := range all {
		out[c.ChildID] = append(out[c.ChildID], c)
	}
	return out, nil
}

// Consent returns a child's consent and its history, for the child's card.
func (db *DB) Consent(ctx context.Context, childID data.ID) (data.ChildConsent, error) {
	var out data.ChildConsent
	today := db.Today()
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		if out.Child, err = db.readChildFor(ctx, tx, childID); err != nil {
			return err
		}
		histories, err := consentHistories(ctx, tx, []data.ID{childID})
		if err != nil {
			return err
		}
		out.History = histories[childID]
		contracts, err := childContracts(ctx, tx, childID, data.Date{}, data.MaxDate)
		if err != nil {
			return err
		}
		out.ConsentStatus = data.ConsentStatusOf(out.History, contracts, today)
		return nil
	})
	return out, err
}

// ConsentOverview lists the consent of every child in a group today (groupID
// not 0), or of every child of a location, also those whose care has ended
// (groupID 0), sorted by name (C2).
func (db *DB) ConsentOverview(ctx context.Context, locationID, groupID data.ID) ([]data.ConsentRow, error) {
	today := db.Today()
	var rows []data.ConsentRow
	err := db.view(ctx, func(tx pgx.Tx) error {
		rows = nil
		if groupID != 0 {
			return groupConsent(ctx, tx, groupID, today, &rows)
		}
		return locationConsent(ctx, tx, locationID, today, &rows)
	})
	data.SortByName(rows, func(r data.ConsentRow) data.Child { return r.Child })
	return rows, err
}

// groupConsent appends a row for each child with a contract in the group today.
func groupConsent(ctx context.Context, tx pgx.Tx, groupID data.ID, today data.Date, rows *[]data.ConsentRow) error {
	group, err := readGroup(ctx, tx, groupID)
	if err != nil {
		return err
	}
	contracts, err := groupContracts(ctx, tx, groupID, today)
	if err != nil {
		return err
	}
	var ids []data.ID
	seen := map[data.ID]bool{}
	for _, c := range contracts {
		if !seen[c.ChildID] {
			seen[c.ChildID] = true
			ids = append(ids, c.ChildID)
		}
	}
	children, err := readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children WHERE id = ANY($1)`, idsArg(ids))
	if err != nil {
		return err
	}
	byID := make(map[data.ID]data.Child, len(children))
	for _, c := range children {
		byID[c.ID] = c
	}
	histories, err := consentHistories(ctx, tx, ids)
	if err != nil {
		return err
	}
	for _, id := range ids {
		child, ok := byID[id]
		if !ok {
			return fmt.Errorf("child %d: %w", id, data.ErrNotFound)
		}
		*rows = append(*rows, data.ConsentRow{Child: child, Group: group, ConsentStatus: data.ConsentStatusOf(histories[id], nil, today)})
	}
	return nil
}

// locationConsent appends a row for each child of the location whose data
// are kept, with the group of its main contract.
func locationConsent(ctx context.Context, tx pgx.Tx, locationID data.ID, today data.Date, rows *[]data.ConsentRow) error {
	groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups`)
	if err != nil {
		return err
	}
	groupByID := make(map[data.ID]data.Group, len(groups))
	for _, g := range groups {
		groupByID[g.ID] = g
	}
	// A child whose personal data are removed has no consent left to show.
	children, err := readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children
		WHERE location_id = $1 AND removed_on IS NULL ORDER BY id`, int64(locationID))
	if err != nil {
		return err
	}
	ids := make([]data.ID, len(children))
	for i, c := range children {
		ids[i] = c.ID
	}
	histories, err := consentHistories(ctx, tx, ids)
	if err != nil {
		return err
	}
	all, err := readContracts(ctx, tx, `SELECT `+contractColumns+` FROM contracts WHERE child_id = ANY($1) ORDER BY id`, idsArg(ids))
	if err != nil {
		return err
	}
	contracts := map[data.ID][]data.Contract{}
	for _, c := range all {
		contracts[c.ChildID] = append(contracts[c.ChildID], c)
	}
	for _, child := range children {
		row := data.ConsentRow{Child: child, ConsentStatus: data.ConsentStatusOf(histories[child.ID], contracts[child.ID], today)}
		if c, ok := mainContract(contracts[child.ID], today); ok {
			row.Group = groupByID[c.GroupID]
		}
		*rows = append(*rows, row)
	}
	return nil
}

// mainContract picks the contract that places a child in a group: one that
// runs today, else the one that starts last (a coming one, or the last ended).
func mainContract(contracts []data.Contract, today data.Date) (data.Contract, bool) {
	var best data.Contract
	found := false
	for _, c := range contracts {
		switch {
		case c.Runs(today):
			return c, true
		case !found || c.Start.After(best.Start):
			best, found = c, true
		}
	}
	return best, found
}

// ImportConsent reads a consent file as a parent portal exports it and
// records every answer as coming from the parent app, in one transaction: when
// any line is wrong it returns an *ImportError listing them all, and stores nothing.
func (db *DB) ImportConsent(ctx context.Context, r io.Reader, by, note string) (data.ConsentImportResult, error) {
	var result data.ConsentImportResult
	now := db.now()
	today := data.DateOf(now)
	if strings.TrimSpace(by) == "" {
		return result, data.Refuse(data.RefuseConsentNoImporter, nil)
	}
	lines, problems := data.ParseConsentCSV(r)
	err := db.update(ctx, data.AuditImportConsent, func(tx pgx.Tx, changed *[]data.Change) error {
		children, err := readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children ORDER BY id`)
		if err != nil {
			return err
		}
		changes, matchProblems := data.MatchConsentLines(lines, children, by, note, now)
		for _, location := range data.ConsentImportLocations(changes, children) {
			if err := db.allow(ctx, tx, data.ActConsent, location, 0); err != nil {
				return err
			}
		}
		if err := data.ConsentImportProblems(problems, matchProblems); err != nil {
			return err
		}
		ids := make([]data.ID, len(changes))
		for i, c := range changes {
			ids[i] = c.ChildID
		}
		histories, err := consentHistories(ctx, tx, ids)
		if err != nil {
			return err
		}
		if result, err = data.RecordConsentImport(changes, histories, today, func(c data.ConsentChange) error {
			return appendConsent(ctx, tx, c)
		}); err != nil {
			return err
		}
		*changed = append(*changed, result.Changes()...)
		return nil
	})
	if err != nil {
		return data.ConsentImportResult{}, err
	}
	return result, nil
}
