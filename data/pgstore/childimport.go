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
	if err != nil {
		return plan, err
	}
	if len(plan.Problems) > 0 {
		return plan, &data.ImportError{Lines: plan.Problems}
	}
	if !plan.HasChanges() {
		return plan, nil
	}
	err = db.update(ctx, data.AuditImportChildren, func(tx pgx.Tx, changed *[]data.Change) error {
		// Planned again inside the transaction: what is written is what was checked.
		var err error
		if plan, err = db.planChildImport(ctx, tx, ci); err != nil {
			return err
		}
		if len(plan.Problems) > 0 {
			return &data.ImportError{Lines: plan.Problems}
		}
		if err := applyChildImport(ctx, tx, plan); err != nil {
			return err
		}
		n := plan.Counts()
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, Detail: fmt.Sprintf(
			"import %s: %d children added, %d changed; %d contracts added, %d changed, %d ended",
			ci.Name, n.ChildrenCreated, n.ChildrenChanged, n.ContractsCreated, n.ContractsChanged, n.ContractsEnded)},
			data.Change{Kind: data.ChangePlanning}, data.Change{Kind: data.ChangeConsent})
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

// applyChildImport writes a plan without problems.
func applyChildImport(ctx context.Context, tx pgx.Tx, plan data.ChildImportPlan) error {
	schoolIDs := map[string]data.ID{}
	for _, name := range plan.NewSchools {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO schools (name) VALUES ($1) RETURNING id`, name).Scan(&id); err != nil {
			return fmt.Errorf("add school %q: %w", name, err)
		}
		schoolIDs[data.ImportNameKey(name)] = data.ID(id)
	}
	for _, cp := range plan.Children {
		c := cp.Child
		if cp.NewSchool != "" {
			c.SchoolID = schoolIDs[data.ImportNameKey(cp.NewSchool)]
		}
		switch cp.Action {
		case data.ImportCreate, data.ImportChange:
			var err error
			if c.ID, err = writeChild(ctx, tx, c, cp.Stored); err != nil {
				return fmt.Errorf("line %d: %w", cp.Line, err)
			}
		}
		made := make([]data.ID, len(cp.Contracts)) // the IDs the plans' new contracts get
		for j, k := range cp.Contracts {
			next := k.New
			next.ChildID = c.ID
			if k.ContinuesPlan > 0 {
				next.Continues = made[k.ContinuesPlan-1]
			}
			var err error
			switch k.Action {
			case data.ImportCreate:
				next.ID, err = insertContract(ctx, tx, next)
			case data.ImportChange, data.ImportEnd:
				err = updateContract(ctx, tx, next)
			case data.ImportVersion:
				ended := k.Old
				ended.End = next.Start.AddDays(-1)
				if err = updateContract(ctx, tx, ended); err == nil {
					next.ID, err = insertContract(ctx, tx, next)
				}
			default:
				err = errors.New("unknown import action " + string(k.Action))
			}
			if err != nil {
				return fmt.Errorf("line %d: %w", k.Line, err)
			}
			made[j] = next.ID
		}
	}
	return nil
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
