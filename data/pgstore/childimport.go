package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// PlanChildImport is the preview of an import: per child what will be
// created, changed and ended, and every problem of the file. It writes nothing.
func (db *DB) PlanChildImport(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	var plan data.ChildImportPlan
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		plan, err = db.planChildImport(ctx, tx, ci)
		return err
	})
	return plan, err
}

// ImportChildren imports a children file in one transaction, all of it or
// nothing: with any problem it returns the plan and an *ImportError. A file
// that changes nothing (imported before) writes nothing at all.
func (db *DB) ImportChildren(ctx context.Context, ci data.ChildImport) (data.ChildImportPlan, error) {
	plan, err := db.PlanChildImport(ctx, ci)
	if err == nil {
		err = plan.Checked()
	}
	if err != nil || !plan.HasChanges() {
		return plan, err
	}
	err = db.update(ctx, data.AuditImportChildren, func(tx pgx.Tx, changed *[]data.Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(ctx, tx, ci); err != nil {
			return err
		}
		if err := plan.Checked(); err != nil {
			return err
		}
		if err := data.ApplyChildImport(plan, childImportWriter{ctx, tx}); err != nil {
			return err
		}
		*changed = append(*changed, data.ChildImportChanges(ci.Name, plan)...)
		return nil
	})
	return plan, err
}

// planChildImport plans an import against the database as tx sees it.
func (db *DB) planChildImport(ctx context.Context, tx pgx.Tx, ci data.ChildImport) (data.ChildImportPlan, error) {
	locations, err := readLocations(ctx, tx)
	if err != nil {
		return data.ChildImportPlan{}, err
	}
	groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups ORDER BY id`)
	if err != nil {
		return data.ChildImportPlan{}, fmt.Errorf("read groups: %w", err)
	}
	schools, err := importSchools(ctx, tx)
	if err != nil {
		return data.ChildImportPlan{}, err
	}
	cat := data.NewChildImportCatalog(locations, groups, schools)
	return data.PlanChildImport(ci, cat, importSource{ctx: ctx, db: db, tx: tx}, data.DateOf(db.now()))
}

// importSource is what planning an import reads from the database.
type importSource struct {
	ctx context.Context
	db  *DB
	tx  pgx.Tx
}

func (s importSource) StoredChild(number string) (data.Child, bool, error) {
	c, err := scanChild(s.tx.QueryRow(s.ctx, `SELECT `+childListColumns+` FROM children WHERE number = $1 AND number <> ''`, number))
	if errors.Is(err, pgx.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("child number %q: %w", number, err)
	}
	return c, true, nil
}

func (s importSource) StoredContracts(childID data.ID) ([]data.Contract, error) {
	return childContracts(s.ctx, s.tx, childID, data.Date{}, data.MaxDate)
}

func (s importSource) MayChangeContracts(locationID, groupID data.ID) error {
	return s.db.allow(s.ctx, s.tx, data.ActContracts, locationID, groupID)
}

// childImportWriter writes a children file's plan in tx.
type childImportWriter struct {
	ctx context.Context
	tx  pgx.Tx
}

func (w childImportWriter) AddSchool(name string) (data.ID, error) {
	var id int64
	err := w.tx.QueryRow(w.ctx, `INSERT INTO schools (name) VALUES ($1) RETURNING id`, name).Scan(&id)
	return data.ID(id), err
}

func (w childImportWriter) PutChild(c, stored data.Child) (data.ID, error) {
	return writeChild(w.ctx, w.tx, c, stored)
}

func (w childImportWriter) AddContract(c data.Contract) (data.ID, error) {
	return insertContract(w.ctx, w.tx, c)
}

func (w childImportWriter) ChangeContract(_, next data.Contract) error {
	return updateContract(w.ctx, w.tx, next)
}

// ExportChildren writes the children of a location (every location for 0;
// on a signed-in handle every location the actor serves) with all their
// contracts as a children file the import reads back unchanged: one line per
// contract (data.WriteChildExport). Children without a planning-system
// number (added in Locatiedesk itself), and those whose data were removed,
// are left out. The export of personal data is written to the audit log.
func (db *DB) ExportChildren(ctx context.Context, w io.Writer, locationID data.ID) error {
	var rows [][]string
	err := db.update(ctx, data.AuditExportChildren, func(tx pgx.Tx, changed *[]data.Change) error {
		rows = nil // made again when the transaction is retried
		if err := db.allowRole(data.ActContracts); err != nil {
			return err
		}
		locations, err := readLocations(ctx, tx)
		if err != nil {
			return err
		}
		groups, err := readGroups(ctx, tx, `SELECT `+groupColumns+` FROM groups`)
		if err != nil {
			return fmt.Errorf("read groups: %w", err)
		}
		groupName := map[data.ID]string{}
		for _, g := range groups {
			groupName[g.ID] = g.Name
		}
		schoolName, err := schoolNames(ctx, tx)
		if err != nil {
			return err
		}
		for _, loc := range locations {
			if locationID != 0 && loc.ID != locationID {
				continue
			}
			if db.actor != nil && !slices.Contains(db.actor.Locations, loc.ID) {
				if locationID != 0 {
					return db.allow(ctx, tx, data.ActContracts, loc.ID, 0)
				}
				continue
			}
			// A child without number would come back as a line the import refuses.
			children, err := readChildren(ctx, tx, `SELECT `+childListColumns+` FROM children
				WHERE location_id = $1 AND removed_on IS NULL AND number <> '' ORDER BY id`, int64(loc.ID))
			if err != nil {
				return fmt.Errorf("read children: %w", err)
			}
			data.SortByName(children, func(c data.Child) data.Child { return c })
			ids := make([]data.ID, len(children))
			for i, c := range children {
				ids[i] = c.ID
			}
			all, err := readContracts(ctx, tx, `SELECT `+contractColumns+` FROM contracts WHERE child_id = ANY($1) ORDER BY start_day, id`, idsArg(ids))
			if err != nil {
				return fmt.Errorf("read contracts: %w", err)
			}
			contracts := map[data.ID][]data.Contract{}
			for _, k := range all {
				contracts[k.ChildID] = append(contracts[k.ChildID], k)
			}
			for _, c := range children {
				for _, k := range contracts[c.ID] {
					rows = append(rows, data.ChildExportRow(c, k, loc.Name, groupName[k.GroupID], schoolName[c.SchoolID]))
				}
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, Detail: fmt.Sprintf("children exported: %d contract lines", len(rows))})
		return nil
	})
	if err != nil {
		return err
	}
	return data.WriteChildExport(w, rows)
}

// importSchools reads every school, by ID, as the import matches them by name.
func importSchools(ctx context.Context, q querier) ([]data.School, error) {
	rows, err := q.Query(ctx, `SELECT id, name, region FROM schools ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("read schools: %w", err)
	}
	schools, err := pgx.CollectRows(rows, scanSchool)
	if err != nil {
		return nil, fmt.Errorf("read schools: %w", err)
	}
	return schools, nil
}

// schoolNames is every school's name by ID.
func schoolNames(ctx context.Context, q querier) (map[data.ID]string, error) {
	schools, err := importSchools(ctx, q)
	names := make(map[data.ID]string, len(schools))
	for _, s := range schools {
		names[s.ID] = s.Name
	}
	return names, err
}
